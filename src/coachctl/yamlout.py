"""Writing programme files as YAML a person can read and edit by hand."""

from __future__ import annotations

from typing import Any

import yaml

_Base: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_Base):  # type: ignore[misc]
    """Never writes anchors and aliases: each value is spelled out where it is used."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def dump(data: dict[str, Any], header: str | None = None) -> str:
    """Block-style YAML in the keys' own order, with an optional ``#`` comment header.

    The dumper quotes any string YAML would otherwise misread (``no``, ``14:00``).
    """
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, default_flow_style=False,
                     allow_unicode=True, width=100)
    if header:
        body = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines()) + body
    return body
