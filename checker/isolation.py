"""Run untrusted work — parsing a document, or the whole check — in a child process with a wall
clock and a memory cap, that the caller can stop at any moment.

pdfminer and the zip/XML stack have had infinite loops, memory blow-ups and worse on crafted
files, and analysis of a huge document can take minutes and gigabytes: work that misbehaves is
killed and reported as an input error, the memory goes back with the child, and the caller
(the CLI, a batch, the web server) carries on. A web request whose client has gone passes a
``cancelled`` callable and its child is killed as soon as that returns true.

How children start (``START_METHOD``):

- ``"zygote"`` (default): a helper process started once with ``python -m checker._zygote``
  loads the parsers, rules, NLP pipeline and catalogue, and forks one child per job. It never
  imports the caller's ``__main__``, so a script without an ``if __name__ == "__main__"`` guard
  works, and it shares neither the caller's threads nor its memory.
- ``"fork"``: the caller forks itself; tests that patch the parser in their own process use it.
"""

from __future__ import annotations

import atexit
import math
import os
import pickle
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Callable

from checker.errors import Cancelled, CheckerError, CheckTimeout, InputError, ParseTimeout
from checker.ingest import Limits, read_document
from checker.model import RawDocument

START_METHOD = "zygote"
POLL_SECONDS = 0.2  # how often a waiting caller looks at its deadline and at ``cancelled``


@dataclass(frozen=True)
class Bounds:
    """What one isolated job may cost. The job runs in two phases: parsing, then (for a whole
    check) analysis; the child says when parsing is over."""

    name: str  # the document's name, for messages
    parse_timeout_s: float
    parse_memory_mb: int
    total_timeout_s: float | None = None  # None: the job is parsing only
    total_memory_mb: int | None = None


