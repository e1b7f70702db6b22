"""Editor schemas: draft-07, closed to unknown keys, every reference resolvable."""

from __future__ import annotations

import json
import re
from pathlib import Path

from coachctl.schemas import kinds
from tests.conftest import invoke


def test_every_kind_prints_a_draft_07_schema() -> None:
    for name in kinds():
        res = invoke("schema", name)
        assert res.exit_code == 0
        doc = json.loads(res.stdout)
        assert doc["$schema"] == "http://json-schema.org/draft-07/schema#"
        assert doc["additionalProperties"] is False
        assert "$defs" not in res.stdout
        for ref in re.findall(r'"\$ref": "#/definitions/([^"]+)"', res.stdout):
            assert ref in doc["definitions"], (name, ref)


def test_schema_carries_field_docs_for_editors() -> None:
    doc = json.loads(invoke("schema", "note").stdout)
    assert "secure" in doc["properties"]["step_secured"]["description"]
    assert set(doc["required"]) == {"coach", "coachee", "cycle"}


def test_unknown_schema_name_is_a_usage_error() -> None:
    res = invoke("schema", "notes")
    assert res.exit_code == 2 and "note" in res.stderr


def test_output_writes_every_schema(tmp_path: Path) -> None:
    res = invoke("schema", "--output", tmp_path / "schemas")
    assert res.exit_code == 0
    assert sorted(p.stem for p in (tmp_path / "schemas").iterdir()) == sorted(kinds())
