"""Plain text and Markdown: headings, bullets, numbered paragraphs ("5.1."), tables, footnotes."""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from contextlib import suppress
from pathlib import Path

from docmine.errors import EmptyDocument, UnsupportedFormat
from docmine.extract.builder import RawBlock
from docmine.extract.furniture import is_metadata_label, origin_url
from docmine.model import BlockKind

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_BULLET = re.compile(r"^\s*(?:[•\u25cf\u25aa\u2023\u2043◦▪*+]|-(?=\s))\s+(.*)$")
# "5.1", "a)", "(a)", "(iv)", and a subsection "(2)" / "(2A)"; legislation prints a bracketed
# enumerator against its text ("(a)physical and mental health")
# a bare number before a month and a year is a date a line wrapped onto ("... by" / "31 March
# 2024") or a letter's date, not a paragraph's number; so is one before a month's full name
# ("17 September: Practice managers' forum", a diary's dates)
NOT_A_COUNT = (
    r"(?!\s+(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\s+\d{4}\b)"
    r"(?!\s+(?:January|February|March|April|June|July|August|September|October|November|"
    r"December)\b)"
)
# a number under letters: a contract's "SC3.1", "GC8.3"; an annex's "B.10", "A.3.2"
LETTERED_NUMBER = r"[A-Z]{1,3}(?:\d{1,3}(?:\.\d{1,3})+|\.\d{1,3}(?:\.\d{1,3})*)\.?"
_NUMBER = re.compile(
    # a regulation's number with its first paragraph, as statutory instruments print them:
    # "2.—(1) These Regulations ...", "5.—" (REGULATION_MARK)
    rf"^\s*(\d{{1,3}}[A-Z]{{0,2}}\.[—–]\s?(?:\(\d{{1,3}}[A-Z]{{0,2}}\))?"
    rf"|\d{{1,3}}(?:\.\d{{1,3}})+\.?|\d{{1,3}}\.|\d{{1,3}}{NOT_A_COUNT}|\(?[a-z]\)|\(?[ivx]{{1,5}}\)"
    # a contract's lettered clause number ("SC3.1", "GC5.2"), a dot after its first number
    rf"|{LETTERED_NUMBER}"
    # an item lettered with a full stop before lower-case words ("a. improve patient experience")
    r"|(?:[ivx]{1,5}|[a-z])\.(?=\s+[a-z])"
    r"|\([a-z]{2}\)|\(\d{1,3}[A-Z]{0,2}\))"
    r"(?:\s+|(?<=\))(?=[A-Za-z‘“\"']))(.*)$"
)
# a statutory instrument's regulation number before its paragraph: "2.—(1)" -> "2", "(1)"
REGULATION_MARK = re.compile(r"^(\d{1,3}[A-Z]{0,2})\.[—–]\s?(\(\d{1,3}[A-Z]{0,2}\))?$")
_BARE_COUNT = re.compile(r"^\s*\d{1,3}\s+[a-z]")
_SENTENCE_END = re.compile(r"[.:;!?—–]\W*$")


def wraps_onto_count(before: str, line: str) -> bool:
    """A line opening with a bare number and a lower-case word continues a sentence the line
    before left open ("... has resulted in the" / "2 systems coming together"): it is a count,
    not a paragraph's number. Not after a line numbered the same way ("1 publish a plan" /
    "2 the board may ..."), which makes them a list."""
    return (
        bool(_BARE_COUNT.match(line))
        and not _SENTENCE_END.search(before.rstrip())
        and not re.match(r"\s*\d{1,3}\s", before)
    )


