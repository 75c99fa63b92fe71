"""Per-client rate limit on the check endpoints (the only expensive ones), built on ``limits``
(the engine under flask-limiter) so that each app has its own counters.

Keyed on the client address; behind a reverse proxy, wrap the app in werkzeug's ProxyFix so
that the address is the client's and not the proxy's.
"""

from __future__ import annotations

import time

from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from api.errors import ApiError


class CheckRateLimit:
    def __init__(self, rate: str, storage_uri: str = "memory://"):
        self.rate = rate
        self._items = parse_many(rate)  # "60/minute" or "60/minute;1000/day"
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def hit(self, client: str) -> None:
        """Count one check for ``client``; raise a 429 ApiError (with Retry-After) past the limit."""
        for item in self._items:
            if not self._limiter.hit(item, "check", client):
                reset_at = self._limiter.get_window_stats(item, "check", client).reset_time
                retry_after = max(1, int(reset_at - time.time()) + 1)
                raise ApiError(
                    429, "rate_limited", f"该地址检查次数过多（上限 {item}），请 {retry_after} 秒后再试",
                    {"Retry-After": str(retry_after)},
                )
