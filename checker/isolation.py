"""Parse untrusted documents in a child process with a wall clock and a memory cap.

pdfminer and the zip/XML stack have had infinite loops, memory blow-ups and worse on crafted
files; a parse that misbehaves is killed and reported as an input error, and the caller
(the CLI, a batch, the web server) carries on.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import resource
import traceback
from multiprocessing.connection import Connection

from checker.errors import CheckerError, InputError, ParseTimeout
from checker.ingest import Limits, read_document
from checker.model import RawDocument

# How parse children start. "forkserver" forks each one from a small server process that has
# only the parsers loaded: cheap to fork (no spaCy, no web server threads or memory to copy) and
# safe from threaded callers. "fork" forks the caller itself; tests that patch the parser in
# their own process switch to it.
START_METHOD = "forkserver"
_PRELOAD = ["checker.isolation", "checker.ingest.pdf", "checker.ingest.docx", "checker.ingest.html", "checker.ingest.text", "pdfplumber"]


def _context():
    context = mp.get_context(START_METHOD)
    if START_METHOD == "forkserver":
        context.set_forkserver_preload(_PRELOAD)
    return context


def mapped_bytes() -> int:
    """The address space this process maps now (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child(connection: Connection, data: bytes, name: str, limits: Limits) -> None:
    try:
        # a forked child inherits its parent's address space, which RLIMIT_AS counts: the parse
        # gets memory_mb beyond that
        cap = mapped_bytes() + limits.memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ValueError, OSError):  # platforms without RLIMIT_AS: the wall clock still applies
        pass
    try:
        result: object = read_document(data, name, limits)
    except CheckerError as exc:
        result = exc
    except MemoryError:
        result = InputError(f"{name}: parsing needed more than {limits.memory_mb} MB; the file is refused", code="too_large")
    except Exception as exc:  # a parser bug on a hostile file is still the file's fault for the user
        result = InputError(f"{name}: cannot be parsed ({type(exc).__name__}: {exc})", code="corrupt")
        result.__cause__ = None
        traceback.print_exc()
    try:
        connection.send_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        connection.close()


def read_isolated(data: bytes, name: str, limits: Limits = Limits()) -> RawDocument:
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, data, name, limits), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(limits.timeout_s):
            raise ParseTimeout(f"{name}: parsing took longer than {limits.timeout_s:g} s; the file is refused")
        try:
            payload = receiver.recv_bytes()
        except EOFError:
            raise InputError(
                f"{name}: the parser stopped (exit {process.exitcode}); the file is probably corrupt or too large",
                code="corrupt",
            ) from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    result = pickle.loads(payload)
    if isinstance(result, BaseException):
        raise result
    return result
