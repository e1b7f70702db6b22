"""The report as one self-contained HTML file: pygal SVG charts inline, Jinja2 templates.

Nothing is fetched when the page opens: no script, stylesheet, font or image
comes from anywhere but the file itself, so it reads the same from an email
attachment or a USB stick, offline. Each chart is pygal's SVG written into the
page (pygal's own script tags removed: the page runs no script at all), with
its numbers in a table beside it. Templates are autoescaped; the only markup
not escaped is the SVG pygal produces, which escapes the labels it is given.

pygal and Jinja2 are imported here only, so every other command starts
without them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from coachctl import __version__
from coachctl.render.safe import printable
from coachctl.reports.overview import Group, Overview

GENERATOR = f"coachctl {__version__} report"
"""The page's ``<meta name="generator">``: how ``report -o`` knows a file it may replace."""
WRITTEN_BY_US = re.compile(rb'<meta name="generator" content="coachctl [^"<>]* report">')
"""A report by any version of coachctl, in the first bytes of a file."""

PALETTE = ("#1f5f8b", "#e08a1e", "#3a8f5c", "#b8405e", "#6b5ca5", "#8c6d31", "#4a9bb8")
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


@dataclass(frozen=True)
class Figure:
    """One chart and the table of its numbers."""

    id: str
    title: str
    text: str
    """What the chart shows, in a sentence."""
    svg: str
    caption: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    wide: bool = False


def percent(share: float | None) -> str:
    return "–" if share is None else f"{round(100 * share)}%"


def _style(colors: Sequence[str] = PALETTE) -> Any:
    from pygal.style import Style

    return Style(background="white", plot_background="white", foreground="#222",
                 foreground_strong="#111", foreground_subtle="#666", opacity="0.9",
                 opacity_hover="0.9", font_family="system-ui, 'DejaVu Sans', Arial, sans-serif",
                 label_font_size=15, major_label_font_size=15, value_font_size=16,
                 value_label_font_size=16, legend_font_size=15, title_font_size=16,
                 tooltip_font_size=14, colors=tuple(colors), value_colors=("white",))


def _chart(kind: str, uid: str, **config: Any) -> Any:
    import pygal

    settings: dict[str, Any] = {
        "js": [], "disable_xml_declaration": True, "explicit_size": False, "width": 760,
        "height": 340, "print_values": True, "print_zeroes": False, "legend_at_bottom": True,
        "legend_at_bottom_columns": 2, "legend_box_size": 14, "truncate_label": -1,
        "truncate_legend": -1, "no_data_text": "nothing to show yet"}
    settings.update(config)
    colors = settings.pop("colors", PALETTE)
    chart = getattr(pygal, kind)(style=_style(colors), **settings)
    chart.uuid = uid  # ids and CSS scoped by name, not a random uuid: same input, same page
    return chart


def _svg(chart: Any) -> str:
    text: str = chart.render(is_unicode=True)
    return _COMMENT.sub("", _SCRIPT.sub("", text))


def _pct(share: float | None) -> float | None:
    return None if share is None else round(100 * share)


def _pct_formatter(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}%"


