"""A readable report: obligations grouped by duty-holder, then force (mandatory first), each
with its citation, under a header naming the documents, versions and date. Markdown or one
self-contained HTML file (inline CSS, no scripts, every piece of document text escaped)."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from docmine.export.register import Register, RegisterRow
from docmine.model import FORCE_ORDER

NO_HOLDER = "No duty-holder named"
FORCE_HEADINGS = {
    "mandatory": "Mandatory requirements",
    "expectation": "Expectations",
    "suggestion": "Suggestions",
    "none": "No instruction",
}
# Only what can start markup mid-line: a lone ">" or "#" inside a list item is plain text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<#|~])")
_SAFE_LINK = ("http://", "https://", "file:")


def grouped(register: Register) -> Iterator[tuple[str, list[tuple[str, list[RegisterRow]]]]]:
    """(holder, [(force, rows)]) with holders by number of obligations, unnamed holder last."""
    by_holder: dict[str, list[RegisterRow]] = {}
    for row in register.rows:
        by_holder.setdefault(row["duty_holder"] or "", []).append(row)
    order = sorted(by_holder, key=lambda h: (h == "", -len(by_holder[h]), h))
    for holder in order:
        rows = by_holder[holder]
        forces = [
            (force.value, [r for r in rows if r["force"] == force.value]) for force in FORCE_ORDER
        ]
        yield holder or NO_HOLDER, [(f, rs) for f, rs in forces if rs]


def citation_parts(row: RegisterRow) -> list[str]:
    """Document, version, page, section: the plain-text pieces of a citation."""
    parts = [f"{row['document_title']} (v{row['version']})"]
    if row.get("page"):
        parts.append(f"p. {row['page']}")
    if row.get("section_path"):
        parts.append(row["section_path"])
    return parts


def detail_parts(row: RegisterRow) -> list[tuple[str, str]]:
    """Labelled details shown under a clause when present."""
    duty = row["duty"] + (f" ({row['duty_law']})" if row.get("duty_law") else "")
    normal = row.get("deadline_normalised") or row.get("deadline_period")
    deadline = row["deadline"] + (f" ({normal})" if normal else "")
    pairs = [
        ("Change", row.get("change_detail") or row.get("change") or ""),
        ("Was", row.get("previous_text") or ""),
        ("Prohibition", "yes" if row["polarity"] == "prohibition" else ""),
        ("Other bodies", row["other_bodies"]),
        ("Duty", duty if row["duty"] else ""),
        ("Deadline", deadline if row["deadline"] else ""),
        ("Condition", row["condition"]),
    ]
    return [(label, value) for label, value in pairs if value]


def force_counts(register: Register) -> str:
    counts = Counter(row["force"] for row in register.rows)
    return ", ".join(f"{counts[f.value]} {f.value}" for f in FORCE_ORDER if counts[f.value])


# Markdown ---------------------------------------------------------------------------------


def md(text: object) -> str:
    """Document text as inert Markdown: specials backslash-escaped, newlines flattened."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def markdown_report(register: Register) -> str:
    lines = [f"# {md(register.title)}", ""]
    lines.append(f"Made {register.generated_at} by docmine. {len(register.rows)} obligations")
    lines[-1] += f" ({force_counts(register)})." if register.rows else "."
    if register.scope:
        lines.append(f"Scope: {md(register.scope)}.")
    lines += ["", "| Document | Version | Published | Content hash |", "|---|---|---|---|"]
    for d in register.documents:
        lines.append(
            f"| {md(d.title)} | {d.version} | {md(d.published or '-')} | `{d.content_hash[:12]}` |"
        )
    for holder, forces in grouped(register):
        lines += ["", f"## {md(holder)}"]
        for force, rows in forces:
            lines += ["", f"### {FORCE_HEADINGS[force]} ({len(rows)})", ""]
            lines += [markdown_item(row) for row in rows]
    return "\n".join(lines) + "\n"


def markdown_item(row: RegisterRow) -> str:
    change = f"**{md(row['change'])}** " if row.get("change") else ""
    item = [f"- {change}{md(row['clause_text'])}"]
    item += [f"  - {label}: {md(value)}" for label, value in detail_parts(row)]
    cite = ", ".join(md(p) for p in citation_parts(row))
    item.append(f"  - Source: {cite} · id `{row['obligation_id']}`")
    return "\n".join(item)


# HTML -------------------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;max-width:60rem;
margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:2px solid #ccd;padding-bottom:.2rem}
h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
table{border-collapse:collapse;margin:.6rem 0}td,th{border:1px solid #ccd;padding:.25rem .5rem;
text-align:left;vertical-align:top}th{background:#eef1f5}
ol{padding-left:1.4rem}li{margin:.55rem 0}.cite{color:#555;font-size:.88rem}
.detail{font-size:.9rem;margin:.1rem 0}.id{font-family:monospace;color:#777}
.force{display:inline-block;padding:0 .35rem;border-radius:.2rem;font-size:.8rem}
.mandatory{background:#f4b6b6}.expectation{background:#fce4b0}.suggestion{background:#cfe8cf}
.none{background:#e7e7e7}.change{font-weight:bold;text-transform:uppercase;font-size:.8rem}
@media print{body{margin:0;max-width:none}a{color:inherit}}
"""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def html_report(register: Register) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(register.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{esc(register.title)}</h1>",
        f"<p>Made {esc(register.generated_at)} by docmine. {len(register.rows)} obligations"
        + (f" ({esc(force_counts(register))})." if register.rows else ".")
        + (f"<br>Scope: {esc(register.scope)}." if register.scope else "")
        + "</p>",
        "<table><tr><th>Document</th><th>Version</th><th>Published</th><th>Content hash</th></tr>",
    ]
    for d in register.documents:
        out.append(
            f"<tr><td>{esc(d.title)}</td><td>{d.version}</td><td>{esc(d.published or '-')}</td>"
            f"<td><code>{esc(d.content_hash[:12])}</code></td></tr>"
        )
    out.append("</table>")
    for holder, forces in grouped(register):
        out.append(f"<h2>{esc(holder)}</h2>")
        for force, rows in forces:
            out.append(
                f'<h3><span class="force {force}">{FORCE_HEADINGS[force]}</span> ({len(rows)})</h3>'
            )
            out += ["<ol>", *(html_item(row) for row in rows), "</ol>"]
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def html_item(row: RegisterRow) -> str:
    change = f'<span class="change">{esc(row["change"])}</span> ' if row.get("change") else ""
    parts = [f"<li>{change}{esc(row['clause_text'])}"]
    parts += [
        f'<div class="detail"><b>{label}:</b> {esc(value)}</div>'
        for label, value in detail_parts(row)
    ]
    cite = esc(", ".join(citation_parts(row)))
    location = str(row.get("source_location") or "")
    if location.startswith(_SAFE_LINK):
        cite = f'<a href="{esc(location)}">{cite}</a>'
    parts.append(
        f'<div class="cite">{cite} · <span class="id">{esc(row["obligation_id"])}</span></div>'
    )
    return "".join(parts) + "</li>"


def write_markdown(register: Register, path: Path) -> None:
    path.write_text(markdown_report(register), encoding="utf-8")


def write_html(register: Register, path: Path) -> None:
    path.write_text(html_report(register), encoding="utf-8")
