"""Fixtures for the HTTP API (flaskr style: ``app``, ``client``, ``runner``), an isolated instance
folder per test, and a real waitress server on a free loopback port."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.app import create_app
from api.serve import BackgroundServer
from api_helpers import CORPUS_TENDERS

TEST_CONFIG = {
    "TESTING": True,
    "RATELIMIT_ENABLED": False,  # only the rate-limit test turns it on
    "MAX_CONCURRENT_CHECKS": 2,
    "MAX_QUEUED_CHECKS": 4,
    "PARSE_TIMEOUT": 30.0,
    "API_TOKEN": "test-token",
}


@pytest.fixture(autouse=True)
def tender_check_home(tmp_path, monkeypatch) -> Path:
    """Each test has its own instance folder: database, imported catalogues, uploads."""
    home = tmp_path / "home"
    monkeypatch.setenv("TENDER_CHECK_HOME", str(home))
    monkeypatch.delenv("TENDER_CHECK_DATABASE_URL", raising=False)
    return home


@pytest.fixture
def make_app(tender_check_home):
    apps = []

    def build(**overrides):
        app = create_app({**TEST_CONFIG, **overrides})
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.extensions["tender_check"].store.close()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def tender_docx() -> bytes:
    return (CORPUS_TENDERS / "zj-gp-broach-brands.docx").read_bytes()


@pytest.fixture
def live_server(app):
    with BackgroundServer(app) as server:
        yield server
