"""The options and arguments commands share, declared once: one output-format type, the
``--format`` each command accepts, ``--output``, the programme argument, examples.

Every format coachctl writes is an :class:`OutputFormat`. A command accepts its own
subset under the same option (``--format``/``-f``), help and error: typer lists the
allowed formats in ``--help`` and refuses any other with a usage error (exit 2) naming
them, and the command receives an :class:`OutputFormat` member. To write a new format:
add a member here and to :data:`DESCRIBED`, a renderer in :mod:`coachctl.render`, and
the member to the ``*Formats`` option of each command that offers it.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum, EnumType, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

import coachctl.cli.lite as typer


class OutputFormat(StrEnum):
    """Every format coachctl can write."""

    text = "text"
    concise = "concise"
    json = "json"
    github = "github"
    table = "table"
    csv = "csv"
    ics = "ics"
    md = "md"
    html = "html"


DESCRIBED = {
    OutputFormat.text: "text (with source excerpts)",
    OutputFormat.concise: "concise (one line each)",
    OutputFormat.json: "json (versioned, see docs/reports.md)",
    OutputFormat.github: "github (Actions annotations)",
    OutputFormat.table: "table (rich)",
    OutputFormat.csv: "csv",
    OutputFormat.ics: "ics (iCalendar, for calendar apps)",
    OutputFormat.md: "md (a Markdown page, e.g. for $GITHUB_STEP_SUMMARY)",
    OutputFormat.html: "html",
}
"""Each format as ``--help`` names it."""


class _Choices(EnumType):
    """The type typer reads for one command's ``--format``: iterating it gives the allowed
    :class:`OutputFormat` members (typer's choices), calling it converts to one.

    Typer takes an Enum's members as an option's choices (and typer 0.17 calls the Enum
    to convert a value); an Enum with members cannot be narrowed by subclassing, so each
    subset is an empty Enum whose metaclass answers with OutputFormat's own members. The
    command thus receives an OutputFormat (``fmt is OutputFormat.json`` holds), and typer,
    its --help and its usage error list exactly the allowed ones, as for any Enum.
    """

    allowed: tuple[OutputFormat, ...]

    def __iter__(cls) -> Iterator[Any]:
        return iter(cls.allowed)

    def __len__(cls) -> int:
        return len(cls.allowed)

    def __call__(cls, value: Any, *args: Any, **kwargs: Any) -> Any:
        fmt = OutputFormat(value)
        if fmt not in cls.allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(cls.allowed)}")
        return fmt


def format_option(*allowed: OutputFormat) -> Any:
    """``Annotated[...]`` for a ``--format``/``-f`` accepting only ``allowed``, with help
    naming each (:data:`DESCRIBED`). The command's parameter takes an OutputFormat default."""
    class Choices(Enum, metaclass=_Choices):
        pass

    Choices.allowed = allowed
    named = [DESCRIBED[f] for f in allowed]
    return Annotated[Choices, typer.Option(
        "--format", "-f", help=f"{', '.join(named[:-1])} or {named[-1]}.")]


F = OutputFormat
if TYPE_CHECKING:  # a command's --format value is an OutputFormat (typer sees the subset)
    DiagnosticFormats: TypeAlias = OutputFormat
    ValidateFormats: TypeAlias = OutputFormat
    GapFormats: TypeAlias = OutputFormat
    StatsFormats: TypeAlias = OutputFormat
    JourneyFormats: TypeAlias = OutputFormat
    TableFormats: TypeAlias = OutputFormat
    ReadFormats: TypeAlias = OutputFormat
    ScheduleFormats: TypeAlias = OutputFormat
    PlanFormats: TypeAlias = OutputFormat
    BulletinFormats: TypeAlias = OutputFormat
else:
    DiagnosticFormats = format_option(F.text, F.concise, F.json, F.github)
    ValidateFormats = format_option(F.text, F.concise, F.json, F.github, F.md)
    GapFormats = format_option(F.text, F.concise, F.json, F.github, F.csv, F.md)
    StatsFormats = format_option(F.table, F.json, F.csv, F.md)
    JourneyFormats = format_option(F.table, F.json, F.csv)
    TableFormats = format_option(F.table, F.json, F.csv)
    ReadFormats = format_option(F.table, F.json)
    ScheduleFormats = format_option(F.table, F.json, F.csv, F.ics)
    PlanFormats = format_option(F.table, F.json, F.md)
    BulletinFormats = format_option(F.md, F.html)


ProgrammeArgument = Annotated[Path, typer.Argument(
    help="The programme folder (one holding programme.yaml).")]
ProgrammesArgument = Annotated[list[Path] | None, typer.Argument(
    help="Programme folders, or folders of programmes (a trust).")]


def output_option(help: str = "Write to this file instead of standard output.") -> Any:
    """``--output``/``-o FILE`` for a command that writes a file."""
    return typer.Option("--output", "-o", metavar="FILE", show_default=False, help=help)


OutputOption = Annotated[Path | None, output_option()]
DryRunOption = Annotated[bool, typer.Option(
    "--dry-run", help="Show the change as a diff; write nothing.")]
TodayOption = Annotated[str | None, typer.Option(
    "--today", metavar="YYYY-MM-DD", help="Answer as if today were this date (default: today).")]


def examples(*lines: str, note: str = "") -> str:
    """A command's epilog: its examples, then an optional note, one paragraph each.

    Every typer we allow shows each paragraph on a line of its own; typer 0.17 joins
    the lines inside a paragraph (it ignores click's ``\\b``), which ran a block of
    examples together into one unreadable line.
    """
    paragraphs = ["Examples:", *(f"  {line}" for line in lines)]
    return "\n\n".join(paragraphs + ([note] if note else []))