def _short(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _completion_chart(uid: str, groups: Sequence[Group], target: float | None,
                      labels: Sequence[str] | None = None, x_title: str | None = None) -> str:
    """Completion of each group as bars; many long names (schools) as horizontal bars."""
    names = list(labels or [g.label for g in groups])
    values = [_pct(g.completion) for g in groups]
    horizontal = len(groups) > 4 and max(map(len, names)) > 8
    if horizontal:  # drawn from the bottom up: reversed, so the first row is on top
        names, values = names[::-1], values[::-1]
    chart = _chart("HorizontalBar" if horizontal else "Bar", uid, range=(0, 100),
                   show_legend=False, value_formatter=_pct_formatter,
                   height=max(300, 80 + 34 * len(groups)) if horizontal else 340,
                   y_labels=sorted({0, 20, 40, 60, 80, 100, *_target(target)}),
                   x_title=None if horizontal else x_title,
                   y_title=None if horizontal else "% of sessions done")
    chart.x_labels = [printable(n) for n in names]
    chart.add("completion", values)
    return _svg(chart)


def _target(target: float | None) -> list[int]:
    return [] if target is None else [round(100 * target)]


def _group_rows(groups: Sequence[Group]) -> list[list[Any]]:
    return [[g.label, g.planned, g.done, percent(g.completion)] for g in groups]


GROUP_HEADERS = ("", "sessions planned", "done", "completion")


def figures(ov: Overview) -> list[Figure]:
    """Every chart of the report, with its table, in reading order."""
    out = [Figure(
        "trend", "Completion of ended cycles",
        "Share of the sessions planned in each ended cycle (one coach and coachee) that "
        "happened, with a complete note"
        + (f" (target {percent(ov.target)}, marked on the scale)" if ov.target is not None
           else "") + ". A cycle still running is shown apart, above."
        + (" Over several programmes, cycle N adds up every programme's cycle N: compare "
           "cycles within one academic year." if ov.trust else ""),
        _completion_chart("trend", ov.trend, ov.target,
                          [g.label.removeprefix("Cycle ") for g in ov.trend], "cycle"),
        "Completion by ended cycle", ("cycle", *GROUP_HEADERS[1:]),
        [*_group_rows(ov.trend), ["all ended cycles", ov.total.planned, ov.total.done,
                                  percent(ov.total.completion)]])]

    if ov.heat:
        chart = _chart("Dot", "heat", height=max(260, 60 + 34 * len(ov.heat)),
                       value_formatter=_pct_formatter, show_legend=False, print_values=False,
                       x_title="cycle",
                       colors=[PALETTE[0]] * len(ov.heat))
        chart.x_labels = [str(c) for c in ov.cycles]
        for row in ov.heat:
            chart.add(printable(row.department), [_pct(c) for c in row.cells])
        out.append(Figure(
            "heat", "Completion by department and cycle",
            "Each dot is one department in one ended cycle (the coachee's department); the "
            "larger the dot, the higher the completion.",
            _svg(chart), "Completion by department (rows) and ended cycle (columns)",
            ("department", *(f"cycle {c}" for c in ov.cycles)),
            [[r.department, *map(percent, r.cells)] for r in ov.heat], wide=True))

    t = ov.total
    quality = [("precise praise", t.praise), ("modelling", t.modelled),
               ("rehearsal", t.rehearsed), ("step from the sequence", t.in_sequence)]
    chart = _chart("HorizontalBar", "quality", range=(0, 100), show_legend=False,
                   value_formatter=_pct_formatter, height=260)
    chart.x_labels = [name for name, _ in reversed(quality)]  # drawn from the bottom up
    chart.add("% of complete notes", [_pct(v) for _, v in reversed(quality)])
    out.append(Figure(
        "quality", "What happened in the sessions",
        "Of the complete notes of ended cycles, the share that recorded precise praise, "
        "modelling of the step and rehearsal of it, and the share whose step comes from the "
        "school's sequence.",
        _svg(chart), "Coaching quality, ended cycles", ("measure", "% of complete notes"),
        [[name, percent(v)] for name, v in quality]))

    if len(ov.trend) > 1:
        measures = (("precise praise", "praise"), ("modelling", "modelled"),
                    ("rehearsal", "rehearsed"), ("step from the sequence", "in_sequence"))
        chart = _chart("Line", "quality-trend", range=(0, 100), print_values=False,
                       value_formatter=_pct_formatter, x_title="cycle", dots_size=5,
                       stroke_style={"width": 3}, y_title="% of complete notes")
        chart.x_labels = [g.label.removeprefix("Cycle ") for g in ov.trend]
        for name, attr in measures:
            chart.add(name, [_pct(getattr(g, attr)) for g in ov.trend])
        out.append(Figure(
            "quality-trend", "Session quality, cycle by cycle",
            "The same shares for each ended cycle: whether rehearsal and modelling hold up "
            "as the year goes on.",
            _svg(chart), "Coaching quality by ended cycle, % of complete notes",
            ("cycle", *(name for name, _ in measures)),
            [[g.label, *(percent(getattr(g, attr)) for _, attr in measures)]
             for g in ov.trend], wide=True))

    if ov.qa:
        chart = _chart("HorizontalStackedBar", "qa", height=max(220, 90 + 40 * len(ov.qa)))
        chart.x_labels = [printable(q.school) for q in ov.qa]
        chart.add("observed", [q.observed for q in ov.qa])
        chart.add("not yet observed", [q.coaches - q.observed for q in ov.qa])
        out.append(Figure(
            "qa", "Quality assurance this half term",
            "Coaches with a session in the current cycle, observed coaching in the QA "
            "window today falls in, or not yet; and hubs whose coaching has been "
            "quality-assured in it. Counts only.",
            _svg(chart), "QA coverage in the current window",
            ("school", "window", "coaches coaching now", "observed", "hubs",
             "hubs quality-assured", "QA records"),
            [[q.school, q.window or "–", q.coaches, q.observed, q.hubs, q.hubs_assured,
              q.records] for q in ov.qa], wide=True))

    if ov.steps:
        chart = _chart("HorizontalStackedBar", "steps", height=max(260, 90 + 30 * len(ov.steps)))
        chart.x_labels = [_short(printable(s.step)) for s in reversed(ov.steps)]
        chart.add("working on it now", [s.working for s in reversed(ov.steps)])
        chart.add("secured", [s.secured for s in reversed(ov.steps)])
        more = f"; {ov.more_steps} more steps not shown" if ov.more_steps else ""
        out.append(Figure(
            "steps", "Action steps being worked on and secured",
            "Coachees still on the staff whose latest step is not yet secured, and runs of "
            "sessions that secured a step in an ended cycle, for the most used steps.",
            _svg(chart), f"Steps worked on and secured{more}",
            ("step", "working on it now", "secured", "cycles to secure, on average"),
            [[s.step, s.working, s.secured, "–" if s.cycles_to_secure is None
              else s.cycles_to_secure] for s in ov.steps], wide=True))

    if ov.secure_after:
        chart = _chart("Bar", "secure", show_legend=False, height=280,
                       x_title="cycles on the step", y_title="steps secured")
        chart.x_labels = [str(n) for n in ov.secure_after]
        chart.add("steps secured", list(ov.secure_after.values()))
        out.append(Figure(
            "secure", "How long steps take to secure",
            f"How many cycles a coachee worked on a step before securing it. "
            f"{ov.steps_secured} steps secured, in {ov.cycles_to_secure} cycles on average.",
            _svg(chart), "Steps secured, by cycles taken",
            ("cycles on the step", "steps secured"), [[n, k] for n, k in ov.secure_after.items()]))

    if ov.load:
        limit = f" (limit {ov.limit})" if ov.limit is not None else ""
        chart = _chart("Bar", "load", show_legend=False, height=280,
                       x_title="coachees per coach", y_title="coaches")
        chart.x_labels = [str(n) for n in ov.load]
        chart.add("coaches", list(ov.load.values()))
        out.append(Figure(
            "load", f"Coach load in the current cycle{limit}",
            "How many coaches have one, two, three ... coachees in the current cycle, "
            "against max_coachees_per_coach in programme.yaml. Coaches over it are named "
            "below.",
            _svg(chart), f"Coaches by number of coachees{limit}",
            ("coachees per coach", "coaches"), [[n, k] for n, k in ov.load.items()]))

    for uid, title, groups in (("schools", "Completion by school", ov.schools),
                               ("years", "Completion by academic year", ov.years)):
        if groups:
            out.append(Figure(
                uid, title, "Completion of ended cycles, every cycle of each summed.",
                _completion_chart(uid, groups, ov.target), title,
                (uid[:-1], *GROUP_HEADERS[1:], "precise praise", "modelling", "rehearsal"),
                [[*row, percent(g.praise), percent(g.modelled), percent(g.rehearsed)]
                 for row, g in zip(_group_rows(groups), groups, strict=True)], wide=True))
    return out


def _finalize(value: Any) -> Any:
    """Every text the template prints shows control characters escaped, as in a terminal
    (render/safe.py), before autoescaping; pygal's SVG (marked safe) is left as it is."""
    return printable(value) if isinstance(value, str) and not hasattr(value, "__html__") \
        else value


def render(ov: Overview) -> str:
    """The whole page."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("coachctl", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      finalize=_finalize)
    page = env.get_template("report.html.j2")
    # Every value is escaped but pygal's SVG (|safe in the template): pygal escapes its labels.
    return page.render(ov=ov, charts=figures(ov), generator=GENERATOR, percent=percent)