def mapped_bytes() -> int:
    """The address space this process maps now (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


# ----------------------------------------------------------------------------- the child side


class Channel:
    """What a job running in the child uses to talk to its parent."""

    def __init__(self, connection: Connection | None, bounds: Bounds | None = None):
        self._connection = connection
        self._bounds = bounds
        self.phase = "parse"

    def send(self, *message: Any) -> None:
        if self._connection is not None:
            self._connection.send_bytes(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))

    def parsed(self, pages: int) -> None:
        """Parsing is over: the parent switches to the whole-check deadline, the memory cap widens."""
        self.phase = "analyse"
        if self._bounds is not None and self._bounds.total_memory_mb:
            try:
                _, hard = resource.getrlimit(resource.RLIMIT_AS)
                resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
            except (ValueError, OSError):
                pass
        self.send("parsed", pages)

    def progress(self, stage: str, done: int, total: int | None = None) -> None:
        self.send("progress", stage, done, total)


def _apply_bounds(bounds: Bounds) -> None:
    base = mapped_bytes()  # a forked child inherits its parent's address space, which RLIMIT_AS counts
    soft = base + bounds.parse_memory_mb * 2**20
    hard = max(soft, base + (bounds.total_memory_mb or 0) * 2**20)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (ValueError, OSError):  # platforms without RLIMIT_AS: the wall clock still applies
        pass
    # a backstop should the parent vanish without killing us
    signal.alarm(int(math.ceil(max(bounds.parse_timeout_s, bounds.total_timeout_s or 0))) + 10)


def _run_job(connection: Connection, job: tuple) -> None:
    function, args, bounds = job
    channel = Channel(connection, bounds)
    try:
        _apply_bounds(bounds)
        result: object = function(channel, *args)
    except CheckerError as exc:
        result = exc
    except MemoryError:
        if channel.phase == "parse":
            result = InputError(f"{bounds.name}：解析所需内存超过 {bounds.parse_memory_mb} MB，文件被拒绝", code="too_large")
        else:
            result = InputError(f"{bounds.name}：检查所需内存超过 {bounds.total_memory_mb} MB，已停止", code="too_large")
    except Exception as exc:  # a parser bug on a hostile file is still the file's fault for the user
        traceback.print_exc()
        if channel.phase == "parse":
            result = InputError(f"{bounds.name}：无法解析（{type(exc).__name__}: {exc}）", code="corrupt")
        else:
            result = CheckerError(f"{bounds.name}：检查时出现内部错误（{type(exc).__name__}: {exc}）", code="check_failed")
    try:
        payload = pickle.dumps(("done", result), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # an exception that does not pickle
        payload = pickle.dumps(("done", CheckerError(f"{bounds.name}: {type(exc).__name__}", code="check_failed")))
    try:
        connection.send_bytes(payload)
    finally:
        connection.close()


def _fork_child(connection: Connection, job: tuple) -> None:  # target of the "fork" start method
    _run_job(connection, job)


def serve_one(sock: socket.socket) -> None:
    """In a child forked by the zygote: tell the parent our pid, read the job, run it."""
    connection = Connection(sock.detach())
    connection.send_bytes(pickle.dumps(("pid", os.getpid())))
    job = pickle.loads(connection.recv_bytes())
    environment = job[3] if len(job) > 3 else {}
    for key in [k for k in os.environ if k.startswith("TENDER_CHECK_")]:
        del os.environ[key]
    os.environ.update(environment)
    _run_job(connection, job[:3])


# ---------------------------------------------------------------------------- the parent side


class _Zygote:
    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="tender-check-")  # 0700
        self.address = os.path.join(self.folder, "zygote.sock")
        environment = dict(os.environ)
        paths = [p for p in sys.path if p and os.path.isdir(p)]
        environment["PYTHONPATH"] = os.pathsep.join(paths)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "checker._zygote", self.address],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment, close_fds=True,
        )
        self.owner = os.getpid()
        line = self.process.stdout.readline()
        if line.strip() != b"ready":
            self.process.kill()
            raise CheckerError(f"隔离进程未能启动（exit {self.process.wait()}）", code="internal")

    def alive(self) -> bool:
        return self.process.poll() is None

    def connect(self) -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(self.address)
        return sock

    def stop(self) -> None:
        try:
            self.process.stdin.close()  # the zygote exits when its stdin closes
            self.process.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
        try:
            os.unlink(self.address)
            os.rmdir(self.folder)
        except OSError:
            pass


_zygote: _Zygote | None = None
_zygote_lock = threading.Lock()


def zygote() -> _Zygote:
    """The zygote of this process, started on first use (and again should it have died)."""
    global _zygote
    with _zygote_lock:
        if _zygote is None or not _zygote.alive() or _zygote.owner != os.getpid():
            if _zygote is None:
                atexit.register(_stop_zygote)
            _zygote = _Zygote()
        return _zygote


def _stop_zygote() -> None:
    if _zygote is not None and _zygote.owner == os.getpid():
        _zygote.stop()


def start_zygote() -> None:
    """Start the zygote now (a server does this before its first client)."""
    if START_METHOD == "zygote":
        zygote()


class _Child:
    """One running job: its connection and a way to kill it."""

    def __init__(self, job: tuple) -> None:
        self.process = None
        if START_METHOD == "fork":
            import multiprocessing as mp

            context = mp.get_context("fork")
            self.connection, sender = context.Pipe(duplex=False)
            self.process = context.Process(target=_fork_child, args=(sender, job), daemon=True)
            self.process.start()
            sender.close()
            self.pid = self.process.pid
            return
        environment = {k: v for k, v in os.environ.items() if k.startswith("TENDER_CHECK_")}
        for attempt in range(2):
            try:
                sock = zygote().connect()
                break
            except OSError:
                if attempt:
                    raise
                _zygote.stop()
        self.connection = Connection(sock.detach())
        self.connection.send_bytes(pickle.dumps((*job, environment), protocol=pickle.HIGHEST_PROTOCOL))
        kind, self.pid = pickle.loads(self.connection.recv_bytes())

    def kill(self) -> None:
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
        else:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def close(self) -> None:
        self.connection.close()
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(5)

    @property
    def exitcode(self) -> int | None:
        return self.process.exitcode if self.process is not None else None


def run_isolated(
    function: Callable[..., Any],
    args: tuple,
    bounds: Bounds,
    cancelled: Callable[[], bool] | None = None,
    on_progress: Callable[..., None] | None = None,
) -> Any:
    """``function(channel, *args)`` in a child within ``bounds``; its result, or its error raised here.

    Raises ParseTimeout / CheckTimeout past a deadline, Cancelled when ``cancelled()`` turns
    true; in every case the child is killed and its memory given back.
    """
    started = time.monotonic()
    deadline = started + bounds.parse_timeout_s
    phase = "parse"
    child = _Child((function, args, bounds))
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                child.kill()
                if phase == "parse":
                    raise ParseTimeout(f"{bounds.name}：解析超过 {bounds.parse_timeout_s:g} 秒，文件被拒绝")
                raise CheckTimeout(f"{bounds.name}：检查超过 {bounds.total_timeout_s:g} 秒，已停止")
            if cancelled is not None and cancelled():
                child.kill()
                raise Cancelled(f"{bounds.name}：请求方已断开，检查已停止")
            if not child.connection.poll(min(POLL_SECONDS, remaining)):
                continue
            try:
                message = pickle.loads(child.connection.recv_bytes())
            except (EOFError, OSError):
                code = child.exitcode
                exit_text = f"（exit {code}）" if code is not None else ""
                if phase == "parse":
                    raise InputError(f"{bounds.name}：解析进程意外退出{exit_text}，文件可能已损坏或过大", code="corrupt") from None
                raise CheckerError(f"{bounds.name}：检查进程意外退出{exit_text}（可能超出内存上限）", code="check_failed") from None
            if message[0] == "done":
                result = message[1]
                if isinstance(result, BaseException):
                    raise result
                return result
            if message[0] == "parsed":
                phase = "analyse"
                deadline = started + (bounds.total_timeout_s or bounds.parse_timeout_s)
            if on_progress is not None:
                on_progress(*message)
    finally:
        child.close()


def _parse_job(channel: Channel, data: bytes, name: str, limits: Limits) -> RawDocument:
    return read_document(data, name, limits)


def read_isolated(data: bytes, name: str, limits: Limits = Limits(), cancelled: Callable[[], bool] | None = None) -> RawDocument:
    """Parse a document in a child process (time and memory caps, page cap)."""
    bounds = Bounds(name=name, parse_timeout_s=limits.timeout_s, parse_memory_mb=limits.memory_mb)
    return run_isolated(_parse_job, (data, name, limits), bounds, cancelled=cancelled)
