"""Shell completion: the scripts ``coachctl completion SHELL`` prints, run by the shells.

Each shell is driven for real, with ``coachctl`` (this environment's console script) on the
PATH: bash sources the script and calls its completion function as ``complete -F`` would;
zsh runs an interactive zsh in a pseudo-terminal (zsh/zpty), loads compinit, sources the
script and presses TAB after the words, recording what the completion system adds; fish
sources the script and answers ``complete -C``. A shell that is not installed skips its
tests, saying so (.ci/run installs all three). The protocol's environment variables are also
driven directly, so the dispatcher's half is tested on any machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import invoke

BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def bash_complete(script: str, line: str) -> list[str]:
    """What bash offers for ``line`` (the cursor at its end) once ``script`` is sourced."""
    words = line.split(" ")
    probe = (f'{script}\nCOMP_WORDS=({" ".join(map(repr_bash, words))})\n'
             f"COMP_CWORD={len(words) - 1}\n_coachctl_completion coachctl\n"
             'printf "%s\\n" "${COMPREPLY[@]}"\n')
    res = subprocess.run(["bash", "--norc", "--noprofile"], input=probe, capture_output=True,
                         text=True, env=ENV, timeout=120)
    assert res.returncode == 0, res.stderr
    return [w for w in res.stdout.splitlines() if w]


def repr_bash(word: str) -> str:
    return "'" + word.replace("'", "'\\''") + "'"


@pytest.fixture(scope="module")
def bash_script() -> str:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    res = invoke("completion", "bash")
    assert res.exit_code == 0
    assert "complete -o default -F _coachctl_completion coachctl" in res.stdout
    return res.stdout


CASES = [
    ("coachctl val", ["validate"]),
    ("coachctl cycle st", ["start", "status"]),
    ("coachctl note ", ["new", "check", "seal", "show", "edit"]),
    ("coachctl cycle start --dr", ["--dry-run"]),
    ("coachctl validate --format ", ["text", "concise", "json", "github", "md"]),
    ("coachctl schedule --format ", ["table", "json", "csv", "ics"]),
    ("coachctl --vers", ["--version"]),
    ("coachctl nosuch ", []),
]
"""A line typed (the cursor at its end) and what every shell offers for it."""


def test_bash_completes_commands_subcommands_options_and_choices(bash_script: str) -> None:
    for line, expected in CASES:
        assert bash_complete(bash_script, line) == expected, line
    assert "completion" in bash_complete(bash_script, "coachctl ")


def shell_script(shell: str, folder: Path) -> Path:
    """The shell's script as ``coachctl completion SHELL`` prints it, saved in ``folder``;
    skips the test when the shell is not installed."""
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed (.ci/run installs it), so its completion "
                    "script cannot be run")
    res = invoke("completion", shell)
    assert res.exit_code == 0
    path = folder / f"coachctl.{shell}"
    path.write_text(res.stdout, encoding="utf-8")
    return path


ZSH_PROBE = r"""
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
n=0
ready() {  # what was written so far has run: the shell printed SYNC<n> (its echo cannot match)
  (( n++ )); zpty -w z "print \${:-SYNC}$n"; zpty -r -m z __out "*SYNC$n*"
}
zpty -w z "PS1='' RPS1=''"
zpty -w z 'autoload -Uz compinit && compinit -u -D'
zpty -w z "source ${(q)SCRIPT}"
zpty -w z "compadd () {
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "\$@"; return; fi
  local -a __hits; builtin compadd -A __hits "\$@"
  (( \$#__hits )) && print -rl -- \$__hits >> ${(q)HITS}
  builtin compadd "\$@"
}"
ready
zpty -n -w z "$LINE"$'	'
zpty -w z $'\C-u'
ready
zpty -d z
"""
"""An interactive zsh in a pseudo-terminal: compinit, the script, then TAB after $LINE.
``compadd`` is wrapped to append to $HITS every match the completion system adds (not its
filtering calls with -O/-A/-D); the next command runs only once the TAB's completion has."""


def zsh_complete(script: Path, line: str) -> list[str]:
    hits = script.parent / "hits"
    hits.write_text("")
    res = subprocess.run(["zsh", "-f", "-c", ZSH_PROBE], capture_output=True, text=True,
                         cwd=script.parent / "empty", timeout=120,
                         env={**ENV, "SCRIPT": str(script), "HITS": str(hits), "LINE": line})
    assert res.returncode == 0, res.stderr
    return hits.read_text(encoding="utf-8").splitlines()


def fish_complete(script: Path, line: str) -> list[str]:
    folder = script.parent
    home = {f"XDG_{k}_HOME": str(folder / k.lower()) for k in ("CONFIG", "DATA", "CACHE")}
    res = subprocess.run(["fish", "--no-config", "-c", "source $SCRIPT; complete -C $LINE"],
                         capture_output=True, text=True, cwd=folder / "empty", timeout=120,
                         env={**ENV, **home, "SCRIPT": str(script), "LINE": line})
    assert res.returncode == 0, res.stderr
    return [w.split("\t")[0] for w in res.stdout.splitlines() if w]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_complete_in_the_real_shell(shell: str, tmp_path: Path) -> None:
    script = shell_script(shell, tmp_path)
    (tmp_path / "empty").mkdir()  # where a shell falling back to file names finds none
    ask = zsh_complete if shell == "zsh" else fish_complete
    for line, expected in CASES:
        assert sorted(ask(script, line)) == sorted(expected), (shell, line)
    assert "completion" in ask(script, "coachctl ")


def test_zsh_and_fish_protocol_through_the_dispatcher() -> None:
    def call(shell: str, line: str, **extra: str) -> str:
        env = {**ENV, "_COACHCTL_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": line,
               **extra}
        res = subprocess.run([str(BIN / "coachctl")], capture_output=True, text=True, env=env,
                             timeout=120)
        assert res.returncode == 0, res.stderr
        return res.stdout

    zsh = call("zsh", "coachctl cycle st")
    assert '"start":' in zsh and '"status":' in zsh and '"close"' not in zsh
    fish = call("fish", "coachctl val", _TYPER_COMPLETE_FISH_ACTION="get-args")
    assert fish.split("\t")[0] == "validate"


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_every_shell_has_a_script_naming_the_variable(shell: str) -> None:
    res = invoke("completion", shell)
    assert res.exit_code == 0 and "_COACHCTL_COMPLETE=" in res.stdout
    source = subprocess.run([str(BIN / "coachctl")], capture_output=True, text=True,
                            env={**ENV, "_COACHCTL_COMPLETE": f"source_{shell}"}, timeout=120)
    assert source.returncode == 0 and source.stdout == res.stdout


def test_an_instruction_not_understood_is_a_usage_error() -> None:
    res = subprocess.run([str(BIN / "coachctl")], capture_output=True, text=True,
                         env={**ENV, "_COACHCTL_COMPLETE": "complete_tcsh"}, timeout=120)
    assert res.returncode == 2 and "not understood" in res.stderr
