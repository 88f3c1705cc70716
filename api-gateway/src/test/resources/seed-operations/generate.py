#!/usr/bin/env python3
"""Writes the operation list of each seed API document (see /work/shared/seeds/README.md) as data.

Run: python3 generate.py /work/shared/seeds   (from this folder; rewrites the NNN-*.txt files)
Each line is "METHOD PATH" as the seed spells it (parameters as :name, <name>, {name} or *rest),
then, where the seed's path has another shape than Shoal's route, "= ROUTE-PATH" (ROUTES below),
or, for an operation Shoal does not serve, "! reason" (EXCLUDED below). SeedOperationsTest compares
these lists with routes.table.
"""
import re
import sys
from pathlib import Path

METHOD = re.compile(r"^\s*(GET|POST|PUT|PATCH|DELETE|HEAD)\s+(/.*)$")

# Seed paths whose route has another shape: a "*rest" parameter Shoal splits in two, Pagure's
# operations the document shows only without a namespace or with sample names.
ROUTES = {
    ("GET", "/api/orgs/lookup/*org_full_name"): "/api/orgs/lookup/{org}",
    ("GET", "/api/repos/lookup/*repo_full_name"): "/api/repos/lookup/{org}/{repo}",
    ("PATCH", "/api/0/<repo>"): "/api/0/{org}/{repo}",
    ("GET", "/api/0/<repo>/tags"): "/api/0/{org}/{repo}/tags",
    ("POST", "/api/0/rpms/python-requests/git/generateacls"): "/api/0/{org}/{repo}/git/generateacls",
    ("POST", "/api/0/rpms/python-requests/git/branch"): "/api/0/{org}/{repo}/git/branch",
    ("GET", "/api/0/user/ralph"): "/api/0/user/{username}",
    ("GET", "/api/0/user/ralph/activity/stats"): "/api/0/user/{username}/activity/stats",
    ("GET", "/api/0/user/ralph/activity/2016-01-02"): "/api/0/user/{username}/activity/{date}",
    ("GET", "/api/0/user/dudemcpants/requests/filed"): "/api/0/user/{username}/requests/filed",
    ("GET", "/api/0/user/dudemcpants/requests/actionable"): "/api/0/user/{username}/requests/actionable",
    ("GET", "/api/0/group/some_group_name"): "/api/0/group/{group}",
}

# Operations Shoal does not serve, with the reason (SeedOperationsTest requires one).
EXCLUDED = {
}


def path_of(raw):
    """The path of a request line: without its query, a parameter's spaces as '_' (Pagure's '<issue id>')."""
    path = re.sub(r"<[^>]*>", lambda m: m.group(0).replace(" ", "_"), raw.strip())
    return path.split()[0].split("?")[0]


def plain(text):
    """Lines 'METHOD /path' of a document, in order, without query strings, deduplicated."""
    seen, out = set(), []
    for line in text.splitlines():
        m = METHOD.match(line)
        if m:
            op = (m.group(1), path_of(m.group(2)))
            if op not in seen:
                seen.add(op)
                out.append(op)
    return out


def pagure(text):
    """Pagure lists each operation with up to four spellings of the project (bare, namespaced,
    fork, namespaced fork) on consecutive lines: one operation, kept in its namespaced spelling."""
    out, group = [], []

    def flush():
        if group:
            namespaced = [op for op in group if "<namespace>" in op[1] and "/fork/" not in op[1]]
            op = namespaced[0] if namespaced else group[0]
            if op not in out:
                out.append(op)
            group.clear()

    for line in text.splitlines():
        m = METHOD.match(line)
        if m:
            group.append((m.group(1), path_of(m.group(2))))
        else:
            flush()
    flush()
    return out


def line(method, path):
    op = (method, path)
    if op in EXCLUDED:
        return f"{method} {path} ! {EXCLUDED[op]}\n"
    if op in ROUTES:
        return f"{method} {path} = {ROUTES[op]}\n"
    return f"{method} {path}\n"


def main(seeds):
    seeds = Path(seeds)
    docs = {
        "000-isurus.txt": plain((seeds / "000_3c85b1516a8e952e.txt").read_text()),
        "001-drone.txt": plain((seeds / "001_0317837b049c5788.txt").read_text()),
        "002-woodpecker.txt": [("GET", "/healthz"), ("GET", "/version")]
        + plain((seeds / "woodpecker-routes.txt").read_text()),
        "003-pagure.txt": pagure((seeds / "003_5ed769cbb89185f3.txt").read_text()),
        "004-code-storage.txt": [(m, "/storage" + p) for m, p in plain((seeds / "004_ee18c78b4fabeb36.txt").read_text())],
    }
    for name, ops in docs.items():
        Path(name).write_text("".join(line(m, p) for m, p in ops))
        print(name, len(ops))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/seeds")
