"""The intake registry: one SQLite file per round that accounts for every file ever seen in the inbox.

`tonghop status` and the CLI summary read this, never the output files, so they answer even while the
outputs are being rewritten. A file whose content changes under the same name gets a new row; the old
version keeps its row (`present = 0`) so nothing received is ever forgotten.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from schemas.report import CommuneReport
from tonghop.errors import StateError
from tonghop.intake import InboxEntry

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    present INTEGER NOT NULL DEFAULT 1,
    status TEXT,
    reason_code TEXT,
    reason TEXT,
    unit_code INTEGER,
    unit_name TEXT,
    province TEXT,
    doc_type TEXT,
    duplicate_of TEXT,
    superseded_by TEXT,
    PRIMARY KEY (path, sha256)
);
-- What each file said as read (before statuses), for the parse settings and code named by `fingerprint`:
-- a re-run parses only the files not here, and a killed run resumes from what was already stored. The
-- report is its JSON in UTF-8 (rows of earlier versions have another fingerprint and are dropped).
CREATE TABLE IF NOT EXISTS parses (
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    report_json BLOB NOT NULL,
    PRIMARY KEY (path, sha256)
);
-- The sha256 of each inbox file as of its stamp (size, times, inode) at the last scan: a re-run hashes
-- only the files whose stamp changed.
CREATE TABLE IF NOT EXISTS stamps (
    path TEXT PRIMARY KEY,
    stamp TEXT NOT NULL,
    sha256 TEXT NOT NULL
);
-- The offline themes of each scope (a province, or the provincial round) by what they depend on: a re-run
-- recomputes only the scopes whose accepted files changed.
CREATE TABLE IF NOT EXISTS themes (
    key TEXT PRIMARY KEY,
    themes_json BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    state TEXT NOT NULL,
    files INTEGER,
    note TEXT
);
"""

REGISTRY_NAME = "registry.sqlite"
_COLUMNS = {
    table: set(re.findall(r"^\s+([a-z_0-9]+) [A-Z]", body, re.MULTILINE))
    for table, body in re.findall(r"CREATE TABLE IF NOT EXISTS (\w+) \((.*?)\n\);", SCHEMA, re.DOTALL)
}


