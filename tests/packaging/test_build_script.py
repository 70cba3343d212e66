"""packaging/build.py's pure parts: versions, the menu entry and the control file."""

from __future__ import annotations

from app import APP_ID, APP_NAME, __version__
from tests.packaging.conftest import load_packaging_module

build = load_packaging_module("build")


def test_debian_version_sorts_pre_releases_before_the_release() -> None:
    assert build.debian_version("0.1.0") == "0.1.0"
    assert build.debian_version("0.2.0rc1") == "0.2.0~rc1"
    assert build.debian_version("0.2.0b3") == "0.2.0~b3"
    assert build.debian_version("0.2.0.dev4") == "0.2.0~.dev4"
    assert build.debian_version("0.1.0.post1") == "0.1.0.post1"


def test_desktop_entry_names_the_app_from_one_place() -> None:
    lines = build.desktop_entry().splitlines()
    assert lines[0] == "[Desktop Entry]"
    keys = dict(line.split("=", 1) for line in lines[1:] if line)
    assert keys["Name"] == APP_NAME
    assert keys["Exec"] == APP_ID and keys["Icon"] == APP_ID
    assert keys["Categories"].endswith(";")
    assert len(keys) == len(lines) - 1  # no key twice


def test_control_file_is_well_formed() -> None:
    text = build.control_file(__version__, "amd64", 123456, "2.36")
    assert text.endswith("\n") and "\n\n" not in text
    fields = {}
    for line in text.splitlines():
        if line.startswith(" "):
            assert line == " ." or len(line) <= 81  # continuation lines of the description
            continue
        key, value = line.split(": ", 1)
        fields[key] = value
    assert fields["Package"] == APP_ID and fields["Version"] == __version__
    assert fields["Installed-Size"] == "123456"
    assert fields["Depends"].startswith("libc6 (>= 2.36), libgl1, ")
    assert set(build.RECOMMENDS + build.SUGGESTS).isdisjoint(build.DEPENDS)
