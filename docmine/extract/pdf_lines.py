"""One PDF page -> text lines with boxes and font facts, and ruled tables as rows of cells.

pdfium's text stream is already in reading order (columns left then right) and marks line-end
hyphens it removed with U+FFFE, so lines come from that stream; only a few characters per line
are asked for a box or font size, which keeps a page at a few milliseconds."""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from docmine.extract.pdf_tables import Table, cell_text, find_tables

# a line ends at a line break or at a hyphen pdfium removed (U+FFFE), which it joins to
# whatever comes next in the stream: sometimes a footnote or the top of the next column
_SEGMENT = re.compile("[^\r\n\ufffe]+\ufffe?")
_SUPERSCRIPT_CANDIDATE = re.compile(r"(?<=[^\s\d])\d{1,3}(?=\s|$|[.,;:)])")
SUPERSCRIPT_RATIO = 0.88  # a footnote marker is set at ~80% of the body size, raised
RAISED = 0.15  # by at least this share of the body size (the bottoms of their loose boxes)


@dataclass
class Line:
    """A run of text on one baseline (or a hyphen-joined run of lines) in PDF points."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    page: int
    cells: tuple[str, ...] | None = None  # set for a table row
    hyphenated: bool = False  # ends in a removed hyphen: the next line joins without a space
    confidence: float | None = None  # OCR word confidence (0-1); None for a text layer
    rotated: bool = False  # set across the page's lines, not along them
    spans: bool = False  # a table row that is one cell across every column

    @property
    def is_table_row(self) -> bool:
        return self.cells is not None


class _CharFacts:
    """Per-character questions to pdfium through reused ctypes buffers."""

    def __init__(self, textpage: pdfium.PdfTextPage) -> None:
        self.raw = textpage.raw
        self.box = [ctypes.c_double() for _ in range(4)]
        self.refs = [ctypes.byref(v) for v in self.box]
        self.name = ctypes.create_string_buffer(128)
        self.flags = ctypes.c_int()

    def loose_box(self, index: int) -> tuple[float, float, float, float]:
        """(left, bottom, right, top): the loose box spans the font's full line height."""
        rect = pdfium_c.FS_RECTF()
        pdfium_c.FPDFText_GetLooseCharBox(self.raw, index, rect)
        return rect.left, rect.bottom, rect.right, rect.top

    def rotated(self, index: int) -> bool:
        """Whether the character runs more up or down the page than across it (a stamp set
        vertically in the margin)."""
        matrix = pdfium_c.FS_MATRIX()
        if not pdfium_c.FPDFText_GetMatrix(self.raw, index, matrix):
            return False
        return abs(matrix.b) > abs(matrix.a)

    def size(self, index: int) -> float:
        """The size the character is printed at: its font size scaled by its matrix (a PDF may
        set every font at size 1 and scale the text matrix, as the US Federal Register does)."""
        matrix = pdfium_c.FS_MATRIX()
        size = float(pdfium_c.FPDFText_GetFontSize(self.raw, index))
        if not pdfium_c.FPDFText_GetMatrix(self.raw, index, matrix):
            return size
        scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
        return size * scale if scale > 0 else size

    def bold(self, index: int) -> bool:
        weight = pdfium_c.FPDFText_GetFontWeight(self.raw, index)
        if weight >= 600:
            return True
        pdfium_c.FPDFText_GetFontInfo(self.raw, index, self.name, 128, ctypes.byref(self.flags))
        return b"bold" in self.name.value.lower()


def _first_word_char(text: str, start: int, end: int) -> int:
    """Index of the first letter or digit, so a bullet glyph's size does not stand for the line."""
    for index in range(start, min(end, start + 6)):
        if text[index].isalnum():
            return index
    return start


