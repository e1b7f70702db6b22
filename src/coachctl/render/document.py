"""A report's :class:`~coachctl.tables.Document` as Markdown or as a plain HTML page."""

from __future__ import annotations

import html

from coachctl.tables import Document


def to_markdown(doc: Document) -> str:
    out = [f"# {doc.title}", ""]
    for paragraph in doc.paragraphs:
        out += [paragraph, ""]
    for heading, lines in doc.sections:
        out += [f"## {heading}", "", *(f"- {line}" for line in lines), ""]
    return "\n".join(out)


def to_html(doc: Document) -> str:
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{e(doc.title)}</title></head><body>", f"<h1>{e(doc.title)}</h1>"]
    out += [f"<p>{e(paragraph)}</p>" for paragraph in doc.paragraphs]
    for heading, lines in doc.sections:
        out += [f"<h2>{e(heading)}</h2>", "<ul>", *(f"<li>{e(line)}</li>" for line in lines),
                "</ul>"]
    out.append("</body></html>")
    return "\n".join(out)
