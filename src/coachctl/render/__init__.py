"""Renderers: turn computed results into text, JSON, CSV, annotations or calendars.

Nothing here computes; nothing elsewhere formats for the terminal.
"""
