#!/usr/bin/env bash
# Bench of follow-up files (issue 14): 2,000 files and 100,000 activities
# seeded on top of the demo (`seed --files --activities`; SQLite, or the
# database of TREMPLIN_DATABASE_URL), then the bare handler (/healthz), the
# file list (/dossiers, first page of 50; ?mine=1, the adviser's own; a later
# page), the adviser's home (/accueil) and the whole week (/accueil/semaine),
# one file's page (/dossiers/{id}, its timeline included), the pages of the
# adviser's files in turn (bench/mixed.lua over distinct timelines) and every
# page of the list in turn, measured with wrk, signed in as the demo adviser,
# then /healthz again. Nothing of these pages is cached except a submitted
# diagnostic's action plan (computed once): every request reads the
# database. Targets: at least 20 % of /healthz's req/s, p99 <= 20 ms. Not
# part of the test suite.
#
# Usage: bash bench/cases.sh          (from anywhere)
# Environment:
#   TREMPLIN_DATABASE_URL  a throw-away PostgreSQL database to seed and bench
#                      (default: a temporary SQLite file)
#   BENCH_BIN          binary to run (default: release/tremplin in the target
#                      directory cargo uses here, CARGO_TARGET_DIR included;
#                      built with `cargo build --release --locked` if missing)
#   BENCH_FILES        files seeded (default 2000)
#   BENCH_ACTIVITIES   activities seeded (default 100000)
#   BENCH_DURATION     measured duration per route (default 10s)
#   BENCH_CONNECTIONS  concurrent connections (default 16)
#   BENCH_THREADS      wrk threads (default 2)
#   BENCH_BEFORE       set to bench a binary without the paged routes
#                      (/dossiers?page=N, /accueil/semaine): they are skipped

set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
# The release binary: BENCH_BIN, else the target directory cargo uses for
# this checkout (CARGO_TARGET_DIR or the configured one), else ./target.
if [[ -n "${BENCH_BIN:-}" ]]; then
    BIN="$BENCH_BIN"
else
    TARGET_DIR="${CARGO_TARGET_DIR:-}"
    if [[ -z "$TARGET_DIR" ]] && command -v cargo >/dev/null; then
        TARGET_DIR="$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps 2>/dev/null \
            | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])' 2>/dev/null || true)"
    fi
    BIN="${TARGET_DIR:-$ROOT/target}/release/tremplin"
fi
FILES="${BENCH_FILES:-2000}"
ACTIVITIES="${BENCH_ACTIVITIES:-100000}"
DURATION="${BENCH_DURATION:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
THREADS="${BENCH_THREADS:-2}"

log() { echo "[cases-bench] $*" >&2; }
die() { log "error: $*"; exit 1; }

command -v wrk >/dev/null || die "wrk is missing (apt-get install wrk)"
if [[ ! -x "$BIN" ]]; then
    log "building the release binary"
    (cd "$ROOT" && cargo build --release --locked --bin tremplin) || die "build failed"
fi

TMP_DIR="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$TMP_DIR"
}
trap cleanup EXIT

log "seeding the demo, $FILES files and $ACTIVITIES activities"
started=$SECONDS
TREMPLIN_DATA_DIR="$TMP_DIR" TREMPLIN_LOG=warn "$BIN" seed --demo --files "$FILES" --activities "$ACTIVITIES" \
    >"$TMP_DIR/seed.out" 2>"$TMP_DIR/seed.err" || { cat "$TMP_DIR/seed.err" >&2; die "seed failed"; }
grep "created in" "$TMP_DIR/seed.out" >&2
FILE_ID="$(sed -n 's/^adviser file: //p' "$TMP_DIR/seed.out")"
[[ -n "$FILE_ID" ]] || die "no file of the demo adviser"
log "seeded in $((SECONDS - started)) s; measured file: $FILE_ID"
# Every seeded file's page, for the run over distinct timelines.
if [[ -n "${TREMPLIN_DATABASE_URL:-}" ]]; then
    psql -qAt "$TREMPLIN_DATABASE_URL" -c "ANALYZE" >/dev/null
    psql -qAt "$TREMPLIN_DATABASE_URL" -c "SELECT '/dossiers/' || id FROM cases WHERE adviser_id = (SELECT id FROM users WHERE email = 'conseiller@tremplin-demo.fr') ORDER BY id DESC LIMIT $FILES" >"$TMP_DIR/files.txt"
else
    python3 -c 'import sqlite3,sys; [print(f"/dossiers/{r[0]}") for r in sqlite3.connect(sys.argv[1]).execute("SELECT id FROM cases WHERE adviser_id = (SELECT id FROM users WHERE email = '"'"'conseiller@tremplin-demo.fr'"'"') ORDER BY id DESC LIMIT ?", (int(sys.argv[2]),))]' \
        "$TMP_DIR/tremplin.db" "$FILES" >"$TMP_DIR/files.txt"
fi
# Every page of the file list (open files; all files), for the run over
# distinct list pages.
if [[ -n "${TREMPLIN_DATABASE_URL:-}" ]]; then
    OPEN_FILES="$(psql -qAt "$TREMPLIN_DATABASE_URL" -c "SELECT COUNT(*) FROM cases WHERE status <> 'closed'")"
    ALL_FILES="$(psql -qAt "$TREMPLIN_DATABASE_URL" -c "SELECT COUNT(*) FROM cases")"
