"""Synthetic programmes: realistic, deterministic test data in the real file format.

``generate_programme`` writes one school's year; ``generate_trust`` writes many
schools over several years (the benchmark's 300,000 notes). Everything comes
from one ``random.Random(seed)``: the same arguments always give the same
bytes, so examples can be committed and checked against a fresh regeneration.

The data follows the rules ``validate --strict`` enforces. Coaching in it goes
as it does in real schools (a :class:`Realism` profile per programme: only
40-85% of due sessions happen, coaches differ in how well they coach), and on
top of that background it plants a few deliberate quality-assurance gaps (a
missed session, a stuck coachee, a leaver ...) that ``coachctl qa`` should
find; each is listed in the manifest the generator returns, and the people
who carry one are otherwise coached without fault, so a planted gap stands
apart from the background.
"""

from __future__ import annotations

from coachctl.synth.output import Generated, GenerateError
from coachctl.synth.programme import MODELS, generate_programme
from coachctl.synth.realism import IDEAL, PROFILES, Realism, profile
from coachctl.synth.trust import generate_trust

__all__ = ["IDEAL", "MODELS", "PROFILES", "GenerateError", "Generated", "Realism",
           "generate_programme", "generate_trust", "profile"]
