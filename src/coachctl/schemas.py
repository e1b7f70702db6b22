"""JSON Schemas of the file format, for editors (yaml-language-server and friends).

pydantic emits JSON Schema 2020-12 with ``$defs``; yaml-language-server reads
draft 7 and below, so the schemas are rewritten to draft-07 ``definitions``.
They describe each file's shape only: cross-file rules need ``coachctl validate``.
"""

from __future__ import annotations

import json
from typing import Any

from coachctl.layout import FOLDERS, SINGLETONS, model_for

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def kinds() -> dict[str, str]:
    """Schema name -> file kind: ``note`` -> ``notes``, ``staff`` -> ``staff.yaml`` ..."""
    names = {k.removeprefix("steps/").removesuffix(".yaml"): k for k in SINGLETONS}
    names.update({"cycle": "cycles", "note": "notes", "qa": "qa", "training": "training"})
    assert set(names.values()) == set(SINGLETONS) | set(FOLDERS)
    return names


def schema(name: str) -> dict[str, Any]:
    """The draft-07 JSON Schema for one kind of file, by its name in :func:`kinds`."""
    model = model_for(kinds()[name])
    doc = model.model_json_schema()
    text = json.dumps(doc).replace('"#/$defs/', '"#/definitions/')
    out: dict[str, Any] = {"$schema": DRAFT_07, "$id": f"coachctl-format-1-{name}.json",
                           **json.loads(text)}
    if "$defs" in out:
        out["definitions"] = out.pop("$defs")
    return out


def schema_json(name: str) -> str:
    return json.dumps(schema(name), indent=2, sort_keys=False) + "\n"
