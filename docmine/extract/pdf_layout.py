"""Lines of a whole PDF -> blocks: furniture, footnotes, headings, list items, paragraphs.

Decisions are made from the document's own evidence: running headers and footers are lines that
repeat (digits aside) at the same height in the page margins; the body size is the size most
text is set in; headings are larger; footnotes are the small numbered lines at a page's foot."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from docmine.extract.builder import RawBlock
from docmine.extract.furniture import SHAPED_MAX_WORDS, ends_sentence, folded, looks_like_furniture
from docmine.extract.pdf_lines import Line
from docmine.extract.text import (
    LETTERED,
    LETTERED_NUMBER,
    NOT_A_COUNT,
    OPEN_END,
    reads_as_heading,
    wraps_onto_count,
)
from docmine.model import BlockKind

MARGIN_BAND = 0.07  # share of the page height at top and bottom where furniture lives
REPEAT_SHARE = 0.4  # a margin line on this share of pages (and on two or more) is furniture
# a line of several words set at the same height on this share of pages (and on three or more)
# is a running header or footer wherever it sits: body text does not repeat word for word there
DEEP_REPEAT_SHARE = 0.5
DEEP_REPEAT_WORDS = 3
HEADING_RATIO = 1.12
FOOTNOTE_RATIO = 0.9
MAX_HEADING_WORDS = 30
LINE_GAP = 0.45  # the most space between two lines of one paragraph (in sizes) in close-set text
# a paragraph break adds at least this (in sizes) to a loosely set document's own line gap
PARAGRAPH_SPACE = 0.2
MIN_WRAPS = 5  # wrapped sentences needed to measure a document's own line gap
_DIGITS = re.compile(r"\d+")
_BULLET = re.compile(r"^([•●▪◦‣■□➢►\u2013-])\s*(?=\S)")
# a subsection's number, as Acts print them: "(2) A local authority may not ..."
_SUBSECTION = r"\(\d{1,3}[A-Z]{0,2}\)(?=\s+[A-Z])"  # not "(3) of the Act" wrapped
_OPENS_SUBSECTION = re.compile(rf"^{_SUBSECTION}")
_NUMBER = re.compile(
    # a regulation's number with its first paragraph, as statutory instruments print them:
    # "5.—(1) A responsible body must ...", as the text reader reads them
    rf"^(\d{{1,3}}[A-Z]{{0,2}}\.[—–]\s?(?:\(\d{{1,3}}[A-Z]{{0,2}}\))?"
    rf"|\d{{1,3}}(?:\.\d{{1,3}})+\.?|\d{{1,3}}\.|\d{{1,3}}{NOT_A_COUNT}|\(?[a-z]\)"
    rf"|\(?[ivx]{{1,5}}\)|\([a-z]{{2}}\)|{LETTERED_NUMBER}|{_SUBSECTION}"
    # and "a. improve ...", "ii. confirm ...", as the text reader reads them
    r"|(?:[ivx]{1,5}|[a-z])\.(?=\s+[a-z]))\s+(?=\S)"
)
_HEADING_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\.?\s")
_FOOTNOTE_START = re.compile(r"^(\d{1,3})\s+(?=\S)")
_TERMINAL = re.compile(r"[.!?:;]$")


@dataclass
class PageLines:
    number: int
    height: float
    lines: list[Line] = field(default_factory=list)


@dataclass
class _Draft:
    """A block being assembled from lines."""

    kind: BlockKind
    lines: list[Line]
    marker: str = ""
    text: str = ""
    breaks: list[tuple[int, int]] = field(default_factory=list)  # (offset, page) a page begins
    closed: bool = False  # its last line ended a line early (`_ended_early`): a hard break
    runs_on: bool = False  # the next block follows it as a paragraph's next line would

    @property
    def last(self) -> Line:
        return self.lines[-1]


def _furniture_key(line: Line, height: float) -> tuple[str, int] | None:
    """Margin lines keyed by their digit-blind text and height, so 'Page 2 of 8' repeats."""
    in_band = line.top > height * (1 - MARGIN_BAND) or line.bottom < height * MARGIN_BAND
    if not in_band or line.is_table_row:
        return None
    return _DIGITS.sub("#", line.text.strip().lower()), round(line.bottom / 6)


_INSTRUCTS = re.compile(r"\b(?:must|should|shall|may|required|expected|need to|needs to)\b")


def _repeated_lines(pages: list[PageLines]) -> set[int]:
    """Lines of a few words (ids) set with the same text at the same height (within 2 points)
    on at least half the pages with text, and three or more: a running header or footer set
    below the margin band. Digits count: numbered body lines at the same height differ."""
    heights: dict[str, list[tuple[float, int]]] = {}
    for page in pages:
        seen: set[str] = set()
        for line in page.lines:
            text = " ".join(line.text.lower().split())
            if line.is_table_row or len(text.split()) < DEEP_REPEAT_WORDS or text in seen:
                continue
            if _INSTRUCTS.search(text):  # a form's instruction repeated on each page is text
                continue
            seen.add(text)
            heights.setdefault(text, []).append((line.bottom, id(line)))
    threshold = max(3, DEEP_REPEAT_SHARE * sum(1 for p in pages if p.lines))
    out: set[int] = set()
    for placed in heights.values():
        if len(placed) < threshold:
            continue
        for bottom, _ in placed:
            same = [i for b, i in placed if abs(b - bottom) <= 2]
            if len(same) >= threshold:
                out.update(same)
    return out


def _title_lines(pages: list[PageLines]) -> set[str]:
    """The largest type on the first page with text, when it is larger than the document's body
    type: the title a running header repeats."""
    first = next((p for p in pages if p.lines), None)
    if first is None:
        return set()
    largest = max(line.size for line in first.lines)
    if largest <= body_size(pages) + 0.5:
        return set()
    return {folded(line.text) for line in first.lines if line.size >= largest - 0.5}


def remove_furniture(pages: list[PageLines]) -> None:
    """Drop running headers, footers and page numbers: margin lines that repeat across pages,
    or that look like furniture (see `looks_like_furniture`), and the short margin lines beside
    them on the same baseline ('publisher ... Page 2 of 3' read as two lines, as OCR does)."""
    counts: Counter[tuple[str, int]] = Counter()
    for page in pages:
        counts.update({k for ln in page.lines if (k := _furniture_key(ln, page.height))})
    with_text = sum(1 for p in pages if p.lines)
    threshold = max(2, REPEAT_SHARE * with_text)
    repeated = _repeated_lines(pages)
    titles = _title_lines(pages)
    size = body_size(pages)
    for index, page in enumerate(pages):
        furniture = [
            line
            for line in page.lines
            if id(line) in repeated
            or (
                (key := _furniture_key(line, page.height)) is not None
                and (
                    counts[key] >= threshold
                    or looks_like_furniture(line.text, titles if index else set())
                    or _running_header(line, page, size)
                    or (line.size < size and _CONTACT.search(line.text) is not None)
                )
            )
        ]
        beside = [
            line
            for line in page.lines
            if _furniture_key(line, page.height) is not None
            and _short_line(line.text)
            and any(abs(line.bottom - f.bottom) < 2 for f in furniture)
        ]
        dropped = {id(line) for line in furniture + beside}
        kept = [line for line in page.lines if id(line) not in dropped]
        if kept or not page.lines:
            page.lines = kept


# What a publisher's footer or letterhead gives and body text rarely does, set in a page margin
# in small type: a postcode, a telephone number, an email or web address
_CONTACT = re.compile(
    r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b|\b(?:tel(?:ephone)?|phone|t)\b\.?:?\s*\+?\d[\d ()]{8,}"
    r"|[\w.+-]+@[\w-]+\.[\w.]+|\bwww\.[\w-]+\.\w|https?://",
    re.IGNORECASE,
)


_ADDRESSEE = re.compile(r"\s*(?:to|cc|copy to|sent to|from)\s*:", re.IGNORECASE)


def _running_header(line: Line, page: PageLines, size: float) -> bool:
    """The top line of a page after the first, set smaller than the body and standing apart from
    the text under it: a running header (a shortened title, a section name) on a document too
    short for it to repeat. Headings are larger than the body, and a page's small type at the
    foot is its footnotes, so neither is taken."""
    if line.top <= page.height * (1 - MARGIN_BAND) or line.size >= size * FOOTNOTE_RATIO:
        return False
    if not _short_line(line.text) or any(other.top > line.top for other in page.lines):
        return False
    if _ADDRESSEE.match(line.text):  # a letter's "To: ICB chief executives", set small
        return False
    below = [other for other in page.lines if other.top < line.bottom]
    return not below or line.bottom - max(other.top for other in below) > size


def _short_line(text: str) -> bool:
    """Not a sentence: a running title or publisher line (titles run longer than furniture)."""
    text = text.strip().removesuffix("...").removesuffix("…")  # a shortened running title
    return len(text.split()) <= 2 * SHAPED_MAX_WORDS and not ends_sentence(text)


def body_size(pages: list[PageLines]) -> float:
    """The font size most characters are set in, outside the page margins (a one-page
    briefing's address footer can outweigh its few lines of text), or over the whole page
    where nothing stands outside them."""
    sizes: Counter[float] = Counter()
    margins: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            if not line.is_table_row:
                into = margins if _furniture_key(line, page.height) else sizes
                into[round(line.size * 2) / 2] += len(line.text)
    sizes = sizes or margins
    return sizes.most_common(1)[0][0] if sizes else 10.0


def split_footnotes(lines: list[Line], size: float) -> tuple[list[Line], list[Line]]:
    """(body, footnotes): footnotes are the small lines at the foot, from the first numbered one."""
    start = len(lines)
    while start > 0 and _is_small(lines[start - 1], size):
        start -= 1
    tail = lines[start:]
    first = next((i for i, ln in enumerate(tail) if _FOOTNOTE_START.match(ln.text)), None)
    if first is None:
        return _footnotes_by_place(lines, size)
    return lines[: start + first], tail[first:]


def _footnotes_by_place(lines: list[Line], size: float) -> tuple[list[Line], list[Line]]:
    """Footnotes a producer wrote before the text in the page's content stream: the small lines
    set below every line of the body, from the highest numbered one (read top down). Without
    them the first note was read as the document's first paragraph, and its title."""
    body = [line for line in lines if not _is_small(line, size)]
    if not body:
        return lines, []
    floor = min(line.bottom for line in body)
    foot = sorted(
        (ln for ln in lines if _is_small(ln, size) and ln.top <= floor), key=lambda ln: -ln.top
    )
    first = next((i for i, ln in enumerate(foot) if _FOOTNOTE_START.match(ln.text)), None)
    if first is None:
        return lines, []
    notes = foot[first:]
    taken = {id(line) for line in notes}
    return [line for line in lines if id(line) not in taken], notes


def _is_small(line: Line, size: float) -> bool:
    return not line.is_table_row and line.size < size * FOOTNOTE_RATIO


def footnote_blocks(lines: list[Line]) -> list[RawBlock]:
    """One FOOTNOTE block per numbered note; its number is the marker, not part of the text."""
    blocks: list[RawBlock] = []
    for index, line in enumerate(lines):
        match = _FOOTNOTE_START.match(line.text)
        if match or not blocks:
            marker = match.group(1) if match else ""
            text = line.text[match.end() :] if match else line.text
            blocks.append(
                RawBlock(
                    BlockKind.FOOTNOTE,
                    text,
                    marker=marker,
                    page=line.page,
                    confidence=_confidence([line]),
                )
            )
        else:
            blocks[-1].text = join_lines(blocks[-1].text, lines[index - 1], line.text)
    return blocks


def _starts_block(line: Line, size: float) -> tuple[BlockKind, str, str] | None:
    """(kind, marker, text) when the line opens a heading, list item or numbered paragraph."""
    if line.is_table_row:
        if (
            line.spans
            and len(line.text.split()) <= MAX_HEADING_WORDS
            and not ends_sentence(line.text)
        ):
            # a row set across the table naming the rows below ("SC5 Patient Safety")
            return BlockKind.HEADING, "", line.text
        return BlockKind.TABLE_ROW, "", line.text
    if line.size >= size * HEADING_RATIO and len(line.text.split()) <= MAX_HEADING_WORDS:
        return BlockKind.HEADING, "", line.text
    if match := _BULLET.match(line.text):
        return BlockKind.LIST_ITEM, match.group(1), line.text[match.end() :]
    if match := _NUMBER.match(line.text):
        marker = match.group(1).strip()
        # (a), (iv): the items of a list, as the text reader reads them; 1, 2.3: paragraphs
        kind = BlockKind.LIST_ITEM if LETTERED.match(marker) else BlockKind.PARAGRAPH
        return kind, marker, line.text[match.end() :]
    return None


def line_gap(lines: list[Line]) -> float:
    """The most space between two lines of one paragraph, as a share of their size: LINE_GAP,
    or more where the document sets its lines further apart (a line height of 1.7 leaves half
    the size between them) and a paragraph break only adds to that. The document's own gap is
    its median where a sentence wraps: a line without sentence punctuation at its end followed,
    on the same page and in the same size, by one that starts in lower case."""
    gaps = sorted(
        (above.bottom - below.top) / below.size
        for above, below in itertools.pairwise(lines)
        if above.page == below.page
        and not (above.is_table_row or below.is_table_row)
        and below.size > 0
        and abs(above.size - below.size) < 0.5
        and not _TERMINAL.search(above.text.rstrip())
        and below.text[:1].islower()
        and -0.3 * below.size <= above.bottom - below.top <= 2 * below.size
    )
    if len(gaps) < MIN_WRAPS:
        return LINE_GAP
    return max(LINE_GAP, gaps[len(gaps) // 2] + PARAGRAPH_SPACE)


def _close_below(previous: Line, line: Line, gap: float) -> bool:
    """Is the line just below the one before, no further than lines of a paragraph are set?"""
    return -0.3 * line.size <= previous.bottom - line.top <= gap * line.size


def _continues(draft: _Draft, line: Line, opened: BlockKind | None, gap: float) -> bool:
    """Is the line the next line of the same block: just below (`gap`: see `line_gap`), same
    size, not far left?

    A heading's second line looks like a heading itself; it continues unless it is numbered."""
    previous = draft.last
    if not _close_below(previous, line, gap):
        return False
    if draft.kind == BlockKind.HEADING:
        same_size = abs(previous.size - line.size) < 0.6
        return opened == BlockKind.HEADING and same_size and not _NUMBER.match(line.text)
    if opened is not None or draft.kind == BlockKind.TABLE_ROW:
        return False
    return abs(previous.size - line.size) < 1.1 and line.x0 >= draft.lines[0].x0 - 3


def _new_draft(line: Line, size: float) -> _Draft:
    opened = _starts_block(line, size)
    if opened is None:
        return _Draft(BlockKind.PARAGRAPH, [line], text=line.text)
    kind, marker, text = opened
    return _Draft(kind, [line], marker, text)


def column_starts(lines: list[Line]) -> dict[int, list[float]]:
    """Each page's left edges of columns that stand beside other text: where lines begin with
    another line beside them, to their left, at the same height, more often than a line of the
    page runs across (a masthead over two columns does; a paragraph over a form's values, a
    table's cells or a chart's labels does on most lines)."""
    starts: dict[int, list[float]] = {}
    for page, on_page in itertools.groupby(lines, key=lambda line: line.page):
        ordered = sorted((ln for ln in on_page if not ln.is_table_row), key=lambda ln: -ln.top)
        beside: Counter[float] = Counter()
        for index, line in enumerate(ordered):
            for other in ordered[index + 1 :]:
                if other.top <= line.bottom:  # below it, and so is every line after
                    break
                if line.x1 < other.x0 or other.x1 < line.x0:
                    beside[round(max(line.x0, other.x0))] += 1
        for x0, count in beside.items():
            across = sum(ln.x0 < x0 - ln.size and ln.x1 > x0 + ln.size for ln in ordered)
            if count >= 2 and count > across:
                starts.setdefault(page, []).append(x0)
    return starts


def _ended_early(
    previous: Line, line: Line, edges: list[tuple[float, float]], starts: list[float]
) -> bool:
    """Whether the line before ended where the line's first word would still have fitted: a
    hard break (an item of a list drawn without bullets, a paragraph set without a gap), not a
    wrap, unless it stops on a word that goes on (a date or a name kept whole may not have fitted
    where its first word would). The column's right edge is the furthest any body line of the
    page reached so far from no further right than the line before starts (`edges`: (x0, x1)
    of those lines), short of the next column's start (`starts`): a line across both columns (a
    masthead over them) says nothing of where the first ends."""
    bound = min((x for x in starts if x > previous.x0 + previous.size), default=math.inf)
    edge = max(
        (x1 for x0, x1 in edges if x0 <= previous.x0 + 3 and previous.x0 < x1 <= bound),
        default=0,
    )
    words = line.text.split()
    if not edge or not words or previous.hyphenated or previous.rotated:
        return False
    if OPEN_END.search(previous.text.rstrip()):  # "... to NHS England by" / "31 March": goes on
        return False
    char = (previous.x1 - previous.x0) / max(len(previous.text), 1)
    return previous.x1 + char * (len(words[0]) + 2) < edge


def _drafts(lines: list[Line], size: float, gap: float) -> list[_Draft]:
    drafts: list[_Draft] = []
    edges: dict[int, list[tuple[float, float]]] = {}  # body lines' extent on each page so far
    starts = column_starts(lines)
    for line in lines:
        draft = drafts[-1] if drafts else None
        opened = _starts_block(line, size)
        if (
            draft is not None
            and opened is not None
            and opened[0] == BlockKind.PARAGRAPH
            and draft.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)
            and wraps_onto_count(f"{draft.marker} {draft.text}", line.text)
        ):
            opened = None  # "... resulted in the" / "2 systems coming together": a count
        if (
            opened is not None
            and draft is not None
            and _OPENS_SUBSECTION.match(line.text)
            and not _TERMINAL.search(draft.last.text.rstrip())
            and not draft.last.text.rstrip().endswith(("—", "–"))
        ):
            opened = None  # "... under section 12" / "(2) of the Act": a reference wrapped
        if draft is not None and _bold_heading_ends(draft, line):
            draft.kind = BlockKind.HEADING
            drafts.append(_new_draft(line, size))
            continue
        early = (
            draft is not None
            and draft.kind != BlockKind.HEADING
            and line.page == draft.last.page
            and _ended_early(draft.last, line, edges.get(line.page, []), starts.get(line.page, []))
        )
        if early and draft is not None:
            draft.closed = True
        if not line.is_table_row and abs(line.size - size) < 1.1:
            edges.setdefault(line.page, []).append((line.x0, line.x1))
        if (
            draft is not None
            and not early
            and (
                _continues(draft, line, opened[0] if opened else None, gap)
                or _resumes(draft, line, size)
            )
        ):
            draft.text = join_lines(draft.text, draft.last, line.text)
            on = draft.breaks[-1][1] if draft.breaks else draft.lines[0].page
            if line.page != on:  # the paragraph goes on over the page
                draft.breaks.append((len(draft.text) - len(line.text.lstrip()), line.page))
            draft.lines.append(line)
        else:
            drafts.append(_new_draft(line, size))
    return drafts


def _bold_heading_ends(draft: _Draft, line: Line) -> bool:
    """A heading set in bold at the body's size ("Actions for ICBs") ends where the regular
    text under it begins: the block so far is bold and reads as a heading (`reads_as_heading`:
    short, no sentence punctuation, a capital first, no instruction left unstopped, not cut
    off on a word that goes on), the line is not bold."""
    return (
        draft.kind == BlockKind.PARAGRAPH
        and not draft.marker
        and not line.bold
        and all(previous.bold for previous in draft.lines)
        and reads_as_heading(draft.text)
    )


def _resumes(draft: _Draft, line: Line, size: float) -> bool:
    """A sentence cut by a column or page break goes on at the top of the next column or page."""
    jumped = line.page != draft.last.page or line.top > draft.last.top + line.size
    return (
        jumped
        and draft.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)
        and _starts_block(line, size) is None
        and not _TERMINAL.search(draft.text.rstrip())
        and abs(line.size - draft.last.size) < 1.1
        # a line all in bold after regular type that reads as a heading opens one ("Director
        # General, Public Health" / page 2: "Annex A: grant conditions"), unless the line before
        # stops on a word that goes on ("... must be repaid to the" / "Department of ...")
        and not (
            line.bold
            and not draft.last.bold
            and reads_as_heading(line.text)
            and not OPEN_END.search(draft.text.rstrip())
        )
    )


def join_lines(text: str, previous: Line, following: str) -> str:
    """A space between wrapped lines; after a line-end hyphen pdfium removed, its mark (U+FFFE),
    which normalisation turns into a hyphen or closes up (`restore_compound_hyphens`)."""
    glue = "\ufffe" if previous.hyphenated else " "
    return f"{text.rstrip()}{glue}{following.lstrip()}"


def _heading_levels(drafts: list[_Draft]) -> dict[float, int]:
    """Unnumbered headings take their level from size: the largest size is level 1."""
    sizes = sorted({round(d.lines[0].size, 1) for d in drafts if d.kind == BlockKind.HEADING})
    return {s: i + 1 for i, s in enumerate(reversed(sizes))}


def _confidence(lines: list[Line]) -> float | None:
    """The mean OCR confidence of the lines (None for a text layer)."""
    known = [line.confidence for line in lines if line.confidence is not None]
    return round(sum(known) / len(known), 3) if known else None


def _to_block(draft: _Draft, levels: dict[float, int], previous: _Draft | None = None) -> RawBlock:
    return replace(
        _layout_block(draft, levels, previous),
        confidence=_confidence(draft.lines),
        hyphenated=draft.last.hyphenated,
        closed=draft.closed,
    )


_MONTH = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}\b", re.IGNORECASE
)
_LEADERS = re.compile(r"(?:\.{3,}|…{2,}|…\s*\d+)\s*\d*$")