# "12A Duties of the board" over "(1) An integrated care board must—", as an Act prints them
_SECTION_NUMBER = re.compile(r"^\s*\d{1,3}(?:[A-Z]{1,3}\d{0,3})?\s+(?P<title>[A-Z].*)$")
_FIRST_SUBSECTION = re.compile(r"^\s*\(1\)\s")
# a section an amending Act inserted, numbered with letters ("14Z99", "116ZB", "2B")
_INSERTED_SECTION = re.compile(r"^(\d{1,3}[A-Z]{1,3}\d{0,3})\s+([A-Z].*)$")
# (a), (iv), and (aa) or (fb) as Acts number the items they insert: items, not paragraphs
LETTERED = re.compile(r"^(?:\(?(?:[a-z]|[ivx]{1,5})\)|\([a-z]{2}\)|(?:[a-z]|[ivx]{1,5})\.)$")
_FOOTNOTE = re.compile(
    r"^\s*(?:[\u2070\u00b9\u00b2\u00b3\u2071\u2074-\u2079]+|\[\d+\]|\[footnote \d+\]:?"
    r"|\[\^[\w-]+\]:)\s+"  # and a Markdown footnote's "[^1]: ..."
)
_TABLE_ROW = re.compile(r"^\s*\|(.+)\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_FOOTNOTE_REF = re.compile(r"\[\^[\w-]+\](?!:)")  # "... a care package.[^1] Boards ..."
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^>]+)>")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
# sentence punctuation at a line's end, before any closing quotes or brackets and a footnote
# mark ('... sending Dad home."', "... financial year.[2]", "... year.[^1]", "... year.¹")
_TERMINAL = re.compile(
    r"[.!;:,][\"”’'\]]*(?:\[\^?\d{1,3}\]|[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+)?"
    r"(?:\s*\u21a9\ufe0e?)?$"  # and a back-link ("... delays. ↩"); not "(cont.)", a heading's
)
_DEONTIC = re.compile(r"\b(?:must|shall|should|ought to)\b", re.IGNORECASE)
_WH_WORD = re.compile(r"\s*(?:what|how|who|when|where|why|which)\b", re.IGNORECASE)
# a title that names actions ("Action the provider MUST take to improve", "Steps systems should
# take"): its modal has no object after "take" or "do"; the actions follow it
_ACTIONS_TITLE = re.compile(
    r"(?:(?:the\s+)?(?:actions?|steps|things|areas?)\b)[^.;:]{0,50}\b"
    r"(?:must|should|shall|needs? to)\s+(?:take|do|consider|address)"
    r"(?:\s+to\s+(?:improve|comply))?\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?][)\]’”\"']*\s*$")
