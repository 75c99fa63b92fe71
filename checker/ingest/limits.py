"""Bounds on what one document may cost to read; every reader honours them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 1500
    timeout_s: float = 120.0  # wall clock for parsing one document (child process)
    memory_mb: int = 1024  # address space the parsing process may add to what it inherits
    # DOCX / zip bounds: real tenders stay far below these
    zip_max_entries: int = 5000
    zip_max_expanded: int = 300 * 1024 * 1024
    zip_max_ratio: float = 200.0  # expanded/compressed for any entry larger than 1 MB
