"""Session notes and drop-ins."""

from __future__ import annotations

from typing import Any

from coachctl.journeys import Journey
from coachctl.lifecycle import stub_header
from coachctl.yamlout import NOTE_FIELDS, comment
from coachctl.yamlout import field as yaml_field

PRAISE = (
    "You waited for silence before giving the instruction,",
    "Your cold call reached six students in the first ten minutes,",
    "The model on the visualiser was clear and worked step by step,",
    "Your entry routine had every student working within a minute,",
    "You narrated the positive and the room settled quickly,",
    "Your hinge question showed who had misunderstood,",
    "You checked for understanding before releasing independent practice,",
    "Your transitions between tasks were brisk and calm,",
    "The worked example faded well into independent work,",
    "You used wait time after every question,",
)
PRAISE_END = (
    "and the class followed it straight away.",
    "which kept every student thinking.",
    "so the task started without questions.",
    "and you returned to the students who hesitated.",
    "which made the lesson feel purposeful.",
    "and the follow-up questions went deeper.",
)
NEXT_STEPS = (
    "Script the routine word for word and practise it before Monday.",
    "Rehearse the instruction twice with the coach at the next meeting.",
    "Plan three cold-call questions for each lesson this week.",
    "Use the step in period one every day and note how long it takes.",
    "Film two minutes of the routine and watch it back together.",
    "Visit a colleague who does this well and borrow their script.",
)
NOTE_TEXT = (
    "Year 7 lesson, period 2. Feedback meeting on the coaching afternoon.",
    "Year 9 set 3. Coachee chose to focus on the start of the lesson.",
    "Year 10 practical. Rehearsed twice, the second time with a distraction.",
    "Year 8 lesson after lunch. Agreed to revisit at the Teach Meet.",
    "Year 11 revision lesson. Modelled the step, then swapped roles.",
    "Sixth-form class. Short meeting; follow-up drop-in planned.",
)
VAGUE_NEXT_STEPS = (
    "Work on your questioning.",
    "Keep building relationships with the class.",
    "Think about behaviour management.",
    "Try to get more students involved.",
)
MISSED_REASONS = (
    "Coach covering an absent colleague.",
    "Coachee on a school trip on the coaching afternoon.",
    "Mock exams took the observation slot.",
    "Coaching afternoon given over to parents' evening.",
    "Coachee off sick in the observation week.",
    "Meeting cancelled for a whole-staff briefing.",
)


# --- YAML for notes, fast ------------------------------------------------------------------

class _NoteYaml:
    """Notes as YAML, byte-identical to :func:`coachctl.yamlout.note_text`, ~20x faster.

    A note is the template's flat mapping, so its YAML is the header then each
    field as the template writes it; those fields repeat (the same ids, dates,
    steps and phrases) and are written once each and reused. Notes are laid out
    as ``cycle start`` writes its stubs, filled in as a teacher would.
    """

    def __init__(self) -> None:
        self._lines: dict[tuple[str, type, Any], str] = {}

    def __call__(self, note: dict[str, Any]) -> str:
        lines = self._lines
        out = [comment(stub_header(note["coach"], note["coachee"], note["cycle"]))]
        for key, remark in NOTE_FIELDS.items():
            value = note.get(key, False if key == "step_secured" else None)
            k = (key, type(value), value)
            line = lines.get(k)
            if line is None:
                line = lines[k] = yaml_field(key, value, remark)
            out.append(line)
        return "".join(out)


def _cycles_on(j: Journey, step: str, cycle: int) -> int:
    """Cycles ``step`` will have been worked on, counting ``cycle``, if not secured now."""
    if j.last_step != step:
        return 1
    return j.cycles_on_current_step() + (0 if j.notes[-1].cycle == cycle else 1)
