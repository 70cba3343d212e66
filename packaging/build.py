#!/usr/bin/env python3
"""Build Ledgerdesk's installers: ``python packaging/build.py`` (needs ``pip install .[package]``).

On Linux (Debian/Ubuntu) it leaves in dist/:
    dist/ledgerdesk/                     the one-folder PyInstaller bundle
    dist/ledgerdesk_<version>_<arch>.deb installs it under /opt/ledgerdesk, with the launcher
                                         /usr/bin/ledgerdesk, a menu entry and the icons
On Windows: dist/ledgerdesk/ and dist/Ledgerdesk-<version>-setup.exe (Inno Setup 6's ISCC).
On macOS:   dist/Ledgerdesk.app and dist/Ledgerdesk-<version>.dmg (hdiutil).

Every build ends with the smoke test: the frozen executable runs ``--self-test``.
Name, id and version come from app/__init__.py and nowhere else.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import app  # noqa: E402  (the one place for name, id and version)

SPEC = ROOT / "packaging" / "ledgerdesk.spec"
SUMMARY = "Customer payment journals for accountants, offline"
DESCRIPTION = (
    "Ledgerdesk is an offline desktop bookkeeping application for accountants: customer "
    "payments entered into customer payment journals, applied to open sales invoices and "
    "posted, in the Business Central financials model. The books live in one SQLite file "
    "in the user's data folder, never in the installation folder."
)
MAINTAINER = "Ledgerdesk maintainers <packaging@ledgerdesk.invalid>"

# Shared libraries the frozen bundle needs but does not ship (PyInstaller leaves out the C
# library, the GL/EGL drivers and libxcb on purpose: they must match the machine), mapped to
# the Debian package that provides each. tests/packaging checks this list against the ELF
# files of the real bundle, so a library PyInstaller stops shipping cannot go unnoticed.
SYSTEM_LIBS = {
    "ld-linux-x86-64.so.2": "libc6", "libc.so.6": "libc6", "libdl.so.2": "libc6",
    "libm.so.6": "libc6", "libpthread.so.0": "libc6", "libresolv.so.2": "libc6",
    "librt.so.1": "libc6",
    "libGL.so.1": "libgl1", "libEGL.so.1": "libegl1", "libdrm.so.2": "libdrm2",
    "libxcb.so.1": "libxcb1",
    # Only for the Wayland and GTK3-theme plugins: Qt falls back to xcb / its own style.
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libgtk-3.so.0": "libgtk-3-0", "libgdk-3.so.0": "libgtk-3-0",
}
# Depends: what the bundle loads from the system, plus Qt's runtime libraries for X11
# (DESIGN.md section 10). PyInstaller copies several of these into the bundle from the build
# machine; depending on them too keeps the system's own copies (and fontconfig's
# configuration and a font, which are not libraries) present on a minimal install.
DEPENDS = [
    "libgl1", "libegl1", "libdrm2", "libxcb1", "libxkbcommon0", "libxkbcommon-x11-0",
    "libfontconfig1", "libfreetype6", "libdbus-1-3", "libglib2.0-0", "libx11-6",
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1",
    "libxcb-render-util0", "libxcb-shape0", "libxcb-xkb1", "libxcb-randr0",
]
RECOMMENDS = ["libwayland-client0", "libwayland-cursor0", "libwayland-egl1"]
SUGGESTS = ["libgtk-3-0"]


def log(message: str) -> None:
    print(f"[build] {message}", flush=True)


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    log(" ".join(str(part) for part in command))
    return subprocess.run(command, check=True, text=True, **kwargs)  # type: ignore[call-overload]


def timed(label: str, timings: dict[str, float], step: Callable[[], Path]) -> Path:
    started = time.perf_counter()
    result = step()
    timings[label] = time.perf_counter() - started
    return result


def folder_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


# --- the bundle ----------------------------------------------------------------------------

def make_icons(work: Path) -> Path:
    icons = work / "icons"
    run([sys.executable, str(ROOT / "packaging" / "make_icons.py"), "--out", str(icons)],
        stdout=subprocess.DEVNULL)
    return icons


def build_bundle(dist: Path, work: Path, icons: Path) -> Path:
    """PyInstaller with packaging/ledgerdesk.spec; returns dist/ledgerdesk."""
    env = dict(os.environ, LEDGERDESK_ICONS=str(icons))
    run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work / "pyinstaller"), str(SPEC)], env=env)
    return dist / app.APP_ID


def frozen_executable(dist: Path) -> Path:
    if sys.platform == "darwin":
        return dist / f"{app.APP_NAME}.app" / "Contents" / "MacOS" / app.APP_ID
    if sys.platform == "win32":  # the console twin, so the smoke test's output shows
        return dist / app.APP_ID / f"{app.APP_ID}-cli.exe"
    return dist / app.APP_ID / app.APP_ID


def smoke_test(executable: Path) -> Path:
    """The frozen app checks itself; raises CalledProcessError (and shows why) if it fails."""
    run([str(executable), "--version"])
    run([str(executable), "--self-test"])
    return executable


# --- Linux: the .deb -----------------------------------------------------------------------

def debian_version(version: str) -> str:
    """PEP 440 to Debian: pre-releases sort before the release ('0.2.0rc1' -> '0.2.0~rc1')."""
    return re.sub(r"(?<=\d)(a|b|rc|\.dev)(\d+)$", r"~\1\2", version)


def desktop_entry() -> str:
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        f"Name={app.APP_NAME}",
        "GenericName=Bookkeeping",
        f"Comment={SUMMARY}",
        f"Exec={app.APP_ID}",
        f"Icon={app.APP_ID}",
        "Terminal=false",
        "StartupNotify=true",
        f"StartupWMClass={app.APP_ID}",
        "Categories=Office;Finance;",
        "Keywords=bookkeeping;accounting;payments;journal;ledger;invoices;",
        "",
    ])


def glibc_needed(bundle: Path) -> str | None:
    """The newest GLIBC_x.y symbol version any file of the bundle asks for."""
    files = [str(f) for f in bundle.rglob("*") if f.is_file() and
             (".so" in f.name or f.name == app.APP_ID)]
    output = subprocess.run(["objdump", "-T", *files], capture_output=True, text=True).stdout
    versions = {tuple(int(p) for p in v.split(".")) for v in re.findall(r"GLIBC_(\d+\.\d+)",
                                                                          output)}
    return ".".join(map(str, max(versions))) if versions else None


def control_file(version: str, arch: str, installed_kib: int, glibc: str | None) -> str:
    depends = ([f"libc6 (>= {glibc})"] if glibc else ["libc6"]) + DEPENDS
    lines = [
        f"Package: {app.APP_ID}",
        f"Version: {debian_version(version)}",
        f"Architecture: {arch}",
        f"Maintainer: {MAINTAINER}",
        f"Installed-Size: {installed_kib}",
        f"Depends: {', '.join(depends)}",
        f"Recommends: {', '.join(RECOMMENDS)}",
        f"Suggests: {', '.join(SUGGESTS)}",
        "Section: misc",
        "Priority: optional",
        f"Description: {SUMMARY}",
        *[f" {line}" for line in textwrap.wrap(DESCRIPTION, width=78)],
    ]
    return "\n".join(lines) + "\n"


def _normalise_modes(root: Path) -> None:
    """0755 for folders and programs, 0644 for the rest (shared libraries included, as
    Debian wants them), whatever the umask and the wheels said."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        is_library = ".so" in path.name
        if path.is_dir() or (path.stat().st_mode & 0o111 and not is_library):
            path.chmod(0o755)
        else:
            path.chmod(0o644)


