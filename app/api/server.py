"""Running the API: ``python -m app serve`` (foreground) and ``ApiServer`` (the GUI's thread).

- Default 127.0.0.1:7048 (Business Central's port); ``--port 0`` picks a free port. The
  socket is bound and listening before the start line is printed, so a client that reads the
  line can connect at once.
- The first line on standard output names the base URL ``http://HOST:PORT/`` and where the
  token is.
- The token is ``LEDGERDESK_API_TOKEN`` when set, else a new random one at each start,
  written to a file only its owner can read (0600), which the start line names.
- A host other than loopback must be asked for with ``--host`` and gets a warning.
- SIGINT or SIGTERM: the server finishes the requests in flight and exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import signal
import socket
import sys
import threading
import time
from collections.abc import Generator
from pathlib import Path
from types import FrameType
from typing import Any

TOKEN_ENV = "LEDGERDESK_API_TOKEN"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7048


def token_file() -> Path:
    from app import paths

    return paths.data_dir() / "api-token"


def make_token() -> tuple[str, Path | None]:
    """The token from the environment, else a new one written to a 0600 file."""
    given = os.environ.get(TOKEN_ENV, "").strip()
    if given:
        return given, None
    token = secrets.token_urlsafe(32)
    path = token_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    try:
        os.write(fd, (token + "\n").encode("ascii"))
    finally:
        os.close(fd)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return token, path


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP given explicitly: asyncio sets TCP_NODELAY on accepted connections only for
    # such sockets; without it a small answer written in two parts (headers, body) waits
    # for the client's delayed ACK (40 ms per request on keep-alive connections).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def _uvicorn_server(app: Any) -> Any:
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn, but a signal ends it cleanly (exit 0) instead of being raised again."""

        @contextlib.contextmanager
        def capture_signals(self) -> Generator[None, None, None]:
            if threading.current_thread() is not threading.main_thread():
                yield
                return

            def stop(_sig: int, _frame: FrameType | None) -> None:
                self.should_exit = True

            old = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
            try:
                yield
            finally:
                for sig, handler in old.items():
                    signal.signal(sig, handler)

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            server_header=False, date_header=False, timeout_graceful_shutdown=5)
    return Server(config)


class ApiServer:
    """The API on one database: ``run()`` in the foreground, or ``start()``/``stop()`` in a
    thread (the GUI's Tools menu). The same application either way."""

    def __init__(self, db: Any, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 token: str | None = None, max_body: int | None = None) -> None:
        from app.api.app import MAX_BODY, Api, is_loopback

        self.db = db
        self.host = host
        if token is None:
            token, self.token_path = make_token()
        else:
            self.token_path = None
        self.token = token
        self._sock = _bind(host, port)
        self.port = int(self._sock.getsockname()[1])
        allowed = frozenset() if is_loopback(host) else frozenset({host})
        self.api = Api(db, token, max_body=max_body or MAX_BODY, allowed_hosts=allowed)
        self._server = _uvicorn_server(self.api)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def start_line(self) -> str:
        where = (f"token in {self.token_path}" if self.token_path
                 else f"token from {TOKEN_ENV}")
        return (f"Ledgerdesk API listening on {self.url} (v2.0 at {self.url}api/v2.0/; "
                f"{where}; Ctrl+C stops)")

    def run(self) -> None:
        """Serve until SIGINT/SIGTERM (main thread) or ``stop()``."""
        try:
            self._server.run(sockets=[self._sock])
        finally:
            self._close()

    def start(self) -> None:
        """Serve in a background thread; returns once the server answers."""
        self._thread = threading.Thread(target=self.run, name="ledgerdesk-api", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started and self._thread.is_alive():
            if time.monotonic() > deadline:  # pragma: no cover - a machine far too slow
                break
            time.sleep(0.005)

    def stop(self, timeout: float = 10) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.close()
        if self.token_path is not None:
            with contextlib.suppress(OSError):
                self.token_path.unlink()


# --- the command ---------------------------------------------------------------------------

def register(commands: Any) -> None:
    """``serve``: one subparser registered by app/cli.py."""
    from app.cli_common import add_db_option as _add_db_option

    serve = commands.add_parser(
        "serve", help="serve the local Business Central-compatible REST API (no window)",
        description="Serve the books over Business Central's REST API (v2.0 and v1.0) on this "
                    "computer. Every request needs 'Authorization: Bearer TOKEN'; see "
                    "docs/api.md.")
    _add_db_option(serve)
    serve.add_argument("--host", default=DEFAULT_HOST,
                       help="address to listen on (default 127.0.0.1; another address makes "
                            "the books reachable from other computers)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT,
                       help="port (default 7048, Business Central's; 0 picks a free one)")
    serve.set_defaults(handler=run_command)


def run_command(args: argparse.Namespace) -> int:
    from app.api.app import is_loopback
    from app.cli_common import open_db

    if not 0 <= args.port <= 65535:
        print(f"error: --port must be between 0 and 65535, not {args.port}", file=sys.stderr)
        return 2
    db = open_db(args)
    try:
        try:
            server = ApiServer(db, host=args.host, port=args.port)
        except OSError as exc:
            print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}",
                  file=sys.stderr)
            return 1
        print(server.start_line(), flush=True)
        if not is_loopback(args.host):
            print(f"warning: listening on {args.host}, not loopback: other computers can reach "
                  "the books (with the token). Plain HTTP: use it only on a network you "
                  "trust.", file=sys.stderr, flush=True)
        with contextlib.suppress(KeyboardInterrupt, asyncio.CancelledError):
            server.run()
        print("Ledgerdesk API stopped.", flush=True)
    finally:
        db.close()
    return 0