def _drop_superscripts(
    text: str, start: int, end: int, facts: _CharFacts, size: float, probe: int
) -> str:
    """Footnote markers are small raised digits glued to a word: remove them from the line. A
    small digit on or below the line is kept ("CO2", "HCO3", a chart's "0.7")."""
    segment = text[start:end]
    kept: list[str] = []
    last = 0
    for match in _SUPERSCRIPT_CANDIDATE.finditer(segment):
        index = start + match.start()
        small = facts.size(index) < size * SUPERSCRIPT_RATIO
        if small and facts.loose_box(index)[1] > facts.loose_box(probe)[1] + RAISED * size:
            kept.append(segment[last : match.start()])
            last = match.end()
    kept.append(segment[last:])
    return "".join(kept)


_NOTE_NUMBER = re.compile(r"\d{1,3}(?=[^\W\d_])")


def _raised_mark(facts: _CharFacts, mark: int, word: int) -> bool:
    """The characters before `word` are set smaller than it and above its baseline."""
    size = facts.size(word)
    return (
        facts.size(mark) < size * SUPERSCRIPT_RATIO
        and facts.loose_box(mark)[1] > facts.loose_box(word)[1] + RAISED * size
    )


def _make_line(text: str, start: int, end: int, facts: _CharFacts, page: int) -> Line | None:
    """The line for text[start:end], or None if it is only spaces."""
    hyphenated = text[end - 1] == "\ufffe"
    end -= hyphenated
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    probe = _first_word_char(text, start, end)
    note = _NOTE_NUMBER.match(text, start, end)
    if note is not None and _raised_mark(facts, start, note.end()):
        probe = note.end()  # "¹Better Care Fund ...": a note's raised number, then its text
    size = facts.size(probe)
    left, _, _, top = facts.loose_box(start)
    _, bottom, right, _ = facts.loose_box(end - 1)
    if probe != _first_word_char(text, start, end):
        rest = _drop_superscripts(text, probe, end, facts, size, probe)
        body = f"{text[start:probe]} {rest}"
    else:
        body = _drop_superscripts(text, start, end, facts, size, probe)
    line_bottom = facts.loose_box(probe)[1]
    if body != text[start:end] and bottom > line_bottom + RAISED * size:
        bottom = line_bottom  # it ends on a footnote mark: the line's bottom is its words'
    # set in bold: its first and last words (a bold run-in label, "AGENCY: ...", is not)
    last = next((i for i in range(end - 1, start - 1, -1) if text[i].isalnum()), end - 1)
    bold = facts.bold(probe) and facts.bold(last)
    line = Line(body, left, right, top, bottom, size, bold, page, hyphenated=hyphenated)
    line.rotated = facts.rotated(probe)
    return line


def _same_baseline(previous: Line, line: Line) -> bool:
    """A superscript or font change can split one printed line into two stream segments."""
    return (
        abs(previous.bottom - line.bottom) < 1.5
        and -1.0 <= line.x0 - previous.x1 < 2.5 * line.size
        and abs(previous.size - line.size) < 1.0
    )


def _opens_a_note(previous: Line, line: Line) -> bool:
    """A footnote's raised number set apart from its text ("¹ Better Care Fund policy ..."):
    a lone small number or mark just left of the line, above its baseline."""
    return (
        _NOTE_MARK.match(previous.text) is not None
        and previous.size < line.size
        and 0.0 < previous.bottom - line.bottom < line.size
        and -1.0 <= line.x0 - previous.x1 < line.size
    )


_NOTE_MARK = re.compile(r"^(?:\d{1,3}|[*†‡§])$")


def _merge_split_lines(lines: list[Line]) -> list[Line]:
    merged: list[Line] = []
    for line in lines:
        previous = merged[-1] if merged else None
        if previous is not None and not previous.is_table_row and _opens_a_note(previous, line):
            line.text = f"{previous.text} {line.text.lstrip()}"
            line.x0 = previous.x0
            merged[-1] = line
        elif previous is not None and not previous.is_table_row and _same_baseline(previous, line):
            previous.text = f"{previous.text.rstrip()} {line.text.lstrip()}"
            previous.x1 = line.x1
            previous.hyphenated = line.hyphenated
        else:
            merged.append(line)
    return merged


