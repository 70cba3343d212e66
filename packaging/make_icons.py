#!/usr/bin/env python3
"""Render the app icon (app/resources/ledgerdesk.svg) to every size the installers need.

    python packaging/make_icons.py [--out build/icons]

writes
    <out>/hicolor/<n>x<n>/apps/ledgerdesk.png   n = 16 24 32 48 64 128 256 512 (Linux theme)
    <out>/ledgerdesk.ico                         16..256, PNG payloads (Windows Vista and later)
    <out>/ledgerdesk.icns                        16..1024 incl. @2x, PNG payloads (macOS 10.7+)

Qt renders the SVG (QSvgRenderer from PySide6.QtSvg, already a dependency); the ICO and ICNS
containers are written here by hand: both are a small index in front of PNG files, which is
not worth a Pillow dependency.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "app" / "resources" / "ledgerdesk.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types that may hold a PNG, and the pixel size of each.
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
    (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256),
    (b"ic14", 512),
)


def render_pngs(svg: Path, sizes: set[int]) -> dict[int, bytes]:
    """PNG bytes of the SVG drawn at each size, transparent background, antialiased."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not a valid SVG")
    pngs: dict[int, bytes] = {}
    for size in sorted(sizes):
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # stub says bytes; runtime wants str
            raise SystemExit(f"make_icons: cannot encode a {size} px PNG")
        buffer.close()
        pngs[size] = bytes(data.data())
    del _app
    return pngs


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file: ICONDIR, one ICONDIRENTRY per size, then the PNG payloads."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, payload = b"", b""
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        payload += png
        offset += len(png)
    return header + entries + payload


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICNS file: 'icns' + total length, then (type, length, PNG) elements, big-endian."""
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
                    for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def make_icons(out: Path, svg: Path = SVG) -> dict[str, Path]:
    sizes = set(PNG_SIZES) | set(ICO_SIZES) | {size for _, size in ICNS_TYPES}
    pngs = render_pngs(svg, sizes)
    made: dict[str, Path] = {}
    for size in PNG_SIZES:
        target = out / "hicolor" / f"{size}x{size}" / "apps" / "ledgerdesk.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pngs[size])
        made[f"png{size}"] = target
    scalable = out / "hicolor" / "scalable" / "apps" / "ledgerdesk.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes(svg.read_bytes())
    made["svg"] = scalable
    made["ico"] = out / "ledgerdesk.ico"
    made["ico"].write_bytes(ico_bytes({size: pngs[size] for size in ICO_SIZES}))
    made["icns"] = out / "ledgerdesk.icns"
    made["icns"].write_bytes(icns_bytes(pngs))
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "icons")
    parser.add_argument("--svg", type=Path, default=SVG)
    args = parser.parse_args(argv)
    made = make_icons(args.out, args.svg)
    for name, target in made.items():
        print(f"{name:7} {target.stat().st_size:8,d} B  {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
