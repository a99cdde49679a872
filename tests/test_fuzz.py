"""Property-based reliability suite: random and adversarial files of every supported format never
raise past the file boundary. Each reader either returns a Document or raises a DocmineError (a
one-line reason naming the file); analysis of whatever it returns never raises.

Profiles: `ci` (the default, a few minutes at most) and `long` (HYPOTHESIS_PROFILE=long, on
demand)."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docmine.config import load_settings
from docmine.errors import DocmineError
from docmine.extract import extract, read_document
from docmine.pipeline import Pipeline

settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SENTENCE = "The integrated care board must publish a joint forward plan by 31 March 2024."


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF with `text` in Helvetica, with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def minimal_docx(text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
    return out.getvalue()


SEEDS = {
    ".pdf": minimal_pdf(SENTENCE),
    ".docx": minimal_docx(SENTENCE),
    ".html": f"<html><body><h1>Duties</h1><p>{SENTENCE}</p></body></html>".encode(),
    ".txt": f"Duties\n\n{SENTENCE}\n".encode(),
    ".md": f"# Duties\n\n- {SENTENCE}\n".encode(),
}


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """A valid file cut short, with bytes overwritten, spliced or repeated."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(0, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["cut", "flip", "insert", "repeat", "nul"]))
        if action == "cut":
            del data[at:]
        elif action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif action == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 200))] * draw(st.integers(2, 50))
        else:
            data[at:at] = b"\x00" * draw(st.integers(1, 16))
    return bytes(data)


def _outcome(suffix: str, data: bytes) -> None:
    """Extract and analyse one file: a Document, or a DocmineError naming the file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzzed{suffix}"
        path.write_bytes(data)
        try:  # read, then normalise and analyse: a stage may refuse it too (empty once repaired)
            document = read_document(path, max_seconds=20)
            Pipeline(load_settings(db=Path(folder) / "x.db"), method="rules").run(document)
        except DocmineError as error:
            message = str(error)
            assert "\n" not in message.strip() and str(path) in message


@pytest.mark.parametrize("suffix", sorted(SEEDS))
def test_the_seed_files_are_read(suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"seed{suffix}"
        path.write_bytes(SEEDS[suffix])
        assert "joint forward plan" in extract(path).text


@pytest.mark.parametrize("suffix", sorted(SEEDS))
@given(data=st.data())
def test_mutated_files_never_raise_past_the_file(suffix: str, data: st.DataObject) -> None:
    _outcome(suffix, data.draw(mutated(SEEDS[suffix])))


@pytest.mark.parametrize("suffix", sorted(SEEDS))
@given(blob=st.binary(max_size=4096))
def test_random_bytes_under_any_name_never_raise_past_the_file(suffix: str, blob: bytes) -> None:
    _outcome(suffix, blob)


@given(
    text=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=3000),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]),
)
def test_any_text_in_any_supported_encoding_is_read_or_refused(text: str, encoding: str) -> None:
    _outcome(".txt", text.encode(encoding, "replace"))


@given(
    depth=st.integers(1, 3000),
    tag=st.sampled_from(["div", "ul", "li", "section", "table", "span"]),
    line=st.integers(0, 200_000),
)
def test_deep_nesting_and_huge_lines_in_html(depth: int, tag: str, line: int) -> None:
    body = f"<{tag}>" * depth + "x" * line + f"<p>{SENTENCE}</p>" + f"</{tag}>" * depth
    _outcome(".html", f"<html><body>{body}</body></html>".encode())


def test_a_zip_bomb_named_docx_is_refused_in_one_line() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b"a" * 200_000_000 + b">")
    _outcome(".docx", out.getvalue())


def _member_header(data: bytes, name: bytes, central: bool) -> int:
    """Offset of a member's central-directory (or local) header in a stored zip."""
    signature = b"PK\x01\x02" if central else b"PK\x03\x04"
    name_at = data.index(name, data.index(signature) if central else 0)
    return data.rindex(signature, 0, name_at)


def test_a_docx_needing_a_newer_zip_version_is_refused_in_one_line() -> None:
    # found by the long profile: zipfile raises NotImplementedError ("zip file version 6.4")
    data = bytearray(SEEDS[".docx"])
    at = _member_header(bytes(data), b"_rels/.rels", central=True)
    data[at + 6] = 0x40  # "version needed to extract" 6.4
    with pytest.raises(DocmineError, match=r"corrupt: not a readable Word file \(zip file version"):
        _read(".docx", bytes(data))


def test_a_docx_with_a_truncated_member_is_refused_in_one_line() -> None:
    # found by the long profile: a local header whose extra field runs past the member's data
    # makes zipfile raise EOFError
    data = bytearray(SEEDS[".docx"])
    at = _member_header(bytes(data), b"_rels/.rels", central=False)
    data[at + 29] = 0x02  # extra-field length 0x200: the member's bytes end too soon
    with pytest.raises(DocmineError, match=r"corrupt: not a readable Word file \(EOFError\)"):
        _read(".docx", bytes(data))


def _read(suffix: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"damaged{suffix}"
        path.write_bytes(data)
        extract(path)
