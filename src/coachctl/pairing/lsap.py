"""scipy's :func:`~scipy.optimize.linear_sum_assignment`, without all of scipy.optimize.

``from scipy.optimize import linear_sum_assignment`` imports the whole of scipy.optimize
(linalg, sparse, the array-API layer: about 0.45 s of CPU), three times what ``pair
suggest`` spends solving for a 200-staff school. The function is one compiled module,
``scipy/optimize/_lsap``, which needs only numpy: :func:`linear_sum_assignment` loads it
from its file when it is there and otherwise (another scipy layout) imports it the usual
way. Either way it is scipy's own code, so the assignment is the same.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

Solver = Callable[[Any], tuple[Any, Any]]


@cache
def linear_sum_assignment() -> Solver:
    """scipy's solver: ``linear_sum_assignment()(cost) -> (rows, cols)``."""
    return compiled() or _public()


def compiled() -> Solver | None:
    """The compiled module loaded from its file, or None where it is not found as expected."""
    import importlib.machinery
    import importlib.util
    from pathlib import Path

    import numpy  # noqa: F401  (the module needs numpy's C interface loaded)

    scipy = importlib.util.find_spec("scipy")
    if scipy is None or not scipy.submodule_search_locations:
        return None
    name = "scipy.optimize._lsap"
    for folder in scipy.submodule_search_locations:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = Path(folder, "optimize", "_lsap" + suffix)
            if path.is_file():
                loader = importlib.machinery.ExtensionFileLoader(name, str(path))
                spec = importlib.util.spec_from_file_location(name, path, loader=loader)
                if spec is None:
                    return None
                try:
                    module = importlib.util.module_from_spec(spec)
                    loader.exec_module(module)
                except ImportError:
                    return None
                solver: Solver | None = getattr(module, "linear_sum_assignment", None)
                return solver
    return None


def _public() -> Solver:
    from scipy.optimize import linear_sum_assignment as solver

    return solver  # type: ignore[no-any-return]