MAX_HEADING_WORDS = 14
SHORT_LINE = 40
# a line of hard-wrapped text is at most this long, and at least this share of its paragraph's
# longest line (the last line of a wrapped paragraph may be short: it ends the paragraph)
MAX_WRAP_WIDTH = 120
WRAP_SHARE = 0.6


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _readable(text: str, path: Path) -> str:
    """The text, unless a byte-order mark led to bytes that are no text in its encoding (more
    than one character in ten undecodable or a control character): binary data."""
    bad = sum(
        1
        for c in text
        if c == "\ufffd" or (unicodedata.category(c) == "Cc" and c not in "\t\n\r\f")
    )
    if text and bad > 0.1 * len(text):
        raise UnsupportedFormat("binary content, not text; is the file name wrong?", str(path))
    return text


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 or UTF-32 with a byte-order mark (what Windows
    Notepad saves as "Unicode"), UTF-16 without one when every other byte of ASCII text is NUL,
    else Windows-1252 (a superset of Latin-1 for text)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            # a stray byte in a marked file is replaced, not a reason to refuse the file
            handler = "docmine-cp1252" if encoding == "utf-8" else "replace"
            return _readable(data[len(bom) :].decode(encoding, errors=handler), path)
    head = data[:8192]
    if len(head) >= 4:
        even, odd = head[0::2], head[1::2]
        for zeros, text, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
            # BOM-less UTF-16 of mostly Latin text: NULs on one side, letters on the other
            if zeros.count(0) >= 0.9 * len(zeros) and text.count(0) <= 0.1 * len(text):
                with suppress(UnicodeDecodeError):
                    return data.decode(encoding)
    if b"\x00" in head:
        raise UnsupportedFormat("binary content, not text; is the file name wrong?", str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # mostly UTF-8 with a few stray Windows-1252 bytes (a file pasted together from two
    # sources): keep the UTF-8 and read only the stray bytes as Windows-1252
    replaced = data.decode("utf-8-sig", errors="replace")
    stray = replaced.count("\ufffd")
    if sum(1 for c in replaced if ord(c) > 127) - stray > stray:
        return data.decode("utf-8-sig", errors="docmine-cp1252")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _stray_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return bytes(bad).decode("cp1252", errors="replace"), error.end


codecs.register_error("docmine-cp1252", _stray_as_cp1252)


def strip_markdown(text: str) -> str:
    """Links keep their text, autolinks their URL, emphasis its words."""
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_FOOTNOTE_REF.sub("", text)
    text = _AUTOLINK.sub(r"\1", text)
    return _EMPHASIS.sub(r"\2", text)


# a line ending on one of these goes on: it is the start of a sentence, not a heading
OPEN_END = re.compile(
    r"\b(?:to|of|and|or|the|a|an|for|by|with|in|on|at|from|that|which|who|as|is|are|be)$",
    re.IGNORECASE,
)


def reads_as_heading(text: str) -> bool:
    """A line set apart only by its type (bold) reads as a heading: `looks_like_heading`, not a
    lead-in ("Each board must publish—"), and, unless it opens with a question word ("Who we
    are", "What this guidance applies to"), neither a line that stops on a word that goes on
    ("... submit their plans to") nor an instruction left without its full stop ("All ICBs
    must publish their capacity plans by 30 June"; a short "Actions ICBs must take" heads)."""
    text = text.strip()
    if not looks_like_heading(text) or text.endswith(("—", "–", "-")):
        return False
    if _WH_WORD.match(text) or _ACTIONS_TITLE.match(text):  # "Who we are", "Actions ... take"
        return True
    words = len(text.split())
    return not OPEN_END.search(text) and not (_DEONTIC.search(text) and words > 5)


def looks_like_heading(text: str) -> bool:
    """A short line standing alone without sentence punctuation (questions are headings too)."""
    words = text.split()
    # a sentence with a reference after its stop ("ICBs should publish. (Paragraph 34)")
    text = _AFTER_THE_STOP.sub("", text)
    return 0 < len(words) <= MAX_HEADING_WORDS and not _TERMINAL.search(text) and text[:1].isupper()


_AFTER_THE_STOP = re.compile(r"(?<=[.!;:])\s*\([^()]{1,60}\)\s*$")


def _depth(line: str) -> int:
    """A bullet's depth from its indentation: 1 at the margin, one more for every two columns
    (a tab is four), as Markdown nests "  - " under "- "."""
    indent = line[: len(line) - len(line.lstrip())].expandtabs(4)
    return 1 + len(indent) // 2


def _numbered_level(marker: str) -> int:
    return marker.rstrip(".").count(".") + 1


# a label opening a paragraph of a page or a Word file: "(a)", "(iv)", "(2)", "(2A)", "2.4",
# "3."; a bare number ("42 ICBs were ...") may be the sentence's own, so it is left
_PROVISION = re.compile(
    r"^\s*(\((?:[a-z]{1,2}|[ivx]{1,5}|\d{1,3}[A-Z]{0,2})\)|\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}\.|"
    rf"{LETTERED_NUMBER})"
    r"\s+(\S.*)$",
    re.DOTALL,
)


def provision_block(text: str) -> RawBlock:
    """A paragraph of a format with its own blocks (HTML, Word) as the text reader reads the
    same line: "(a) prepare a plan" is a list item labelled (a), the items of a lead-in;
    "(2) The board may ..." and "3. The ICB must ..." paragraphs labelled so, "2.4 ..." an item
    of its section. A bare number without a point ("42 ICBs were ...") may be the sentence's."""
    m = _PROVISION.match(text)
    if m is None:
        return RawBlock(BlockKind.PARAGRAPH, text)
    marker, body = m.group(1), m.group(2)
    item = LETTERED.match(marker) or "." in marker.rstrip(".")  # (a), 2.4: as a text file has it
    kind = BlockKind.LIST_ITEM if item else BlockKind.PARAGRAPH
    return RawBlock(kind, body, level=_numbered_level(marker), marker=marker)


def _classify_line(line: str, alone: bool) -> RawBlock:
    """One source line as a block; `alone` says it is a paragraph of its own. A line giving a
    web address keeps it as written ("utm_source" is no emphasis) and is no heading."""
    if origin_url(line, bare=True):
        return RawBlock(BlockKind.PARAGRAPH, line.strip())
    if m := _MD_HEADING.match(line):
        return RawBlock(BlockKind.HEADING, strip_markdown(m.group(2)), level=len(m.group(1)))
    if _FOOTNOTE.match(line):
        return RawBlock(BlockKind.FOOTNOTE, strip_markdown(_FOOTNOTE.sub("", line, count=1)))
    if m := _TABLE_ROW.match(line):
        cells = [strip_markdown(c.strip()) for c in m.group(1).split("|")]
        return RawBlock(BlockKind.TABLE_ROW, "\t".join(c for c in cells if c))
    if m := _BULLET.match(line):
        inner = m.group(1)
        number = _NUMBER.match(inner)
        marker, text = (number.group(1), number.group(2)) if number else ("•", inner)
        return RawBlock(
            BlockKind.LIST_ITEM, strip_markdown(text), level=_depth(line), marker=marker
        )
    text = strip_markdown(line.strip())
    inserted = _INSERTED_SECTION.match(text)  # "14Z99 Duty to publish a carers strategy"
    if alone and inserted and reads_as_heading(inserted.group(2)):
        return RawBlock(BlockKind.HEADING, text, level=0)
    # a number set in bold ("**1.1.1** Offer ...", as NICE numbers its recommendations) is the
    # paragraph's number all the same
    bold = line.lstrip().startswith(("**", "__"))
    if m := _NUMBER.match(line) or (_NUMBER.match(text) if bold else None):
        marker, body = m.group(1), strip_markdown(m.group(2))
        if alone and looks_like_heading(body) and not body.rstrip().endswith(("—", "–")):
            # "(3) An integrated care board may—" opens its items: a lead-in, not a heading
            return RawBlock(BlockKind.HEADING, f"{marker} {body}", level=_numbered_level(marker))
        # "(2A)" and "2.—(1)": paragraphs
        subsection = re.fullmatch(r"\(\d{1,3}[A-Z]{0,2}\)", marker) or REGULATION_MARK.match(marker)
        # "1. map services ...;" in lower case goes on from a lead-in: an item of its list
        lower = body[:1].islower() and re.fullmatch(r"\d{1,3}[.)]", marker)
        item = not subsection and (
            line[:1].isspace() or "." in marker.rstrip(".") or LETTERED.match(marker) or lower
        )
        # a bold number numbers a paragraph, which may lead a list of its own ("**1.1.2** Offer
        # an assessment to people who:" / "- report 2 falls")
        kind = BlockKind.LIST_ITEM if item and not bold else BlockKind.PARAGRAPH
        return RawBlock(kind, body, level=_numbered_level(marker), marker=marker)
    if (alone and looks_like_heading(text)) or _IN_CAPITALS.match(text):
        return RawBlock(BlockKind.HEADING, text, level=0)
    return RawBlock(BlockKind.PARAGRAPH, text)


# a short line in capitals without sentence punctuation, as Acts print their Part and cross
# headings ("PART 1", "DISCHARGE FROM HOSPITAL", "2026 CHAPTER 11"), even stacked together
_IN_CAPITALS = re.compile(r"^(?=[^a-z]*[A-Z]{2})[^a-z.;:!?]{2,80}$")


def _is_new_block(line: str) -> bool:
    return bool(
        _BULLET.match(line)
        or _NUMBER.match(line)
        or _MD_HEADING.match(line)
        or _TABLE_ROW.match(line)
        or _FOOTNOTE.match(line)
    )


def _wraps(before: str, line: str, width: int) -> bool:
    """Whether `line` continues `before` (a soft wrap) rather than starting a block. Text wrapped
    at a fixed width breaks lines near that width (80 characters or so); a page exported from
    the web puts each block on a line of its own, a short heading or a long paragraph, the next
    starting with a capital. A line that starts in lower case always continues."""
    if line.lstrip()[:1].islower():
        return True
    length = len(before.rstrip())
    return length <= MAX_WRAP_WIDTH and length >= WRAP_SHARE * width


def _paragraph_groups(text: str) -> list[list[str]]:
    """Lines grouped into blank-line separated paragraphs, then split at list markers."""
    groups: list[list[str]] = []
    for para in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines: list[str] = []
        raw = [line for line in para.split("\n") if line.strip() and not _TABLE_RULE.match(line)]
        # short lines stacked together (bylines, icons, addresses) are separate blocks
        stacked = (len(raw) > 1 and all(len(line.strip()) < SHORT_LINE for line in raw)) or (
            _cover_sheet(raw)
        )
        width = max((len(line.rstrip()) for line in raw), default=0)
        for index, line in enumerate(raw):
            before = raw[index - 1] if index else ""
            # the line so far, with its number: "1 publish ..." / "with partners" / "2 ..."
            new_block = _is_new_block(line) and not wraps_onto_count(
                lines[-1] if lines else before, line
            )
            if lines and not stacked and not new_block and _wraps(before, line, width):
                # a soft-wrapped line; after a hyphen the compound goes on ("sub-|committees")
                so_far = lines[-1].rstrip()
                glue = (
                    "" if re.search(r"[A-Za-z]-$", so_far) and line.strip()[:1].islower() else " "
                )
                lines[-1] = f"{so_far}{glue}{line.strip()}"
            else:
                lines.append(line)
        if lines:
            groups.append(lines)
    return groups


def _assign_heading_levels(blocks: list[RawBlock], marked_up: list[bool]) -> list[RawBlock]:
    """Plain-text headings have no level: a run of headings nests one level under the run's
    first heading, which takes the level of the last heading that was followed by text, and
    never rises to the level of a heading the file marks up ("# Title", `marked_up`), which it
    nests under."""
    body_level = 1
    marked = 0  # level of the last heading marked up ("## Duties")
    run_level: int | None = None
    for block, has_mark in zip(blocks, marked_up, strict=True):
        if block.kind == BlockKind.HEADING:
            if block.level == 0:
                floor = max(body_level, marked + 1)
                block.level = floor if run_level is None else run_level + 1
            elif has_mark:
                marked = block.level
            if run_level is None:
                run_level = block.level
            body_level = block.level if run_level == block.level else body_level
        elif block.kind != BlockKind.FURNITURE:
            run_level = None
    return blocks


_BLOCKQUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE)


