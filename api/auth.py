"""The API token that guards catalogue imports (configuration ``API_TOKEN``).

No token sent → 401; a wrong one, or imports disabled because no token is configured → 403.
The comparison takes the same time whatever the guess, so the token cannot be found by timing.
"""

from __future__ import annotations

import hmac

from flask import current_app, request

from api.errors import ApiError


def sent_token() -> str | None:
    authorization = request.headers.get("Authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.headers.get("X-API-Token") or None


def has_api_token() -> bool:
    """Whether the request carries the operator's valid token (no error when it does not)."""
    token, configured = sent_token(), current_app.config.get("API_TOKEN")
    if token is None or configured in (None, ""):
        return False
    return hmac.compare_digest(token.encode("utf-8"), str(configured).encode("utf-8"))


def require_api_token() -> None:
    token = sent_token()
    if token is None:
        raise ApiError(401, "unauthorized", "此接口需要 API 令牌（Authorization: Bearer <token>）",
                       {"WWW-Authenticate": 'Bearer realm="tender-check"'})
    configured = current_app.config.get("API_TOKEN")
    if configured in (None, ""):
        raise ApiError(403, "forbidden", "本服务器未配置 API_TOKEN，此接口已停用")
    # configuration from the environment may have parsed a numeric token as a number
    if not hmac.compare_digest(token.encode("utf-8"), str(configured).encode("utf-8")):
        raise ApiError(403, "forbidden", "API 令牌无效")
