"""The zygote: ``python -m checker._zygote ADDRESS``, started by checker.isolation.

It loads what a check needs once (parsers, rules, the NLP pipeline, the bundled catalogue),
then forks one child per connection on the Unix socket ADDRESS; each child runs one job and
exits, so its memory goes back. The zygote never imports its caller's ``__main__``. It exits
when its standard input closes, that is when the process that started it is gone.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import sys


def warm_up() -> None:
    import checker.ingest.docx  # noqa: F401 - loaded once here, inherited by every child
    import checker.ingest.html  # noqa: F401
    import checker.ingest.pdf  # noqa: F401
    import checker.ingest.text  # noqa: F401
    import checker.isolation  # noqa: F401
    import checker.pipeline as pipeline

    try:  # a check of the bundled sample builds the rule matcher, jieba and the catalogue index
        from importlib import resources

        sample = resources.files("corpus") / "tenders" / "zj-gp-broach-brands.docx"
        pipeline.check_bytes(sample.read_bytes(), "warm-up.docx", pipeline.CheckOptions(isolate=False))
    except Exception:  # warming is an optimisation; the first real job will say what is wrong
        pass


def main(address: str) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the caller, which stops us
    warm_up()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    os.chmod(address, 0o600)
    listener.listen(256)
    sys.stdout.buffer.write(b"ready\n")
    sys.stdout.buffer.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # nobody reads the pipe after "ready": a child's print must not fill it
    stdin = sys.stdin.fileno()
    while True:
        readable, _, _ = select.select([listener, stdin], [], [])
        if stdin in readable and not os.read(stdin, 4096):
            os._exit(0)
        if listener in readable:
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            pid = os.fork()
            if pid == 0:
                status = 0
                try:
                    listener.close()
                    os.close(stdin)
                    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                    signal.signal(signal.SIGINT, signal.SIG_DFL)
                    from checker.isolation import serve_one

                    serve_one(connection)
                except BaseException:
                    status = 1
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(status)
            connection.close()


if __name__ == "__main__":
    main(sys.argv[1])
