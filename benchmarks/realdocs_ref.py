"""Reference text and labels of the real tender corpus in ``../shared/realdocs``.

The corpus is not ours and is never committed here. This module reads it where it lies and
gives the benchmark and the tests two things, both independent of the checker's own parsers:

- the *reference text* of each document, from the extractors the reviewer used (poppler's
  ``pdftotext`` per physical page, python-docx paragraphs and cells, HTML with tags stripped),
  so that a label is found whatever the checker's ingestion does;
- the *labels*: the reviewer's (``labels.jsonl``, which quote a fragment) and the project's own
  (``corpus/realdocs/project-labels.jsonl``), which quote nothing — each names its fragment and
  clause by a hash and a length over the canonical reference text, and the text is recovered
  from the document at run time. That keeps real text out of the repository.

Canonical text is NFKC with all white space removed: it is what fragments are compared on.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REALDOCS = ROOT.parent / "shared" / "realdocs"
PROJECT_LABELS = ROOT / "corpus" / "realdocs" / "project-labels.jsonl"
SPLIT_FILE = ROOT / "corpus" / "realdocs" / "split.json"
_WS = re.compile(r"\s+")


def canon(text: str) -> str:
    return _WS.sub("", unicodedata.normalize("NFKC", text or ""))


def digest(text: str) -> str:
    return hashlib.blake2b(canon(text).encode("utf-8"), digest_size=10).hexdigest()


def documents() -> list[Path]:
    """Every document of the corpus, the robustness probes in ``odd/`` last."""
    if not REALDOCS.is_dir():
        return []
    main = sorted(p for p in REALDOCS.iterdir() if p.suffix.lower() in {".pdf", ".docx", ".doc", ".html", ".htm", ".txt"})
    odd = sorted((REALDOCS / "odd").glob("*")) if (REALDOCS / "odd").is_dir() else []
    return main + odd


def split() -> dict[str, str]:
    """Document number (``"01"``) → ``tune`` | ``heldout``, fixed once in ``split.json``."""
    data = json.loads(SPLIT_FILE.read_text(encoding="utf-8"))
    return {number: part for part in ("tune", "heldout") for number in data[part]}


# ---------------------------------------------------------------- reference text


@lru_cache(maxsize=64)
def reference_pages(path: Path) -> tuple[str, ...]:
    """The document's text as the reviewer's extractors give it: one string per physical page
    for PDF, one string for the other formats."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=300)
        pages = out.stdout.decode("utf-8", "replace").split("\f")
        return tuple(pages[:-1] if pages and not pages[-1].strip() else pages)
    if suffix == ".docx":
        import docx  # python-docx

        document = docx.Document(str(path))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.extend(cell.text for cell in row.cells)
        return ("\n".join(parts),)
    raw = path.read_bytes().decode("utf-8", "replace")
    if suffix in {".html", ".htm"}:
        raw = html.unescape(re.sub(r"<[^>]+>", "\n", raw))
    return (raw,)


@lru_cache(maxsize=64)
def canonical_pages(path: Path) -> tuple[str, ...]:
    return tuple(canon(page) for page in reference_pages(path))


# ---------------------------------------------------------------- labels


@dataclass
class Label:
    file: str
    page: int | None
    fragment: str  # canonical
    text: str  # canonical clause text (the fragment alone when the clause is not contiguous)
    expect: str  # flag | pass
    category: str
    section: str
    why: str
    source: str  # reviewer | project
    found: bool = True  # the fragment was found in the reference text
    extra: dict = field(default_factory=dict)

    @property
    def number(self) -> str:
        return self.file[:2]


def _find_by_hash(path: Path, page: int | None, sha: str, length: int) -> tuple[str, int | None] | None:
    pages = canonical_pages(path)
    order = [page - 1] if page else []
    order += [i for i in range(len(pages)) if i not in order]
    for index in order:
        text = pages[index]
        for start in range(0, max(0, len(text) - length) + 1):
            window = text[start:start + length]
            if hashlib.blake2b(window.encode("utf-8"), digest_size=10).hexdigest() == sha:
                return window, (index + 1 if path.suffix.lower() == ".pdf" else None)
    return None


def load_labels() -> list[Label]:
    labels: list[Label] = []
    reviewer = REALDOCS / "labels.jsonl"
    if reviewer.is_file():
        for line in reviewer.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            labels.append(Label(d["file"], d.get("page"), canon(d["fragment"]), canon(d.get("text") or d["fragment"]),
                                d["expect"], d["category"], d.get("section", "other"), d.get("why", ""), "reviewer"))
    if PROJECT_LABELS.is_file() and REALDOCS.is_dir():
        for line in PROJECT_LABELS.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("//"):
                continue
            d = json.loads(line)
            path = REALDOCS / d["file"]
            if not path.is_file():
                continue
            hit = _find_by_hash(path, d.get("page"), d["fragment_sha"], d["fragment_len"])
            fragment, page = hit if hit else ("", d.get("page"))
            text = fragment
            if hit and d.get("text_sha"):
                whole = _find_by_hash(path, page, d["text_sha"], d["text_len"])
                text = whole[0] if whole else fragment
            labels.append(Label(d["file"], page, fragment, text, d["expect"], d["category"], d.get("section", "other"),
                                d.get("why", ""), "project", found=hit is not None))
    return labels


def anchor(file: str, page: int | None, fragment: str, text: str | None) -> dict:
    """The stored form of a project label's text: hashes and lengths, no characters."""
    record = {"file": file, "page": page, "fragment_sha": digest(fragment), "fragment_len": len(canon(fragment))}
    if text and canon(text) != canon(fragment):
        record.update(text_sha=digest(text), text_len=len(canon(text)))
    return record
