#!/usr/bin/env python3
"""Prints "ROWS DROPPABLE" for a cookies.txt, Firefox cookies.sqlite or
Chromium Cookies: the number of cookies and how many of them a reject-all
prune of the portal must remove (the rule of bench/python_prune.py: the
portal's and .opendatasoft.com's cookies not named as necessary).
Independent of crumbs, so bench/run.sh can check what a prune removed.
Usage: count_rows.py JAR"""
import sqlite3
import sys

NECESSARY = {"sessionid", "django_language", "csrftoken", "cookies_preferences"}
PORTAL = {"robertleaf.my.opendatasoft.com", ".opendatasoft.com", ".my.opendatasoft.com"}


def pairs(path):
    """(domain, name) of every cookie."""
    with open(path, "rb") as f:
        sqlite = f.read(16) == b"SQLite format 3\0"
    if sqlite:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        sql = ("SELECT host, name FROM moz_cookies" if "moz_cookies" in tables
               else "SELECT host_key, name FROM cookies")
        yield from conn.execute(sql)
        conn.close()
        return
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.startswith("#HttpOnly_"):
                line = line[len("#HttpOnly_"):]
            elif not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) == 7:
                yield fields[0], fields[5]


rows = droppable = 0
for domain, name in pairs(sys.argv[1]):
    rows += 1
    droppable += domain in PORTAL and name not in NECESSARY
print(rows, droppable)
