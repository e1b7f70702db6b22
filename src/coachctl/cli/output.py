"""Writing a report in the format asked for: each :class:`~coachctl.cli.options.OutputFormat`
goes to its renderer in :mod:`coachctl.render`; text to standard output or --output."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import coachctl.cli.lite as typer
from coachctl.cli.common import color_enabled
from coachctl.cli.options import OutputFormat

if TYPE_CHECKING:
    from coachctl.tables import Document, Table


def emit_tables(tables: list[Table], fmt: OutputFormat,
                terminal: list[Table] | None = None, *, heading: str = "",
                summary: str | None = None) -> None:
    """Tables as JSON, CSV (one table, or several stacked: :func:`~coachctl.render.tabular.
    to_csv_stacked`), Markdown (``heading`` and ``summary`` above them) or rich;
    ``terminal`` is a narrower layout (:mod:`coachctl.render.layout`) for rich and Markdown."""
    from coachctl.render import tabular

    if fmt is OutputFormat.json:
        typer.echo(tabular.to_json(tables))
    elif fmt is OutputFormat.csv:
        text = tabular.to_csv(tables[0]) if len(tables) == 1 else \
            tabular.to_csv_stacked(tables)
        typer.echo(text, nl=False)
    elif fmt is OutputFormat.md:
        from coachctl.render import markdown

        shown = terminal or tables
        typer.echo(markdown.tables(shown, heading or shown[0].title or "coachctl", summary),
                   nl=False)
    else:
        tabular.print_rich(terminal or tables, color=color_enabled())


def emit_document(doc: Document, fmt: OutputFormat) -> None:
    """A page (:class:`coachctl.tables.Document`) as Markdown or HTML."""
    from coachctl.render import document

    render = {OutputFormat.md: document.to_markdown, OutputFormat.html: document.to_html}
    typer.echo(render[fmt](doc))


def write_output(text: str, output: Path | None, done: str) -> None:
    """``text`` to standard output, or with ``--output`` replacing that file (atomically),
    then ``wrote {done} to FILE`` on stderr."""
    if output is None:
        typer.echo(text, nl=False)
        return
    from coachctl.fsio import replace

    replace(output, text)
    typer.echo(f"wrote {done} to {output}", err=True)
