"""Admission control for checks: a fixed number run at once, a bounded number wait, the rest are
turned away at once with a Retry-After estimate, so that a burst can neither exhaust memory
(each running check forks a parser) nor make every client wait without bound."""

from __future__ import annotations

import math
import threading
import time
from contextlib import contextmanager
from typing import Iterator


class Busy(Exception):
    """No slot is free and the wait queue is full (or the wait timed out)."""

    def __init__(self, retry_after: int, reason: str):
        super().__init__(reason)
        self.retry_after = retry_after


class CheckSlots:
    def __init__(self, concurrent: int, queued: int, queue_timeout: float):
        if concurrent < 1 or queued < 0:
            raise ValueError("MAX_CONCURRENT_CHECKS 必须 ≥ 1，MAX_QUEUED_CHECKS 必须 ≥ 0")
        self.concurrent = concurrent
        self.queued = queued
        self.queue_timeout = queue_timeout
        self._slots = threading.BoundedSemaphore(concurrent)
        self._lock = threading.Lock()
        self._waiting = 0
        self._running = 0
        self._mean_seconds = 2.0  # moving average of a check's duration, for Retry-After

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one check slot for the duration of the block, waiting in the queue if allowed."""
        if not self._slots.acquire(blocking=False):
            self._wait_for_slot()
        with self._lock:
            self._running += 1
        started = time.monotonic()
        try:
            yield
        finally:
            elapsed = time.monotonic() - started
            with self._lock:
                self._running -= 1
                self._mean_seconds = 0.8 * self._mean_seconds + 0.2 * elapsed
            self._slots.release()

    def _wait_for_slot(self) -> None:
        with self._lock:
            if self._waiting >= self.queued:
                raise Busy(self.retry_after(), f"全部 {self.concurrent} 个检查名额都在使用中，另有 {self._waiting} 个检查在排队")
            self._waiting += 1
        try:
            acquired = self._slots.acquire(timeout=self.queue_timeout)
        finally:
            with self._lock:
                self._waiting -= 1
        if not acquired:
            raise Busy(self.retry_after(), f"{self.queue_timeout:g} 秒内没有空出检查名额")

    def retry_after(self) -> int:
        """Seconds until the present backlog has probably drained (at least 1)."""
        backlog = self._waiting + self._running
        return max(1, min(300, math.ceil(self._mean_seconds * backlog / self.concurrent)))

    def status(self) -> dict[str, int]:
        with self._lock:
            return {"running": self._running, "waiting": self._waiting, "slots": self.concurrent, "queue": self.queued}
