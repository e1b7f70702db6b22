"""Writing programme files as YAML a person can read and edit by hand."""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def _dumper() -> type:
    """A dumper that never writes anchors and aliases: each value is spelled out where used.

    Built on first use, so the many commands that only read (from the cache) import no YAML.
    """
    import yaml

    base: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Dumper(base):  # type: ignore[misc]
        def ignore_aliases(self, data: object) -> bool:
            return True

    return Dumper


def dump(data: dict[str, Any], header: str | None = None) -> str:
    """Block-style YAML in the keys' own order, with an optional ``#`` comment header.

    The dumper quotes any string YAML would otherwise misread (``no``, ``14:00``).
    """
    import yaml

    body = yaml.dump(data, Dumper=_dumper(), sort_keys=False, default_flow_style=False,
                     allow_unicode=True, width=100)
    if header:
        body = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines()) + body
    return body
