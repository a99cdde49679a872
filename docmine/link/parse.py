"""Dependency parses of clause texts: parsed in batches with nlp.pipe, once per text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from docmine.language.nlp import Parser, default_parser


class ParseCache:
    """spaCy Docs by clause text, from `parser` (a model name: the shared parser of that model);
    `prefetch` parses many texts in one batch."""

    def __init__(self, parser: Parser | str) -> None:
        self.parser = default_parser(parser) if isinstance(parser, str) else parser
        self._docs: dict[str, Any] = {}

    def prefetch(self, texts: Iterable[str]) -> None:
        missing = [t for t in dict.fromkeys(texts) if t not in self._docs]
        if not missing:
            return
        for text, doc in zip(missing, self.parser.parse(missing), strict=True):
            self._docs[text] = doc

    def get(self, text: str) -> Any:
        if text not in self._docs:
            self.prefetch([text])
        return self._docs[text]
