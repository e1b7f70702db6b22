"""Run a command straight from its function when its command line is plain.

Building a Typer command turns every parameter into a pydantic TypeAdapter,
which imports pydantic (tens of milliseconds) before any work: more than a
warm ``stats`` or a ``note check`` needs in all. The commands a person waits
on take a few plain arguments, so :func:`run` reads the command function's
signature (the same ``Annotated[..., typer.Option(...)]`` declarations typer
reads), converts the arguments itself and calls the function.

It only ever runs what typer would run with the same values. Anything it does
not handle exactly (``--help``, an unknown or repeated-value option, a value
that does not convert, a missing argument, a declaration with callbacks,
environment variables, prompts or path checks) gives None, and the caller
hands the command line to typer as usual, which then prints its own help or
its own error.
"""

from __future__ import annotations

import enum
import inspect
import re
import sys
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from coachctl.cli.lite import Abort, ArgumentInfo, Exit, OptionInfo, ParameterInfo, Typer

_PLAIN_SETTINGS: dict[str, Any] = {
    "callback": None, "is_eager": False, "envvar": None, "parser": None,
    "default_factory": None, "expose_value": True, "exists": False, "file_okay": True,
    "dir_okay": True, "writable": False, "resolve_path": False, "allow_dash": False,
    "clamp": False, "formats": None, "path_type": None, "case_sensitive": True,
    "prompt": False, "confirmation_prompt": False, "hide_input": False, "count": False,
}
"""Declaration settings this module handles only at their defaults (typer's own)."""


@dataclass
class _Param:
    name: str
    convert: Callable[[str], Any]
    many: bool = False
    flag: bool = False
    default: Any = inspect.Parameter.empty


def run(app: Any, args: Sequence[str]) -> int | None:
    """Run the command ``args`` name in ``app`` (as declared, :mod:`coachctl.cli.lite`);
    its exit code, or None to leave it to typer."""
    app = getattr(app, "declared", app)  # a Typer app built from a declared one
    if not isinstance(app, Typer):
        return None
    found = _command(app, list(args))
    if found is None:
        return None
    function, group_callback, rest = found
    values = _parse(function, rest)
    if values is None:
        return None
    try:
        if group_callback is not None:
            group_callback()
        function(**values)
    except Exit as e:
        return e.exit_code
    except Abort:
        sys.stderr.write("Aborted!\n")
        return 1
    except Exception as e:  # a command raising click's errors (BadParameter ...) itself
        show, code = getattr(e, "show", None), getattr(e, "exit_code", None)
        if not (callable(show) and isinstance(code, int)):
            raise
        show()
        return code
    return 0


_PLAIN_COMMAND = {"name", "help", "short_help", "epilog", "rich_help_panel", "no_args_is_help"}
"""``@app.command(...)`` settings that change nothing the fast path does (``no_args_is_help``
is handled)."""

_PLAIN_APP = {"add_completion", "pretty_exceptions_enable", "no_args_is_help", "help",
              "epilog", "short_help", "rich_markup_mode"}
"""``typer.Typer(...)`` settings the fast path may ignore: help text, and what typer does on
an error or with no arguments, which the fast path leaves to typer."""


def _command(app: Typer, args: list[str],
             ) -> tuple[Callable[..., Any], Callable[[], Any] | None, list[str]] | None:
    commands = app.commands
    if set(app.settings) - _PLAIN_APP or not commands:
        return None
    group = app.callback_declared
    if group is None and len(commands) == 1:
        command, rest, group_callback = commands[0], args, None
    else:
        if group is not None and (set(group.settings) - {"help", "epilog", "short_help"}
                                  or group.args
                                  or inspect.signature(group.function).parameters):
            return None
        if not args:
            return None
        named = [c for c in commands if c.name == args[0]]
        if len(named) != 1:
            return None
        command, rest = named[0], args[1:]
        group_callback = group.function if group is not None else None
    if (set(command.settings) - _PLAIN_COMMAND or len(command.args) > 1
            or (command.settings.get("no_args_is_help") and not rest)):
        return None
    return command.function, group_callback, rest