def _table_rows(textpage: pdfium.PdfTextPage, table: Table, page: int) -> list[Line]:
    rows: list[Line] = []
    for row in table.rows:
        cells = tuple(c for c in (cell_text(textpage, box) for box in row) if c)
        if cells:
            left, bottom, right, top = row[0][0], row[0][1], row[-1][2], row[0][3]
            line = Line("\t".join(cells), left, right, top, bottom, 0.0, False, page, cells)
            line.spans = len(row) == 1 and len(table.rows[0]) > 1
            rows.append(line)
    return rows


def _inside(table: Table, line: Line) -> bool:
    left, bottom, right, top = table.bbox
    middle = (line.top + line.bottom) / 2
    return left - 1 <= line.x0 <= right and bottom <= middle <= top


def invisible_text(textpage: pdfium.PdfTextPage) -> bool:
    """Is the page's text drawn invisibly (render mode 3), as an OCR layer laid over a scan is?
    Judged from the first, middle and last characters."""
    count = textpage.count_chars()
    if count == 0:
        return False
    for index in {0, count // 2, count - 1}:
        obj = pdfium_c.FPDFText_GetTextObject(textpage.raw, index)
        if not obj or pdfium_c.FPDFTextObj_GetTextRenderMode(obj) != (
            pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
        ):
            return False
    return True


def page_lines(
    page: pdfium.PdfPage, page_number: int, textpage: pdfium.PdfTextPage | None = None
) -> list[Line]:
    """The page's lines in reading order; a table's rows stand where its first line stood."""
    textpage = textpage or page.get_textpage()
    text = textpage.get_text_range()
    facts = _CharFacts(textpage)
    tables = find_tables(page)
    placed: set[int] = set()
    lines: list[Line] = []
    for match in _SEGMENT.finditer(text):
        line = _make_line(text, match.start(), match.end(), facts, page_number)
        if line is None:
            continue
        table = next((i for i, t in enumerate(tables) if _inside(t, line)), None)
        if table is None:
            lines.append(line)
        elif table not in placed:
            placed.add(table)
            lines.extend(_table_rows(textpage, tables[table], page_number))
    return _attach_labels(_merge_split_lines(_without_margin_stamps(lines)))


# a label set in a column of its own beside its value: a letter's "To:", "cc:", "From:", "Date:"
_LABEL = re.compile(
    r"^(?:to|cc|bcc|from|date|sent|sent to|copy to|copied to|subject|re|ref|our ref|your ref|"
    r"reference|attention|attn|for the attention of|address|tel|email)\s*:$",
    re.IGNORECASE,
)  # not a sentence's last words ("Each system should define:") beside the next column
LABEL_REACH = 200.0  # points: how far right of its label a value may start on the same baseline


def _attach_labels(lines: list[Line]) -> list[Line]:
    """A short label alone on its line ("To:") whose value stands to its right on the same
    baseline, read later from its own column ("ICB chief executives"), opens that line: the
    label no longer stands apart from what it labels, nor joins the lines of the other label."""
    out = list(lines)
    for label in lines:
        if not _LABEL.match(label.text.strip()) or label.is_table_row:
            continue
        values = [
            other
            for other in out
            if other is not label
            and abs(other.bottom - label.bottom) < 1.5
            and 0 < other.x0 - label.x1 < LABEL_REACH
        ]
        if values:
            value = min(values, key=lambda v: v.x0)
            value.text = f"{label.text.strip()} {value.text}"
            value.x0 = label.x0
            out.remove(label)
    return out


def _without_margin_stamps(lines: list[Line]) -> list[Line]:
    """A line set across the page beside the text, in its left or right margin, is a stamp
    ("Printed by ... on DSK ... PROD"), not text; a turned heading over a table's column sits
    among the text and stays, and so does everything on a page whose text is mostly turned."""
    turned = sum(line.rotated for line in lines)
    if not turned or turned * 2 > len(lines):
        return lines
    left = min(line.x0 for line in lines if not line.rotated)
    right = max(line.x1 for line in lines if not line.rotated)

    def in_margin(line: Line) -> bool:
        return max(line.x0, line.x1) <= left + 1 or min(line.x0, line.x1) >= right - 1

    return [line for line in lines if not (line.rotated and in_margin(line))]
