#!/usr/bin/env python3
"""Writes the bad-input corpus beside this script (run it from anywhere).

Every file is malformed in one way; tests/bad_inputs.rs runs crumbs on each and
expects exit 2, a message naming the file and what was wrong, and nothing
written. Files too big or too special to commit (a 10 MB line, a directory, a
FIFO, an unreadable file) are made by the test itself.
"""
import gzip
import json
import os
import sqlite3

HERE = os.path.dirname(os.path.abspath(__file__))
GOOD = "x.opendatasoft.com\tFALSE\t/\tFALSE\t0\tsessionid\tabc\n"
HEAD = "# Netscape HTTP Cookie File\n"


def w(name, data):
    path = os.path.join(HERE, name)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode) as f:
        f.write(data)


# cookies.txt
w("jar-3-fields.txt", HEAD + GOOD + "x.opendatasoft.com\tFALSE\t/\n")
w("jar-spaces-not-tabs.txt", HEAD + "x.opendatasoft.com FALSE / FALSE 0 a b\n")
w("jar-expiry-word.txt", HEAD + "x.opendatasoft.com\tFALSE\t/\tFALSE\tsoon\ta\tb\n")
w("jar-flag-maybe.txt", HEAD + "x.opendatasoft.com\tMAYBE\t/\tFALSE\t0\ta\tb\n")
w("jar-secure-yes.txt", HEAD + "x.opendatasoft.com\tFALSE\t/\tyes\t0\ta\tb\n")
w("jar-truncated.txt", HEAD + GOOD + "x.opendatasoft.com\tFALSE\t/\tFA")
w("jar-nul-bytes.txt", (HEAD + GOOD).encode() + b"x.opendata\0soft.com\tFALSE\t/\tFALSE\t0\ta\tb\n")
w("jar-invalid-utf8.txt", HEAD.encode() + b"x.opendatasoft.com\t\xff\xfe\t/\n")
w("jar-binary-garbage.txt", bytes((i * 7919 + 13) % 256 for i in range(4096)))
w("jar-utf16.txt", (HEAD + GOOD).encode("utf-16"))
w("jar-prose.txt", "These are my cookies, I think:\nsessionid=abc\n")
w("jar-html.html", "<!DOCTYPE html>\n<html><head><title>Cookies</title></head><body>no</body></html>\n")
w("jar-lwp.txt", "#LWP-Cookies-2.0\nSet-Cookie3: sessionid=abc; path=\"/\"; discard; version=0\n")
w("jar-har.json", json.dumps({"log": {"version": "1.2", "creator": {"name": "x", "version": "1"}}}))
w("jar-empty.txt", "")
w("jar-only-comments.txt", HEAD + "# nothing here\n\n")
w("jar-gzip.txt.gz", gzip.compress((HEAD + GOOD).encode(), mtime=0))
w("jar-negative-fields.txt", HEAD + "\t\t\t\t\t\t\n")
w("jar-expiry-hex.txt", HEAD + "x.opendatasoft.com\tFALSE\t/\tFALSE\t0x7fffffff\ta\tb\n")
w("jar-crlf-broken.txt", (HEAD + GOOD).replace("\n", "\r\n") + "broken line\r\n")

# cookie_store JSON
w("store-truncated.json", '[\n  {\n    "raw_cookie": "a=b; Path=/",\n    "path": ["/", true],\n')
w("store-numbers.json", "[1, 2, 3]")
w("store-object.json", '{"raw_cookie": "a=b", "cookies": []}')
w("store-deep.json", "[" * 5000 + "]" * 5000)
# A Cookie-Editor export whose first cookie holds a value nested 200 levels deep.
w("extension-deep.json", '[{"domain": ".x.opendatasoft.com", "hostOnly": false, "name": "a", "value": "b", "path": "/", "x": ' + "[" * 200 + "]" * 200 + "}]")
w("store-missing-raw-cookie.json", json.dumps([{"path": ["/", True], "domain": {"HostOnly": "x.opendatasoft.com"}, "expires": "SessionEnd"}], indent=2))
w("store-bad-expires.json", json.dumps([{"raw_cookie": "a=b; Path=/", "path": ["/", True], "domain": {"HostOnly": "x.opendatasoft.com"}, "expires": {"AtUtc": "tomorrow"}}], indent=2))
w("store-lines-one-bad.jsonl",
  json.dumps({"raw_cookie": "a=b; Path=/", "path": ["/", True], "domain": {"HostOnly": "x.opendatasoft.com"}, "expires": "SessionEnd"}) + "\n"
  + '{"raw_cookie": "c=d", "path": \n')
w("store-empty-raw-cookie.json", json.dumps([{"raw_cookie": "", "path": ["/", True], "domain": {"HostOnly": "x.opendatasoft.com"}, "expires": "SessionEnd"}], indent=2))
w("store-trailing-garbage.json", "[]\n]]]\n")
w("store-nulls.json", "[null, null]")
w("store-wrong-domain-type.json", json.dumps([{"raw_cookie": "a=b; Path=/", "path": ["/", True], "domain": 42, "expires": "SessionEnd"}], indent=2))

# Safari's Cookies.binarycookies, from the fixture the binarycookies library wrote
SAFARI = open(os.path.join(HERE, "../fixtures/safari.binarycookies"), "rb").read()
w("jar-binarycookies-pages.binarycookies", SAFARI[:4] + (1000).to_bytes(4, "big") + SAFARI[8:])
w("jar-binarycookies-offset.binarycookies", SAFARI[:36] + (5000).to_bytes(4, "little") + SAFARI[40:])
w("jar-binarycookies-truncated.binarycookies", SAFARI[:700])

# another application's SQLite database
db = os.path.join(HERE, "sqlite-notes-app.sqlite")
if os.path.exists(db):
    os.remove(db)
con = sqlite3.connect(db)
con.execute("PRAGMA journal_mode=DELETE")
con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
con.execute("INSERT INTO notes (body) VALUES ('not cookies')")
con.commit()
con.close()
w("sqlite-truncated.sqlite", open(db, "rb").read()[:100])

# policies (given with --policy)
SHIPPED = json.load(open(os.path.join(HERE, "../../assets/policies/opendatasoft.json")))


def pol(name, mutate):
    doc = json.loads(json.dumps(SHIPPED))
    mutate(doc)
    w(name, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


w("policy-trailing-comma.json", json.dumps(SHIPPED, indent=2, ensure_ascii=False).replace('"schema": 1,', '"schema": 1,,', 1))
pol("policy-unknown-field.json", lambda d: d.update(colour="blue"))
pol("policy-missing-categories.json", lambda d: d.pop("categories"))
pol("policy-unknown-category.json", lambda d: d["cookies"][1].update(category="marketing"))
pol("policy-bad-regex.json", lambda d: d["cookies"][0]["names"].append("/(unclosed/"))
pol("policy-schema-2.json", lambda d: d.update(schema=2))
pol("policy-prefs-not-required.json", lambda d: d["cookies"][3].update(category="statistical"))
pol("policy-duplicate-category.json", lambda d: d["categories"].append(dict(d["categories"][1])))
pol("policy-wrong-type.json", lambda d: d.update(consent_lifetime_days="six months"))
pol("policy-no-required.json", lambda d: d["categories"][0].update(required=False))
w("policy-empty.json", "")
w("policy-not-json.json", "name = Opendatasoft\n")
w("policy-deep.json", "{\"a\":" * 3000 + "1" + "}" * 3000)
w("policy-array.json", "[]\n")