def _parse(function: Callable[..., Any], args: list[str]) -> dict[str, Any] | None:
    """The keyword arguments typer would call ``function`` with for ``args``, or None."""
    options: dict[str, tuple[_Param, Any]] = {}
    arguments: list[_Param] = []
    try:
        hints = typing.get_type_hints(function, include_extras=True)
    except Exception:  # an annotation that does not resolve: typer will say what it makes of it
        return None
    for p in inspect.signature(function).parameters.values():
        info: ParameterInfo | None = None
        annotation, default = hints.get(p.name), p.default
        decls: list[str] = []
        if typing.get_origin(annotation) is Annotated:
            annotation, *extras = typing.get_args(annotation)
            info = next((x for x in extras if isinstance(x, ParameterInfo)), None)
            if isinstance(info, OptionInfo) and isinstance(info.default, str):
                decls.append(info.default)  # typer.Option("--name", ...) in Annotated: a name
        if isinstance(default, ParameterInfo):
            info, default = default, default.default
        if info is None or any(info.settings.get(k, v) != v for k, v in _PLAIN_SETTINGS.items()):
            return None
        param = _param(p.name, annotation, default)
        if param is None:
            return None
        low, high = info.settings.get("min"), info.settings.get("max")
        if low is not None or high is not None:
            if param.convert is not _int:
                return None
            param.convert = _within(low, high)
        if isinstance(info, ArgumentInfo):
            if param.flag or (arguments and arguments[-1].many):
                return None
            arguments.append(param)
            continue
        if not isinstance(info, OptionInfo) or param.many:
            return None
        decls += info.param_decls or ()
        if not decls:
            name = p.name.replace("_", "-")
            decls = [f"--{name}/--no-{name}" if param.flag else f"--{name}"]
        for decl in decls:
            on, _, off = decl.partition("/")
            if not on.startswith("-") or (off and not param.flag):
                return None
            options[on.strip()] = (param, True)
            if off:
                options[off.strip()] = (param, False)
    return _values(args, options, arguments)


def _values(args: list[str], options: dict[str, tuple[_Param, Any]],
            arguments: list[_Param]) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    positional: list[str] = []
    i, only_positional = 0, False
    while i < len(args):
        token = args[i]
        i += 1
        if only_positional or token == "-" or not token.startswith("-"):
            positional.append(token)
            continue
        if token == "--":
            only_positional = True
            continue
        name, eq, text = token.partition("=") if token.startswith("--") else (token, "", "")
        if name not in options:
            return None  # --help, a typo, a short option with its value attached: typer's
        param, on = options[name]
        if param.flag:
            if eq:
                return None
            values[param.name] = on
            continue
        if not eq:
            if i >= len(args):
                return None
            text = args[i]
            i += 1
        try:
            values[param.name] = param.convert(text)
        except (ValueError, KeyError):
            return None
    for param in arguments:
        if param.many:
            taken, positional = positional, []
            if taken:
                try:
                    values[param.name] = [param.convert(t) for t in taken]
                except (ValueError, KeyError):
                    return None
        elif positional:
            try:
                values[param.name] = param.convert(positional.pop(0))
            except (ValueError, KeyError):
                return None
    if positional:
        return None
    for param in [*arguments, *(p for p, _ in options.values())]:
        if param.name not in values:
            if param.default is inspect.Parameter.empty or param.default is ...:
                return None
            values[param.name] = param.default
    return values


def _int(text: str) -> int:
    """A plain decimal integer (``-3``, ``+4``, ``04``); anything else (``4_0``, ``4.0``,
    digits of other scripts, which Python's int() takes) raises, and typer decides."""
    if not _INT.fullmatch(text):
        raise ValueError(text)
    return int(text)


_INT = re.compile(r"[+-]?[0-9]+")


def _within(low: Any, high: Any) -> Callable[[str], int]:
    """An int, refusing a value outside typer's ``min``/``max`` (typer then says so)."""
    def convert(text: str) -> int:
        value = _int(text)
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(text)
        return value
    return convert


def _param(name: str, annotation: Any, default: Any) -> _Param | None:
    """How to read one parameter's value, for the types coachctl's commands use."""
    many = False
    if typing.get_origin(annotation) in (typing.Union, type(int | None)):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(inner) != 1:
            return None
        annotation = inner[0]
    if typing.get_origin(annotation) is list:
        (annotation,) = typing.get_args(annotation)
        many = True
    if annotation is bool:
        return None if many else _Param(name, str, flag=True, default=default)
    convert: Callable[[str], Any]
    if annotation is int:
        convert = _int
    elif annotation in (str, Path):
        convert = annotation
    elif isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        choices = {str(e.value): e for e in annotation}
        convert = choices.__getitem__
    else:
        return None
    return _Param(name, convert, many=many, default=default)
