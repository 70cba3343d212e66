"""``python -m app --self-test``: passes on a working install, fails in one line otherwise."""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app import APP_NAME, __version__, selftest

ROOT = Path(__file__).resolve().parent.parent


def test_self_test_passes_offscreen_and_leaves_no_trace(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_STATE_HOME=str(tmp_path / "state"), TMPDIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "app", "--self-test"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"self-test passed: {APP_NAME} {__version__},")
    assert result.stderr == ""
    # Never the user's database or settings; the temporary folder is gone.
    assert list(tmp_path.iterdir()) == []


def test_a_qt_that_cannot_load_fails_in_one_line(qtbot: QtBot,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # As on a machine without Qt's system libraries: importing the window part fails.
    monkeypatch.setitem(sys.modules, "app.ui.selftest", None)
    out, err = io.StringIO(), io.StringIO()
    assert selftest.run(out, err) == 1
    assert out.getvalue() == ""
    assert err.getvalue().startswith("self-test failed: the Qt interface cannot be loaded (")
    assert err.getvalue().count("\n") == 1


def test_a_view_that_never_shows_the_lines_is_reported(qtbot: QtBot, tmp_path: Path) -> None:
    from app.ui.selftest import check_main_window

    made = selftest.create_records(tmp_path / "books.sqlite")
    expecting_two = dataclasses.replace(made, line_count=2)
    with pytest.raises(selftest.SelfTestFailure,
                       match=r"^paymentsView did not show 2 row\(s\) within 0.5 s \(it shows 1\)$"):
        check_main_window(tmp_path / "books.sqlite", expecting_two, timeout=0.5)


def test_the_window_part_passes_on_what_the_services_made(qtbot: QtBot, tmp_path: Path) -> None:
    from app.ui.selftest import check_main_window

    made = selftest.create_records(tmp_path / "books.sqlite")
    assert check_main_window(tmp_path / "books.sqlite", made) > 0


def test_an_unexpected_error_is_one_line_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services import companies

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire\n  and more")

    monkeypatch.setattr(companies, "create", broken)
    out, err = io.StringIO(), io.StringIO()
    assert selftest.run(out, err) == 1
    assert err.getvalue() == "self-test failed: RuntimeError: disk on fire and more\n"
    assert out.getvalue() == ""


def test_wrong_data_read_back_is_reported(tmp_path: Path) -> None:
    made = selftest.create_records(tmp_path / "x.sqlite")
    wrong = selftest.Made(company_id=made.company_id, journal_id=made.journal_id,
                          payment_id=made.company_id, line_count=1,
                          customer_number=made.customer_number,
                          customer_name=made.customer_name)
    with pytest.raises(selftest.SelfTestFailure,
                       match="the payment line read back is not the one created"):
        selftest.check_records(tmp_path / "x.sqlite", wrong)