def _numbered_heading(draft: _Draft, previous: _Draft | None) -> bool:
    """A numbered line standing alone, in the body's size, that reads as a heading: not a date
    ("31 March 2024"), not a contents line ("1 Overview ....... 3"), and not the next line of
    a sentence the block before left unfinished, nor one the next block runs on from, set
    as the next line of a paragraph would be (`runs_on`): a heading is set apart by its space
    or its type."""
    if not draft.marker or len(draft.lines) != 1 or not reads_as_heading(draft.text):
        return False
    if draft.runs_on:  # "3.5 We will publish ... in spring" / "2027."
        return False
    if _MONTH.match(draft.text) or _LEADERS.search(draft.text):
        return False
    # after a heading, a sentence's end or a table's last row (a row is no sentence to go on)
    return (
        previous is None
        or previous.kind in (BlockKind.HEADING, BlockKind.TABLE_ROW)
        or ends_sentence(previous.text)
    )


def _layout_block(
    draft: _Draft, levels: dict[float, int], previous: _Draft | None = None
) -> RawBlock:
    page = draft.lines[0].page
    if draft.kind == BlockKind.HEADING:
        number = _HEADING_NUMBER.match(draft.text)
        level = number.group(1).count(".") + 1 if number else levels[round(draft.lines[0].size, 1)]
        return RawBlock(BlockKind.HEADING, draft.text, level=level, page=page)
    breaks = tuple(draft.breaks)
    if draft.kind == BlockKind.LIST_ITEM:
        return RawBlock(BlockKind.LIST_ITEM, draft.text, 1, draft.marker, page, page_breaks=breaks)
    level = draft.marker.rstrip(".").count(".") + 1 if draft.marker else 0
    if _numbered_heading(draft, previous):
        # "1 Corporate parenting principles" set in the body's size (bold, say): a numbered
        # line standing alone without sentence punctuation heads a section, as in a text file
        return RawBlock(BlockKind.HEADING, f"{draft.marker} {draft.text}", level=level, page=page)
    return RawBlock(draft.kind, draft.text, level, draft.marker, page, page_breaks=breaks)


