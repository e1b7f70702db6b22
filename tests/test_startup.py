"""Start-up: what the commands a person waits on import, and the fast command-line path.

A warm ``stats``, ``qa``, ``cycle status`` or ``staff show`` rebuilds everything from the
cache (plain data), so it must not import pydantic, PyYAML or typer: each costs tens of
milliseconds before any work (docs/benchmarks.md). The command modules declare their apps
with :mod:`coachctl.cli.lite`; typer is imported for ``--help``, errors and completion only.
The commands run in a fresh interpreter, as a person runs them, on a copy of an example
programme after a first run has filled its cache; the interpreter reports what it imported.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any, cast

import pytest
import typer

from coachctl.cli import lite, load_app
from coachctl.cli.fast import run as run_fast
from tests.conftest import copy_example, invoke, invoke_typer

HEAVY = ("pydantic", "yaml", "typer", "click", "concurrent.futures.process",
         "coachctl.validators", "coachctl.yamlsafe",
         # writers, solvers and calendars no report needs on a warm run (ruamel.yaml, not the
         # `ruamel` namespace: ruamel.yaml < 0.18 imports that at start-up through a .pth file)
         "ruamel.yaml", "scipy", "networkx", "holidays", "coachctl.fsio", "coachctl.yamlout",
         # the cross-file rules: a warm run reuses their cached result
         "coachctl.checks.dates", "coachctl.checks.pairings")
TODAY = "2026-12-01"

PROBE = """\
import sys
from coachctl.cli import main
code = 0
try:
    main(sys.argv[1:])
except SystemExit as e:
    code = e.code