# YAML front matter at a file's start (Jekyll, Hugo, Pandoc, Obsidian): metadata, not text
_FRONT_MATTER = re.compile(
    r"\A\s*---[ \t]*\n(?P<body>(?:[^\n]*\n){0,60}?)(?:---|\.\.\.)[ \t]*(?:\n|\Z)"
)
_FRONT_TITLE = re.compile(r"^title\s*:\s*(?P<title>.+?)\s*$", re.MULTILINE | re.IGNORECASE)
_FRONT_KEY = re.compile(r"^\s*(?:[\w-]+\s*:|-\s|#|$)")


def front_matter(text: str) -> tuple[str, str]:
    """(text without its YAML front matter, the title it gives or ""): a block between "---"
    lines at the very start whose lines are all keys, list items or comments."""
    found = _FRONT_MATTER.match(text)
    if found is None:
        return text, ""
    lines = found.group("body").splitlines()
    if not lines or not all(_FRONT_KEY.match(line) or line.startswith(" ") for line in lines):
        return text, ""
    keys = [line for line in lines if re.match(r"[\w-]+\s*:", line)]
    title = _FRONT_TITLE.search(found.group("body"))
    # metadata: two keys or more, or a title ("---\nNote: providers must ...\n---" is a box)
    if len(keys) < 2 and title is None:
        return text, ""
    value = title.group("title").strip().strip("\"'") if title else ""
    if value in (">", "|", ">-", "|-"):  # a folded title: its text is on the indented lines
        after = found.group("body")[title.end() :].splitlines()[1:] if title else []
        value = " ".join(
            line.strip() for line in itertools.takewhile(lambda x: x.startswith(" "), after)
        )
    return text[found.end() :], value


