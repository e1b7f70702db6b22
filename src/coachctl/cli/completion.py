"""``coachctl completion bash|zsh|fish``: shell completion through typer's own machinery.

coachctl has no single click group: the dispatcher (:mod:`coachctl.cli`) reads the command
name and imports only that command's Typer app. The scripts typer writes call ``coachctl``
back with ``_COACHCTL_COMPLETE=complete_bash`` (or ``_zsh``, ``_fish``) and the words typed
so far; the dispatcher sends that here. The first word is completed from a stand-in group
built from the dispatcher's static table, without importing any command; later words from
the chosen command's own click command, so its subcommands, options and choices complete as
typer declares them. ``coachctl --help`` is untouched: nothing here runs unless the variable
is set.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from typer._completion_classes import BashComplete, FishComplete, ZshComplete

from coachctl.cli.options import examples

VAR = "_COACHCTL_COMPLETE"
PROG = "coachctl"


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


SHELLS: dict[str, Any] = {Shell.bash: BashComplete, Shell.zsh: ZshComplete,
                          Shell.fish: FishComplete}

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command(epilog=examples(
    "coachctl completion bash > coachctl.bash      # then: . coachctl.bash",
    "coachctl completion zsh > _coachctl",
    "coachctl completion fish > coachctl.fish",
    note="To keep it: bash reads ~/.local/share/bash-completion/completions/coachctl, "
         "zsh a _coachctl in a folder on $fpath (before compinit), fish "
         "~/.config/fish/completions/coachctl.fish. Then `coachctl val<TAB>` completes to "
         "validate, `coachctl cycle <TAB>` lists start, status and close, and options "
         "complete after `-`."))
def completion(
    shell: Annotated[Shell, typer.Argument(help="The shell to write the script for.")],
) -> None:
    """Print the completion script for bash, zsh or fish.

    The script asks `coachctl` itself what can come next, so it stays right
    after an upgrade.
    """
    typer.echo(script(shell), nl=False)


def script(shell: str) -> str:
    """The script the shell sources (what ``_COACHCTL_COMPLETE=source_SHELL coachctl`` prints)."""
    text: str = SHELLS[shell](top(), {}, PROG, VAR).source()
    return text.lstrip("\n") if text.endswith("\n") else text.lstrip("\n") + "\n"


def top() -> Any:
    """A click group standing in for the dispatcher: the commands' names and one-line help,
    and ``--version``; no command module is imported."""
    from coachctl.cli.commands import available

    def nothing() -> None:
        """A command's stand-in."""

    def version(_: Annotated[bool, typer.Option(
            "--version", "-V", help="Print coachctl's version.")] = False) -> None:
        """The dispatcher."""

    stand_in = typer.Typer(add_completion=False, callback=version)
    for name, text in available().items():
        stand_in.command(name, help=text, short_help=text)(nothing)
    return typer.main.get_command(stand_in)


def completer(shell: str) -> Any:
    """The shell's completer for the words typed: the stand-in group for the first word,
    else the named command's own click command (with its name dropped from the words);
    nothing after a word that names no command."""
    from coachctl.cli.commands import available, load_app

    base = SHELLS[shell]
    args, _ = base(top(), {}, PROG, VAR).get_completion_args()
    if not args:
        return base(top(), {}, PROG, VAR)
    name = args[0]

    class Command(base):  # type: ignore[misc, valid-type]
        def get_completion_args(self) -> tuple[list[str], str]:
            words, incomplete = super().get_completion_args()
            return words[1:], incomplete

        def get_completions(self, args: list[str], incomplete: str) -> list[Any]:
            if name not in available():
                return []
            return list(super().get_completions(args, incomplete))

    command = typer.main.get_command(load_app(name)) if name in available() else top()
    return Command(command, {}, f"{PROG} {name}", VAR)


def complete(instruction: str) -> int:
    """Answer the script's call: ``instruction`` is ``complete_bash``, ``source_zsh`` ...;
    an instruction not understood is a usage error (2)."""
    action, _, shell = instruction.partition("_")
    if shell not in SHELLS or action not in ("source", "complete"):
        sys.stderr.write(f"coachctl: error: {VAR}={instruction} is not understood\n")
        return 2
    if action == "source":
        sys.stdout.write(script(shell))
        return 0
    out: str = completer(shell).complete()
    sys.stdout.write(out + "\n" if out else "")
    return 0


def main() -> None:
    """The dispatcher's entry when the completion variable is set."""
    sys.exit(complete(os.environ.get(VAR, "")))
