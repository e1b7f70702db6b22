"""JSON Schemas of the file format, for editors (yaml-language-server and friends).

pydantic emits JSON Schema 2020-12 with ``$defs``; yaml-language-server reads
draft 7 and below, so the schemas are rewritten to draft-07 ``definitions``.
They describe each file's shape only: cross-file rules need ``coachctl validate``.

An editor set to YAML 1.1 (``coachctl init`` writes ``yaml.yamlVersion: "1.1"``) reads
``yes``, ``14:00`` and ``1e3`` as coachctl does (true, 840, text), so the schemas' types
agree with ``validate`` on them (tests/test_schema_agreement.py). Two things an editor
cannot see, because it holds text either way: a quoted date, and a whole number written
with a point (``4.0``, which JSON counts as an integer). :func:`yaml_hints` says so in the
description the editor shows for each such field, and how to write a time.
"""

from __future__ import annotations

import json
from typing import Any, get_args

from coachctl.layout import FOLDERS, SINGLETONS, model_for
from coachctl.models import Clock

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
    yaml_hints(out)
    return out


DATE_HINT = ("Write YYYY-MM-DD without quotes: a quoted date is text, which coachctl "
             "validate rejects (S004).")
CLOCK_HINT = 'Quote it ("14:00"): unquoted, YAML 1.1 reads 14:00 as the number 840.'
INT_HINT = "A whole number without a point: coachctl validate rejects 4.0 (S003)."
CLOCK = get_args(Clock)[1].pattern


def yaml_hints(node: Any) -> None:
    """Add to each field's description how to write it where YAML 1.1 has a trap the
    schema cannot express (see the module's docstring)."""
    if isinstance(node, list):
        for item in node:
            yaml_hints(item)
        return
    if not isinstance(node, dict):
        return
    for field in node.get("properties", {}).values():
        options = [field, *field.get("anyOf", [])]
        hint = (DATE_HINT if any(o.get("format") == "date" for o in options)
                else CLOCK_HINT if any(o.get("pattern") == CLOCK for o in options)
                else INT_HINT if any(o.get("type") == "integer" for o in options) else None)
        if hint:
            field["description"] = f"{field['description']} {hint}" if field.get(
                "description") else hint
    for value in node.values():
        yaml_hints(value)


def schema_json(name: str) -> str:
    return json.dumps(schema(name), indent=2, sort_keys=False) + "\n"
