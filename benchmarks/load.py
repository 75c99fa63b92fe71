"""Load test of the HTTP API: N concurrent clients checking a document against a local server.

    python benchmarks/load.py [--clients 16] [--requests 3] [--document corpus/tenders/sc-gp-services-clean.pdf]
                              [--max-concurrent 2] [--max-queued 64] [--time-limit 300] [--json]

By default it starts `tender-check serve` (waitress) as a child process on a free port of
127.0.0.1, with a throw-away TENDER_CHECK_HOME, rate limiting off and the given admission
settings, waits until /healthz answers, warms it up, runs the load, prints the figures and
stops the server. `--url` points it at a server already running, on a loopback address only.

Each client is a thread that posts the document `--requests` times, one after another. A 503
(all check slots busy and the queue full) is counted as "refused"; the client waits as long
as Retry-After says (within the time limit) before its next request, as a polite client would.
Anything else that is not a 200 counts as an error, and so does a 200 whose findings differ
from those of the warm-up check of the same document (status 1 in the figures): concurrent
checks must not disturb each other. Latency is measured for 200s only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DOCUMENT = ROOT / "corpus" / "tenders" / "sc-gp-services-clean.pdf"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)  # seconds, 200 responses
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int, seconds: float, detail: str = "") -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 200:
                self.latencies.append(seconds)
            elif status == 503:
                self.refused += 1
            else:
                self.errors.append(f"{status} {detail}"[:200])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def multipart(path: Path) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode("utf-8")
    return head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def post(host: str, port: int, body: bytes, content_type: str, timeout: float) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("POST", "/api/v1/check", body=body, headers={"Content-Type": content_type})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def wait_until_healthy(host: str, port: int, deadline: float, server: subprocess.Popen | None) -> None:
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise SystemExit(f"the server exited with status {server.returncode} before it was ready")
        try:
            connection = http.client.HTTPConnection(host, port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit("the server did not become healthy in time")


def start_server(port: int, args: argparse.Namespace, home: str) -> subprocess.Popen:
    environment = {
        **os.environ,
        "TENDER_CHECK_HOME": home,
        "TENDER_CHECK_RATELIMIT_ENABLED": "false",
        "TENDER_CHECK_MAX_CONCURRENT_CHECKS": str(args.max_concurrent),
        "TENDER_CHECK_MAX_QUEUED_CHECKS": str(args.max_queued),
    }
    environment.pop("TENDER_CHECK_DATABASE_URL", None)
    command = [sys.executable, "-m", "checker.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    # run from the checkout so that `api` and `checker` are this tree's, not an installed copy
    return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def summary_of(payload: bytes) -> str:
    """What must be the same in every report of the same document (not the id, not the time)."""
    report = json.loads(payload)
    return json.dumps([report["summary"], [(f["rule_id"], f["location"]["start"]) for f in report["findings"]]])


def client(host: str, port: int, body: bytes, content_type: str, requests: int, deadline: float, results: Results,
           expected: str) -> None:
    for _ in range(requests):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            results.record(0, 0.0, "not sent: time limit reached")
            return
        started = time.monotonic()
        try:
            status, headers, payload = post(host, port, body, content_type, timeout=remaining)
        except OSError as exc:
            results.record(-1, time.monotonic() - started, f"{type(exc).__name__}: {exc}")
            continue
        elapsed = time.monotonic() - started
        if status == 200 and summary_of(payload) != expected:  # concurrent checks must not disturb each other
            status = 1
        detail = "inconsistent report" if status == 1 else "" if status == 200 else payload[:160].decode("utf-8", "replace")
        results.record(status, elapsed, detail)
        if status == 503:
            time.sleep(min(float(headers.get("retry-after", "1")), max(deadline - time.monotonic(), 0)))


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (threads), at most 200")
    parser.add_argument("--requests", type=int, default=3, help="checks per client, at most 100")
    parser.add_argument("--document", type=Path, default=DEFAULT_DOCUMENT)
    parser.add_argument("--url", help="an already running server on a loopback address (default: start one)")
    parser.add_argument("--max-concurrent", type=int, default=2, help="MAX_CONCURRENT_CHECKS of the started server")
    parser.add_argument("--max-queued", type=int, default=64, help="MAX_QUEUED_CHECKS of the started server")
    parser.add_argument("--time-limit", type=float, default=300.0, help="seconds for the whole load, at most 1800")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 200 and 1 <= args.requests <= 100 and 0 < args.time_limit <= 1800):
        parser.error("--clients 1..200, --requests 1..100, --time-limit up to 1800 s")

    server = None
    home = tempfile.TemporaryDirectory(prefix="tender-check-load-")
    if args.url:
        address = urlsplit(args.url)
        if address.hostname not in LOOPBACK:
            parser.error("--url must be a loopback address (127.0.0.1, localhost or ::1)")
        host, port = address.hostname, address.port or 80
    else:
        host, port = "127.0.0.1", free_port()
        server = start_server(port, args, home.name)
    try:
        wait_until_healthy(host, port, time.monotonic() + 120, server)
        body, content_type = multipart(args.document)
        status, _, payload = post(host, port, body, content_type, timeout=120)  # warm-up, not counted
        if status != 200:
            raise SystemExit(f"warm-up check failed: {status} {payload[:300]!r}")
        expected = summary_of(payload)

        results = Results()
        deadline = time.monotonic() + args.time_limit
        threads = [
            threading.Thread(target=client, args=(host, port, body, content_type, args.requests, deadline, results, expected))
            for _ in range(args.clients)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(deadline - time.monotonic(), 0) + 30)
        wall = time.monotonic() - started
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        home.cleanup()

    latencies = results.latencies
    figures = {
        "document": args.document.name,
        "document_bytes": args.document.stat().st_size,
        "clients": args.clients,
        "requests_per_client": args.requests,
        "server": args.url or f"tender-check serve (MAX_CONCURRENT_CHECKS={args.max_concurrent}, MAX_QUEUED_CHECKS={args.max_queued})",
        "cpus": os.cpu_count(),
        "wall_seconds": round(wall, 2),
        "ok": len(latencies),
        "refused_503": results.refused,
        "errors": len(results.errors),
        "statuses": dict(sorted(results.statuses.items())),
        "throughput_per_s": round(len(latencies) / wall, 2) if wall else None,
        "latency_s": {
            "p50": round(statistics.median(latencies), 2) if latencies else None,
            "p95": round(percentile(latencies, 0.95), 2) if latencies else None,
            "max": round(max(latencies), 2) if latencies else None,
            "min": round(min(latencies), 2) if latencies else None,
        },
        "error_samples": results.errors[:5],
    }
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        lat = figures["latency_s"]
        print(f"{figures['document']} ({figures['document_bytes'] // 1024} KB), {args.clients} clients × {args.requests} checks, {figures['server']}, {figures['cpus']} CPUs")
        print(f"  wall {figures['wall_seconds']} s, ok {figures['ok']}, refused (503) {figures['refused_503']}, errors {figures['errors']}, statuses {figures['statuses']}")
        print(f"  throughput {figures['throughput_per_s']} checks/s; latency p50 {lat['p50']} s, p95 {lat['p95']} s, min {lat['min']} s, max {lat['max']} s")
        for sample in figures["error_samples"]:
            print(f"  error: {sample}")
    return 1 if results.errors else 0


if __name__ == "__main__":
    sys.exit(main())
