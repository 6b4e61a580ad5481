#!/usr/bin/env python3
"""Writes a deterministic browser cookie database with N cookies for benchmarks.

Copies a real jar from tests/fixtures (Firefox ESR's cookies.sqlite or
Chromium's Cookies, written by tests/fixtures/generate-browsers.sh), so the
schema, indexes, journal mode and meta rows are the browser's own, then fills
the table up to N rows with the cookie stream of bench/gen_jar.py (same mix:
2% Opendatasoft-portal cookies, the rest on other sites). A generated cookie
whose unique-index key is already taken gets its index appended to its name.

Firefox keeps no session cookies in this file, so a session cookie of the
stream is stored with a fixed expiry. Chromium values are stored in plain
`value` with an empty `encrypted_value` (Python's stdlib has no AES), which
Chromium and crumbs both read; the fixture's own rows stay encrypted.

Usage: gen_browser_db.py firefox|chromium N OUT    (stdlib only)
"""
import os
import random
import shutil
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_jar import cookies  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = {
    "firefox": ("firefox.cookies.sqlite", "moz_cookies"),
    "chromium": ("chromium.Cookies", "cookies"),
}
# Fixed times (no clock): 2026-11-01 UTC, one microsecond apart per row.
BASE_UNIX = 1_793_491_200
FIREFOX_SESSION_EXPIRY = 1_900_000_000
CHROME_EPOCH_DELTA = 11_644_473_600


def columns(conn, table):
    """(name, notnull, has_default) of each column of table."""
    return [(r[1], bool(r[3]), r[4] is not None)
            for r in conn.execute(f"PRAGMA table_info({table})")]


def unique_keys(conn, table):
    """The column lists of table's unique indexes (the primary key excluded)."""
    keys = []
    for idx in conn.execute(f"PRAGMA index_list({table})").fetchall():
        if idx[2] and idx[3] != "pk":
            keys.append([r[2] for r in conn.execute(f"PRAGMA index_info('{idx[1]}')")])
    return keys


def firefox_row(c, i, version):
    t = (BASE_UNIX * 1_000_000) + i
    expiry = c["expiry"] or FIREFOX_SESSION_EXPIRY
    return {
        "originAttributes": "", "name": c["name"], "value": c["value"],
        "host": c["domain"], "path": c["path"],
        "expiry": expiry * 1000 if version >= 16 else expiry,
        "lastAccessed": t, "creationTime": t, "updateTime": t,
        "isSecure": int(c["secure"]), "isHttpOnly": int(c["http_only"]),
        "inBrowserElement": 0, "sameSite": c["same_site_firefox"],
        "schemeMap": 2 if c["secure"] else 1, "isPartitionedAttributeSet": 0,
    }


def chromium_row(c, i):
    t = (BASE_UNIX + CHROME_EPOCH_DELTA) * 1_000_000 + i
    persistent = c["expiry"] != 0
    return {
        "creation_utc": t, "host_key": c["domain"], "top_frame_site_key": "",
        "name": c["name"], "value": c["value"], "encrypted_value": b"",
        "path": c["path"],
        "expires_utc": (c["expiry"] + CHROME_EPOCH_DELTA) * 1_000_000 if persistent else 0,
        "is_secure": int(c["secure"]), "is_httponly": int(c["http_only"]),
        "last_access_utc": t, "has_expires": int(persistent),
        "is_persistent": int(persistent), "priority": 1,
        "samesite": c["same_site_chromium"],
        "source_scheme": 2 if c["secure"] else 1,
        "source_port": 443 if c["secure"] else 80,
        "last_update_utc": t, "source_type": 1, "has_cross_site_ancestor": 0,
    }


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in FIXTURES:
        sys.exit(__doc__.strip().splitlines()[-1])
    browser, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    fixture, table = FIXTURES[browser]
    for ext in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(out + ext):
            os.remove(out + ext)
    shutil.copyfile(os.path.join(ROOT, "tests", "fixtures", fixture), out)

    conn = sqlite3.connect(out)
    cols = columns(conn, table)
    names = [c[0] for c in cols]
    keys = unique_keys(conn, table)
    taken = [set(conn.execute(f"SELECT {', '.join(k)} FROM {table}").fetchall()) for k in keys]
    have = conn.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    version = conn.execute("PRAGMA user_version").fetchall()[0][0]
    if n < have:
        sys.exit(f"gen_browser_db: the fixture already has {have} rows (> {n})")

    # SameSite is not in gen_jar's stream; its own generator keeps that stream intact.
    same_site = random.Random(7)
    rows = []
    for i, c in enumerate(cookies(n - have)):
        s = same_site.randrange(4)
        c["same_site_firefox"] = (256, 0, 1, 2)[s]
        c["same_site_chromium"] = (-1, 0, 1, 2)[s]
        row = firefox_row(c, i, version) if browser == "firefox" else chromium_row(c, i)
        key_of = lambda k: tuple(row[col] for col in k)  # noqa: E731
        if any(key_of(k) in t for k, t in zip(keys, taken)):
            row["name"] = f"{row['name']}_{i}"
        for k, t in zip(keys, taken):
            t.add(key_of(k))
        rows.append(row)

    if rows:
        missing = [c for c, notnull, default in cols
                   if notnull and not default and c not in rows[0]]
        if missing:
            sys.exit(f"gen_browser_db: {table} has NOT NULL column(s) it does not fill: {missing}")
        use = [c for c in names if c in rows[0]]
        sql = f"INSERT INTO {table} ({', '.join(use)}) VALUES ({', '.join('?' * len(use))})"
        with conn:
            conn.executemany(sql, ([r[c] for c in use] for r in rows))
    total = conn.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    ok = conn.execute("PRAGMA integrity_check").fetchall()[0][0]
    conn.close()
    if total != n or ok != "ok":
        sys.exit(f"gen_browser_db: {out}: {total} rows (wanted {n}), integrity_check {ok}")


if __name__ == "__main__":
    main()
