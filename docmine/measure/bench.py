"""Extraction benchmark over a corpus of PDFs with known text (`NAME.expected.txt` sidecars).

For each PDF: character accuracy of our body text against the expected text, pages per second
beside plain pdfplumber `extract_text()` timed in the same run, running header/footer strings
leaked into body text, and headings found on the page the sidecar says."""

from __future__ import annotations

import json
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from docmine.extract.builder import RawBlock
from docmine.extract.ocr import OCR_DPI
from docmine.extract.pdf import read_pdf
from docmine.model import BlockKind
from docmine.normalise import restore_compound_hyphens

_SPACE = re.compile(r"\s+")
_PAGE_N_OF_M = re.compile(r"\bPage \d+ of \d+\b")
_SKIPPED = (BlockKind.FOOTNOTE, BlockKind.FURNITURE)


@dataclass(frozen=True)
class BenchRow:
    """One PDF's scores; `pages_per_s` are medians over the repeated runs."""

    name: str
    pages: int
    char_accuracy: float
    word_similarity: float
    pages_per_s: float
    pdfplumber_pages_per_s: float
    leaked_furniture: int
    headings_right: int
    headings_expected: int

    @property
    def speedup(self) -> float:
        return self.pages_per_s / self.pdfplumber_pages_per_s if self.pdfplumber_pages_per_s else 0


def collapse(text: str) -> str:
    """Whitespace is layout, not content: one space everywhere, as the corpus README says."""
    return _SPACE.sub(" ", text).strip()


def render_block(block: RawBlock) -> str:
    """A block as the expected text writes it: '• text', '5.1. text', cells joined by TAB."""
    if block.marker and block.kind in (BlockKind.LIST_ITEM, BlockKind.PARAGRAPH):
        return f"{block.marker} {block.text}"
    return block.text


def body_text(blocks: Iterable[RawBlock]) -> str:
    """The body text of blocks: everything but footnotes and furniture, one block a line."""
    return "\n\n".join(render_block(b) for b in blocks if b.kind not in _SKIPPED)


def char_accuracy(found: str, expected: str) -> float:
    """1 - normalised edit distance, whitespace collapsed on both sides."""
    return float(Levenshtein.normalized_similarity(collapse(found), collapse(expected)))


def word_similarity(found: str, expected: str) -> float:
    """1 - normalised edit distance over the word sequences: a split word ("prema ture") or a
    dropped enumerator costs a whole word, however few characters it is."""
    return float(
        Levenshtein.normalized_similarity(collapse(found).split(), collapse(expected).split())
    )


def leaked_furniture(body: str, meta: dict[str, object]) -> int:
    """How many running header/footer strings (and 'Page N of M') appear in the body text."""
    furniture = meta.get("furniture")
    strings = furniture if isinstance(furniture, dict) else {}
    flat = collapse(body)
    leaks = len(_PAGE_N_OF_M.findall(flat))
    for key in ("header_left", "header_right", "footer_left"):
        value = strings.get(key)
        if isinstance(value, str) and value:
            leaks += flat.count(value) - _expected_count(value, meta)
    return max(leaks, 0)


def _expected_count(value: str, meta: dict[str, object]) -> int:
    counts = meta.get("_expected_counts")
    return counts.get(value, 0) if isinstance(counts, dict) else 0


def headings_on_page(blocks: Sequence[RawBlock], meta: dict[str, object]) -> tuple[int, int]:
    """(right, expected): sidecar headings found as a HEADING block on the stated page."""
    found = {(collapse(b.text), b.page) for b in blocks if b.kind == BlockKind.HEADING}
    expected = meta.get("headings")
    items = expected if isinstance(expected, list) else []
    right = sum(1 for h in items if (collapse(str(h["heading"])), h["page"]) in found)
    return right, len(items)


def wall_times(run: Callable[[], object], repeats: int) -> list[float]:
    """Seconds of each of `repeats` runs of `run`."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    """Median wall time of `repeats` runs (0.0 for none): the machine is shared and noisy."""
    return statistics.median(wall_times(run, repeats)) if repeats > 0 else 0.0


def pdfplumber_text(path: Path) -> str:
    """The baseline: plain pdfplumber, page by page."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def load_meta(pdf: Path, expected: str) -> dict[str, object]:
    """The sidecar, plus how often each furniture string legitimately occurs in the body."""
    meta_path = pdf.with_name(pdf.name.removesuffix(".pdf") + ".meta.json")
    meta: dict[str, object] = json.loads(meta_path.read_text(encoding="utf-8"))
    furniture = meta.get("furniture")
    if isinstance(furniture, dict):
        flat = collapse(expected)
        meta["_expected_counts"] = {
            v: flat.count(v) for v in furniture.values() if isinstance(v, str)
        }
    return meta


