"""The .deb: what it installs where, that it runs from an unpacked root, and upgrades."""

from __future__ import annotations

import re
import shutil
import sqlite3
import struct
import subprocess
from pathlib import Path

import pytest

from app import APP_ID, APP_NAME, __version__
from app.db.database import SCHEMA_HEAD
from tests.packaging.conftest import Built, clean_env, load_packaging_module, run_app

pytestmark = pytest.mark.slow
build = load_packaging_module("build")


def unpack(deb: Path, root: Path) -> Path:
    subprocess.run(["dpkg", "-x", str(deb), str(root)], check=True)
    return root


def field(deb: Path, name: str) -> str:
    return subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True,
                          check=True).stdout.strip()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_deb_control_fields(built: Built) -> None:
    assert built.deb.name == f"{APP_ID}_{__version__}_amd64.deb"
    assert field(built.deb, "Package") == APP_ID
    assert field(built.deb, "Version") == build.debian_version(__version__)
    depends = field(built.deb, "Depends")
    assert re.match(r"libc6 \(>= 2\.\d+\), ", depends), depends
    for package in ("libgl1", "libegl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3",
                    "libglib2.0-0", "libxcb1", "libxcb-cursor0"):
        assert package in depends.split(", "), package
    # Compressed with zstd (fast to build); a .deb is an ar archive of three members.
    members = subprocess.run(["ar", "t", str(built.deb)], capture_output=True, text=True,
                             check=True).stdout.split()
    assert members[0] == "debian-binary"
    assert members[2] in ("data.tar.zst", "data.tar.gz")


def test_deb_installs_under_opt_with_launcher_menu_entry_and_icons(built: Built,
                                                                  tmp_path: Path) -> None:
    root = unpack(built.deb, tmp_path / "root")
    assert sorted(p.name for p in root.iterdir()) == ["opt", "usr"]  # nothing in /etc, /var
    executable = root / "opt" / APP_ID / APP_ID
    assert executable.is_file() and executable.stat().st_mode & 0o111
    libraries = [p for p in (root / "opt").rglob("*.so*") if p.is_file() and not p.is_symlink()]
    assert libraries and all(p.stat().st_mode & 0o777 == 0o644 for p in libraries)
    launcher = root / "usr" / "bin" / APP_ID
    assert launcher.is_symlink()
    assert launcher.resolve() == executable.resolve()

    entry = (root / "usr" / "share" / "applications" / f"{APP_ID}.desktop").read_text()
    lines = entry.splitlines()
    assert lines[0] == "[Desktop Entry]"
    for expected in (f"Name={APP_NAME}", f"Exec={APP_ID}", f"Icon={APP_ID}", "Type=Application",
                     "Terminal=false"):
        assert expected in lines, expected
    icons = root / "usr" / "share" / "icons" / "hicolor"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert png_size(icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png") == (size, size)
    assert (icons / "scalable" / "apps" / f"{APP_ID}.svg").read_text().lstrip().startswith("<?xml")


def test_deb_runs_its_self_test_from_an_unpacked_root(built: Built, tmp_path: Path) -> None:
    root = unpack(built.deb, tmp_path / "root")
    result = run_app(root / "usr" / "bin" / APP_ID, "--self-test",
                     env=clean_env(XDG_DATA_HOME=str(tmp_path / "data")))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"self-test passed: {APP_NAME} {__version__},")


def _needed_and_shipped(bundle: Path) -> tuple[set[str], set[str]]:
    files = [p for p in bundle.rglob("*") if p.is_file() and (".so" in p.name or p.name == APP_ID)]
    shipped = {p.name for p in files}
    dynamic = subprocess.run(["readelf", "-d", *map(str, files)], capture_output=True,
                             text=True).stdout
    needed = set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic))
    return needed, shipped


def test_every_library_the_bundle_leaves_out_is_declared(built: Built) -> None:
    needed, shipped = _needed_and_shipped(built.bundle)
    from_system = needed - shipped
    assert "libGL.so.1" in from_system  # the check sees what it should
    undeclared = from_system - set(build.SYSTEM_LIBS)
    assert not undeclared, f"add these to SYSTEM_LIBS in packaging/build.py: {undeclared}"
    declared = set()
    for key in ("Depends", "Recommends", "Suggests"):
        declared |= {re.sub(r"\s*\(.*\)", "", p) for p in field(built.deb, key).split(", ")}
    for library in from_system:
        assert build.SYSTEM_LIBS[library] in declared, library


OLDEST_SCHEMA = "0001_initial"


def _take_back_to_oldest_schema(books: Path) -> None:
    """Make the file what an older release left: Alembic's downgrade to the first schema."""
    from alembic import command
    from sqlalchemy import create_engine

    from app.db import migrations

    engine = create_engine(f"sqlite:///{books}")
    try:
        cfg = migrations.config()
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.downgrade(cfg, OLDEST_SCHEMA)
    finally:
        engine.dispose()


def _revision_and_companies(books: Path) -> tuple[str, list[str]]:
    conn = sqlite3.connect(books)
    try:
        (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        names = [r[0] for r in conn.execute("SELECT name FROM company ORDER BY name")]
    finally:
        conn.close()
    return revision, names


def test_upgrade_keeps_the_users_data_and_migrates_it(built: Built, tmp_path: Path) -> None:
    """The books an older version left in the user data folder survive a newer package
    unpacked over the old one (old files removed, as dpkg does), which migrates them, after
    a backup, on first start."""
    newer_version = f"{__version__}.post1"
    newer = build.build_deb(built.bundle, built.icons, tmp_path / "newer", tmp_path / "work",
                            version=newer_version)
    old_v, new_v = field(built.deb, "Version"), field(newer, "Version")
    assert subprocess.run(["dpkg", "--compare-versions", new_v, "gt", old_v]).returncode == 0

    data_home = tmp_path / "data"
    env = clean_env(XDG_DATA_HOME=str(data_home))
    root = unpack(built.deb, tmp_path / "root")
    launcher = root / "usr" / "bin" / APP_ID
    first = run_app(launcher, "demo", env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "CRONUS Demo"
    books = data_home / APP_NAME / "ledgerdesk.sqlite"
    assert books.is_file()
    assert not list(root.rglob("*.sqlite")), "data written inside the installation"
    _take_back_to_oldest_schema(books)
    assert _revision_and_companies(books) == (OLDEST_SCHEMA, ["CRONUS Demo"])

    shutil.rmtree(root / "opt" / APP_ID)  # the upgrade replaces the whole installed tree
    unpack(newer, root)
    second = run_app(launcher, "demo", env=env)
    assert second.returncode == 0, second.stderr
    # The newer version opened the same books (the first company is still there), migrated
    # them to its schema, and kept a copy of the file as it was.
    assert second.stdout.strip() == "CRONUS Demo 2"
    assert _revision_and_companies(books) == (SCHEMA_HEAD, ["CRONUS Demo", "CRONUS Demo 2"])
    (backup,) = books.parent.glob(f"ledgerdesk.*.before-{SCHEMA_HEAD}.backup.sqlite")
    assert _revision_and_companies(backup) == (OLDEST_SCHEMA, ["CRONUS Demo"])
    assert not list(root.rglob("*.sqlite"))
