"""``coachctl init`` sets a programme up for editors: the JSON Schemas in ``schemas/`` (what
``coachctl schema`` prints) and VS Code settings mapping each to the files of its kind."""

from __future__ import annotations

import json
from pathlib import Path

from coachctl.editors import SETTINGS, settings_snippet
from coachctl.layout import kind_of
from coachctl.schemas import kinds
from tests.conftest import copy_example, invoke


def test_init_writes_the_schemas_and_the_settings(tmp_path: Path) -> None:
    root = tmp_path / "oakfield"
    res = invoke("init", root, "--today", "2026-11-23")
    assert res.exit_code == 0
    for name in kinds():
        assert (root / "schemas" / f"{name}.json").read_text(encoding="utf-8") == \
            invoke("schema", name).stdout
    settings = json.loads((root / SETTINGS).read_text(encoding="utf-8"))
    assert settings["yaml.yamlVersion"] == "1.1"
    assert sorted(settings["yaml.schemas"]) == sorted(f"./schemas/{n}.json" for n in kinds())
    for schema in settings["yaml.schemas"]:
        assert (root / schema).is_file()
    assert invoke("validate", "--strict", root).exit_code == 0


def test_each_file_matches_the_glob_of_its_own_kind_only(tmp_path: Path) -> None:
    root = copy_example("kingsmead-academy", tmp_path / "kingsmead")
    invoke("init", root, "--today", "2026-11-23")  # a programme that exists: adds the rest
    settings = json.loads((root / SETTINGS).read_text(encoding="utf-8"))
    matched: dict[str, set[str]] = {}
    for schema, globs in settings["yaml.schemas"].items():
        name = schema.removeprefix("./schemas/").removesuffix(".json")
        for pattern in globs:
            for path in root.glob(pattern):
                matched.setdefault(path.relative_to(root).as_posix(), set()).add(name)
    by_kind = {kind: name for name, kind in kinds().items()}
    files = [p.relative_to(root).as_posix() for p in root.rglob("*.yaml")
             if ".coachctl-cache" not in p.parts]
    for rel in files:
        assert matched.get(rel) == {by_kind[kind_of(rel)]}, rel  # type: ignore[index]
    assert {n for names in matched.values() for n in names} == set(kinds())


def test_settings_already_there_are_kept_and_the_lines_to_add_printed(tmp_path: Path) -> None:
    root = tmp_path / "oakfield"
    own = '{\n  // the school\'s own settings, with a comment\n  "editor.tabSize": 2\n}\n'
    (root / ".vscode").mkdir(parents=True)
    (root / SETTINGS).write_text(own, encoding="utf-8")
    res = invoke("init", root, "--today", "2026-11-23")
    assert res.exit_code == 0
    assert (root / SETTINGS).read_text(encoding="utf-8") == own
    assert f"kept   {root / SETTINGS}" in res.stdout and settings_snippet() in res.stdout
    merged = json.loads('{"editor.tabSize": 2,\n' + settings_snippet().rstrip(",") + "}")
    assert merged["yaml.yamlVersion"] == "1.1"
    again = invoke("init", root, "--today", "2026-11-23")
    assert "wrote" not in again.stdout
