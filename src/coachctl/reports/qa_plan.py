"""The half term's planned QA (:mod:`coachctl.qaplan`) as a table: ids and dates only."""

from __future__ import annotations

from coachctl.programme import Programme
from coachctl.qaplan import QaPlan
from coachctl.tables import Table


def plan_table(prog: Programme, plan: QaPlan) -> Table:
    school = prog.settings.school if prog.settings else prog.display
    return Table(
        "qa.plan", ("date", "kind", "coach", "by", "mode", "why", "file"),
        [(p.date, p.kind, p.coach, p.by, p.mode, p.why, prog.path(p.rel)) for p in plan.planned],
        title=f"{school}: QA planned for {plan.half_term} ({plan.start} to {plan.end})",
        meta={"programme": prog.display, "half_term": plan.half_term, "from": plan.start,
              "to": plan.end, "already_covered": sorted(plan.covered),
              "nobody_to_qa": sorted(plan.nobody)},
        caption=f"{len(plan.planned)} planned; {len(plan.covered)} coaches already QA'd or "
                f"planned this half term; nobody to QA: {', '.join(plan.nobody) or 'none'}")
