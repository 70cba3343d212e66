"""The local API's speed (issue 10), beside a bare Starlette hello-world on the same stack.

    python benchmarks/make_big_db.py /tmp/api100k.sqlite --lines 100000 --customers 2000
    python benchmarks/bench_api.py /tmp/api100k.sqlite [--runs 200] [--seconds 5]

Both servers run as ``python -m app serve``-style subprocesses (uvicorn, one worker, the same
config), so the client's work does not share their interpreter. The client speaks HTTP/1.1
over keep-alive connections with ``http.client`` (the lightest client in the standard
library). Figures: p50/p99 of GET one line, GET a page of 100 lines (at a random offset),
POST a line, PATCH it, a ``$batch`` of 100 line POSTs (plain and ``Isolation: snapshot``);
requests per second with 8 concurrent connections (GET one line) against the hello-world's;
start (spawn) to the first answer; the server's RSS after the run. Writes go to a copy of the
database, so the file given stays as it was.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "bench-token"
HELLO = """
import socket, sys
import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

async def hello(request):
    return JSONResponse({"hello": "world"})

app = Starlette(routes=[Route("/hello", hello)])
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
sock.bind(("127.0.0.1", 0)); sock.listen(128)
print(f"listening on http://127.0.0.1:{sock.getsockname()[1]}/", flush=True)
config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                        server_header=False, date_header=False)
uvicorn.Server(config).run(sockets=[sock])
"""


def _spawn(args: list[str]) -> tuple[subprocess.Popen[str], str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LEDGERDESK_API_TOKEN": TOKEN}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, text=True,
                            env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    url = line.split("listening on ")[1].split()[0]
    return proc, url, started


class Client:
    def __init__(self, url: str) -> None:
        host, port = url.removeprefix("http://").rstrip("/").split(":")
        self.conn = http.client.HTTPConnection(host, int(port))
        self.headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: Any = None,
             headers: dict[str, str] | None = None) -> tuple[int, Any, float]:
        data = None if body is None else json.dumps(body)
        started = time.perf_counter()
        self.conn.request(method, path, data, {**self.headers, **(headers or {})})
        response = self.conn.getresponse()
        raw = response.read()
        took = time.perf_counter() - started
        return response.status, (json.loads(raw) if raw else None), took


def _first_answer(proc_url: tuple[subprocess.Popen[str], str, float], path: str) -> float:
    _proc, url, started = proc_url
    client = Client(url)
    while True:
        try:
            status, _body, _t = client.call("GET", path)
            if status == 200:
                return time.perf_counter() - started
        except OSError:
            time.sleep(0.005)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _rate(url: str, path: str, seconds: float, connections: int = 8) -> float:
    count = [0] * connections
    stop = time.perf_counter() + seconds

    def worker(i: int) -> None:
        client = Client(url)
        while time.perf_counter() < stop:
            status, _b, _t = client.call("GET", path)
            assert status == 200, status
            count[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(count) / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", type=Path, help="a database made by make_big_db.py")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-api-"))
    copy = work / "books.sqlite"
    shutil.copy(args.db, copy)
    hello = _spawn(["-c", HELLO])
    api = _spawn(["-m", "app", "serve", "--db", str(copy), "--port", "0"])
    try:
        hello_start = _first_answer(hello, "/hello")
        api_start = _first_answer(api, "/api/v2.0/companies")
        url = api[1]
        client = Client(url)
        _s, companies, _t = client.call("GET", "/api/v2.0/companies")
        cid = companies["value"][0]["id"]
        base = f"/api/v2.0/companies({cid})"
        _s, found, _t = client.call("GET", f"{base}/customerPaymentJournals?$filter=code eq "
                                           "'BIG'".replace(" ", "%20"))
        jid = found["value"][0]["id"]
        lines = f"{base}/customerPaymentJournals({jid})/customerPayments"
        _s, last, _t = client.call("GET", f"{lines}?$top=1&$orderby=lineNumber%20desc")
        line_count = last["value"][0]["lineNumber"] // 10000  # numbered 10000, 20000, ...
        _s, first, _t = client.call("GET", f"{lines}?$top=1000&$select=id")
        ids = [x["id"] for x in first["value"]]
        _s, customers, _t = client.call(
            "GET", f"{base}/customers?$top=50&$select=number&$filter=blocked%20ne%20'All'")
        numbers = [c["number"] for c in customers["value"]]
        rnd = random.Random(1)
        line_count = max(line_count, 101)

        times: dict[str, list[float]] = {k: [] for k in (
            "GET one line", "GET a page of 100 lines ($skip)",
            "GET a page of 100 lines (nextLink)", "POST a line", "PATCH a line",
            "hello-world GET")}
        hello_client = Client(hello[1])
        for _ in range(20):  # warm both up
            client.call("GET", f"{lines}({ids[0]})")
            hello_client.call("GET", "/hello")
        posted: list[dict[str, Any]] = []
        for i in range(args.runs):
            status, _b, t = client.call("GET", f"{lines}({rnd.choice(ids)})")
            assert status == 200
            times["GET one line"].append(t)
            _s, _b, t = hello_client.call("GET", "/hello")
            times["hello-world GET"].append(t)
            skip = rnd.randrange(0, line_count - 100)  # anywhere in the journal
            status, page, t = client.call("GET", f"{lines}?$top=100&$skip={skip}")
            assert status == 200 and len(page["value"]) == 100, status
            times["GET a page of 100 lines ($skip)"].append(t)
            status, page, t = client.call(
                "GET", f"{lines}?$top=100&$skiptoken=L{skip * 10000}.0")  # what nextLink gives
            assert status == 200 and len(page["value"]) == 100, status
            times["GET a page of 100 lines (nextLink)"].append(t)
            status, line, t = client.call("POST", lines, {
                "customerNumber": rnd.choice(numbers), "amount": -(i + 1),
                "externalDocumentNumber": f"B{i}"})
            assert status == 201, line
            times["POST a line"].append(t)
            posted.append(line)
        for line in posted:
            status, _b, t = client.call("PATCH", f"{lines}({line['id']})", {"amount": -7.5},
                                        {"If-Match": line["@odata.etag"]})
            assert status == 200, _b
            times["PATCH a line"].append(t)
        batch_times: dict[str, list[float]] = {"$batch of 100 line POSTs": [],
                                               "$batch of 100, Isolation: snapshot": []}
        rel = lines.removeprefix("/api/v2.0/")
        for _batch in range(args.batches):
            for name, extra in (("$batch of 100 line POSTs", {}),
                                ("$batch of 100, Isolation: snapshot",
                                 {"Isolation": "snapshot"})):
                body = {"requests": [{"id": str(k), "method": "POST", "url": rel,
                                      "body": {"customerNumber": rnd.choice(numbers),
                                               "amount": -(k + 1)}} for k in range(100)]}
                status, answer, t = client.call("POST", "/api/v2.0/$batch", body, extra)
                assert status == 200 and all(r["status"] == 201 for r in answer["responses"]), \
                    [r for r in answer["responses"] if r["status"] != 201][:1]
                batch_times[name].append(t)
        times.update(batch_times)
        api_rate = _rate(url, f"{lines}({ids[0]})", args.seconds)
        hello_rate = _rate(hello[1], "/hello", args.seconds)
        rss = _rss_mb(api[0].pid)
    finally:
        for proc, _u, _s2 in (api, hello):
            proc.terminate()
            proc.wait(10)
        shutil.rmtree(work, ignore_errors=True)

    budgets = {"GET one line": 0.003, "POST a line": 0.008,
               "$batch of 100 line POSTs": 0.250, "$batch of 100, Isolation: snapshot": 0.250}
    print(f"database: {args.db} ({args.db.stat().st_size / 1e6:.0f} MB, {line_count:,} lines "
          "in journal BIG); "
          f"{args.runs} runs, {args.batches} batches each")
    print(f"{'request':<38}{'p50':>10}{'p99':>10}  {'budget':<14}result")
    for name, values in times.items():
        p50, p99 = _pct(values, 50) * 1000, _pct(values, 99) * 1000
        budget = budgets.get(name)
        verdict = "" if budget is None else ("ok" if p50 / 1000 < budget else "MISSED")
        shown = f"p50 < {budget * 1000:g} ms" if budget else "reference" \
            if name.startswith("hello") else ""
        print(f"{name:<38}{p50:>8.2f}ms{p99:>8.2f}ms  {shown:<14}{verdict}")
    ratio = api_rate / hello_rate
    print(f"{'req/s, 8 connections: GET one line':<38}{api_rate:>10.0f}")
    print(f"{'req/s, 8 connections: hello-world':<38}{hello_rate:>10.0f}")
    print(f"{'ratio (GET one line / hello-world)':<38}{ratio:>9.0%}   {'>= 40 %':<14}"
          f"{'ok' if ratio >= 0.4 else 'MISSED'}")
    print(f"{'start to first answer: API':<38}{api_start * 1000:>8.0f}ms  {'< 1000 ms':<14}"
          f"{'ok' if api_start < 1 else 'MISSED'}")
    print(f"{'start to first answer: hello-world':<38}{hello_start * 1000:>8.0f}ms")
    print(f"{'RSS of the API server after the run':<38}{rss:>8.1f}MB  {'< 150 MB':<14}"
          f"{'ok' if rss < 150 else 'MISSED'}")
    print(f"(mean GET one line {statistics.mean(times['GET one line']) * 1000:.2f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
