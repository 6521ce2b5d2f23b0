#!/usr/bin/env python3
"""Set up and check the registration run of bench/run.sh.

  registrations.py DATABASE setup N CAPACITY
      creates N scheduled sessions of CAPACITY seats starting in 10 days
      (venue 'Salle de bench') and an admin API token stored as
      POST /compte/api stores it (SHA-256 hex of the secret); prints
      "TOKEN ID,ID,..." on stdout.
  registrations.py DATABASE check
      prints what the database holds for those sessions: confirmed and
      waiting registrations, sessions with more confirmed people than seats
      (OVERSOLD), counters that disagree with the registrations, seat
      numbers given twice; exits 3 when any session is oversold or a
      counter is off.

DATABASE: sqlite://FILE, a SQLite file path, or postgres://... (psql).
"""

import hashlib
import secrets
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from mixed_urls import Database  # noqa: E402

VENUE = "Salle de bench"


def setup(db, n, capacity):
    programme = int(db.rows("SELECT id FROM programmes ORDER BY id LIMIT 1")[0][0])
    themes = [int(r[0]) for r in db.rows("SELECT id FROM themes ORDER BY id")]
    admin = int(db.rows("SELECT id FROM users WHERE email = 'responsable@tremplin-demo.fr'")[0][0])
    now = int(time.time() * 1000)
    starts = now + 10 * 86_400_000
    lines = []
    for i in range(n):
        at = starts + i * 3_600_000
        lines.append(
            "INSERT INTO workshop_sessions (programme_id, theme_id, format, starts_at, ends_at, venue, "
            "commune_code, capacity, status, created_at, updated_at) VALUES "
            f"({programme}, {themes[i % len(themes)]}, 'awareness', {at}, {at + 3_600_000}, '{VENUE}', "
            f"'FR-C33063', {capacity}, 'scheduled', {now}, {now})")
    secret = "trp_" + secrets.token_hex(20)
    digest = hashlib.sha256(secret.encode()).hexdigest()
    lines.append(
        "INSERT INTO api_tokens (user_id, name, token_hash, prefix, role, created_at) VALUES "
        f"({admin}, 'bench', '{digest}', '{secret[:12]}', 'admin', {now})")
    db.execute_many(lines)
    ids = [r[0] for r in db.rows(
        f"SELECT id FROM workshop_sessions WHERE venue = '{VENUE}' AND created_at = {now} ORDER BY id")]
    print(secret, ",".join(str(i) for i in ids))


def check(db):
    one = lambda sql: int(db.rows(sql)[0][0])  # noqa: E731
    mine = f"JOIN workshop_sessions s ON s.id = r.session_id WHERE s.venue = '{VENUE}'"
    confirmed = one(f"SELECT COUNT(*) FROM workshop_registrations r {mine} AND r.status IN ('confirmed', 'offered')")
    waiting = one(f"SELECT COUNT(*) FROM workshop_registrations r {mine} AND r.status = 'waiting'")
    seats = one(f"SELECT COALESCE(SUM(capacity), 0) FROM workshop_sessions WHERE venue = '{VENUE}'")
    oversold = db.rows(
        "SELECT s.id, s.capacity, COUNT(r.id) FROM workshop_sessions s "
        "JOIN workshop_registrations r ON r.session_id = s.id AND r.status IN ('confirmed', 'offered') "
        f"WHERE s.venue = '{VENUE}' GROUP BY s.id, s.capacity HAVING COUNT(r.id) > s.capacity")
    counters_off = one(
        f"SELECT COUNT(*) FROM workshop_sessions s WHERE s.venue = '{VENUE}' AND "
        "(s.seats_taken <> (SELECT COUNT(*) FROM workshop_registrations r WHERE r.session_id = s.id "
        "AND r.status IN ('confirmed', 'offered')) OR s.waiting <> (SELECT COUNT(*) FROM "
        "workshop_registrations r WHERE r.session_id = s.id AND r.status = 'waiting'))")
    dup_seats = one(
        "SELECT COUNT(*) FROM (SELECT r.session_id, r.seat_no FROM workshop_registrations r "
        f"{mine} AND r.seat_no IS NOT NULL AND r.status IN ('confirmed', 'offered') "
        "GROUP BY r.session_id, r.seat_no HAVING COUNT(*) > 1) d")
    print(f"confirmed={confirmed} waiting={waiting} seats={seats} oversold={len(oversold)} "
          f"counters_off={counters_off} duplicate_seats={dup_seats}")
    if oversold or counters_off or dup_seats:
        sys.exit(3)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    db = Database(sys.argv[1])
    if sys.argv[2] == "setup":
        setup(db, int(sys.argv[3]), int(sys.argv[4]))
    elif sys.argv[2] == "check":
        check(db)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