def _read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write. On a read-only outbox SQLite cannot make the WAL's shared-memory
    file, so the database is then opened as immutable: nothing can be writing there anyway."""
    if not path.is_file():
        raise sqlite3.DatabaseError("unable to open database file")
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=30)


def _sqlite_words(exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "not a database" in text:
        return "không phải cơ sở dữ liệu SQLite"
    if "malformed" in text:
        return "cơ sở dữ liệu bị hỏng"
    if "readonly" in text or "read-only" in text:
        return "không ghi được: thư mục hoặc tệp chỉ cho đọc"
    if "unable to open" in text:
        return "không mở được tệp"
    return text if not text.isascii() else "cấu trúc không đúng"


@dataclass(frozen=True)
class FileRow:
    path: str
    sha256: str
    size: int
    mtime: str
    first_seen: str
    present: bool
    status: str | None
    reason_code: str | None
    reason: str | None
    unit_code: int | None
    unit_name: str | None
    province: str | None
    doc_type: str | None
    duplicate_of: str | None
    superseded_by: str | None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Registry:
    """A thin wrapper over one SQLite database; every write is one transaction."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        """Opens (creating if need be) the registry; `read_only` writes nothing, for `tonghop status`.

        A file that is not a SQLite database, or a database of another program, is refused with a
        `StateError` saying what to do: it is never overwritten, as it may be someone's data.
        """
        self.path = path
        try:
            if read_only:
                self._conn = _read_only(path)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._conn = sqlite3.connect(path, timeout=30)
                self._check_tables()  # before anything is written to someone else's file
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=NORMAL")
                self._conn.executescript(SCHEMA)
            self._check_tables()
        except sqlite3.DatabaseError as exc:
            with contextlib.suppress(Exception):
                self._conn.close()
            raise StateError(
                f"Tệp {path} không phải sổ tiếp nhận của tonghop, hoặc đã hỏng ({_sqlite_words(exc)}). "
                f"Hãy đổi tên hoặc chuyển tệp đó đi rồi chạy lại: lượt sau sẽ đọc lại toàn bộ hộp thư đến.",
                code="registry_invalid",
            ) from exc

    def _check_tables(self) -> None:
        """Every table of ours has the columns we write: a same-named table of another program does not,
        and a database holding only other tables is another program's."""
        tables = {row[0] for row in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables - {"sqlite_sequence"} and not tables & set(_COLUMNS):
            raise sqlite3.DatabaseError(f"chứa các bảng {', '.join(sorted(tables))} của chương trình khác")
        for table, columns in _COLUMNS.items():
            found = {row[1] for row in self._conn.execute(f"PRAGMA table_info({table})")}
            if found and not columns <= found:
                raise sqlite3.DatabaseError(f"bảng {table} thiếu cột {', '.join(sorted(columns - found))}")

    @classmethod
    def for_round(cls, round_dir: Path) -> Registry:
        return cls(round_dir / REGISTRY_NAME)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._conn:
            yield self._conn

    # --- runs -----------------------------------------------------------------------------------

    def start_run(self) -> int:
        """A new run's row; a run still `running` here was killed (the caller holds the outbox lock)."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE runs SET state = 'interrupted', note = ? WHERE state = 'running'",
                ("Lượt chạy bị dừng giữa chừng (máy tắt hoặc tiến trình bị kết thúc).",),
            )
            cur = conn.execute("INSERT INTO runs (started_at, state) VALUES (?, 'running')", (_now(),))
            return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, state: str, files: int, note: str = "") -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE runs SET finished_at = ?, state = ?, files = ?, note = ? WHERE id = ?",
                (_now(), state, files, note, run_id),
            )

    def last_run(self) -> dict[str, object] | None:
        row = self._conn.execute(
            "SELECT id, started_at, finished_at, state, files, note FROM runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        return dict(zip(("id", "started_at", "finished_at", "state", "files", "note"), row, strict=True))

    # --- parses ---------------------------------------------------------------------------------

    def stored_parses(self, fingerprint: str) -> dict[tuple[str, str], CommuneReport]:
        """Each file's parse by (file name, sha256), whole; parses by other code or settings are dropped."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM parses WHERE fingerprint != ?", (fingerprint,))
        return {
            (path, sha256): CommuneReport.model_validate_json(report_json)
            for path, sha256, report_json in self._conn.execute(
                "SELECT path, sha256, report_json FROM parses"
            )
        }

    def store_parses(self, reports: Iterable[CommuneReport], fingerprint: str) -> None:
        """Called as each batch arrives, so what was read survives a run that is killed later."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO parses (path, sha256, fingerprint, report_json) VALUES (?, ?, ?, ?)",
                [(r.file, r.sha256, fingerprint, r.model_dump_json().encode("utf-8")) for r in reports],
            )

    # --- stamps ---------------------------------------------------------------------------------

    def known_hashes(self) -> dict[tuple[str, str], str]:
        """sha256 by (file name, stamp) from the last scan, for `scan_inbox(known=...)`."""
        return {(path, stamp): sha256 for path, stamp, sha256 in self._conn.execute("SELECT * FROM stamps")}

    def store_stamps(self, entries: Iterable[InboxEntry]) -> None:
        """Replaces the stamps with this scan's: a file gone from the inbox has nothing to be compared to."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM stamps")
            conn.executemany(
                "INSERT INTO stamps (path, stamp, sha256) VALUES (?, ?, ?)",
                [(e.name, e.stamp, e.sha256) for e in entries if e.stamp],
            )

    # --- themes ---------------------------------------------------------------------------------

    def stored_themes(self) -> dict[str, bytes]:
        return dict(self._conn.execute("SELECT key, themes_json FROM themes"))

    def stored_theme(self, key: str) -> bytes | None:
        """A scope's themes as UTF-8 JSON, stored as bytes like the parses (see `stored_parses`)."""
        row = self._conn.execute("SELECT themes_json FROM themes WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def store_theme(self, key: str, themes_json: bytes) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO themes (key, themes_json) VALUES (?, ?)", (key, themes_json))

    def keep_themes(self, keep: set[str]) -> None:
        """Deletes every stored scope but `keep`."""
        with self.transaction() as conn:
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS kept_themes (key TEXT PRIMARY KEY)")
            conn.execute("DELETE FROM kept_themes")
            conn.executemany("INSERT INTO kept_themes (key) VALUES (?)", [(k,) for k in sorted(keep)])
            conn.execute("DELETE FROM themes WHERE key NOT IN (SELECT key FROM kept_themes)")

    # --- files ----------------------------------------------------------------------------------

    def record(self, reports: Iterable[CommuneReport], *, mark_others_absent: bool = False) -> None:
        """Upserts the present files' rows; with `mark_others_absent`, every other row is an old version."""
        now = _now()
        rows = [
            (
                r.file,
                r.sha256,
                r.size,
                r.received_at.isoformat() if r.received_at else "",
                now,
                now,
                r.status.value,
                r.errors[0].code if r.errors else None,
                r.reason(),
                r.unit.code if r.unit else None,
                r.unit.name if r.unit else None,
                r.unit.province if r.unit else None,
                r.doc_type.value,
                r.duplicate_of,
                r.superseded_by,
            )
            for r in reports
        ]
        with self.transaction() as conn:
            if mark_others_absent:
                conn.execute("UPDATE files SET present = 0")
            conn.executemany(
                """
                INSERT INTO files (path, sha256, size, mtime, first_seen, last_seen, present, status,
                    reason_code, reason, unit_code, unit_name, province, doc_type, duplicate_of,
                    superseded_by)
                VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (path, sha256) DO UPDATE SET
                    last_seen = excluded.last_seen, present = 1, size = excluded.size,
                    mtime = excluded.mtime, status = excluded.status,
                    reason_code = excluded.reason_code, reason = excluded.reason,
                    unit_code = excluded.unit_code, unit_name = excluded.unit_name,
                    province = excluded.province, doc_type = excluded.doc_type,
                    duplicate_of = excluded.duplicate_of, superseded_by = excluded.superseded_by
                """,
                rows,
            )

    def rows(self, *, present_only: bool = False) -> list[FileRow]:
        query = (
            "SELECT path, sha256, size, mtime, first_seen, present, status, reason_code, reason, unit_code, "
            "unit_name, province, doc_type, duplicate_of, superseded_by FROM files"
        )
        if present_only:
            query += " WHERE present = 1"
        query += " ORDER BY path, first_seen"
        return [
            FileRow(
                path=row[0],
                sha256=row[1],
                size=row[2],
                mtime=row[3],
                first_seen=row[4],
                present=bool(row[5]),
                status=row[6],
                reason_code=row[7],
                reason=row[8],
                unit_code=row[9],
                unit_name=row[10],
                province=row[11],
                doc_type=row[12],
                duplicate_of=row[13],
                superseded_by=row[14],
            )
            for row in self._conn.execute(query)
        ]
