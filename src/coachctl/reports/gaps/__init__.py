"""QA gaps: what quality assurance should have caught and did not (Q001-Q016), and the
school's own expectations in programme.yaml (X001-X005), grouped by what they check.

Each gap is a small function ``gap(ctx) -> Iterator[Diagnostic]`` over a
:class:`~coachctl.reports.gaps.context.QaContext`, like the cross-file checks, with a
key-path pointer into the file the gap comes from and ``subject`` the person, pair or
hub it concerns. "This half term" (or term, or year: programme.yaml's ``qa`` rules)
is the window ``today`` falls in. Each module declares the codes of its gaps beside
them, as the checks do (``Q001 = Code(...)`` above ``coach_not_observed``), and lists
them in ``CODES`` for :mod:`coachctl.registry`.
:mod:`coachctl.reports.qa` runs them all.
"""
