"""Resources are found from an installed wheel the same way as from the source tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.packaging.conftest import ROOT


@pytest.mark.slow
def test_installed_wheel_finds_its_icon_and_migrations(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(wheels), str(ROOT)], check=True, capture_output=True,
                   cwd=tmp_path)
    (wheel,) = wheels.glob("ledgerdesk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("app/resources/ledgerdesk.svg", "app/db/migrations/env.py",
                     "app/db/migrations/versions/0001_initial.py"):
        assert expected in names, expected
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:  # what pip would put in site-packages
        archive.extractall(site)
    code = ("import sys; from app import resources; p = resources.icon_path(); "
            "print(p); assert p.read_text().lstrip().startswith('<?xml')")
    # Run outside the checkout, with the unpacked wheel first on the path.
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=tmp_path, env={"PYTHONPATH": str(site)})
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == site / "app" / "resources" / "ledgerdesk.svg"
