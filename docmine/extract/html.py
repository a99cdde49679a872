"""HTML pages: main content only, headings, lists and tables kept as structure.

selectolax (lexbor) parses broken real-world markup fast and lets us walk the tree, which we need
to keep inline tags such as `<abbr>` from gluing words together."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from docmine.errors import EmptyDocument
from docmine.extract.builder import RawBlock, nest_bold_headings
from docmine.extract.text import decode, provision_block, reads_as_heading
from docmine.model import BlockKind

_DROP = "script, style, noscript, template, nav, header, footer, aside, form, svg, button, iframe"
_BOILERPLATE = re.compile(
    r"cookie|banner|breadcrumb|skip-link|share|social|related|newsletter|feedback|footer|menu|nav",
    re.IGNORECASE,
)
_MAIN = ("main", "[role=main]", "article", "#content", ".govuk-main-wrapper", "body")
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCK_TAGS = {"p", "li", "tr", "blockquote", "dd", "dt", "pre", *_HEADINGS}
_INLINE_SPACE = re.compile(r"\s+")
# elements that flow inside a line of text: their words join the text around them
_INLINE = frozenset(
    "a abbr acronym b bdi bdo big cite code data del dfn em font i ins kbd label mark q s samp "
    "small span strike strong sub sup time tt u var br wbr".split()
)


# the space a tag boundary put before a closing mark ("<a>forms page</a>.", "NHS England ’s",
# "( Annex A)", "“ Winter letter ”")
_SPACE_BEFORE_MARK = re.compile(r"\s+(?=[.,;:!?)”](?:[\s.,;:!?)”]|$)|’s\b)|(?<=[(“])\s+")


def _node_text(node: LexborNode) -> str:
    """Text of a node with a space at every tag boundary, so "the<abbr>ICP</abbr>should" reads
    "the ICP should", but none before the full stop after a link; whitespace is collapsed
    later by the builder."""
    text = _INLINE_SPACE.sub(" ", node.text(deep=True, separator=" ")).strip()
    return _SPACE_BEFORE_MARK.sub("", text)


def _is_boilerplate(node: LexborNode) -> bool:
    marks = " ".join(filter(None, (node.attributes.get("id"), node.attributes.get("class"))))
    return (
        bool(marks and _BOILERPLATE.search(marks)) or node.attributes.get("aria-hidden") == "true"
    )


def _main_content(tree: LexborHTMLParser) -> LexborNode | None:
    for selector in _MAIN:
        node = tree.css_first(selector)
        if node is not None:
            return node
    return tree.root


def _blocks_of(node: LexborNode, out: list[RawBlock]) -> None:
    """The blocks under `node` in document order; a loop with its own stack, so an HTML file
    nested thousands of elements deep is read like any other. Text written straight inside a
    container ("<div>The ICB must ...</div>"), with its inline elements, is a paragraph of its
    own, as a browser lays it out (an anonymous block)."""
    stack: list[tuple[Iterator[LexborNode], list[str]]] = [(node.iter(include_text=True), [])]
    while stack:
        iterator, run = stack[-1]
        child = next(iterator, None)
        if child is None:
            stack.pop()
            _flush(run, out)
            continue
        tag = child.tag or ""
        if tag == "-text":
            run.append(child.text(deep=False))
            continue
        if tag.startswith("-"):  # a comment, a doctype
            continue
        if tag in _INLINE:
            if not _is_boilerplate(child):
                run.append(_node_text(child))
            continue
        _flush(run, out)  # a block ends the text before it
        if not _is_boilerplate(child):
            inner = _element(child, out)
            if inner is not None:
                stack.append((inner, []))


def _element(child: LexborNode, out: list[RawBlock]) -> Iterator[LexborNode] | None:
    """Append the block a block-level element is; the children to read next for a container
    (or a list item's nested lists), else None."""
    tag = child.tag or ""
    if tag in _HEADINGS:
        out.append(RawBlock(BlockKind.HEADING, _node_text(child), level=_HEADINGS[tag]))
    elif tag == "li":
        depth = _list_depth(child)
        out.append(RawBlock(BlockKind.LIST_ITEM, _list_item_text(child), level=depth, marker="•"))
        nested = [s for s in child.iter(include_text=False) if s.tag in ("ul", "ol")]
        return (c for sub in nested for c in sub.iter(include_text=False))
    elif tag == "tr":
        cells = [_node_text(c) for c in child.iter(include_text=False) if c.tag in ("td", "th")]
        out.append(RawBlock(BlockKind.TABLE_ROW, "\t".join(c for c in cells if c)))
    elif tag in ("figcaption", "caption") or (tag == "img" and child.attributes.get("alt")):
        # image captions describe a picture, never an instruction
        text = _node_text(child) or str(child.attributes.get("alt") or "")
        out.append(RawBlock(BlockKind.FURNITURE, text))
    elif tag in _BLOCK_TAGS:
        text = _node_text(child)
        if tag == "p" and _set_in_bold(child) and reads_as_heading(text):
            out.append(RawBlock(BlockKind.HEADING, text, level=0))  # nested by read_html
        else:
            out.append(provision_block(text))
    else:
        return child.iter(include_text=True)
    return None


def _list_depth(item: LexborNode) -> int:
    """How deep a list item is nested: 1 in a list of its own, 2 in a list inside an item..."""
    depth, parent = 1, item.parent
    while parent is not None:
        depth += parent.tag == "li"
        parent = parent.parent
    return depth


def _set_in_bold(node: LexborNode) -> bool:
    """A paragraph whose words are all inside <strong> or <b>: a heading typed in bold."""
    words = [t for t in node.traverse(include_text=True) if t.tag == "-text" and t.text().strip()]

    def bold(text_node: LexborNode) -> bool:
        parent = text_node.parent
        while parent is not None and parent.mem_id != node.mem_id:
            if parent.tag in ("strong", "b"):
                return True
            parent = parent.parent
        return False

    return bool(words) and all(bold(t) for t in words)


def _flush(run: list[str], out: list[RawBlock]) -> None:
    """The text gathered straight inside a container, as one paragraph (if it says anything)."""
    text = _SPACE_BEFORE_MARK.sub("", _INLINE_SPACE.sub(" ", " ".join(run)).strip())
    run.clear()
    if text:
        out.append(provision_block(text))


def _list_item_text(item: LexborNode) -> str:
    """A list item's own text, without the nested lists that get their own blocks."""
    clone = LexborHTMLParser(item.html or "").css_first("li")
    if clone is None:
        return _node_text(item)
    for nested in clone.css("ul, ol"):
        nested.decompose()
    return _node_text(clone)


def _canonical_address(tree: LexborHTMLParser) -> str:
    """The address the page gives as its own (<link rel="canonical">, else og:url), if absolute."""
    for selector, attribute in (
        ('link[rel="canonical"]', "href"),
        ('meta[property="og:url"]', "content"),
    ):
        node = tree.css_first(selector)
        value = (node.attributes.get(attribute) or "").strip() if node is not None else ""
        if value.startswith(("http://", "https://")):
            return value
    return ""


_SITE_SEPARATOR = re.compile(r"\s+[|–—-]\s+")


def _page_title(title: str, heading: LexborNode | None) -> str:
    """The page's title without its site's name (" | Local Government Association", " - GOV.UK"):
    the <h1> when it says what the <title> says, else the <title>'s own part."""
    h1 = _node_text(heading) if heading is not None else ""
    first = _SITE_SEPARATOR.split(title, maxsplit=1)[0].strip()
    if not first or first == title.strip():
        return title
    # the page's own heading where it says what the <title> says ("Safeguarding procedure" /
    # "Multi-agency safeguarding adults procedure"), not a banner's or the site's name
    words = set(re.findall(r"\w+", first.casefold()))
    shared = words & set(re.findall(r"\w+", h1.casefold()))
    if words and len(shared) * 2 >= len(words):
        return h1
    # a sub-page's <title> names its tab first ("Recommendations | Hospital discharge ... |
    # Guidance | NICE"): the <h1> where a later part of the <title> is it
    parts = [p.strip().casefold() for p in _SITE_SEPARATOR.split(title)[1:]]
    return h1 if h1 and h1.strip().casefold() in parts else first


_CALLOUT = re.compile(r"callout|important|warning|note|notice|example|case-?study|inset", re.I)


def _in_content(node: LexborNode) -> bool:
    """Whether an <aside> is part of the text: inside the <article>, or a callout by its class
    inside <main> (a sidebar of news or links beside the article is not)."""
    marks = " ".join(filter(None, (node.attributes.get("id"), node.attributes.get("class"))))
    parent = node.parent
    while parent is not None:
        if parent.tag == "article":
            return True
        main = parent.tag == "main" or parent.attributes.get("role") == "main"
        if main and _CALLOUT.search(marks):
            return True
        parent = parent.parent
    return False


_NOTE_MARKS = (
    "sup:has(a[href^='#']), a.LegCommentaryLink, a.footnote-ref, a[role='doc-noteref'], "
    "sup.footnote-ref"
)
_NOTE_MARK = re.compile(r"\[?(?:[FCMEIX]?\d{1,3}|[*†‡§])\]?")
_NOTES = (
    ".LegAnnotations, .footnotes, section[role='doc-endnotes'], aside[role='doc-footnote'], "
    "div.govuk-footnotes"
)


def _note_lines(container: LexborNode) -> list[str]:
    """The notes of a notes container, one a paragraph or list item (its heading left out)."""
    lines = [
        _node_text(node).strip()
        for node in container.css("p, li")
        if "Heading" not in (node.attributes.get("class") or "")
    ]
    return [line for line in lines if line] or [_node_text(container).strip()]


def read_html(path: Path, data: bytes) -> tuple[list[RawBlock], str]:
    """Blocks of an HTML page and its <title>; the page's own address, when it gives one, leads
    as a source line ("Source: https://..."), the document's origin, as a saved page has it."""
    tree = LexborHTMLParser(decode(data, path))
    address = _canonical_address(tree)
    # an accordion's section title is a button inside its heading (GOV.UK, NHS pages): the
    # heading's words, not a control to drop
    for node in tree.css(", ".join(f"h{level} button" for level in range(1, 7))):
        node.unwrap()
    # a footnote's mark in the text ("discharge plan<sup><a href="#F1">F1</a></sup>") is no word
    # of the sentence; the notes themselves (legislation.gov.uk's "Textual Amendments", a page's
    # footnotes) are footnotes, after the text
    for node in tree.css(_NOTE_MARKS):
        if _NOTE_MARK.fullmatch(_node_text(node).strip()):
            node.decompose()
    notes = [
        RawBlock(BlockKind.FOOTNOTE, text)
        for container in tree.css(_NOTES)
        for text in _note_lines(container)
    ]
    for node in tree.css(_NOTES):
        node.decompose()
    for node in tree.css(_DROP):
        if node.tag == "aside" and _in_content(node):
            continue  # a callout inside the article ("Important: ICBs must ..."), not a sidebar
        node.decompose()
    title_node = tree.css_first("title")
    title = _page_title(_node_text(title_node) if title_node else "", tree.css_first("h1"))
    main = _main_content(tree)
    blocks: list[RawBlock] = (
        [RawBlock(BlockKind.FURNITURE, f"Source: {address}")] if address else []
    )
    if main is not None:
        _blocks_of(main, blocks)
        nest_bold_headings(blocks)
    blocks.extend(notes)
    if not any(b.text for b in blocks[bool(address) :]):
        raise EmptyDocument("empty: the page has no text in its main content", str(path))
    return blocks, title
