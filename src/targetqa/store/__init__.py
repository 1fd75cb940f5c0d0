"""The embedded SQLite store behind `targetqa leaderboard --db FILE`.

It keeps, per report file, the content hash and enough of the parsed document (facts, tables
with their heads, rows, prose blocks with line numbers, the text lines) to rebuild the
`Document` without reading the file again, plus the findings and scores of the last run. A
later run parses only new or changed files, then compares and scores everything in the store,
so copies of past years' tables are still found.

Only the standard library's sqlite3 is used.
"""

from targetqa.store.sqlite import (
    SCHEMA_VERSION,
    Store,
    StoredReport,
    StoreError,
    default_db_path,
)

__all__ = ["SCHEMA_VERSION", "Store", "StoreError", "StoredReport", "default_db_path"]
