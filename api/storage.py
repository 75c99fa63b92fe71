"""Reports and catalogue versions in a SQL database, without Flask.

The CLI (`tender-check check --save`) and the server share one database: by default the
SQLite file ``tender-check.sqlite3`` in ``$TENDER_CHECK_HOME`` (WAL mode, so the server's
readers are not blocked by a writer). Any SQLAlchemy 2 URL works unchanged, PostgreSQL
included (``TENDER_CHECK_DATABASE_URL``). Every write is its own transaction, committed
before the caller answers: a server killed after it replied has lost nothing.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import make_url

DATABASE_FILE = "tender-check.sqlite3"
DATABASE_URL_ENV = "TENDER_CHECK_DATABASE_URL"

metadata = MetaData()

reports = Table(
    "reports",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("document_name", Text, nullable=False),  # the original (often Chinese) name, for display only
    Column("sha256", String(64), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("jurisdiction", String(32)),
    Column("regime", String(32)),
    Column("violations", Integer, nullable=False, default=0),
    Column("risks", Integer, nullable=False, default=0),
    Column("advice", Integer, nullable=False, default=0),
    Column("report_json", Text, nullable=False),
)

catalogue_versions = Table(
    "catalogue_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_name", Text, nullable=False),  # the uploaded file's original name
    Column("catalogue", Text),  # the list's name when the uploader gave one
    Column("sha256", String(64), nullable=False),
    Column("entries", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("saved_to", Text),
    Column("import_report", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


def private_folder(path: str | Path) -> Path:
    """Create ``path`` (and missing parents) readable by this user only (0700)."""
    path = Path(path)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        path.chmod(0o700)
    except OSError:
        pass
    return path


def write_private(path: str | Path, data: bytes) -> None:
    """Write a file readable by this user only (0600), whatever the umask."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)


def default_home() -> Path:
    from checker.catalogue.home import home_dir

    return home_dir()


def default_database_url(home: str | Path | None = None) -> str:
    """``$TENDER_CHECK_DATABASE_URL``, else the SQLite file in ``home`` (default ``$TENDER_CHECK_HOME``)."""
    configured = os.environ.get(DATABASE_URL_ENV)
    if configured:
        return configured
    path = Path(home) if home is not None else default_home()
    return f"sqlite:///{(path / DATABASE_FILE).resolve()}"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite hands back naive datetimes; they were stored as UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat(timespec="seconds")


def _enable_sqlite_wal(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001 - DB-API objects
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable at commit for an app crash
        cursor.execute("PRAGMA busy_timeout=10000")  # CLI and server may write at the same moment
        cursor.close()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            database = Path(parsed.database)
            if not database.parent.exists():
                private_folder(database.parent)
            # reports are other people's documents: the file (and SQLite's -wal/-shm, which take
            # its mode) is this user's only
            os.close(os.open(database, os.O_RDWR | os.O_CREAT, 0o600))
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        _enable_sqlite_wal(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


class ReportStore:
    """Save and fetch check reports and catalogue import records."""

    def __init__(self, url: str | None = None):
        self.url = url or default_database_url()
        self.engine = make_engine(self.url)
        metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ reports

    def save_report(self, report: dict[str, Any]) -> str:
        """Store a report under a new id; the report gains ``"id"``. Returns the id."""
        report_id = uuid.uuid4().hex
        report["id"] = report_id
        document = report.get("document", {})
        counts = report.get("summary", {}).get("by_severity", {})
        with self.engine.begin() as connection:
            connection.execute(
                reports.insert().values(
                    id=report_id,
                    document_name=document.get("name") or "",
                    sha256=document.get("sha256") or "",
                    created_at=_now(),
                    jurisdiction=document.get("jurisdiction"),
                    regime=document.get("regime"),
                    violations=counts.get("violation", 0),
                    risks=counts.get("risk", 0),
                    advice=counts.get("advice", 0),
                    report_json=json.dumps(report, ensure_ascii=False),
                )
            )
        return report_id

    def get_report(self, report_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(reports.c.report_json, reports.c.created_at).where(reports.c.id == report_id)
            ).first()
        if row is None:
            return None
        report = json.loads(row.report_json)
        report["id"] = report_id
        report.setdefault("created_at", _iso(row.created_at))
        return report

    def recent_reports(self, limit: int = 20) -> list[dict[str, Any]]:
        """Newest first, without the report bodies: for listings."""
        query = (
            select(
                reports.c.id, reports.c.document_name, reports.c.sha256, reports.c.created_at,
                reports.c.jurisdiction, reports.c.regime, reports.c.violations, reports.c.risks, reports.c.advice,
            )
            .order_by(reports.c.created_at.desc())
            .limit(limit)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [
            {
                "id": row.id, "document_name": row.document_name, "sha256": row.sha256,
                "created_at": _iso(row.created_at), "jurisdiction": row.jurisdiction, "regime": row.regime,
                "by_severity": {"violation": row.violations, "risk": row.risks, "advice": row.advice},
            }
            for row in rows
        ]

    def count_reports(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(reports)).scalar_one()

    # ------------------------------------------------------------- catalogues

    def save_catalogue_version(
        self,
        *,
        source_name: str,
        sha256: str,
        entries: int,
        rejected: int,
        import_report: str,
        catalogue: str | None = None,
        saved_to: str | None = None,
    ) -> dict[str, Any]:
        """Record one catalogue import; returns the stored row (with its version number ``id``)."""
        values = {
            "source_name": source_name, "catalogue": catalogue, "sha256": sha256, "entries": entries,
            "rejected": rejected, "saved_to": saved_to, "import_report": import_report, "created_at": _now(),
        }
        with self.engine.begin() as connection:
            result = connection.execute(catalogue_versions.insert().values(**values))
            version_id = result.inserted_primary_key[0]
        return {**values, "id": version_id, "created_at": _iso(values["created_at"])}

    def catalogue_versions(self, limit: int = 50) -> list[dict[str, Any]]:
        query = select(catalogue_versions).order_by(catalogue_versions.c.id.desc()).limit(limit)
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [{**row, "created_at": _iso(row["created_at"])} for row in rows]
