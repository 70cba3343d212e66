"""Files shipped inside the app (the icon today; translations or sample data later).

One lookup for all three ways the app runs: from a source checkout, from an installed wheel
(the files are package data, see pyproject.toml) and from a PyInstaller bundle (the spec
collects them to the same relative place, ``app/resources/`` under ``sys._MEIPASS``).
No Qt here: the UI turns the paths into icons.
"""

from __future__ import annotations

import sys
from importlib import resources as _resources
from pathlib import Path

ICON_SVG = "ledgerdesk.svg"


def resource_dir() -> Path:
    """The folder that holds the app's resource files."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:  # a PyInstaller bundle
        return Path(bundle) / "app" / "resources"
    root = _resources.files(__name__)
    if not isinstance(root, Path):  # a zipped install: not supported, say so plainly
        raise RuntimeError(f"Ledgerdesk's resources are not on the file system ({root}); "
                           "install it as a folder, not as a zip archive.")
    return root


def path(name: str) -> Path:
    """The path of one resource file; FileNotFoundError if it was not shipped."""
    found = resource_dir() / name
    if not found.is_file():
        raise FileNotFoundError(f"Ledgerdesk resource missing: {found}")
    return found


def icon_path() -> Path:
    """The application icon (SVG, scalable)."""
    return path(ICON_SVG)