heavy = sorted(m for m in {heavy!r} if m in sys.modules)
print("\\nIMPORTED", code, " ".join(heavy) or "-", file=sys.stderr)
"""


def imported(*args: str | Path) -> tuple[int, set[str]]:
    """Run ``coachctl ARGS`` in a fresh interpreter: its exit code and the heavy modules
    it imported."""
    res = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *map(str, args)],
                         capture_output=True, text=True, timeout=120)
    last = res.stderr.strip().splitlines()[-1].split()
    assert last[0] == "IMPORTED", res.stderr
    return int(last[1]), set(last[2:]) - {"-"}


@pytest.fixture(scope="module")
def kingsmead(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("startup") / "kingsmead-academy"
    copy_example("kingsmead-academy", root)
    return root


WARM = [
    ("stats", "{p}", "--today", TODAY),
    ("stats", "{p}", "--by", "coach", "--format", "json", "--today", TODAY),
    ("qa", "{p}", "--today", TODAY),
    ("cycle", "status", "{p}", "--today", TODAY),
    ("staff", "show", "aosei", "{p}", "--today", TODAY),
    ("training", "plan", "{p}", "--today", TODAY),
    ("bulletin", "{p}", "--today", TODAY, "--format", "md"),
]


@pytest.mark.parametrize("command", WARM, ids=lambda c: " ".join(c[:2]))
def test_a_warm_run_imports_neither_pydantic_nor_yaml(kingsmead: Path,
                                                      command: tuple[str, ...]) -> None:
    args = [a.format(p=kingsmead) for a in command]
    cold_code, _ = imported(*args)  # fills the cache, if an earlier command has not
    assert (kingsmead / ".coachctl-cache").is_dir()
    code, warm = imported(*args)
    assert code == cold_code
    assert warm == set(), f"a warm `coachctl {' '.join(command[:2])}` imported {sorted(warm)}"


# a warm `stats`, `qa`, `cycle status` or `staff show` builds no record class (the file
# format's dataclasses, coachctl.models and .settings): what it reads back is plain data
RECORDS = ("coachctl.models", "coachctl.settings")
# and `cycle status` and `staff show`, whose whole answer is cached (coachctl.reports.answers),
# run no report at all
REPORTS = ("coachctl.journeys", "coachctl.sessions", "coachctl.lifecycle", "coachctl.calendar",
           "coachctl.reports.journey", "coachctl.reports.cycles")
UNBUILT = [(c, RECORDS + (REPORTS if c[0] in ("cycle", "staff") else ()))
           for c in WARM if c[0] in ("stats", "qa", "cycle", "staff")]


@pytest.mark.parametrize(("command", "unneeded"), UNBUILT, ids=lambda c: " ".join(c[:2]))
def test_a_warm_report_builds_no_record(kingsmead: Path, command: tuple[str, ...],
                                        unneeded: tuple[str, ...]) -> None:
    probe = PROBE.replace("{heavy!r}", repr(HEAVY + unneeded))
    args = [sys.executable, "-c", probe, *(a.format(p=kingsmead) for a in command)]
    cold = subprocess.run(args, capture_output=True, text=True, timeout=120)  # fills the cache
    res = subprocess.run(args, capture_output=True, text=True, timeout=120)
    first, last = (r.stderr.strip().splitlines()[-1].split() for r in (cold, res))
    assert last[0] == "IMPORTED" and last[1] == first[1], res.stderr
    assert last[2:] == ["-"], f"a warm `coachctl {' '.join(command[:2])}` imported {last[2:]}"


def test_note_check_builds_only_what_one_note_needs(kingsmead: Path) -> None:
    note = sorted((kingsmead / "notes").rglob("*.yaml"))[0]
    code, heavy = imported("note", "check", note)
    assert code == 0
    # a clean note and the files it refers to are parsed (YAML), checked against the
    # rules without pydantic (coachctl.quickcheck), without typer, with no process pool,
    # and nothing that writes
    assert heavy == {"yaml", "coachctl.yamlsafe", "coachctl.checks.dates",
                     "coachctl.checks.pairings"}


# what checking one edited, clean note does not need: the careful YAML walk and its
# messages, the schema's explanations, and what only the rules about pairings, cycles and
# the calendar use
CHANGED_NOTE_UNNEEDED = ("coachctl.yamlsafe.walk", "coachctl.yamlsafe.errors",
                         "coachctl.yamlsafe.spans", "coachctl.schema_errors",
                         "coachctl.cycledates", "coachctl.sessions", "coachctl.privacy",
                         "coachctl.sealtext")


def test_note_check_of_an_edited_note_reads_it_against_what_was_kept(kingsmead: Path) -> None:
    """The pre-commit case: the note changed since the last check, nothing else did."""
    note = sorted((kingsmead / "notes").rglob("*.yaml"))[2]
    original = note.read_bytes()
    probe = PROBE.replace("{heavy!r}", repr(HEAVY + CHANGED_NOTE_UNNEEDED))
    args = [sys.executable, "-c", probe, "note", "check", str(note)]
    try:
        subprocess.run(args, capture_output=True, timeout=120)  # keeps its answer
        note.write_bytes(original + b"# edited\n")
        res = subprocess.run(args, capture_output=True, text=True, timeout=120)
    finally:
        note.write_bytes(original)
    last = res.stderr.strip().splitlines()[-1].split()
    assert last[:2] == ["IMPORTED", "0"], res.stderr
    assert set(last[2:]) == {"yaml", "coachctl.yamlsafe", "coachctl.checks.dates",
                             "coachctl.checks.pairings"}, last


# what answering `note check` from its cache needs: the stat of the files, the kept answer
# and the output; not the YAML reader, nor the format's classes, nor a rule, nor a reader
NOTE_CHECK_UNNEEDED = ("coachctl.models", "coachctl.settings", "coachctl.fieldtypes",
                       "coachctl.programme", "coachctl.cachecodec", "coachctl.loader",
                       "coachctl.validation", "coachctl.checks", "coachctl.reading",
                       "coachctl.quickcheck", "coachctl.schema_errors", "coachctl.calendar")


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "github"])
def test_note_check_of_unchanged_notes_reads_no_yaml_and_builds_no_record(
        kingsmead: Path, fmt: str) -> None:
    """The pre-commit hook run again (or on notes no one changed since): the answer kept
    from the last check of the same files, whether clean or with problems to show."""
    notes = sorted((kingsmead / "notes").rglob("*.yaml"))
    broken = kingsmead / "notes" / "cycle-04" / "zz-typo.yaml"
    broken.write_text(notes[0].read_text() + "rehearse: true\n")  # S001, P003: excerpts
    probe = PROBE.replace("{heavy!r}", repr(HEAVY + NOTE_CHECK_UNNEEDED))
    try:
        for named in ([notes[0]], [notes[1], broken]):
            args = [sys.executable, "-c", probe, "note", "check", "--format", fmt,
                    *map(str, named)]
            runs = [subprocess.run(args, capture_output=True, text=True, timeout=120)
                    for _ in range(2)]  # the first keeps its answer
            first, last = (r.stderr.strip().splitlines()[-1].split() for r in runs)
            assert first[0] == last[0] == "IMPORTED", runs[1].stderr
            assert last[2:] == ["-"], f"an unchanged `note check` imported {last[2:]}"
            assert (runs[1].stdout, last[1]) == (runs[0].stdout, first[1])
    finally:
        broken.unlink()


def test_note_check_of_a_broken_note_explains_it_with_pydantic(kingsmead: Path) -> None:
    note = kingsmead / "notes" / "cycle-04" / "zz-broken.yaml"
    note.write_text("coach: aosei\ncoachee: dclarke\ncycle: 4\nrehearsed: maybe\n")
    try:
        code, heavy = imported("note", "check", note)
    finally:
        note.unlink()
    assert code == 1
    assert "pydantic" in heavy


# --- the fast path runs exactly what typer runs ------------------------------------------

SAME = [
    ("stats", "{p}", "--today", TODAY, "--format", "json"),
    ("stats", "{p}", "--by=department", "--since", "3", "--today", TODAY, "-f", "csv"),
    ("stats", "--today", TODAY, "{p}", "--cycle", "4"),
    ("stats", "{p}", "--today", TODAY, "--cycle", "+4", "--by", "coach"),
    ("stats", "{p}", "--cycle", "42", "--today", TODAY),
    ("cycle", "status", "{p}", "-c", "3", "--today", TODAY, "--format", "json"),
    ("staff", "show", "aosei", "{p}", "--today", TODAY, "--format", "json"),
    ("staff", "show", "nobody", "{p}", "--today", TODAY),
    ("qa", "{p}", "--today", TODAY, "--fail-on", "warning", "--format", "concise"),
    ("validate", "--format", "json", "--", "{p}"),
    ("note", "check", "--strict", "{note}"),
    ("explain", "S001"),
]


@pytest.mark.parametrize("command", SAME, ids=lambda c: " ".join(c))
def test_the_fast_path_answers_as_typer_does(kingsmead: Path, command: tuple[str, ...]) -> None:
    note = sorted((kingsmead / "notes").rglob("*.yaml"))[0]
    args = [a.format(p=kingsmead, note=note) for a in command]
    fast, typer = invoke(*args), invoke_typer(*args)
    assert (fast.exit_code, fast.stdout, fast.stderr) == (typer.exit_code, typer.stdout,
                                                           typer.stderr)


DECLINED = [
    ("stats", "--help"),
    ("stats", "{p}", "-h"),
    ("stats", "{p}", "--by", "Department"),  # choices are case-sensitive: typer says so
    ("stats", "{p}", "--cycle", "four"),
    ("stats", "{p}", "--cycle", "\u0664"),  # a digit Python's int() reads: typer decides
    ("stats", "{p}", "--cycle", "4_0"),
    ("stats", "{p}", "--today"),  # an option without its value
    ("stats", "{p}", "--bogus"),
    ("stats", "{p}", "-fjson"),  # short option with its value attached: left to typer
    ("cycle", "status", "{p}", "--cycle", "300"),  # outside typer's min/max
    ("cycle", "status", "{p}", "extra"),
    ("cycle",),
    ("cycle", "nope"),
    ("note", "check"),  # a required argument missing
    ("note", "check", "--strict=yes", "x.yaml"),
]


@pytest.mark.parametrize("command", DECLINED, ids=lambda c: " ".join(c))
def test_anything_else_is_left_to_typer(kingsmead: Path, command: tuple[str, ...],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    args = [a.format(p=kingsmead) for a in command]
    assert run_fast(load_app(args[0]), args[1:]) is None
    assert capsys.readouterr() == ("", "")
    res = subprocess.run([sys.executable, "-m", "coachctl", *args], capture_output=True,
                         text=True, timeout=60)
    assert res.returncode in (0, 2), res.stderr  # typer's help (0) or its usage error (2)
    assert "Traceback" not in res.stderr


def test_records_from_the_cache_are_those_read_from_the_files(kingsmead: Path) -> None:
    """What a warm run rebuilds from plain data is what reading the files gives, less the
    free text the cache never holds."""
    import dataclasses

    from coachctl.cachecodec import WITHHELD
    from coachctl.loader import load, open_store
    from coachctl.models import PRIVATE_FIELDS, filled

    read = load(kingsmead, "k")
    load(kingsmead, "k", store=open_store(kingsmead, "k"))
    warm = load(kingsmead, "k", store=open_store(kingsmead, "k"))
    assert warm.qa and read.qa
    assert all(getattr(rec, f) in (None, "", WITHHELD) for _, rec in warm.qa
               for f in PRIVATE_FIELDS if hasattr(rec, f))  # whether it holds words, no text

    def withheld(text: Any) -> Any:
        return None if text is None else WITHHELD if isinstance(text, str) and filled(text) \
            else ""
    read.qa = [(rel, dataclasses.replace(rec, **cast("dict[str, Any]", {
        f: withheld(getattr(rec, f)) for f in PRIVATE_FIELDS if hasattr(rec, f)})))
        for rel, rec in read.qa]
    for name in ("settings", "staff", "staff_file", "pairings", "library", "curriculum",
                 "sequence", "cycles", "cycle_paths", "notes", "qa", "diagnostics", "present"):
        assert getattr(warm, name) == getattr(read, name), name


def test_a_command_raising_a_usage_error_exits_2_on_the_fast_path(
        capsys: pytest.CaptureFixture[str]) -> None:
    app = lite.Typer(add_completion=False)

    @app.command()
    def go(n: Annotated[int, lite.Option("--n")] = 1) -> None:
        raise typer.BadParameter(f"{n} is not allowed")

    assert run_fast(app, ["--n", "2"]) == 2
    assert "2 is not allowed" in capsys.readouterr().err


# what a warm `validate` of an unchanged programme needs: the walk, the cached result and
# the output; not the rules, nor the readers of files, nor what compares dates
VALIDATE_UNNEEDED = ("coachctl.checks", "coachctl.reading", "coachctl.schema_errors",
                     "coachctl.datewatch")


def test_a_warm_validate_imports_no_rule_and_no_reader(kingsmead: Path) -> None:
    probe = PROBE.replace("{heavy!r}", repr(HEAVY + VALIDATE_UNNEEDED))
    args = [sys.executable, "-c", probe, "validate", "--format", "concise", str(kingsmead)]
    subprocess.run(args, capture_output=True, timeout=120)  # fills the cache
    res = subprocess.run(args, capture_output=True, text=True, timeout=120)
    last = res.stderr.strip().splitlines()[-1].split()
    assert last[:2] == ["IMPORTED", "0"], res.stderr
    assert last[2:] == ["-"], f"a warm `coachctl validate` imported {last[2:]}"


def test_help_and_usage_errors_still_come_from_typer(kingsmead: Path) -> None:
    """The declarations are typer's: what typer makes of them is unchanged."""
    code, heavy = imported("stats", "--help")
    assert code == 0 and "typer" in heavy
    code, heavy = imported("stats", kingsmead, "--by", "nothing")
    assert code == 2 and "typer" in heavy