def read_text(path: Path, data: bytes) -> tuple[list[RawBlock], str]:
    """Blocks of a .txt or .md file, in order, and the title its front matter gives ("" if
    none)."""
    text, title = front_matter(decode(data, path))
    if not text.strip():
        raise EmptyDocument("empty: the file has no text", str(path))
    if path.suffix.lower() in (".md", ".markdown"):
        text = _BLOCKQUOTE.sub("", text)  # a quoted passage is read as text, without its "> "
    lines: list[tuple[str, bool | None]] = []
    for group in _paragraph_groups(text):
        if _cover_sheet(group):  # "Paper title: ..." / "Agenda item: 7" / "Report by: ..."
            lines.extend((line, None) for line in group)
        else:
            lines.extend((line, _stands_alone(group, index)) for index, line in enumerate(group))
    blocks = [
        RawBlock(BlockKind.FURNITURE, line.strip())
        if alone is None
        else _classify_line(line, alone)
        for line, alone in lines
    ]
    headings = [bool(_MD_HEADING.match(line)) for line, _ in lines]
    return _assign_heading_levels(blocks, headings), title


# a line of a cover sheet: a label the furniture list knows and its value ("Paper type: For
# approval")
_LABELLED = re.compile(r"^\s*\**(?P<label>[A-Za-z][\w ()/-]{1,40}?)\**\s*:\s*\S")


