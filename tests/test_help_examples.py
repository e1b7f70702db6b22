"""Every `coachctl ...` example in every --help text and in docs/ runs against the shipped
examples: on a copy of programmes/, with --today where the command takes one and the
example does not say, each exits 0 or 1 (problems found), never 2 or a traceback."""

from __future__ import annotations

import glob
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from coachctl.cli import COMMANDS, HELP, load_app
from tests.conftest import PROGRAMMES, REPO

TODAY = "2026-11-23"
"""The day the examples are 'as of' (programmes/README.md)."""
IN_A_PROGRAMME = {"docs/for-staff.md": "programmes/kingsmead-academy"}
"""Docs whose examples are typed in a programme's folder (staff work in their school's)."""
PREPARE = {"docs/for-staff.md": ["coachctl cycle start . --today 2026-11-30"]}
"""What must have happened first: the guide's notes are in cycle 5, after it opened."""


def _commands() -> dict[str, Any]:
    """Every command and subcommand (click commands), by its name after `coachctl`."""
    out: dict[str, Any] = {}
    for name in COMMANDS:
        cmd = typer.main.get_command(load_app(name))
        if hasattr(cmd, "commands"):  # a group (typer vendors click in newer versions)
            for sub, subcmd in cmd.commands.items():
                out[f"{name} {sub}"] = subcmd
        else:
            out[name] = cmd
    return out


def help_text(words: str) -> str:
    """`coachctl WORDS --help` as a (wide) terminal shows it."""
    name, *sub = words.split()
    res = CliRunner(env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"}).invoke(
        load_app(name), [*sub, "--help"], prog_name=f"coachctl {name}")
    assert res.exit_code == 0, res.output
    return res.output


def examples(text: str) -> list[str]:
    """Lines that start with `coachctl ` (continuations joined), in order."""
    text = re.sub(r"\\[ ]*\n", " ", text)
    return [line.strip() for line in text.splitlines() if line.strip().startswith("coachctl ")]


def sources() -> dict[str, list[str]]:
    found = {"coachctl --help": examples(HELP)}
    for words in _commands():
        found[f"coachctl {words} --help"] = examples(help_text(words))
    for doc in sorted((REPO / "docs").glob("*.md")):
        blocks = re.findall(r"```[a-z]*\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)
        found[f"docs/{doc.name}"] = [e for b in blocks for e in examples(b)]
    return {k: v for k, v in found.items() if v}


SOURCES = sources()
TAKES_TODAY = {words for words, cmd in _commands().items()
               if any("--today" in p.opts for p in cmd.params)}


def test_every_command_with_examples_is_covered() -> None:
    for words, cmd in _commands().items():
        assert f"coachctl {words} --help" in SOURCES, f"`coachctl {words} --help` has no example"
        shown = SOURCES[f"coachctl {words} --help"]  # one example a line, as written
        assert shown == examples(cmd.epilog), words
    assert sum(map(len, SOURCES.values())) >= 40


def run(line: str, cwd: Path) -> tuple[int, str]:
    argv = shlex.split(line, comments=True)
    out_file, append = None, False
    for redirect in (">", ">>"):  # ">> $GITHUB_STEP_SUMMARY": a file of that name in cwd
        if redirect in argv:
            i = argv.index(redirect)
            out_file, argv, append = argv[i + 1], argv[:i], redirect == ">>"
    argv = [m for a in argv for m in (sorted(glob.glob(a, root_dir=cwd)) if "*" in a else [a])]
    name, rest = argv[1], argv[2:]
    words = f"{name} {rest[0]}" if f"{name} {rest[0] if rest else ''}" in TAKES_TODAY else name
    if words in TAKES_TODAY and "--today" not in rest:
        rest += ["--today", TODAY]
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(cwd)
        mp.setenv("XDG_CONFIG_HOME", str(cwd / ".config"))  # `key init` writes no real key
        mp.setenv("EDITOR", "true")  # `note edit` saves at once
        res = CliRunner().invoke(load_app(name), rest, prog_name=f"coachctl {name}")
        if out_file:
            with Path(out_file).open("a" if append else "w", encoding="utf-8") as f:
                f.write(res.stdout)
    assert res.exception is None or isinstance(res.exception, SystemExit), (
        line, repr(res.exception))
    return res.exit_code, res.output


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_examples_run_on_the_shipped_examples(source: str, tmp_path: Path) -> None:
    shutil.copytree(PROGRAMMES, tmp_path / "programmes",
                    ignore=shutil.ignore_patterns(".coachctl-cache"))
    shutil.copytree(REPO / "tests/fixtures", tmp_path / "tests/fixtures")  # a sample MIS export
    cwd = tmp_path / IN_A_PROGRAMME.get(source, "")
    for line in PREPARE.get(source, []):
        assert run(line, cwd)[0] == 0, line
    for line in SOURCES[source]:
        code, output = run(line, cwd)
        assert code in (0, 1), (source, line, output)
        assert "Traceback" not in output and "No such" not in output, (source, line, output)


def test_every_epilog_goes_through_examples() -> None:
    """A hand-written epilog runs its examples together on typer 0.17 (the lowest we allow,
    which ignores click's \\b): every command module builds its epilog with examples()."""
    for path in sorted((REPO / "src/coachctl/cli").glob("*.py")):
        assert 'epilog="""' not in path.read_text(encoding="utf-8"), path.name