def build_deb(bundle: Path, icons: Path, out_dir: Path, work: Path,
              version: str = app.__version__) -> Path:
    """Stage /opt/ledgerdesk, the launcher, the menu entry and the icons; dpkg-deb them."""
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    name = f"{app.APP_ID}_{debian_version(version)}_{arch}"
    stage = work / "deb" / name
    if stage.exists():
        shutil.rmtree(stage)
    opt = stage / "opt" / app.APP_ID
    shutil.copytree(bundle, opt, symlinks=True)
    # The launcher on the PATH. Relative, so it also works in a root unpacked by `dpkg -x`.
    launcher = stage / "usr" / "bin" / app.APP_ID
    launcher.parent.mkdir(parents=True)
    launcher.symlink_to(Path("..", "..", "opt", app.APP_ID, app.APP_ID))
    applications = stage / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    (applications / f"{app.APP_ID}.desktop").write_text(desktop_entry(), encoding="utf-8")
    shutil.copytree(icons / "hicolor", stage / "usr" / "share" / "icons" / "hicolor")
    doc = stage / "usr" / "share" / "doc" / app.APP_ID
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        f"{app.APP_NAME} {version}\nCopyright: the {app.APP_NAME} authors. "
        "License: proprietary.\n\nBundled in /opt/ledgerdesk/_internal: Qt and PySide6 under "
        "the LGPL-3 (/usr/share/common-licenses/LGPL-3), Python under the PSF License, and "
        "the libraries of the build machine under their own licences.\n", encoding="utf-8")
    changelog = f"{app.APP_ID} ({debian_version(version)}) unstable; urgency=low\n\n" \
        f"  * {app.APP_NAME} {version}.\n\n -- {MAINTAINER}  " \
        f"{time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.gmtime())}\n"
    (doc / "changelog.gz").write_bytes(gzip.compress(changelog.encode(), mtime=0))
    debian = stage / "DEBIAN"
    debian.mkdir()
    installed_kib = (folder_size(stage) + 1023) // 1024
    (debian / "control").write_text(
        control_file(version, arch, installed_kib, glibc_needed(bundle)), encoding="utf-8")
    _normalise_modes(stage)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}.deb"
    for compression in ("zstd", "gzip"):  # zstd: under a second; xz would take a minute
        try:
            run(["dpkg-deb", "--root-owner-group", f"-Z{compression}", "--build",
                 str(stage), str(target)], stdout=subprocess.DEVNULL)
            break
        except subprocess.CalledProcessError:
            if compression == "gzip":
                raise
            log("dpkg-deb cannot write zstd here; falling back to gzip")
    return target


