"""coachctl: run a school's instructional-coaching programme from plain YAML files in git."""

__version__ = "0.1.0"
