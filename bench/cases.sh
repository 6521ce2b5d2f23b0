#!/usr/bin/env bash
# Bench of follow-up files: 2,000 files and 100,000 activities seeded on top
# of the demo (SQLite), then the bare handler (/healthz), the file list
# (/dossiers, every file of the programme), the adviser's own list
# (/dossiers?mine=1), the adviser's home (/accueil) and one file's page
# (/dossiers/{id}, its timeline included) measured with wrk, signed in as
# the demo adviser. Nothing of these pages is cached: every request reads
# the database. Not part of the test suite.
#
# Usage: bash bench/cases.sh          (from anywhere)
# Environment:
#   BENCH_BIN          binary to run (default target/release/tremplin, built
#                      with `cargo build --release --bin tremplin` if missing)
#   BENCH_FILES        files seeded (default 2000)
#   BENCH_ACTIVITIES   activities seeded (default 100000)
#   BENCH_DURATION     measured duration per route (default 10s)
#   BENCH_CONNECTIONS  concurrent connections (default 16)
#   BENCH_THREADS      wrk threads (default 2)

set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
BIN="${BENCH_BIN:-$ROOT/target/release/tremplin}"
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
    (cd "$ROOT" && cargo build --release --bin tremplin) || die "build failed"
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

log "seeding the demo"
TREMPLIN_DATA_DIR="$TMP_DIR" TREMPLIN_LOG=warn "$BIN" seed --demo >/dev/null 2>"$TMP_DIR/seed.err" ||
    { cat "$TMP_DIR/seed.err" >&2; die "seed failed"; }
log "seeding $FILES files and $ACTIVITIES activities"
started=$SECONDS
FILE_ID="$(python3 "$SCRIPT_DIR/cases_seed.py" "$TMP_DIR/tremplin.db" "$FILES" "$ACTIVITIES")"
log "seeded in $((SECONDS - started)) s; measured file: $FILE_ID"

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

measure() {
    local route="$1" out
    curl -sf -o /dev/null -H "Cookie: $COOKIE" "$BASE$route" || die "$route does not answer 2xx"
    # One request alone, uncached by construction.
    local alone
    alone="$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $COOKIE" "$BASE$route")"
    out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $COOKIE" "$BASE$route")"
    local rps p50 p99 errors
    rps="$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")"
    p50="$(awk '$1 == "50%" { print $2 }' <<<"$out")"
    p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
    errors="$(grep -c 'Non-2xx\|Socket errors' <<<"$out" || true)"
    printf '%-28s %10s req/s  p50 %-9s p99 %-9s alone %ss  errors:%s\n' "$route" "$rps" "$p50" "$p99" "$alone" "$errors"
}

echo "files=$FILES activities=$ACTIVITIES connections=$CONNECTIONS duration=$DURATION bin=$BIN"
measure /healthz
measure /dossiers
measure "/dossiers?mine=1"
measure /accueil
measure "/dossiers/$FILE_ID"
measure /healthz
