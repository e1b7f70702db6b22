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

Where each part is generated:

- ``realism``: the background rates (:class:`Realism`), by pairing model or drawn;
- ``staff``: people, names and ids, the summer's turnover;
- ``calendar`` and ``steps``: the school's year, cycles, sequence and strands;
- ``pairings``: who coaches whom, the QA team, the mid-year changes and the leaver;
- ``notes``: sessions, drop-ins and the session gaps; ``qa`` and ``training``:
  QA records, training records and their gaps;
- ``year``: what every generator of a year shares; ``programme``: the order they
  run in (:func:`generate_programme`); ``trust``: many schools over several years;
- ``output``: writing files (notes as YAML, fast) and what a run reports.
"""

from __future__ import annotations

from coachctl.synth.output import Generated, GenerateError
from coachctl.synth.programme import MODELS, generate_programme
from coachctl.synth.realism import IDEAL, PROFILES, Realism, profile
from coachctl.synth.trust import generate_trust

__all__ = ["IDEAL", "MODELS", "PROFILES", "GenerateError", "Generated", "Realism",
           "generate_programme", "generate_trust", "profile"]