def assemble(pages: list[PageLines]) -> list[RawBlock]:
    """All blocks in reading order; each page's footnotes follow the text that cites them."""
    remove_furniture(pages)
    size = body_size(pages)
    body: list[Line] = []
    notes: list[RawBlock] = []
    for page in pages:
        page_body, page_notes = split_footnotes(page.lines, size)
        body.extend(page_body)
        notes.extend(footnote_blocks(page_notes))
    gap = line_gap(body)
    drafts = _centred_headings(_unmarked_items(_drafts(body, size, gap), size), size)
    _mark_runs_on(drafts, gap)
    levels = _heading_levels(drafts)
    blocks = [_to_block(d, levels, drafts[i - 1] if i else None) for i, d in enumerate(drafts)]
    return _interleave(blocks, notes)


def _mark_runs_on(drafts: list[_Draft], gap: float) -> None:
    """Mark each block the next one follows on the same page, no further below than a
    paragraph's next line (`gap`: see `line_gap`), in the same size and weight."""
    for draft, following in itertools.pairwise(drafts):
        last, first = draft.last, following.lines[0]
        draft.runs_on = (
            following.kind == BlockKind.PARAGRAPH
            and first.page == last.page
            and _close_below(last, first, gap)
            and abs(first.size - last.size) < 0.6
            and first.bold == last.bold
        )


