"""Where user-imported catalogues are kept: $TENDER_CHECK_HOME/catalogues (default ~/.local/share/tender-check)."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

from checker.catalogue.load import ImportResult

FORMAT = "tender-check-catalogue"
FORMAT_VERSION = 1


def home_dir() -> Path:
    return Path(os.environ.get("TENDER_CHECK_HOME") or Path.home() / ".local" / "share" / "tender-check")


def catalogues_dir() -> Path:
    return home_dir() / "catalogues"


def _file_name(source: str) -> str:
    # keep Chinese characters (the list's own name is the useful part); drop path separators and oddities
    stem = re.sub(r"[^\w.\-]+", "_", Path(source).stem).strip("._") or "catalogue"
    return f"{stem[:120]}.json"


def save_imported(result: ImportResult) -> Path:
    """Store the accepted entries as normalised JSON; importing the same file again replaces it."""
    directory = catalogues_dir()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = directory / _file_name(result.source)
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "imported_from": Path(result.source).name,
        "imported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "rejected": [{"row": row, "reason": reason} for row, reason in result.rejected],
        "entries": [entry.to_dict() for entry in result.entries],
    }
    temporary = target.with_suffix(".json.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # this user's only
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(json.dumps(document, ensure_ascii=False, indent=1))
    temporary.replace(target)
    return target


def imported_files() -> list[Path]:
    directory = catalogues_dir()
    return sorted(directory.glob("*.json")) if directory.is_dir() else []
