"""A bounded memo of values computed per text (parses, vectors), newest last."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")


def recall(
    memo: OrderedDict[str, T],
    texts: Sequence[str],
    compute: Callable[[list[str]], Iterable[T]],
    size: int,
) -> list[T]:
    """The value of each text: memoised ones (made newest), the others computed in one batch
    and kept; beyond `size` the oldest are forgotten, never before this call has returned them."""
    found: dict[str, T] = {}
    missing = []
    for text in dict.fromkeys(texts):
        if text in memo:
            memo.move_to_end(text)
            found[text] = memo[text]
        else:
            missing.append(text)
    if missing:
        for text, value in zip(missing, compute(missing), strict=True):
            found[text] = memo[text] = value
        while len(memo) > size:
            memo.popitem(last=False)
    return [found[text] for text in texts]
