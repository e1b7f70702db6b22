"""Editor support written into a programme by ``coachctl init``: the JSON Schemas of its
files and VS Code's settings mapping each schema to the files of its kind.

The settings are for the YAML extension (Red Hat's, yaml-language-server): ``yaml.schemas``
maps each schema to globs of the files it describes, and ``yaml.yamlVersion: "1.1"`` makes
the editor read ``yes``, ``no``, ``14:00`` and ``1e3`` as coachctl does (YAML 1.1; the
extension defaults to 1.2, where they are all strings). Settings already in place are never
overwritten: :func:`settings_snippet` is what to add to them by hand (VS Code's settings
are JSON with comments, which cannot be merged into safely without losing them).
"""

from __future__ import annotations

import json
from typing import Any

SCHEMAS_DIR = "schemas"
SETTINGS = ".vscode/settings.json"


def globs(kind: str) -> list[str]:
    """The files of one kind, as globs the YAML extension matches from the workspace root
    (the programme folder, or a trust's repository holding several)."""
    if kind.endswith(".yaml"):
        return [f"**/{kind}"]
    return [f"**/{kind}/**/*.yaml", f"**/{kind}/**/*.yml"]


def settings() -> dict[str, Any]:
    """VS Code settings: every schema in ``schemas/`` mapped to its files, and YAML 1.1."""
    from coachctl.schemas import kinds

    return {"yaml.schemas": {f"./{SCHEMAS_DIR}/{name}.json": globs(kind)
                             for name, kind in kinds().items()},
            "yaml.yamlVersion": "1.1"}


def settings_snippet() -> str:
    """The settings as the lines to paste inside an existing settings file's braces."""
    return json.dumps(settings(), indent=2)[1:-1].strip("\n") + ","


def editor_files() -> dict[str, str]:
    """``schemas/NAME.json`` for each kind of file, then ``.vscode/settings.json``."""
    from coachctl.schemas import kinds, schema_json

    files = {f"{SCHEMAS_DIR}/{name}.json": schema_json(name) for name in kinds()}
    files[SETTINGS] = json.dumps(settings(), indent=2) + "\n"
    return files
