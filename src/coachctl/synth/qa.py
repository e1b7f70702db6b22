"""Quality-assurance records."""

from __future__ import annotations

SECURE_RATE = 0.6
"""How often a QA observation finds the coach secure in its focus."""

QA_FEEDBACK = (
    "Precise praise was specific; keep the step smaller next time.",
    "Rehearsal was strong: the coachee practised until fluent.",
    "The step was well chosen from the sequence; script it more tightly.",
    "Good questioning; give the coachee more of the talking.",
)
