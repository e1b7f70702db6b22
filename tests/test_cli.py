"""End-to-end tests of the top-level CLI, validate's formats and exit codes, explain and init."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import invoke


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "coachctl", *map(str, args)], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=60)


def test_help_lists_commands_without_importing_them() -> None:
    res = run("--help")
    assert res.returncode == 0
    assert "validate" in res.stdout and "Exit codes" in res.stdout
    probe = subprocess.run([sys.executable, "-c", "import sys; from coachctl.cli import main\n"
                            "try: main(['--help'])\nexcept SystemExit: pass\n"
                            "print(sorted(m for m in ('typer', 'pydantic', 'yaml', 'rich') "
                            "if m in sys.modules))"], capture_output=True, text=True)
    assert probe.stdout.strip().endswith("[]"), probe.stdout


def test_version_and_unknown_command() -> None:
    assert run("--version").stdout.startswith("coachctl ")
    res = run("valdate")
    assert res.returncode == 2
    assert "did you mean 'validate'" in res.stderr


def test_no_arguments_prints_usage_and_exits_2() -> None:
    res = run()
    assert res.returncode == 2 and "Usage" in res.stdout


def test_validate_clean_programme_subprocess(programme: Path) -> None:
    res = run("validate", programme)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "No problems found in" in res.stdout


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    res = invoke("validate", tmp_path / "nope")
    assert res.exit_code == 2
    assert "no such file or folder" in res.stderr


def test_folder_without_programme_is_a_usage_error(tmp_path: Path) -> None:
    res = invoke("validate", tmp_path)
    assert res.exit_code == 2
    assert "no programme here" in res.stderr


def test_bad_format_option_is_a_usage_error(programme: Path) -> None:
    assert invoke("validate", "--format", "xml", programme).exit_code == 2


def _broken(programme: Path) -> Path:
    (programme / "staff.yaml").write_text(
        (programme / "staff.yaml").read_text().replace("role: ect", "role: trainee"))
    return programme


def test_text_format_shows_excerpt_hint_and_summary(programme: Path) -> None:
    res = invoke("validate", _broken(programme))
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if "S003" in line)
    assert lines[first].startswith(f"{programme.as_posix()}/staff.yaml:")
    assert "role: trainee" in lines[first + 1]
    assert "^^^^^^^" in lines[first + 2]
    assert lines[-1].startswith("1 error in 1 of ")
    assert "\x1b[" not in res.stdout  # no colour when not a terminal


def test_concise_format(programme: Path) -> None:
    res = invoke("validate", "-f", "concise", _broken(programme))
    path, line, col, rest = res.stdout.splitlines()[0].split(":", 3)
    assert path.endswith("staff.yaml") and int(line) > 1 and int(col) > 1
    assert rest.startswith(" S003 ")


def test_json_format_is_versioned_and_complete(programme: Path) -> None:
    res = invoke("validate", "--format", "json", _broken(programme))
    doc = json.loads(res.stdout)
    assert doc["version"] == 1 and doc["tool"] == "coachctl"
    assert doc["summary"]["errors"] == 1
    d = doc["diagnostics"][0]
    assert set(d) == {"code", "severity", "message", "hint", "path", "line", "column",
                      "end_line", "end_column", "subject"}


def test_github_format_escapes_properties(tmp_path: Path) -> None:
    from tests.conftest import write_programme

    root = write_programme(tmp_path / "a,b:c")
    _broken(root)
    res = invoke("validate", "--format", "github", root)
    line = res.stdout.splitlines()[0]
    assert line.startswith("::error file=")
    assert "a%2Cb%3Ac/staff.yaml" in line and ",line=" in line and ",col=" in line
    assert "title=S003 error::" in line


def test_strict_makes_warnings_fail(programme: Path) -> None:
    import yaml

    staff = yaml.safe_load((programme / "staff.yaml").read_text())
    del staff["staff"][2]["mentor"]  # an ECT without a mentor: a warning
    (programme / "staff.yaml").write_text(yaml.safe_dump(staff))
    assert invoke("validate", programme).exit_code == 0
    assert invoke("validate", "--strict", programme).exit_code == 1
    quiet = invoke("validate", "--quiet", programme)
    assert "R014" not in quiet.stdout


def test_folder_of_programmes_and_file_inside(tmp_path: Path) -> None:
    from tests.conftest import write_programme

    write_programme(tmp_path / "trust" / "a")
    _broken(write_programme(tmp_path / "trust" / "b"))
    res = invoke("validate", "-f", "concise", tmp_path / "trust")
    assert res.exit_code == 1
    assert f"{(tmp_path / 'trust' / 'b').as_posix()}/staff.yaml" in res.stdout
    res = invoke("validate", tmp_path / "trust" / "a" / "staff.yaml")
    assert res.exit_code == 0


def test_explain_unknown_and_all() -> None:
    assert invoke("explain", "Z999").exit_code == 2
    res = invoke("explain", "--all")
    assert "Y003" in res.stdout and "R015" in res.stdout


def test_init_writes_a_valid_programme_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "oakfield"
    dry = invoke("init", target, "--school", "Oakfield School", "--today", "2026-11-23",
                 "--dry-run")
    assert "would write" in dry.stdout and not target.exists()
    res = invoke("init", target, "--school", "Oakfield School", "--today", "2026-11-23")
    assert res.exit_code == 0
    assert "academic_year: 2026-27" in (target / "programme.yaml").read_text()
    assert invoke("validate", "--strict", target).exit_code == 0
    (target / "staff.yaml").write_text("# mine\n" + (target / "staff.yaml").read_text())
    again = invoke("init", target, "--today", "2026-11-23")
    assert "kept" in again.stdout
    assert (target / "staff.yaml").read_text().startswith("# mine\n")