def _centred_headings(drafts: list[_Draft], size: float) -> list[_Draft]:
    """A short block alone across the page, each line as far in from the left edge of the
    page's body text as from its right, that reads as a heading (a bracketed line too: "(This
    note is not part of the Directions)") is a heading, at any size: body text is set flush
    left or justified. A line in one of several columns has text beside it."""
    pages: dict[int, list[Line]] = {}
    for line in (line for draft in drafts for line in draft.lines):
        if not line.is_table_row:
            pages.setdefault(line.page, []).append(line)
    extents = {
        page: (min(ln.x0 for ln in body), max(ln.x1 for ln in body))
        for page, lines in pages.items()
        if (body := [ln for ln in lines if abs(ln.size - size) < 1.1])
    }

    def centred(line: Line) -> bool:
        left, right = extents.get(line.page, (line.x0, line.x1))
        return (
            line.x0 - left > 2 * line.size
            and abs((line.x0 - left) - (right - line.x1)) < line.size
            and not any(
                other is not line and other.top > line.bottom and other.bottom < line.top
                for other in pages[line.page]
            )
        )

    for draft in drafts:
        if (
            draft.kind == BlockKind.PARAGRAPH
            and not draft.marker
            and reads_as_heading(draft.text.strip().removeprefix("(").removesuffix(")"))
            and all(centred(line) for line in draft.lines)
        ):
            draft.kind = BlockKind.HEADING
    return drafts


def _unmarked_items(drafts: list[_Draft], size: float) -> list[_Draft]:
    """Paragraphs indented under a block that ends in a colon, one after another at the same
    indent, are the items of its list even when their bullets are drawn as graphics (no
    character to read): "should cover the whole population, including:" / "children and
    young people" / "unpaid carers"."""
    indent: float | None = None
    for previous, draft in itertools.pairwise(drafts):
        if draft.kind != BlockKind.PARAGRAPH or draft.marker:
            indent = None
            continue
        x0 = draft.lines[0].x0
        opens = previous.text.rstrip().endswith(":") and x0 > previous.lines[0].x0 + size
        goes_on = indent is not None and abs(x0 - indent) < 2
        if opens or goes_on:
            indent = x0
            draft.kind, draft.marker = BlockKind.LIST_ITEM, "•"
        else:
            indent = None
    return drafts


def _interleave(blocks: list[RawBlock], notes: list[RawBlock]) -> list[RawBlock]:
    """Put each page's footnotes before the first block that starts on a later page."""
    out: list[RawBlock] = []
    pending = list(notes)
    for block in blocks:
        while pending and block.page is not None and (pending[0].page or 0) < block.page:
            out.append(pending.pop(0))
        out.append(block)
    return out + pending
