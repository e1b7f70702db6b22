"""The files ``coachctl init`` writes: a small programme that validates as it stands."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any

from coachctl.calendar import english_year
from coachctl.models import Calendar, as_dict
from coachctl.yamlout import dump


def packaged(name: str) -> str:
    """A data file shipped with coachctl (the step library, the coaching curriculum)."""
    return resources.files("coachctl").joinpath("data", name).read_text(encoding="utf-8")


def calendar_dict(cal: Calendar) -> dict[str, Any]:
    return as_dict(cal, exclude_none=True)


def academic_start_year(today: dt.date) -> int:
    """The school year ``today`` is in starts in September of this year."""
    return today.year if today.month >= 8 else today.year - 1


def initial_files(school: str, start_year: int) -> dict[str, str]:
    """programme.yaml, staff, pairings, steps and .gitignore for a new programme."""
    library_text = packaged("library.yaml")
    import yaml

    library = yaml.safe_load(library_text)
    sequence = [s["id"] for strand in library["strands"] for s in strand["steps"][:3]]
    programme = {
        "format": 1,
        "school": school,
        "academic_year": f"{start_year}-{(start_year + 1) % 100:02d}",
        "lead_coach": "lead",
        "pairing_model": "reciprocal",
        "calendar": calendar_dict(english_year(start_year)),
        "cycles": {"length_weeks": 3, "coaching_day": "thursday", "coaching_time": "14:00",
                   "meeting_minutes": 30, "teach_meet_every": 3, "cpl_minutes": 60,
                   "holiday_weeks": "extend"},
        "qa": {"observe_each_coach": "half-term", "shadow_before_coaching": True,
               "hub_qa_each": "half-term"},
        "thresholds": {"stuck_after_cycles": 3, "max_coachees_per_coach": 4,
                       "completion_target": 0.8},
    }
    staff = {"staff": [
        {"id": "lead", "name": "Lead Coach", "role": "senior-leader", "department": "Leadership",
         "coach": True, "expert_coach": True, "joined": dt.date(start_year - 5, 9, 1)},
        {"id": "teacher-a", "name": "Teacher A", "role": "teacher", "department": "English",
         "coach": True, "joined": dt.date(start_year - 2, 9, 1)},
        {"id": "teacher-b", "name": "Teacher B", "role": "ect", "department": "English",
         "mentor": "teacher-a", "joined": dt.date(start_year, 9, 1)},
    ]}
    pairings = {
        "groups": [{"coach": "teacher-a", "coachees": ["teacher-b"], "from_cycle": 1,
                    "reason": "ECT coached by their mentor"},
                   {"coach": "teacher-b", "coachees": ["teacher-a"], "from_cycle": 1}],
        "reciprocal": [],
        "hubs": [{"id": "hub-1", "name": "Hub 1", "expert": "lead",
                  "coaches": ["teacher-a", "teacher-b"]}],
    }
    return {
        "programme.yaml": dump(programme, "The programme: school, calendar, cycle rules, QA, "
                               "thresholds.\nSee docs/format.md."),
        "staff.yaml": dump(staff, "Everyone in the programme. Leavers stay, with a `left` date."),
        "pairings.yaml": dump(pairings, "Who coaches whom, from which cycle; hubs of coaches."),
        "steps/library.yaml": library_text,
        "steps/coaching-curriculum.yaml": packaged("coaching-curriculum.yaml"),
        "steps/sequence.yaml": dump({"name": f"{school} sequence", "steps": sequence},
                                    "The school's own sequence, in order, by library step id."),
        ".gitignore": ".coachctl-cache/\n",
    }
