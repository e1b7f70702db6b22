"""coachctl: run a school's instructional-coaching programme from plain YAML files in git."""

__version__ = "0.1.0"
"""The release this source is. pyproject.toml reads its version from here, so the installed
package metadata (``coachctl --version``) says the same; bump it when tagging ``vX.Y.Z``."""


def installed_version() -> str:
    """The version in the installed package's metadata, as ``coachctl --version`` prints it.

    ``importlib.metadata`` costs tens of milliseconds, so only ``--version`` asks it; the
    cache fingerprint and the outputs use :data:`__version__`. An editable install made
    before the version was bumped still carries the old metadata: then both are shown.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("coachctl")
    except PackageNotFoundError:
        return f"{__version__} (not installed: from the source)"
    if found != __version__:
        return f"{found} (installed metadata; the source is {__version__}: reinstall)"
    return found
