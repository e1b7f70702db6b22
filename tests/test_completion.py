"""Shell completion: the scripts ``coachctl completion SHELL`` prints, run by the shells.

bash is driven for real: the generated script is sourced and its completion function called
as bash's ``complete -F`` would call it, with ``coachctl`` (this environment's console
script) on the PATH. zsh and fish may not be installed, so their half of the protocol (the
variables their scripts set) is driven directly.
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


def test_bash_completes_commands_subcommands_options_and_choices(bash_script: str) -> None:
    assert bash_complete(bash_script, "coachctl val") == ["validate"]
    assert "completion" in bash_complete(bash_script, "coachctl ")
    assert bash_complete(bash_script, "coachctl cycle st") == ["start", "status"]
    assert bash_complete(bash_script, "coachctl note ") == [
        "new", "check", "seal", "show", "edit"]
    assert bash_complete(bash_script, "coachctl cycle start --dr") == ["--dry-run"]
    assert bash_complete(bash_script, "coachctl validate --format ") == [
        "text", "concise", "json", "github", "md"]
    assert bash_complete(bash_script, "coachctl --vers") == ["--version"]
    assert bash_complete(bash_script, "coachctl nosuch ") == []


def test_zsh_and_fish_complete_through_the_dispatcher() -> None:
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