else
    OPEN_FILES="$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM cases WHERE status <> '"'"'closed'"'"'").fetchone()[0])' "$TMP_DIR/tremplin.db")"
    ALL_FILES="$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM cases").fetchone()[0])' "$TMP_DIR/tremplin.db")"
fi
python3 -c '
import random, sys
open_pages = (int(sys.argv[1]) + 49) // 50
all_pages = (int(sys.argv[2]) + 49) // 50
l = [f"/dossiers?page={n}" for n in range(1, open_pages + 1)] + [f"/dossiers?closed=1&page={n}" for n in range(1, all_pages + 1)]
random.Random(14).shuffle(l)
print("\n".join(l))' "$OPEN_FILES" "$ALL_FILES" >"$TMP_DIR/list-pages.txt"
# Shuffled with a fixed seed, so consecutive requests are far apart.
python3 -c 'import random,sys; l=open(sys.argv[1]).read().split(); random.Random(14).shuffle(l); print("\n".join(l))' \
    "$TMP_DIR/files.txt" >"$TMP_DIR/files-shuffled.txt"

PORT=$((20000 + RANDOM % 12000))
TREMPLIN_DATA_DIR="$TMP_DIR" TREMPLIN_BIND="127.0.0.1:$PORT" TREMPLIN_LOG=warn \
    "$BIN" serve >"$TMP_DIR/server.log" 2>&1 &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 300); do
    curl -sf -o /dev/null --max-time 2 "$BASE/healthz" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP_DIR/server.log" >&2; die "server exited"; }
    sleep 0.2
done

# Sign in as the demo adviser.
JAR="$TMP_DIR/jar"
page="$(curl -sf -c "$JAR" "$BASE/connexion")"
csrf="$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$page" | head -n 1 | sed 's/.*value="//; s/"$//')"
curl -sf -o /dev/null -b "$JAR" -c "$JAR" \
    --data-urlencode "email=conseiller@tremplin-demo.fr" \
    --data-urlencode "password=demo-tremplin-2026" \
    --data-urlencode "csrf_token=$csrf" \
    --data-urlencode "next=/accueil" "$BASE/connexion" || die "sign-in failed"
COOKIE="$(awk '$6 ~ /^tremplin_/ { printf "%s=%s; ", $6, $7 }' "$JAR")"
[[ "$COOKIE" == *tremplin_session* ]] || die "no session cookie after sign-in"

HEALTHZ_RPS=""
# measure LABEL ROUTE [wrk script with BENCH_URLS [file of paths]]: one wrk
# run, one line.
measure() {
    local label="$1" route="$2" script="${3:-}" urls="${4:-$TMP_DIR/files-shuffled.txt}" out
    curl -sf -o /dev/null -H "Cookie: $COOKIE" "$BASE$route" || die "$route does not answer 2xx"
    local args=(-t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $COOKIE")
    [[ -n "$script" ]] && args+=(-s "$script")
    out="$(BENCH_URLS="$urls" wrk "${args[@]}" "$BASE$route")"
    local rps p50 p99 errors share verdict
    rps="$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")"
    p50="$(awk '$1 == "50%" { print $2 }' <<<"$out")"
    p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
    errors="$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ' | tr '\n' ' ' || true)"
    if [[ "$route" == /healthz ]]; then
        HEALTHZ_RPS="$rps"
        share="100 %"
        verdict=""
    else
        share="$(python3 -c 'import sys; print(f"{100 * float(sys.argv[1]) / float(sys.argv[2]):.1f} %")' "$rps" "$HEALTHZ_RPS")"
        verdict="$(python3 -c '
import sys
def ms(v):
    return float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000
ok = float(sys.argv[1]) >= 0.2 * float(sys.argv[2]) and ms(sys.argv[3]) <= 20
print("PASS" if ok else "MISS")' "$rps" "$HEALTHZ_RPS" "$p99")"
    fi
    printf '| %-36s | %10s | %8s | %8s | %8s | %s %s |\n' "$label" "$rps" "$share" "$p50" "$p99" "$verdict" "$errors"
}

echo "files=$FILES activities=$ACTIVITIES connections=$CONNECTIONS duration=$DURATION database=${TREMPLIN_DATABASE_URL:-sqlite} bin=$BIN"
echo "| route                                | req/s      | /healthz | p50      | p99      | target (>= 20 %, p99 <= 20 ms) |"
echo "|--------------------------------------|------------|----------|----------|----------|------|"
measure /healthz /healthz
measure /dossiers /dossiers
measure "/dossiers?mine=1" "/dossiers?mine=1"
if [[ -z "${BENCH_BEFORE:-}" ]]; then
    measure "/dossiers?page=20" "/dossiers?page=20"
fi
measure /accueil /accueil
if [[ -z "${BENCH_BEFORE:-}" ]]; then
    measure /accueil/semaine /accueil/semaine
fi
measure "/dossiers/$FILE_ID (one file)" "/dossiers/$FILE_ID"
measure "/dossiers/{id} ($(wc -l <"$TMP_DIR/files.txt") distinct files)" / "$SCRIPT_DIR/mixed.lua"
if [[ -z "${BENCH_BEFORE:-}" ]]; then
    measure "/dossiers?page=N ($(wc -l <"$TMP_DIR/list-pages.txt") distinct pages)" / "$SCRIPT_DIR/mixed.lua" "$TMP_DIR/list-pages.txt"
fi
measure "/healthz (again)" /healthz
