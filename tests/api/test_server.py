"""The server itself: the serve command, the token, the Host check, the body limit."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.db import Database
from tests.api.conftest import TOKEN, Api, error_of, start_server

ROOT = Path(__file__).resolve().parents[2]


def test_every_request_needs_the_token(api: Api) -> None:
    url = f"{api.server.url}api/v2.0/companies"
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                    {"Authorization": TOKEN}, {"Authorization": f"Bearer {TOKEN}x"}):
        response = httpx.get(url, headers=headers)
        assert response.status_code == 401
        code, message = error_of(response)
        assert code == "Authentication_InvalidCredentials"
        assert "Authorization: Bearer" in message
    # Unknown paths and the batch are behind the token as well.
    assert httpx.get(f"{api.server.url}nothing/here").status_code == 401
    assert httpx.post(f"{api.server.url}api/v2.0/$batch", json={}).status_code == 401
    assert api.get(url).status_code == 200


def test_a_host_header_that_is_not_loopback_is_refused(api: Api) -> None:
    url = f"{api.server.url}api/v2.0/companies"
    for host in ("evil.example", "evil.example:7048", "192.168.1.5", "127.0.0.1.evil.example"):
        response = api.get(url, headers={"Host": host})
        assert response.status_code == 403
        code, message = error_of(response)
        assert code == "Authorization_HostNotAllowed" and host.split(":")[0] in message
    for host in ("localhost", f"localhost:{api.server.port}", "127.0.0.1", "[::1]:7048"):
        assert api.get(url, headers={"Host": host}).status_code == 200, host
    assert "access-control-allow-origin" not in api.get(
        url, headers={"Origin": "http://evil.example"}).headers


def test_a_body_over_the_limit_gets_413_and_nothing_is_written(db: Database,
                                                               api: Api) -> None:
    small = start_server(db, max_body=1000)
    try:
        url = f"{small.url}api/v2.0/companies({api.company_id})/customerPaymentJournals"
        body = {"code": "BIG", "displayName": "x" * 2000}
        response = api.post(url, body)
        assert response.status_code == 413
        code, message = error_of(response)
        assert code == "BadRequest_RequestTooLarge" and "1,000 bytes" in message

        def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while reading
            yield b'{"code": "BIG", "displayName": "'
            for _ in range(20):
                yield b"x" * 100
            yield b'"}'
        streamed = api.client.post(url, content=chunks(),
                                   headers={"Content-Type": "application/json"})
        assert streamed.status_code == 413
        assert "BIG" not in {j["code"] for j in api.get(url).json()["value"]}
    finally:
        small.stop()


def _serve(db_path: Path, *args: str, env: dict[str, str] | None = None
           ) -> tuple[subprocess.Popen[str], str]:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    proc = subprocess.Popen([sys.executable, "-m", "app", "serve", "--db", str(db_path),
                             "--port", "0", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=full_env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    return proc, line


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_serve_prints_its_url_first_and_stops_cleanly(db: Database, demo: object,
                                                      db_path: Path, sig: int) -> None:
    db.close()
    started = time.monotonic()
    proc, line = _serve(db_path, env={"LEDGERDESK_API_TOKEN": "from-env"})
    try:
        assert "http://127.0.0.1:" in line and "LEDGERDESK_API_TOKEN" in line, line
        url = line.split("listening on ")[1].split()[0]
        assert url.endswith("/")
        response = httpx.get(f"{url}api/v2.0/companies",
                             headers={"Authorization": "Bearer from-env"})
        first_answer = time.monotonic() - started
        assert response.status_code == 200 and response.json()["value"][0]["name"]
        assert first_answer < 30  # measured for real in benchmarks/bench_api.py
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert "Traceback" not in err and "stopped" in out
    finally:
        if proc.poll() is None:
            proc.kill()


def test_serve_writes_a_new_token_to_a_private_file(db: Database, demo: object,
                                                    db_path: Path) -> None:
    db.close()
    env = {k: v for k, v in os.environ.items() if k != "LEDGERDESK_API_TOKEN"}
    env["LEDGERDESK_API_TOKEN"] = ""
    proc, line = _serve(db_path, env=env)
    try:
        path = Path(line.split("token in ")[1].split(";")[0])
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        token = path.read_text().strip()
        assert len(token) >= 40
        url = line.split("listening on ")[1].split()[0]
        assert httpx.get(f"{url}api/v2.0/companies",
                         headers={"Authorization": f"Bearer {token}"}).status_code == 200
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)
        assert proc.returncode == 0
        assert not path.exists()  # the token dies with the server
    finally:
        if proc.poll() is None:
            proc.kill()


def test_serve_on_another_host_warns(db: Database, db_path: Path) -> None:
    db.close()
    proc, line = _serve(db_path, "--host", "0.0.0.0", env={"LEDGERDESK_API_TOKEN": "t"})
    try:
        assert "http://0.0.0.0:" in line
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=20)
        assert "warning: listening on 0.0.0.0, not loopback" in err
        assert proc.returncode == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_serve_refuses_a_bad_port(db_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "app", "serve", "--db", str(db_path),
                             "--port", "70000"], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert result.returncode == 2 and "--port must be between 0 and 65535" in result.stderr


def test_help_lists_serve() -> None:
    result = subprocess.run([sys.executable, "-m", "app", "serve", "--help"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0 and "--port" in result.stdout and "7048" in result.stdout
