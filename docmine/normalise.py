"""The normalise stage: text repair shared by every format (whitespace, footnote markers, and
acronyms glued to their neighbours by careless HTML export: "theICPshould" -> "the ICP should"),
then the title and provenance over the repaired text.

Reads a Document's blocks as extraction left them (furniture already marked: extraction judges it
on the text as this stage will repair it); writes `Block.text` (each block keeps its `orig`),
`Block.provenance`, `Document.text` and `Document.title`."""

from __future__ import annotations

import dataclasses
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from docmine.config import resource
from docmine.errors import EmptyDocument
from docmine.model import Block, BlockKind, Document, lay_out

_SPACES = re.compile(r"[ \u00a0\u2009\u202f]+")  # tabs survive: they separate table cells
_FOOTNOTE_MARKERS = re.compile(
    r"\s*\[footnote \d+\]|[\u2070\u00b9\u00b2\u00b3\u2071\u2074-\u2079]+"
    r"|\s*\u21a9\ufe0e?"  # a web page's link back from its footnote ("↩")
)
_SOFT_HYPHEN = "\u00ad"
_WORD = re.compile(r"[A-Za-z]+")
# a token needs repair only if case flips inside it: lower->UPPER, or an UPPER run then lower
_GLUED = re.compile(r"[a-z][A-Z]|[A-Z]{2}[a-z]")
_ACRONYM = re.compile(r"\b[A-Z][A-Z&]{1,7}\b")
# an acronym defined in brackets, in mixed case too ("(DoLS)", "(eRS)", "(LeDeR)")
_DEFINED_ACRONYM = re.compile(
    r"\(([a-z]?[A-Z][A-Za-z]{0,2}[A-Z]{1,6}|[A-Z][a-z]?[A-Z][a-z]?[A-Z])s?\)"
)
_FUNCTION_WORDS = frozenset(
    "a an and are as at be but by can could do does for from has have how in into is it its may "
    "might must of on or our should so than that the their them these this those to was we were "
    "what when where which who will with within would".split()
)


def clean_whitespace(text: str) -> str:
    """NFC, no soft hyphens or zero-width characters, single spaces, trimmed."""
    text = unicodedata.normalize("NFC", text).replace(_SOFT_HYPHEN, "").replace("\ufffe", "")
    text = text.replace("\u200b", "").replace("\ufeff", "")
    return re.sub(r" ?\t ?", "\t", _SPACES.sub(" ", text)).strip()


def strip_footnote_markers(text: str) -> str:
    """Remove "[footnote 1]" and superscript markers, which are not part of the sentence."""
    return _FOOTNOTE_MARKERS.sub("", text)


@cache
def gazetteer_acronyms() -> frozenset[str]:
    """Upper-case aliases of the shipped bodies gazetteer (ICB, NHSE, LGA ...)."""
    data = resource("bodies.yaml")
    names = [str(alias) for aliases in data.values() for alias in (aliases or [])]
    return frozenset(
        n.rstrip("s") if n[:-1].isupper() else n for n in names if _ACRONYM.fullmatch(n.rstrip("s"))
    )