# --- Windows: Inno Setup -------------------------------------------------------------------

def find_iscc() -> str:
    found = shutil.which("iscc") or shutil.which("ISCC")
    if found:
        return found
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        candidate = Path(base or "C:/Program Files (x86)") / "Inno Setup 6" / "ISCC.exe"
        if candidate.exists():
            return str(candidate)
    raise SystemExit("Inno Setup 6 (ISCC.exe) not found: install it (choco install innosetup)")


def build_windows_installer(bundle: Path, icons: Path, out_dir: Path) -> Path:
    script = ROOT / "packaging" / "windows" / "ledgerdesk.iss"
    run([find_iscc(), f"/DAppName={app.APP_NAME}", f"/DAppId={app.APP_ID}",
         f"/DAppVersion={app.__version__}", f"/DBundleDir={bundle}",
         f"/DIconFile={icons / 'ledgerdesk.ico'}", f"/DOutputDir={out_dir}", str(script)])
    return out_dir / f"{app.APP_NAME}-{app.__version__}-setup.exe"


# --- macOS: the .dmg -----------------------------------------------------------------------

def build_dmg(dist: Path, out_dir: Path) -> Path:
    target = out_dir / f"{app.APP_NAME}-{app.__version__}.dmg"
    run(["bash", str(ROOT / "packaging" / "macos" / "make_dmg.sh"),
         str(dist / f"{app.APP_NAME}.app"), app.APP_NAME, str(target)])
    return target


# --- the command ---------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build",
                        help="folder for intermediate files")
    parser.add_argument("--target", choices=["auto", "linux", "windows", "macos", "bundle"],
                        default="auto", help="what to build (default: this system's installer;"
                        " 'bundle' stops after the PyInstaller folder)")
    parser.add_argument("--no-smoke", action="store_true",
                        help="do not run the frozen app's --self-test after building")
    args = parser.parse_args(argv)
    target = args.target
    if target == "auto":
        target = {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")
    dist, work = args.dist.resolve(), args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)

    timings: dict[str, float] = {}
    started = time.perf_counter()
    icons = timed("icons", timings, lambda: make_icons(work))
    bundle = timed("bundle (PyInstaller)", timings, lambda: build_bundle(dist, work, icons))
    made = [bundle]
    if target == "linux":
        made.append(timed(".deb (dpkg-deb)", timings,
                          lambda: build_deb(bundle, icons, dist, work)))
    elif target == "windows":
        made.append(timed("setup.exe (Inno Setup)", timings,
                          lambda: build_windows_installer(bundle, icons, dist)))
    elif target == "macos":
        made.append(dist / f"{app.APP_NAME}.app")
        made.append(timed(".dmg (hdiutil)", timings, lambda: build_dmg(dist, dist)))
    if not args.no_smoke:
        timed("smoke test (--self-test)", timings, lambda: smoke_test(frozen_executable(dist)))
    total = time.perf_counter() - started

    print(f"\n{app.APP_NAME} {app.__version__} ({target})")
    for label, seconds in timings.items():
        print(f"  {label:28} {seconds:7.1f} s")
    print(f"  {'total':28} {total:7.1f} s")
    for path in made:
        print(f"  {folder_size(path) / 1e6:8.1f} MB  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
