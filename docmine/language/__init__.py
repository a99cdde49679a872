"""Language tools every stage shares: the spaCy pipeline and its parse memo (nlp), sentence
embeddings (embed), the force-cue lexicon (cues) and word overlap (overlap)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from docmine.language.embed import Encoder, default_encoder
from docmine.language.nlp import Parser, default_parser

if TYPE_CHECKING:
    from docmine.config import Settings


@dataclass(frozen=True)
class Language:
    """The parser and the sentence encoder one run of the stages uses (a Pipeline owns its own;
    `Language.shared` is the process's, for library callers)."""

    parser: Parser
    encoder: Encoder

    @classmethod
    def for_settings(cls, settings: Settings) -> Language:
        """A new parser and encoder, each with its own memo."""
        return cls(
            Parser(settings.spacy_model),
            Encoder(settings.embedding_model, settings.embedding_backend),
        )

    @classmethod
    def shared(cls, settings: Settings) -> Language:
        return cls(
            default_parser(settings.spacy_model),
            default_encoder(settings.embedding_model, settings.embedding_backend),
        )