ECHOED: list[tuple[Any, dict[str, Any]]] = [
    ("a line", {}), ("", {}), (None, {}), ("no newline", {"nl": False}), ("", {"nl": False}),
    ("to stderr", {"err": True}), (42, {}), ("caf\u00e9 \u2013 \u2713", {}),
    ("\x1b[1mbold\x1b[0m", {}),  # ANSI codes, which click strips when not a terminal
    ("coloured", {"color": False}),
]


@pytest.mark.parametrize(("message", "settings"), ECHOED, ids=repr)
def test_echo_writes_what_typer_writes(message: Any, settings: dict[str, Any],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    lite.echo(message, **settings)
    ours = capsys.readouterr()
    typer.echo(message, **settings)
    assert ours == capsys.readouterr()


def test_exit_in_a_command_run_by_typer_is_typers() -> None:
    from coachctl.cli.realtyper import to_typer

    app = lite.Typer(add_completion=False)

    @app.command()
    def go(n: Annotated[int, lite.Option("--n")] = 1) -> None:
        raise lite.Exit(n)

    assert run_fast(app, ["--n", "3"]) == 3
    assert invoke_typer_app(to_typer(app), ["--n", "3"]) == 3  # typer's Exit, not a traceback


def invoke_typer_app(app: typer.Typer, args: list[str]) -> int:
    from typer.testing import CliRunner

    return CliRunner().invoke(app, args, catch_exceptions=False).exit_code


def test_a_command_whose_module_is_not_installed_is_neither_listed_nor_run(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from coachctl.cli import COMMANDS, main

    monkeypatch.setitem(COMMANDS, "ghost", ("coachctl.cli.ghost", "Not installed."))
    with pytest.raises(SystemExit) as ended:
        main(["ghost"])
    assert ended.value.code == 2
    assert "no command 'ghost'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "ghost" not in capsys.readouterr().out


def test_a_command_runs_with_the_cycle_collector_tuned(kingsmead: Path) -> None:
    """Every command runs with the collector's raised thresholds (cli.collect_rarely), which
    took a quarter of cold qa's CPU at trust scale; their effect is measured in benchmarks/,
    this keeps the setting from being lost on the way to a command."""
    probe = ("import gc, sys\nfrom coachctl.cli import main\n"
             "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             "print('THRESHOLD', gc.get_threshold()[0], file=sys.stderr)\n")
    for args in (["validate", "--no-cache", kingsmead], ["stats", "--format", "json", kingsmead]):
        res = subprocess.run([sys.executable, "-c", probe, *map(str, args)],
                             capture_output=True, text=True, timeout=120)
        assert res.stderr.strip().splitlines()[-1] == "THRESHOLD 200000", res.stderr
