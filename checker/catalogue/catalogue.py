"""A set of catalogue entries: the bundled one, user-imported ones, or files given on the command line."""

from __future__ import annotations

import unicodedata
from functools import cache, cached_property, lru_cache
from importlib.resources import as_file, files
from pathlib import Path
from typing import Iterable, Iterator

from rapidfuzz import fuzz, process

from checker.catalogue import home
from checker.catalogue.load import SUPPORTED_SUFFIXES, ImportResult, read_file
from checker.catalogue.model import CatalogueEntry
from checker.errors import ConfigError


class Catalogue:
    def __init__(self, entries: Iterable[CatalogueEntry], *, rejected: Iterable[tuple[str, int, str]] = ()):
        by_id: dict[str, CatalogueEntry] = {}
        for entry in entries:
            by_id[entry.id] = entry  # the same row from a later file replaces the earlier one
        self._by_id = by_id
        self.entries: tuple[CatalogueEntry, ...] = tuple(by_id.values())
        self.rejected: tuple[tuple[str, int, str], ...] = tuple(rejected)  # (file, row, reason)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[CatalogueEntry]:
        return iter(self.entries)

    def get(self, entry_id: str) -> CatalogueEntry | None:
        return self._by_id.get(entry_id)

    # ---------------------------------------------------------------- construction

    @classmethod
    def bundled(cls) -> Catalogue:
        """The real entries shipped with the package (corpus/catalogue/entries.csv), loaded once per process."""
        return _bundled()

    @classmethod
    def from_paths(cls, paths: Iterable[str | Path]) -> Catalogue:
        """Load several files at once (national + provincial + city lists); a directory means its files.

        Rows that fail validation are left out and listed in ``rejected``.
        """
        entries: list[CatalogueEntry] = []
        rejected: list[tuple[str, int, str]] = []
        for path in _expand(paths):
            result = read_file(path)
            entries += result.entries
            rejected += [(str(path), row, reason) for row, reason in result.rejected]
        return cls(entries, rejected=rejected)

    @classmethod
    def merge(cls, *catalogues: Catalogue) -> Catalogue:
        """One catalogue from several; an entry present in more than one is taken from the last."""
        return cls(
            (entry for catalogue in catalogues for entry in catalogue.entries),
            rejected=[item for catalogue in catalogues for item in catalogue.rejected],
        )

    @classmethod
    def default(cls) -> Catalogue:
        """The bundled catalogue plus every catalogue the user has imported.

        The same object is returned while the imported files are unchanged, so that what
        is built on it once (the matcher's name index) is reused.
        """
        imported = home.imported_files()
        if not imported:
            return cls.bundled()
        return _default(tuple((str(path), path.stat().st_mtime_ns) for path in imported))

    @classmethod
    def import_file(cls, path: str | Path, *, catalogue: str | None = None, save: bool = True) -> ImportResult:
        """Read and validate a published list; keep its good rows in the user's catalogue directory.

        ``catalogue`` names the list when the file has neither a catalogue column nor a
        title row. Nothing is saved when no row was accepted.
        """
        result = read_file(path, catalogue=catalogue)
        if save and result.entries:
            result.saved_to = home.save_imported(result)
        return result

    # ---------------------------------------------------------------- lookup

    def search(self, query: str, limit: int = 10) -> list[tuple[CatalogueEntry, float]]:
        """Entries whose name, model code or company resembles the query, best first (score 0–100)."""
        needle = _search_key(query)
        if not needle:
            return []
        found = process.extract(
            needle, self._search_texts, scorer=fuzz.partial_ratio, limit=limit, score_cutoff=60
        )
        # among equal partial scores, prefer the entry whose whole text is closest to the query
        found.sort(key=lambda hit: (-hit[1], -fuzz.ratio(needle, hit[0])))
        return [(self.entries[index], round(score, 1)) for _, score, index in found]

    @cached_property
    def _search_texts(self) -> list[str]:
        return [
            _search_key(" ".join(filter(None, (e.name, *e.model, e.company, e.company_short, *e.brands))))
            for e in self.entries
        ]


def _search_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    expanded: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            expanded += sorted(p for p in path.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)
        elif path.exists():
            expanded.append(path)
        else:
            raise ConfigError(f"{path}：找不到目录文件")
    return expanded


@lru_cache(maxsize=1)
def _default(imported: tuple[tuple[str, int], ...]) -> Catalogue:
    return Catalogue.merge(Catalogue.bundled(), Catalogue.from_paths(path for path, _ in imported))


@cache
def _bundled() -> Catalogue:
    resource = files("corpus") / "catalogue" / "entries.csv"
    with as_file(resource) as path:
        result = read_file(path)
    if result.rejected:  # the bundled rows are curated; a rejection is a packaging bug
        raise ConfigError("内置目录中有无效行：\n" + result.report())
    return Catalogue(result.entries)
