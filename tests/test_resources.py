"""app/resources: one lookup from source, wheel (tests/packaging/test_wheel.py) and bundle."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import app
from app import resources


def test_icon_is_found_in_the_package_from_source() -> None:
    icon = resources.icon_path()
    assert icon == Path(app.__file__).parent / "resources" / "ledgerdesk.svg"
    assert "<svg" in icon.read_text(encoding="utf-8")


def test_a_bundle_looks_under_meipass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = tmp_path / "app" / "resources"
    shipped.mkdir(parents=True)
    (shipped / "ledgerdesk.svg").write_text("<svg/>", encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.icon_path() == shipped / "ledgerdesk.svg"


def test_a_missing_resource_names_the_path(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    with pytest.raises(FileNotFoundError, match=r"resource missing: .*ledgerdesk\.svg"):
        resources.icon_path()
