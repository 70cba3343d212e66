"""packaging/make_icons.py: every PNG size, and ICO/ICNS containers a reader can walk."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

from tests.packaging.conftest import ROOT


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def make(tmp_path: Path) -> Path:
    out = tmp_path / "icons"
    subprocess.run([sys.executable, str(ROOT / "packaging" / "make_icons.py"), "--out", str(out)],
                   check=True, capture_output=True)
    return out


def test_icons_are_rendered_at_every_size(tmp_path: Path) -> None:
    out = make(tmp_path)
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        data = (out / "hicolor" / f"{size}x{size}" / "apps" / "ledgerdesk.png").read_bytes()
        assert png_size(data) == (size, size)
    svg = ROOT / "app" / "resources" / "ledgerdesk.svg"
    assert (out / "hicolor" / "scalable" / "apps" / "ledgerdesk.svg").read_bytes() == \
        svg.read_bytes()


def test_ico_directory_points_at_png_images_of_the_stated_size(tmp_path: Path) -> None:
    data = (make(tmp_path) / "ledgerdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, 7)
    sizes = []
    for index in range(count):
        width, height, _colors, _res, planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index: 22 + 16 * index])
        side = width or 256
        assert height == width and (planes, bits) == (1, 32)
        assert png_size(data[offset: offset + length]) == (side, side)
        sizes.append(side)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]
    assert offset + length == len(data)


def test_icns_elements_hold_png_images_of_their_type_size(tmp_path: Path) -> None:
    data = (make(tmp_path) / "ledgerdesk.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    expected = {b"icp4": 16, b"icp5": 32, b"icp6": 64, b"ic07": 128, b"ic08": 256,
                b"ic09": 512, b"ic10": 1024, b"ic11": 32, b"ic12": 64, b"ic13": 256,
                b"ic14": 512}
    found = {}
    position = 8
    while position < len(data):
        kind = data[position: position + 4]
        length = struct.unpack(">I", data[position + 4: position + 8])[0]
        found[kind] = png_size(data[position + 8: position + length])[0]
        position += length
    assert position == len(data)
    assert found == expected
