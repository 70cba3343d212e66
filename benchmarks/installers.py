#!/usr/bin/env python3
"""Installer figures: build time, bundle and .deb size, the frozen app's start times.

    python benchmarks/installers.py            # measures dist/ as packaging/build.py left it
    python benchmarks/installers.py --build    # builds first (timed), then measures

Prints one table. Start times are the median of several runs of the frozen executable:
``--version`` (no Qt is loaded) and ``--self-test`` (offscreen window shown, temporary
database created, migrated, filled and read back: the wall time of the whole check), and
the time from spawning the app on a demo database to its window being mapped on Xvfb.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wall(command: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def time_to_window(command: list[str], runs: int, env: dict[str, str]) -> float | None:
    """Median seconds from spawning the app to its window being mapped on a real X server
    (Xvfb), seen from outside with xwininfo; None when Xvfb or xwininfo is missing."""
    if not (shutil.which("Xvfb") and shutil.which("xwininfo")):
        return None
    display = ":77"
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", "1400x900x24", "-nolisten",
                               "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        x_env = dict(env, DISPLAY=display)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            app = subprocess.Popen(command, env=x_env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
            try:
                while time.perf_counter() - started < 20:
                    if _main_window_viewable(x_env):
                        times.append(time.perf_counter() - started)
                        break
            finally:
                app.terminate()
                app.wait(timeout=10)
        return statistics.median(times) if times else None
    finally:
        server.terminate()
        server.wait(timeout=10)


def _main_window_viewable(env: dict[str, str]) -> bool:
    tree = subprocess.run(["xwininfo", "-root", "-tree"], env=env, capture_output=True,
                          text=True).stdout
    for line in tree.splitlines():
        if line.rstrip().split(")")[0].endswith('"Ledgerdesk"'):  # WM_CLASS (instance, class)
            window_id = line.split()[0]
            state = subprocess.run(["xwininfo", "-id", window_id], env=env,
                                   capture_output=True, text=True).stdout
            return "Map State: IsViewable" in state
    return False


def size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="run packaging/build.py first")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    if args.build:
        started = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "--dist",
                        str(args.dist), "--no-smoke"], check=True, capture_output=True)
        seconds = time.perf_counter() - started
        rows.append(("build (icons + PyInstaller + .deb)", f"{seconds:.1f} s"))
    bundle = args.dist / "ledgerdesk"
    executable = bundle / "ledgerdesk"
    debs = sorted(args.dist.glob("ledgerdesk_*.deb"))
    files = sum(1 for p in bundle.rglob("*") if p.is_file())
    rows.append(("bundle size (dist/ledgerdesk)", f"{size(bundle) / 2**20:.1f} MiB, {files} files"))
    if debs:
        rows.append((f".deb size ({debs[-1].name})", f"{size(debs[-1]) / 2**20:.1f} MiB"))
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    source = [sys.executable, "-m", "app"]
    for label, command in (("frozen --version", [str(executable), "--version"]),
                           ("source python -m app --version", [*source, "--version"]),
                           ("frozen --self-test, wall time", [str(executable), "--self-test"]),
                           ("source python -m app --self-test", [*source, "--self-test"])):
        rows.append((f"{label} (median of {args.runs})",
                     f"{wall(command, args.runs, env) * 1000:.0f} ms"))
    books = Path(tempfile.mkdtemp(prefix="ledgerdesk-bench-")) / "books.sqlite"
    subprocess.run([str(executable), "demo", "--db", str(books)], check=True,
                   capture_output=True, env=env)
    for label, command in (("frozen: start to window mapped on Xvfb", [str(executable)]),
                           ("source: start to window mapped on Xvfb", source)):
        seconds = time_to_window([*command, "--db", str(books)], args.runs, env)
        rows.append((f"{label} (median of {args.runs})",
                     "n/a (no Xvfb/xwininfo)" if seconds is None else f"{seconds * 1000:.0f} ms"))
    shutil.rmtree(books.parent)
    width = max(len(label) for label, _ in rows)
    print(f"{'what':{width}}  figure")
    for label, figure in rows:
        print(f"{label:{width}}  {figure}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