def bench_file(
    pdf: Path, repeats: int = 3, baseline_repeats: int = 1, read_from: Path | None = None
) -> BenchRow:
    """Score and time one PDF against its sidecars (reading `read_from` instead, a scan of it,
    when given; the first read is one of the timed runs)."""
    source = read_from or pdf
    data = source.read_bytes()
    expected = pdf.with_name(pdf.name.removesuffix(".pdf") + ".expected.txt").read_text("utf-8")
    meta = load_meta(pdf, expected)
    start = time.perf_counter()
    blocks = read_pdf(source, data)
    times = [time.perf_counter() - start, *wall_times(lambda: read_pdf(source, data), repeats - 1)]
    pages = int(str(meta.get("pages", 0))) or max((b.page or 0 for b in blocks), default=0)
    ours = statistics.median(times)
    baseline = median_seconds(lambda: pdfplumber_text(source), baseline_repeats)
    # the reader marks the line-end hyphens it removed; normalisation decides each (measured
    # here with the reader, as the text a user gets)
    resolved = restore_compound_hyphens([b.text for b in blocks])
    blocks = [replace(b, text=t) for b, t in zip(blocks, resolved, strict=True)]
    right, total = headings_on_page(blocks, meta)
    body = body_text(blocks)
    return BenchRow(
        name=pdf.name,
        pages=pages,
        char_accuracy=char_accuracy(body, expected),
        word_similarity=word_similarity(body, expected),
        pages_per_s=pages / ours if ours else 0.0,
        pdfplumber_pages_per_s=pages / baseline if baseline else 0.0,
        leaked_furniture=leaked_furniture(body, meta),
        headings_right=right,
        headings_expected=total,
    )


def bench_pdf(corpus_dir: Path, repeats: int = 3, baseline_repeats: int = 1) -> list[BenchRow]:
    """One row per PDF in the corpus that has an `.expected.txt` sidecar, in name order."""
    pdfs = sorted(corpus_dir.glob("*.pdf"))
    return [
        bench_file(p, repeats, baseline_repeats)
        for p in pdfs
        if p.with_name(p.name.removesuffix(".pdf") + ".expected.txt").is_file()
    ]


def rasterise(pdf: Path, out: Path, dpi: int = OCR_DPI) -> None:
    """An image-only copy of a PDF, as a scanner makes one: each page rendered at `dpi` in grey,
    no text layer."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        images = [page.render(scale=dpi / 72, grayscale=True).to_pil() for page in document]
    finally:
        document.close()
    images[0].save(out, save_all=True, append_images=images[1:], resolution=float(dpi))


def bench_scanned(corpus_dir: Path, pattern: str, repeats: int = 1) -> list[BenchRow]:
    """The PDFs matching `pattern`, rasterised at 300 dpi and read back by OCR, scored against
    the same sidecars (no pdfplumber baseline: a scan has no text for it)."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="docmine-scans-") as folder:
        for pdf in sorted(corpus_dir.glob(pattern)):
            if not pdf.with_name(pdf.name.removesuffix(".pdf") + ".expected.txt").is_file():
                continue
            scan = Path(folder) / pdf.name
            rasterise(pdf, scan)
            rows.append(bench_file(pdf, repeats, baseline_repeats=0, read_from=scan))
            scan.unlink()
    return rows


def total_row(rows: Sequence[BenchRow]) -> BenchRow:
    """All files together: accuracy is the minimum, speed is total pages over total time."""
    pages = sum(r.pages for r in rows)
    ours = sum(r.pages / r.pages_per_s for r in rows if r.pages_per_s)
    base = sum(r.pages / r.pdfplumber_pages_per_s for r in rows if r.pdfplumber_pages_per_s)
    return BenchRow(
        name="ALL (min accuracy)",
        pages=pages,
        char_accuracy=min((r.char_accuracy for r in rows), default=0.0),
        word_similarity=min((r.word_similarity for r in rows), default=0.0),
        pages_per_s=pages / ours if ours else 0.0,
        pdfplumber_pages_per_s=pages / base if base else 0.0,
        leaked_furniture=sum(r.leaked_furniture for r in rows),
        headings_right=sum(r.headings_right for r in rows),
        headings_expected=sum(r.headings_expected for r in rows),
    )


def _rate(pages_per_s: float) -> str:
    """Pages per second: whole numbers for text layers, two decimals for OCR's few a second."""
    return f"{pages_per_s:.0f}" if pages_per_s >= 10 else f"{pages_per_s:.2f}"


def format_table(rows: Sequence[BenchRow]) -> str:
    """A Markdown table you can paste into a note, with a total row."""
    head = (
        "| file | pages | char acc | word sim | pages/s | pdfplumber pages/s | speedup | leaks "
        "| headings |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    lines = [head]
    for row in [*rows, total_row(rows)] if rows else []:
        lines.append(
            f"| {row.name} | {row.pages} | {row.char_accuracy:.4f} | {row.word_similarity:.4f} | "
            f"{_rate(row.pages_per_s)} | "
            f"{row.pdfplumber_pages_per_s:.1f} | {row.speedup:.1f}x | {row.leaked_furniture} | "
            f"{row.headings_right}/{row.headings_expected} |"
        )
    return "\n".join(lines)
