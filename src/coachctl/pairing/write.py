"""Suggestions and ``pair add`` / ``pair end`` written into pairings.yaml's value.

Works on a plain or a round-trip value (:mod:`coachctl.yamledit`), so the
file keeps its comments and layout.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from coachctl.pairing.proposal import Proposal


def apply(doc: dict[str, Any], proposal: Proposal) -> None:
    """Write ``proposal`` into pairings.yaml's value (plain or round-trip): with ``all``,
    pairings in force in the cycle end the cycle before (or go, if they begin in it)."""
    n = proposal.cycle
    if proposal.mode == "all":
        for key in ("groups", "reciprocal"):
            entries = doc.get(key) or []
            for i in reversed(range(len(entries))):
                e = entries[i]
                if e.get("from_cycle", 1) >= n:
                    del entries[i]
                elif e.get("until_cycle") is None or e["until_cycle"] >= n:
                    from coachctl.yamledit import put

                    put(e, "until_cycle", n - 1,
                        after=("coachees", "staff", "from_cycle"))
    by_coach: dict[tuple[str, str, int | None], list[str]] = defaultdict(list)
    both = sorted({tuple(sorted((s.coach, s.coachee))) for s in proposal.suggestions
                   if s.partner})
    if both and doc.get("reciprocal") is None:
        from coachctl.yamledit import put

        put(doc, "reciprocal", [])
    for a, b in both:
        doc["reciprocal"].append({"staff": [a, b], "from_cycle": n})
    for s in proposal.suggestions:
        if s.partner:
            continue
        reason = ("ECT coached by their mentor" if s.mentor
                  else "new coach after theirs left" if proposal.mode == "repair"
                  else "suggested by coachctl pair suggest")
        by_coach[(s.coach, reason, s.until)].append(s.coachee)
    if not by_coach:
        return
    if doc.get("groups") is None:
        from coachctl.yamledit import put

        put(doc, "groups", [])
    for (coach, reason, until), coachees in sorted(by_coach.items(),
                                                   key=lambda kv: (kv[0][:2], kv[0][2] or 0)):
        entry: dict[str, Any] = {"coach": coach, "coachees": sorted(coachees), "from_cycle": n}
        if until is not None:
            entry["until_cycle"] = until  # they leave: the pair ends with their last cycle
        entry["reason"] = reason
        doc["groups"].append(entry)


def add(doc: dict[str, Any], coach: str, coachee: str, first: int, reason: str | None) -> None:
    """Add ``coach`` -> ``coachee`` from cycle ``first`` to pairings.yaml's value, unless a
    pairing already says so."""
    from coachctl.yamledit import put

    for g in doc.get("groups") or []:
        if (g.get("coach") == coach and coachee in (g.get("coachees") or [])
                and g.get("from_cycle", 1) <= first
                and (g.get("until_cycle") is None or g["until_cycle"] >= first)):
            return
    for r in doc.get("reciprocal") or []:
        if ({coach, coachee} == set(r.get("staff") or []) and r.get("from_cycle", 1) <= first
                and (r.get("until_cycle") is None or r["until_cycle"] >= first)):
            return
    entry: dict[str, Any] = {"coach": coach, "coachees": [coachee], "from_cycle": first}
    if reason:
        entry["reason"] = reason
    if doc.get("groups") is None:
        put(doc, "groups", [])
    doc["groups"].append(entry)


def end(doc: dict[str, Any], coach: str, coachee: str, last: int, reason: str | None) -> None:
    """End every pairing in which ``coach`` coaches ``coachee`` after cycle ``last``: a
    group's other coachees carry on with the coach; a reciprocal pair ends both ways."""
    from coachctl.roster import end_pairings
    from coachctl.yamledit import put

    def say_why(entry: dict[str, Any]) -> None:
        if reason and reason not in str(entry.get("reason", "")):
            put(entry, "reason", f"{entry['reason']}; ended: {reason}" if entry.get("reason")
                else f"ended: {reason}", after=("until_cycle",))

    end_pairings(doc, coachee, last, coach=coach, on_end=say_why)
