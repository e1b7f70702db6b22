"""The command modules' declarations, without importing typer.

Each command module declares its Typer app with this module in typer's place
(``import coachctl.cli.lite as typer``): ``typer.Typer``, ``typer.Option``,
``typer.Argument``, ``@app.command``, ``@app.callback``, ``typer.echo`` and
``typer.Exit`` read as before, but only record what was declared. Importing
typer costs tens of milliseconds (its command classes, click, its coercion
helpers and ``inspect``), more than a warm ``stats`` needs for its work, and a
plain command line never needs it: :mod:`coachctl.cli.fast` reads these records
and calls the command's function. Anything else (``--help``, an error, shell
completion, the tests' CliRunner) gets the real Typer app that
:func:`coachctl.cli.realtyper.to_typer` builds from the same records, with
typer's own ``Option`` and ``Argument`` for each parameter: help, errors and
behaviour are typer's.
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Callable
from typing import IO, Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class ParameterInfo:
    """``typer.Option(...)`` or ``typer.Argument(...)`` as written: its arguments."""

    def __init__(self, default: Any = ..., *param_decls: str, **settings: Any) -> None:
        self.default = default
        self.param_decls = param_decls
        self.settings = settings


class OptionInfo(ParameterInfo):
    pass


class ArgumentInfo(ParameterInfo):
    pass


def Option(default: Any = ..., *param_decls: str, **settings: Any) -> Any:
    return OptionInfo(default, *param_decls, **settings)


def Argument(default: Any = ..., *param_decls: str, **settings: Any) -> Any:
    return ArgumentInfo(default, *param_decls, **settings)


class Declared:
    """One ``@app.command(...)`` or ``@app.callback(...)``: its arguments and function."""

    def __init__(self, function: Callable[..., Any], args: tuple[Any, ...],
                 settings: dict[str, Any]) -> None:
        self.function = function
        self.args = args
        self.settings = settings

    @property
    def name(self) -> str:
        """The name typer gives the command on the command line."""
        given = self.args[0] if self.args else self.settings.get("name")
        return str(given or self.function.__name__).lower().replace("_", "-")


class Typer:
    """A Typer app as declared: ``typer.Typer(...)``'s settings, its commands and callback."""

    def __init__(self, **settings: Any) -> None:
        self.settings = settings
        self.commands: list[Declared] = []
        self.callback_declared: Declared | None = None
        self._typer: Any = None

    def command(self, *args: Any, **settings: Any) -> Callable[[F], F]:
        def register(function: F) -> F:
            self.commands.append(Declared(function, args, settings))
            return function
        return register

    def callback(self, *args: Any, **settings: Any) -> Callable[[F], F]:
        def register(function: F) -> F:
            self.callback_declared = Declared(function, args, settings)
            return function
        return register


class Exit(Exception):
    """``raise typer.Exit(code)``: end the command with this exit code."""

    def __init__(self, code: int = 0) -> None:
        super().__init__(code)
        self.exit_code = code


class Abort(Exception):
    """``raise typer.Abort()``: typer prints "Aborted!" and exits 1."""


def echo(message: Any = None, file: IO[Any] | None = None, nl: bool = True,
         err: bool = False, color: bool | None = None) -> None:
    """typer's (click's) ``echo`` for text: the message and a newline, written and flushed.

    What click does beyond that (bytes, stripping ANSI codes from output that is not a
    terminal, a stream whose encoding cannot be trusted) is left to click itself."""
    stream = file if file is not None else sys.stderr if err else sys.stdout
    out = "" if message is None else message if isinstance(message, str) else None
    if out is None or "\x1b" in out or color is not None or stream is None \
            or (file is None and not _trusted(stream)):
        import typer

        typer.echo(message, file=file, nl=nl, err=err, color=color)
        return
    stream.write(out + "\n" if nl else out)
    stream.flush()


def _trusted(stream: IO[Any]) -> bool:
    """Whether click writes to this standard stream as it is (it wraps an ASCII one)."""
    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "ascii").name != "ascii"
    except LookupError:
        return False
