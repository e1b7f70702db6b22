"""Renderers: turn computed results into text, rich tables (laid out for a terminal by
:mod:`~coachctl.render.layout`), JSON, CSV, Markdown, HTML, annotations or calendars.

Nothing here computes; nothing elsewhere formats for the terminal.
"""