def document_inventory(texts: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The acronyms and plain words a document uses on their own, learned from its own text."""
    acronyms: set[str] = set(gazetteer_acronyms())
    words: set[str] = set(_FUNCTION_WORDS)
    for text in texts:
        acronyms.update(_DEFINED_ACRONYM.findall(text))
        for token in _WORD.findall(text):
            if _GLUED.search(token):
                continue
            if token.isupper() and len(token) >= 2:
                acronyms.add(token)
            elif token.endswith("s") and token[:-1].isupper() and len(token) >= 3:
                acronyms.add(token[:-1])
            else:
                words.add(token.lower())
    return frozenset(acronyms), frozenset(words)


def repair_glued_acronyms(texts: Sequence[str]) -> list[str]:
    """Give glued acronyms back their spaces, using the document's own inventory so real words and
    names ("Healthwatch", "McDonald", "NHSEI") are left alone."""
    acronyms, words = document_inventory(texts)
    splitter = _Splitter(acronyms, words)

    def fix(match: re.Match[str]) -> str:
        token = match.group(0)
        if not _GLUED.search(token) or token in acronyms or token[:-1] in acronyms:
            return token  # a name the document defines in mixed case: "(DoLS)", "(eRS)"
        return " ".join(splitter.split(token)) or token

    return [_WORD.sub(fix, text) for text in texts]


class _Splitter:
    """Splits a glued token into the fewest known pieces, at least one of them an acronym."""

    def __init__(self, acronyms: frozenset[str], words: frozenset[str]) -> None:
        self.acronyms = acronyms
        self.words = words

    def _piece_cost(self, piece: str) -> tuple[float, bool] | None:
        """Cost of a piece (known 1, plausible unknown word 3) and whether it is an acronym."""
        stem = piece[:-1] if piece.endswith("s") and piece[:-1].isupper() else piece
        if stem.isupper():
            # an unseen acronym costs more the longer it is, so "ICBCEO" prefers "ICB" + "CEO"
            return (1.0 if stem in self.acronyms else 2.0 + len(stem) / 2), True
        if piece.islower() or (piece[0].isupper() and piece[1:].islower()):
            if piece.lower() in self.words:
                return 1.0, False
            # an unseen word is allowed, at a price, so "thatICPsserve" still splits
            return (3.0, False) if len(piece) >= 3 and not piece.startswith("ss") else None
        return None

    def split(self, token: str) -> list[str]:
        pieces = self._best(token)
        if pieces is None or len(pieces) < 2:
            return [token]
        costs = [self._piece_cost(p) for p in pieces]
        has_acronym = any(c is not None and c[1] for c in costs)
        all_known = all(c is not None and (c[1] or c[0] == 1.0) for c in costs)
        known_acronym = any(c is not None and c[1] and c[0] == 1.0 for c in costs)
        # an unseen acronym only splits off between known words ("TheRADARpathway")
        return pieces if has_acronym and (known_acronym or all_known) else [token]

    def _best(self, token: str) -> list[str] | None:
        @cache
        def best_from(i: int) -> tuple[float, tuple[str, ...]] | None:
            if i == len(token):
                return 0.0, ()
            best: tuple[float, tuple[str, ...]] | None = None
            for j in range(len(token), i, -1):
                priced = self._piece_cost(token[i:j])
                rest = best_from(j) if priced else None
                if priced is None or rest is None:
                    continue
                cost = priced[0] + rest[0]
                if best is None or cost < best[0]:
                    best = (cost, (token[i:j], *rest[1]))
            return best

        found = best_from(0)
        return list(found[1]) if found is not None else None


_MISSING_SPACES = (
    (re.compile(r"(?<=[A-Za-z]),(?=[A-Za-z])"), ", "),  # "DHSC,NHSE"; never "1,000"
    # "systems.ICPs", but not "www.gov.UK" or an e-mail address
    (re.compile(r"(?<![\w.@/])([a-z]{3,})\.(?=[A-Z][A-Za-z]+\b(?![.@/]))"), r"\1. "),
    # "2023DHSC refreshes": a year glued to an acronym; not a postcode ("B1 2RA"), nor a
    # section number ("section 223GB", "section 9FE")
    (re.compile(r"(?<=\b(?:19|20)\d\d)(?=[A-Z]{2,}[a-z ])"), " "),
    (re.compile(r"(?<=[A-Za-z])\((?=[a-z]{3})"), " ("),  # "ICBs(subject"
)


def repair_punctuation_spacing(text: str) -> str:
    """Put back the spaces a careless export dropped around punctuation."""
    for pattern, replacement in _MISSING_SPACES:
        text = pattern.sub(replacement, text)
    return text


# where a PDF reader removed a hyphen at the end of a line (pdfium's U+FFFE), between two words
_REMOVED_HYPHEN = re.compile(r"(\w+)\ufffe(\w+)")
_COMPOUND = re.compile(r"\b\w+(?:-\w+)+\b")


def restore_compound_hyphens(texts: Sequence[str]) -> list[str]:
    """A hyphen the reader removed at a line end was part of a compound, and stays, when the
    word goes on with a digit ("COVID-19") or with a capital after a word that is not an
    acronym ("mid-July", "non-Crown"; "NH-" / "SEI" is NHSEI), or when the document writes the
    word hyphenated elsewhere more often than closed up ("place-based", "joined-up");
    otherwise the word closes up ("prema-" / "ture": premature). The document is its own
    dictionary. A document that shows no sign of breaking words at line ends (none of its
    breaks closes up into a word it uses elsewhere: a browser or word processor breaks lines
    only at the text's own hyphens) keeps a hyphen followed by a word it uses on its own
    ("high-" / "quality" where "quality" stands elsewhere; "previ-" / "ous" still closes)."""
    if not any("\ufffe" in t for t in texts):
        return list(texts)
    hyphenated: Counter[str] = Counter()
    closed: Counter[str] = Counter()
    for text in texts:
        for compound in _COMPOUND.finditer(text):  # "end-to-end": "end-to" and "to-end"
            parts = compound.group(0).casefold().split("-")
            hyphenated.update(f"{a}-{b}" for a, b in itertools.pairwise(parts))
        # the words the document writes, not the halves of those broken at a line end
        closed.update(w.casefold() for w in re.findall(r"\w+", _REMOVED_HYPHEN.sub(" ", text)))
    breaks_words = any(
        closed[f"{m.group(1)}{m.group(2)}".casefold()]
        for text in texts
        for m in _REMOVED_HYPHEN.finditer(text)
    )

    def decide(match: re.Match[str]) -> str:
        first, rest = match.group(1), match.group(2)
        word = f"{first}-{rest}".casefold()
        keep = (
            rest[0].isdigit()
            or (rest[0].isupper() and first[-1].islower())  # "NH-" / "SEI" is one acronym
            or hyphenated[word] > closed[word.replace("-", "")]
            or (not breaks_words and closed[rest.casefold()] > 0)
        )
        return f"{first}-{rest}" if keep else f"{first}{rest}"

    return [_REMOVED_HYPHEN.sub(decide, t).replace("\ufffe", "") for t in texts]


def normalise_texts(texts: Sequence[str]) -> list[str]:
    """The full repair applied to every block of a document, in order."""
    texts = restore_compound_hyphens(texts)
    cleaned = [clean_whitespace(strip_footnote_markers(t)) for t in texts]
    repaired = repair_glued_acronyms(cleaned)
    return [repair_punctuation_spacing(t) for t in repaired]


# publication details printed above a title ("Published by NHS England", "Updated 3 May 2024")
_PUBLICATION_LINE = re.compile(
    r"^(?:(?:first |last )?(?:published|updated)(?:\s+(?:by|on|in)\b|\s*:|\s+\d)|applies to\b|"
    r"version\s+\d|©|\(c\)\s|crown copyright|"
    r"(?:classification|(?:(?:publication|gateway|our|your) )?ref(?:erence)?(?: number| no\.?)?|"
    r"date)\s*:|"
    r"OFFICIAL(?:[-‐‑ ]SENSITIVE)?$)",
    re.IGNORECASE,
)


_SALUTATION = re.compile(
    r"^(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}\s+(?=Dear\b[^.;:,]{1,40},$))?"
    r"(?:Dear|To whom it may concern)\b",
    re.IGNORECASE,
)  # after the letter's date where a PDF set them on one line
LETTERHEAD_BLOCKS = 15  # a letter's salutation comes within its first blocks


def title_of(blocks: Sequence[Block]) -> str:
    """The title a document gives itself in its text: a letter's subject line (the heading right
    after "Dear ...", else right before it; not the letterhead at its top), else the first body
    line that could be one."""
    for index, block in enumerate(blocks[:LETTERHEAD_BLOCKS]):
        if _SALUTATION.match(block.text.strip()):
            following = [b for b in blocks[index + 1 : index + 3] if could_be_title(b)]
            # else the subject set as a heading just above it, below the letterhead
            preceding = [b for b in blocks[max(index - 2, 1) : index][::-1] if could_be_title(b)]
            subject = next((b for b in following + preceding if b.kind == BlockKind.HEADING), None)
            if subject is not None:
                return subject.text
            break
    candidates = [b for b in blocks if could_be_title(b)]
    # a letter's "To:" and "cc:" lines over its title: the heading under them names it
    for index, block in enumerate(candidates[:LETTERHEAD_LINES]):
        if _ADDRESSED_LINE.match(block.text):
            under = [b for b in candidates[index + 1 : index + 3] if b.kind == BlockKind.HEADING]
            if under:
                return under[0].text
    return candidates[0].text if candidates else ""


LETTERHEAD_LINES = 4
_ADDRESSED_LINE = re.compile(r"\s*(?:to|cc|copy to|sent to)\s*:", re.IGNORECASE)
# the one-word headings a document's parts have, not its own name
_PART_NAMES = frozenset(
    "introduction contents summary background overview foreword preface purpose scope context "
    "glossary definitions annex appendix references contact contacts index".split()
)


def could_be_title(block: Block) -> bool:
    """A title is a body line of two words or more that is not a publication detail, or a
    top-level heading of one word that names no part of a document ("# Notifications")."""
    words = block.text.split()
    one_word_title = (
        block.kind == BlockKind.HEADING
        and block.level <= 1
        and len(words) == 1
        and words[0].strip(":.").lower() not in _PART_NAMES
    )
    return (
        block.kind not in (BlockKind.FURNITURE, BlockKind.FOOTNOTE)
        and (len(words) >= 2 or one_word_title)
        and not _PUBLICATION_LINE.match(block.text.strip())
    )


def moved_breaks(
    old: str, new: str, breaks: Sequence[tuple[int, int]]
) -> tuple[tuple[int, int], ...]:
    """The page breaks of a block's text (offset, page) carried into its repaired text: where
    the words that began the page are found again, searched for from the break's place scaled to
    the new length (repair only trims spaces and footnote marks, and mends a few acronyms)."""
    moved = []
    for at, page in breaks:
        guess = round(at * len(new) / max(len(old), 1))
        words = old[at:].split()[:3]
        found = -1
        if words:
            snippet = " ".join(words)
            candidates = [m.start() for m in re.finditer(re.escape(snippet), new)]
            found = min(candidates, key=lambda c: abs(c - guess), default=-1)
        moved.append((found if found >= 0 else min(guess, len(new)), page))
    return tuple(moved)


def normalise(document: Document) -> Document:
    """The document with its text repaired and its provenance computed over the repaired text
    (each block keeps its `orig`); a block the repair leaves empty is dropped; the title, when
    the reader gave none, is the one the text gives (`title_of`)."""
    texts = normalise_texts([b.text for b in document.blocks])
    blocks, text = lay_out(
        [
            dataclasses.replace(
                b,
                text=t,
                orig=b.orig or b.text,
                page_breaks=moved_breaks(b.text, t, b.page_breaks),
            )
            for b, t in zip(document.blocks, texts, strict=True)
            if t
        ]
    )
    if not text.strip():
        raise EmptyDocument("empty: no text after extraction", document.source)
    title = document.title or title_of(blocks) or Path(document.source).stem
    return dataclasses.replace(document, title=title[:300], text=text, blocks=blocks)
