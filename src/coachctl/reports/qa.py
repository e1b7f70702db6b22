"""``coachctl qa``'s gaps for a programme: every gap of :mod:`coachctl.reports.gaps` (the
QA gaps Q001-Q016 and the school's own expectations X001-X005, grouped there by what
they check), plus two that ``validate`` already finds and are reused as they are: a step
outside the sequence (R008) and an ECT not paired with their mentor (R009).

A programme's gaps are cached (:func:`qa_programme`) with the span of days
on which ``today`` compares alike with every date they were computed from
(see :mod:`coachctl.datewatch`), so an unchanged programme's QA on any day of
that span loads no data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from coachctl.cachecodec import decode_diagnostic, encode_diagnostic
from coachctl.diagnostics import Diagnostic
from coachctl.loader import locate
from coachctl.reports.gaps.coaches import (
    check_names_no_note,
    coach_not_observed,
    coached_before_shadowing,
    focus_not_rolled_out,
    new_shadows_new,
    one_mode_only,
    write_ups_never_checked,
)
from coachctl.reports.gaps.context import Gap, QaContext
from coachctl.reports.gaps.expectations import (
    coaches_not_qad,
    completion_below_target,
    over_cap,
    rehearsal_below,
    too_few_sessions,
)
from coachctl.reports.gaps.notes import no_praise, no_rehearsal, notes_missing, notes_stub, stuck
from coachctl.reports.gaps.pairs import (
    broken_by_leaver,
    hub_qa_not_by_expert,
    hub_without_qa,
    over_load,
)
from coachctl.validation import Checked, Derived, check_and_derive

REUSED = ("R008", "R009")
"""Codes from ``validate`` that are QA gaps too: ``qa`` reports them alongside its own."""


GAPS: tuple[Gap, ...] = (coach_not_observed, coached_before_shadowing, notes_missing,
                         notes_stub, no_rehearsal, no_praise, stuck, broken_by_leaver,
                         over_load, hub_without_qa, hub_qa_not_by_expert,
                         write_ups_never_checked, check_names_no_note, new_shadows_new,
                         one_mode_only, focus_not_rolled_out, too_few_sessions,
                         coaches_not_qad, rehearsal_below, over_cap, completion_below_target)


def find_gaps(checked: Checked, today: dt.date) -> list[Diagnostic]:
    """Every QA gap in a checked programme, located and sorted like ``validate``'s output."""
    prog = checked.programme
    ctx = QaContext.of(prog, today)
    found = locate([d for gap in GAPS for d in gap(ctx)], prog)
    found += [d for d in checked.diagnostics if d.code in REUSED]
    found.sort(key=Diagnostic.sort_key)
    return found


CACHED = "qa.msgpack"
"""The programme cache's document of gaps: [first day, last day (ordinals), diagnostics]."""
DERIVED: Derived[list[Diagnostic]] = Derived(
    CACHED, __name__, find_gaps, lambda gaps: [encode_diagnostic(d, True) for d in gaps],
    lambda found: [decode_diagnostic(t) for t in found])


def qa_programme(root: Path, display: str | None, today: dt.date, *,
                 progress: Callable[[int], None] | None = None,
                 on_total: Callable[[int], None] | None = None,
                 ) -> tuple[Checked, list[Diagnostic]]:
    """Check a programme and find its gaps, from the cache when neither a file, nor this
    code, nor anything ``today`` is compared with has changed: then no data is loaded."""
    return check_and_derive(root, display, today, DERIVED, progress=progress, on_total=on_total)
