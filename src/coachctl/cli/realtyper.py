"""The real Typer app of a command module declared with :mod:`coachctl.cli.lite`.

Only imported when typer is needed (``--help``, an error, completion, CliRunner):
the same ``typer.Typer(...)`` settings, each command and callback registered with
the same arguments, and each function given a signature whose ``Option`` and
``Argument`` are typer's own, built from the arguments written in the module. The
function runs as written; an ``Exit`` or ``Abort`` it raises becomes typer's.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Annotated, Any

import typer

import coachctl.cli.lite as lite


def to_typer(app: Any) -> Any:
    """The real Typer app for ``app`` (built once); a Typer app is returned as it is."""
    if not isinstance(app, lite.Typer):
        return app
    if app._typer is None:
        app._typer = _build(app)
    return app._typer


def _build(app: lite.Typer) -> typer.Typer:
    real = typer.Typer(**app.settings)
    if app.callback_declared is not None:
        declared = app.callback_declared
        real.callback(*declared.args, **declared.settings)(_function(declared.function))
    for declared in app.commands:
        real.command(*declared.args, **declared.settings)(_function(declared.function))
    real.declared = app  # type: ignore[attr-defined]  # for coachctl.cli.fast.run
    return real


def _function(function: Callable[..., Any]) -> Any:
    """``function`` with typer's parameter declarations in its signature."""
    hints = typing.get_type_hints(function, include_extras=True)
    signature = inspect.signature(function)
    parameters = [p.replace(annotation=_real(hints.get(p.name, p.annotation)),
                            default=_real(p.default))
                  for p in signature.parameters.values()]

    call = _translated(function)
    del call.__wrapped__  # typer reads the signature below
    call.__signature__ = signature.replace(
        parameters=parameters, return_annotation=hints.get("return", signature.empty))
    call.__annotations__ = {p.name: p.annotation for p in parameters
                            if p.annotation is not inspect.Parameter.empty}
    if "return" in hints:
        call.__annotations__["return"] = hints["return"]
    return call


def _real(value: Any) -> Any:
    """A declaration with typer's Option/Argument in place of :mod:`lite`'s."""
    if isinstance(value, lite.ParameterInfo):
        make = typer.Option if isinstance(value, lite.OptionInfo) else typer.Argument
        settings = {k: _translated(v) if k == "callback" and callable(v) else v
                    for k, v in value.settings.items()}
        return make(value.default, *value.param_decls, **settings)
    if typing.get_origin(value) is Annotated:
        inner, *extras = typing.get_args(value)
        return Annotated[(inner, *map(_real, extras))]
    return value


def _translated(function: Callable[..., Any]) -> Any:
    """``function``, an ``Exit`` or ``Abort`` it raises made typer's."""
    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except lite.Exit as e:
            raise typer.Exit(e.exit_code) from None
        except lite.Abort:
            raise typer.Abort() from None
    return call
