"""The installers are built once per test session and shared by every test that needs them.

``python packaging/build.py`` (the one command a developer runs) builds the PyInstaller bundle
and the .deb into a temporary folder; the tests then run what it made. Building takes about
25 s on the 2-core CI machine, so the tests that use it are marked ``slow`` (still run by
.ci/run, which runs the whole suite).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_packaging_module(name: str) -> ModuleType:
    """Import packaging/<name>.py (packaging/ is not a package: its name is PyPI's)."""
    spec = importlib.util.spec_from_file_location(f"ledgerdesk_{name}",
                                                  ROOT / "packaging" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def clean_env(**overrides: str) -> dict[str, str]:
    """The environment for a frozen app: no screen and no Qt platform unless given."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY", "PYTHONPATH")}
    env.update(overrides)
    return env


def run_app(executable: Path, *args: str, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(executable), *args], capture_output=True, text=True,
                          env=env if env is not None else clean_env(), timeout=timeout)


@dataclass(frozen=True)
class Built:
    dist: Path
    work: Path
    bundle: Path
    executable: Path
    deb: Path
    icons: Path


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    base = tmp_path_factory.mktemp("installers")
    dist, work = base / "dist", base / "build"
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py"), "--dist", str(dist),
         "--work", str(work), "--no-smoke"],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, \
        f"build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    debs = sorted(dist.glob("*.deb"))
    assert len(debs) == 1, debs
    bundle = dist / "ledgerdesk"
    return Built(dist=dist, work=work, bundle=bundle, executable=bundle / "ledgerdesk",
                 deb=debs[0], icons=work / "icons")
