"""``tender-check serve``: the app under waitress, a production WSGI server (pure Python, threads).

Threads: every running or waiting check holds a waitress thread, so there are at least
MAX_CONCURRENT_CHECKS + MAX_QUEUED_CHECKS + a few threads; a busy server then still
answers /healthz, rules and reports, and a burst beyond the queue gets a 503 from the app
instead of waiting unseen in waitress's own queue.
"""

from __future__ import annotations

import logging
import sys
import threading
from typing import Any

from flask import Flask

log = logging.getLogger("tender_check.serve")

SPARE_THREADS = 4  # for light requests while every check slot and queue place is taken


def thread_count(app: Flask, requested: int) -> int:
    needed = int(app.config["MAX_CONCURRENT_CHECKS"]) + int(app.config["MAX_QUEUED_CHECKS"]) + SPARE_THREADS
    return max(requested, needed)


def warm_up() -> None:
    """Load the parsers, the NLP pipeline and the catalogue index once, before the first client
    and start the zygote that forks the check children (checker.isolation)."""
    import checker.ingest.docx  # noqa: F401 - imported for its side effect of being loaded
    import checker.ingest.html  # noqa: F401
    import checker.ingest.pdf  # noqa: F401
    import checker.ingest.text  # noqa: F401
    from checker.cli import sample_document
    from checker.isolation import start_zygote
    from checker.pipeline import CheckOptions, check_path

    start_zygote()
    check_path(sample_document(), CheckOptions())


def make_server(app: Flask, host: str = "127.0.0.1", port: int = 0, threads: int = 8, **options: Any):
    """A waitress server bound to host:port (0 = a free port: see ``server.effective_port``)."""
    from waitress import create_server

    # waitress refuses bodies far above the app's limit by itself (plain-text 413, before
    # buffering them); bodies a little over the limit reach the app, which answers a JSON 413.
    body_limit = 2 * int(app.config["MAX_CONTENT_LENGTH"])
    return create_server(
        app, host=host, port=port, threads=thread_count(app, threads), max_request_body_size=body_limit,
        ident="tender-check", channel_request_lookahead=1, **options,
    )


class BackgroundServer:
    """The app under waitress in a daemon thread, for tests and benchmarks: ``with BackgroundServer(app) as s: s.url``."""

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0, threads: int = 8):
        self.server = make_server(app, host, port, threads)
        self.url = f"http://{host}:{self.server.effective_port}"
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tender-check-server", daemon=True)

    def _run(self) -> None:
        try:
            self.server.run()
        except (OSError, ValueError):
            # closing the sockets from another thread can wake the poll loop on a closed descriptor
            if not self._stopping.is_set():
                raise

    def start(self) -> BackgroundServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self.server.close()
        self._thread.join(5)

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _announce_on_stderr() -> None:
    # the CLI sets the root logger to WARNING unless -v; where the server listens is always worth saying
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def serve(host: str = "127.0.0.1", port: int = 8000, threads: int = 8) -> None:
    from api.app import create_app

    _announce_on_stderr()
    app = create_app()
    log.info("正在预热（解析器、规则、目录）…")
    warm_up()
    server = make_server(app, host, port, threads)
    log.info(
        "tender-check 已在 http://%s:%s/ 提供服务（%d 个线程，同时检查 %s 份，排队 %s 份）；数据库 %s",
        host, server.effective_port, server.adj.threads, app.config["MAX_CONCURRENT_CHECKS"],
        app.config["MAX_QUEUED_CHECKS"], app.extensions["tender_check"].store.engine.url.render_as_string(hide_password=True),
    )
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
