#!/usr/bin/env python3
"""Seed follow-up files for the accompaniment bench (SQLite only).

Usage: cases_seed.py DB_FILE [FILES] [ACTIVITIES]

Adds FILES follow-up files (default 2,000) spread over the demo's businesses
and advisers, and ACTIVITIES activities (default 100,000) spread evenly over
them: two thirds done in the past, one third planned (some overdue), with a
fixed random seed. Prints the id of one file of the demo adviser.
"""
import random
import sqlite3
import sys
import time

DAY = 86_400_000


def main():
    db = sys.argv[1]
    files = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    activities = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
    rng = random.Random(14)
    con = sqlite3.connect(db)
    cur = con.cursor()
    businesses = [r[0] for r in cur.execute("SELECT id FROM businesses")]
    adviser = cur.execute(
        "SELECT id FROM users WHERE email = 'conseiller@tremplin-demo.fr'"
    ).fetchone()[0]
    advisers = [r[0] for r in cur.execute(
        "SELECT DISTINCT user_id FROM user_roles WHERE role IN ('adviser', 'admin')"
    )]
    templates = [r[0] for r in cur.execute("SELECT id FROM case_templates")]
    now = int(time.time() * 1000)
    statuses = ["to-qualify", "active", "active", "active", "paused", "closed"]
    case_ids = []
    for i in range(files):
        opened = now - rng.randint(1, 400) * DAY
        status = rng.choice(statuses)
        cur.execute(
            "INSERT INTO cases (business_id, template_id, origin, adviser_id, status, outcome, summary, "
            "opened_at, closed_at, created_by, created_at, updated_at) "
            "VALUES (?, ?, 'manual', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                rng.choice(businesses),
                rng.choice(templates),
                adviser if i % 4 == 0 else rng.choice(advisers),
                status,
                "goals-met" if status == "closed" else None,
                f"Dossier de charge n° {i}",
                opened,
                opened + 120 * DAY if status == "closed" else None,
                adviser,
                opened,
                opened,
            ),
        )
        case_ids.append((cur.lastrowid, opened))
    rows = []
    kinds = ["note", "meeting", "call", "audit"]
    for n in range(activities):
        case_id, opened = case_ids[n % len(case_ids)]
        planned = rng.random() < 1 / 3
        at = opened + rng.randint(0, 150) * DAY + rng.randint(8, 17) * 3_600_000
        rows.append(
            (
                case_id,
                "meeting" if planned else rng.choice(kinds),
                f"Activité {n}",
                "Texte de l'activité " * rng.randint(1, 20),
                at if planned else None,
                None if planned else at,
                rng.choice([0, 30, 60, 120]),
                adviser,
                at,
                at,
            )
        )
        if len(rows) == 5000:
            insert(cur, rows)
            rows = []
    insert(cur, rows)
    con.commit()
    mine = cur.execute(
        "SELECT id FROM cases WHERE adviser_id = ? ORDER BY id DESC LIMIT 1", (adviser,)
    ).fetchone()[0]
    print(mine)


def insert(cur, rows):
    cur.executemany(
        "INSERT INTO case_activities (case_id, kind, title, body, due_at, happened_at, minutes, "
        "author_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


if __name__ == "__main__":
    main()
