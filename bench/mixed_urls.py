#!/usr/bin/env python3
"""Build the URL list of the mixed run (bench/run.sh) from the seeded data.

Reads the database the server uses (a SQLite file, or PostgreSQL through
psql), and writes one path per line: directory searches of 1 to 3 words
drawn from the cards' own names and descriptions (accents kept, so folding
is exercised), with and without territory / theme / size / sector filters
and pages; directory pages without words; card pages; filtered agendas;
session pages; and diagnostic results pages. Results pages need their
secret link, which is only stored hashed: this script gives BENCH_LINKS
seeded diagnostics a fresh token (UPDATE of token_hash, the SHA-256 hex the
server compares) and lists their links. Fixed seed: the same data gives
the same list. Prints a summary (counts per kind, distinct URLs) on stderr.

Usage: mixed_urls.py DATABASE OUT [COUNT [KEEP]]
  DATABASE  sqlite://FILE, a SQLite file path, or postgres://...
  KEEP      a results path whose diagnostic keeps its link (run.sh's own)
"""

import hashlib
import random
import re
import sqlite3
import subprocess
import sys
from urllib.parse import urlencode

SEED = 20_000
LINKS = 2_000  # diagnostics whose results page is in the mix

# Share of each kind of page in the mix (sums to 100).
MIX = [
    ("search", 36),          # /annuaire?q=1-3 words [+ filters] [+ page]
    ("directory", 10),       # /annuaire?filters [+ page], no words
    ("card", 18),            # /annuaire/{id}
    ("agenda", 12),          # /ateliers?filters [+ page]
    ("session", 14),         # /ateliers/{id}
    ("results", 10),         # /diagnostic/d/{token}/resultats
]

SIZE_BANDS = ["0", "1-9", "10-49", "50-249"]
FORMATS = ["awareness", "halfday", "custom"]
WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


class Database:
    def __init__(self, url):
        self.pg = url.startswith("postgres")
        self.url = url
        if not self.pg:
            path = url[len("sqlite://"):] if url.startswith("sqlite://") else url
            path = path.split("?")[0]
            self.conn = sqlite3.connect(path, timeout=30)

    def rows(self, sql):
        if not self.pg:
            return [tuple(r) for r in self.conn.execute(sql).fetchall()]
        out = subprocess.run(
            ["psql", self.url, "-X", "-q", "-A", "-t", "-F", "\x1f", "-c", sql],
            check=True, capture_output=True, text=True,
        ).stdout
        return [tuple(line.split("\x1f")) for line in out.splitlines() if line]

    def execute_many(self, sql_lines):
        if not self.pg:
            with self.conn:
                for line in sql_lines:
                    self.conn.execute(line)
            return
        script = "BEGIN;\n" + ";\n".join(sql_lines) + ";\nCOMMIT;\n"
        subprocess.run(["psql", self.url, "-X", "-q", "-v", "ON_ERROR_STOP=1"],
                       input=script, check=True, capture_output=True, text=True)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    db = Database(sys.argv[1])
    out_path = sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 30_000
    keep = sys.argv[4].split("/")[3] if len(sys.argv) > 4 else ""
    rng = random.Random(SEED)

    text = db.rows("SELECT name, description FROM providers WHERE status = 'published'")
    words = set()
    for name, description in text:
        words.update(w for w in WORD.findall(f"{name} {description}"))
    vocabulary = sorted(words)
    cards = [int(r[0]) for r in db.rows("SELECT id FROM providers WHERE status = 'published'")]
    themes = [r[0] for r in db.rows("SELECT slug FROM themes")]
    dir_territories = [r[0] for r in db.rows("SELECT DISTINCT territory_code FROM provider_territories")]
    departments = [r[0] for r in db.rows("SELECT code FROM territories WHERE level = 'department'")]
    sectors = [r[0] for r in db.rows("SELECT DISTINCT sector_code FROM provider_sectors")]
    sessions = [int(r[0]) for r in db.rows("SELECT id FROM workshop_sessions WHERE status = 'scheduled'")]
    ws_territories = [r[0] for r in db.rows(
        "SELECT DISTINCT commune_code FROM workshop_sessions WHERE commune_code IS NOT NULL")]
    kept = hashlib.sha256(keep.encode()).hexdigest()
    diagnostics = [int(r[0]) for r in db.rows(
        "SELECT id FROM diagnostics WHERE status = 'submitted' "
        f"AND token_hash <> '{kept}' ORDER BY id")]
    for what, values in [("words", vocabulary), ("cards", cards), ("themes", themes),
                         ("sessions", sessions), ("diagnostics", diagnostics)]:
        if not values:
            sys.exit(f"mixed_urls.py: no {what} in the database")

    # Fresh links for a sample of diagnostics (the server only keeps hashes).
    links = []
    updates = []
    for did in rng.sample(diagnostics, min(LINKS, len(diagnostics))):
        token = hashlib.sha256(f"bench-{SEED}-{did}".encode()).hexdigest()
        digest = hashlib.sha256(token.encode()).hexdigest()
        updates.append(f"UPDATE diagnostics SET token_hash = '{digest}' WHERE id = {did}")
        links.append(f"/diagnostic/d/{token}/resultats")
    db.execute_many(updates)

    def words_q():
        return " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 3)))

    def dir_filters(pairs):
        if rng.random() < 0.35:
            pairs.append(("territory", rng.choice(dir_territories + departments)))
        if rng.random() < 0.3:
            pairs.append(("theme", rng.choice(themes)))
        if rng.random() < 0.2:
            pairs.append(("size", rng.choice(SIZE_BANDS)))
        if sectors and rng.random() < 0.1:
            pairs.append(("sector", rng.choice(sectors)))
        return pairs

    def page(pairs, p):
        if rng.random() < p:
            pairs.append(("page", str(rng.randint(2, 4))))
        return pairs

    def make(kind):
        if kind == "search":
            pairs = [("q", words_q())]
            if rng.random() < 0.5:
                dir_filters(pairs)
            return "/annuaire?" + urlencode(page(pairs, 0.15))
        if kind == "directory":
            pairs = page(dir_filters([]), 0.5)
            return "/annuaire" + ("?" + urlencode(pairs) if pairs else "")
        if kind == "card":
            return f"/annuaire/{rng.choice(cards)}"
        if kind == "agenda":
            pairs = []
            if rng.random() < 0.6:
                pairs.append(("theme", rng.choice(themes)))
            if rng.random() < 0.6:
                pairs.append(("territory", rng.choice(ws_territories + departments)))
            if rng.random() < 0.3:
                pairs.append(("format", rng.choice(FORMATS)))
            page(pairs, 0.4)
            return "/ateliers" + ("?" + urlencode(pairs) if pairs else "")
        if kind == "session":
            return f"/ateliers/{rng.choice(sessions)}"
        return rng.choice(links)

    kinds = [k for k, share in MIX for _ in range(share)]
    urls = []
    per_kind = {k: 0 for k, _ in MIX}
    for _ in range(count):
        kind = rng.choice(kinds)
        per_kind[kind] += 1
        urls.append(make(kind))
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(urls) + "\n")
    summary = ", ".join(f"{k} {n}" for k, n in per_kind.items())
    print(f"{len(urls)} URLs, {len(set(urls))} distinct ({summary}); "
          f"vocabulary {len(vocabulary)} words, {len(cards)} cards, {len(sessions)} sessions, "
          f"{len(links)} results links", file=sys.stderr)


if __name__ == "__main__":
    main()
