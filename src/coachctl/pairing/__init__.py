"""Suggesting coaches from needs and strengths (``coachctl pair suggest``).

For a cycle N, every coachee who needs a coach gets one, chosen as an optimal
assignment, never one at a time:

* *need*: the coachee's current step and its strand (:mod:`coachctl.journeys`);
* *strength*: steps the coach secured themselves or coached others to secure,
  expert status, department (``pairing.department`` in programme.yaml);
* *hard constraints* (a pair that breaks one is never suggested): nobody coaches
  themselves; a coach is flagged ``coach: true``, is not an ECT and takes part in
  cycle N (joined, not left before it); an ECT is coached by their mentor; nobody
  is coached by their own ``line_manager``; no coach gets more than
  ``thresholds.max_coachees_per_coach`` coachees, counting those they keep;
* *soft preferences* (weights in ``pairing.weights``): keep a working pair, do
  not repeat a pair that has ended, spread the load.

The score of each (coachee, coach) pair fills a matrix whose columns are the
coaches' free places (a coach with three free places has three columns, each
dearer by the load weight), plus one "nobody" column per coachee that costs more
than any score can win back. :func:`scipy.optimize.linear_sum_assignment` then
places as many coachees as any assignment can, and among those assignments picks
the one with the highest total score. Suggestions are one-way pairs (``groups``
in pairings.yaml). docs/pairing.md gives the weights and the evidence behind them.

The package, by job: :mod:`~coachctl.pairing.facts` (needs, strengths and hard
constraints from the programme; which cycle), :mod:`~coachctl.pairing.scoring`
(the weighted terms and the explanation), :mod:`~coachctl.pairing.solve` (the
assignment and the reciprocal matching), :mod:`~coachctl.pairing.proposal` (what is
proposed, as tables) and :mod:`~coachctl.pairing.write` (into pairings.yaml).
"""

from __future__ import annotations

from coachctl.pairing.facts import Facts, next_cycle, repair_cycle
from coachctl.pairing.proposal import CannotSuggest, Mode, Proposal, Suggestion, Unplaced, tables
from coachctl.pairing.scoring import TERMS, points, score, terms
from coachctl.pairing.solve import FORBIDDEN, PARTNERS, UNPLACED_COST, hard_violations, suggest
from coachctl.pairing.write import add, apply, end

__all__ = ["FORBIDDEN", "PARTNERS", "TERMS", "UNPLACED_COST", "CannotSuggest", "Facts", "Mode",
           "Proposal", "Suggestion", "Unplaced", "add", "apply", "end", "hard_violations",
           "next_cycle", "points", "repair_cycle", "score", "suggest", "tables", "terms"]