def _cover_sheet(group: list[str]) -> bool:
    """A paragraph of three or more lines, each a cover label and its value: a paper's cover
    sheet, its title, item, author, purpose and date, no text; its lines stay apart."""
    found = [_LABELLED.match(line) for line in group]
    return len(group) >= 3 and all(
        m is not None
        and (is_metadata_label(m.group("label")) or m.group("label").strip().lower() == "date")
        for m in found
    )


def _stands_alone(group: list[str], index: int) -> bool:
    """Whether a line may be a heading: a paragraph of its own, or, in a page saved with a block
    a line, an unnumbered line between the end of a sentence (or the start) and a sentence or a
    list ("The 7 principles" / "If a provider uses CCTV, we check: ..."); never after a lead-in
    (its items), before another heading-like line (a list without bullets), nor an instruction
    left without its full stop ("You must use the forms on this page")."""
    if len(group) == 1:
        return True
    line = group[index]
    following = group[index + 1] if index + 1 < len(group) else ""
    title = _SECTION_NUMBER.match(line)  # "12A Duties of the board", "14Z99 Duty to publish"
    if title and _FIRST_SUBSECTION.match(following) and reads_as_heading(title.group("title")):
        return True  # an Act's numbered section heading over its subsection (1)
    if _is_new_block(line) or line.rstrip().endswith(("—", "–")):  # numbered, or a lead-in
        return False
    if _DEONTIC.search(line) and not _WH_WORD.match(line):  # an instruction left unstopped
        return False
    if index + 1 >= len(group) or (index and not _SENTENCE_END.search(group[index - 1])):
        return False
    after = group[index + 1].strip()
    return not looks_like_heading(strip_markdown(after)) or _is_new_block(after)
