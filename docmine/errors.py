"""Project exceptions: one line each, naming the file and what to do about it.

Codes are stable so users and tests can match on them (as spaCy's `Errors.E050`)."""

from __future__ import annotations


class DocmineError(Exception):
    """Base class: a problem with the user's input or setup, printed without a traceback."""

    code = "E000"

    def __init__(self, message: str, path: str = "") -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


class UnsupportedFormat(DocmineError):
    code = "E001"


class EncryptedDocument(DocmineError):
    code = "E002"


class CorruptDocument(DocmineError):
    code = "E003"


class NoTextLayer(DocmineError):
    code = "E004"


class EmptyDocument(DocmineError):
    code = "E005"


class TooLarge(DocmineError):
    code = "E006"


class TimedOut(DocmineError):
    code = "E007"


class NotFound(DocmineError):
    code = "E008"


class BadInput(DocmineError):
    """A malformed gold/query/JSONL file or an invalid option value."""

    code = "E009"


class ModelMissing(DocmineError):
    code = "E010"


class OcrUnavailable(DocmineError):
    """OCR was asked for (--ocr force) but Tesseract or pytesseract is not installed."""

    code = "E011"
