#!/usr/bin/env python3
"""The hand-written alternative crumbs is measured against: load a cookies.txt
with http.cookiejar.MozillaCookieJar, drop the portal's non-necessary cookies,
save. Usage: python_prune.py IN OUT"""
import http.cookiejar
import sys

NECESSARY = {"sessionid", "django_language", "csrftoken", "cookies_preferences"}
jar = http.cookiejar.MozillaCookieJar()
jar.load(sys.argv[1], ignore_discard=True, ignore_expires=True)
drop = [c for c in jar
        if (c.domain == "robertleaf.my.opendatasoft.com" or c.domain == ".opendatasoft.com"
            or c.domain == ".my.opendatasoft.com")
        and c.name not in NECESSARY]
for c in drop:
    jar.clear(c.domain, c.path, c.name)
jar.save(sys.argv[2], ignore_discard=True, ignore_expires=True)
