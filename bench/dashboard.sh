#!/usr/bin/env bash
# Bench of the funders' dashboard at scale (issue 16): on SQLite and on
# PostgreSQL, seeds the demo plus 100,000 businesses, 20,000 workshop
# sessions held with 500,000 registrations, 20,000 follow-up files (and a few
# submitted diagnostics), starts the release server, signs in as the funder
# and as the programme manager, and times one request at a time with curl:
# /tableau-de-bord unfiltered and under many distinct filters (period,
# territory, sector, size, partner, and all of them together), the CSV and
# XLSX exports, beside /healthz in the same run. The dashboard has no cache,
# and every filtered URL is different, so every figure is computed by the
# database. Reports p50, p90 and max per page kind. Not part of the tests.
#
# Usage: bash bench/dashboard.sh          (from anywhere)
# Environment:
#   BENCH_BIN            binary (default $CARGO_TARGET_DIR/release/tremplin)
#   BENCH_BINS           several binaries measured in turn on the same data
#                        (before/after a change; the first one seeds, the
#                        later ones apply their own migrations)
#   BENCH_PG_SEEDED      a PostgreSQL database already seeded with these
#                        volumes (used, and migrated, in place), whose data
#                        directory holds the seed's output as seed.out
#   BENCH_PG_SEEDED_DIR  that data directory
#   BENCH_SQLITE_SEEDED  a data directory already seeded with these volumes
#                        (its tremplin.db is used, and changed, in place)
#   BENCH_DBS            databases to bench (default "sqlite postgres")
#   BENCH_PG_ADMIN_URL   PostgreSQL server where a throw-away database
#                        tremplin_dashboard_bench is (re)created
#                        (default postgres://postgres@127.0.0.1:5432/postgres)
#   BENCH_BUSINESSES     (default 100000)
#   BENCH_HELD_SESSIONS  (default 20000)
#   BENCH_REGISTRATIONS  (default 500000)
#   BENCH_FILES          (default 20000)
#   BENCH_DIAGNOSTICS    submitted diagnostics (default 2000)
#   BENCH_SAMPLES        requests per page kind and role (default 10)
#   BENCH_KINDS          page kinds (default "plain period territory sector
#                        size partner all csv xlsx")
#   BENCH_ROLES          who signs in (default "funder manager")

set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
BIN="${BENCH_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/tremplin}"
DBS="${BENCH_DBS:-sqlite postgres}"
PG_ADMIN="${BENCH_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
BUSINESSES="${BENCH_BUSINESSES:-100000}"
HELD="${BENCH_HELD_SESSIONS:-20000}"
REGISTRATIONS="${BENCH_REGISTRATIONS:-500000}"
FILES="${BENCH_FILES:-20000}"
DIAGNOSTICS="${BENCH_DIAGNOSTICS:-2000}"
SAMPLES="${BENCH_SAMPLES:-10}"
read -r -a BINS <<<"${BENCH_BINS:-$BIN}"
BIN="${BINS[0]}"

log() { echo "[dashboard-bench] $*" >&2; }
die() { log "error: $*"; exit 1; }

if [[ ! -x "$BIN" ]]; then
    log "building the release binary"
    (cd "$ROOT" && cargo build --release --bin tremplin) || die "build failed"
fi

TMP_DIR="$(mktemp -d)"
SERVER_PID=""
stop_server() {
    if [[ -n "$SERVER_PID" ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}
cleanup() {
    stop_server
    rm -rf "$TMP_DIR"
}
trap cleanup EXIT

# Codes to filter by, read from the seeded database.
query() {
    local sql="$1"
    if [[ -n "${DB_URL:-}" ]]; then
        psql -qAt "$DB_URL" -c "$sql"
    else
        python3 -c 'import sqlite3,sys; [print(r[0]) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])]' \
            "$DATA/tremplin.db" "$sql"
    fi
}

sign_in() {
    local email="$1" jar="$TMP_DIR/jar-$RANDOM" page csrf
    page="$(curl -sf -c "$jar" "$BASE/connexion")"
    csrf="$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$page" | head -n 1 | sed 's/.*value="//; s/"$//')"
    curl -sf -o /dev/null -b "$jar" -c "$jar" \
        --data-urlencode "email=$email" \
        --data-urlencode "password=demo-tremplin-2026" \
        --data-urlencode "csrf_token=$csrf" \
        --data-urlencode "next=/tableau-de-bord" "$BASE/connexion" || die "sign-in of $email failed"
    awk '$6 ~ /^tremplin_/ { printf "%s=%s; ", $6, $7 }' "$jar"
}

# time_urls LABEL COOKIE URL...: one request at a time, prints p50/p90/max (ms).
time_urls() {
    local label="$1" cookie="$2"
    shift 2
    local times=() code t
    for url in "$@"; do
        read -r code t < <(curl -s -o /dev/null -H "Cookie: $cookie" -w '%{http_code} %{time_total}\n' "$BASE$url")
        [[ "$code" == 2* ]] || die "$url answered $code"
        times+=("$t")
    done
    printf '%s\n' "${times[@]}" | python3 -c '
import sys
label = sys.argv[1]
xs = sorted(float(x) * 1000 for x in sys.stdin.read().split())
q = lambda p: xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]
verdict = "" if label.startswith("/healthz") else ("PASS" if xs[-1] <= 200 else "MISS")
print(f"| {label:<44} | {len(xs):>3} | {q(0.5):>8.1f} | {q(0.9):>8.1f} | {xs[-1]:>8.1f} | {verdict} |")
' "$label"
}

bench_one() {
    local db="$1"
    DATA="$TMP_DIR/$db"
    if [[ "$db" == sqlite && -n "${BENCH_SQLITE_SEEDED:-}" ]]; then DATA="$BENCH_SQLITE_SEEDED"; fi
    mkdir -p "$DATA"
    DB_URL=""
    if [[ "$db" == postgres && -n "${BENCH_PG_SEEDED:-}" ]]; then
        DB_URL="$BENCH_PG_SEEDED"
        DATA="${BENCH_PG_SEEDED_DIR:-$DATA}"
    elif [[ "$db" == postgres ]]; then
        psql -q "$PG_ADMIN" -c 'DROP DATABASE IF EXISTS tremplin_dashboard_bench' >/dev/null
        psql -q "$PG_ADMIN" -c 'CREATE DATABASE tremplin_dashboard_bench' >/dev/null
        DB_URL="${PG_ADMIN%/*}/tremplin_dashboard_bench"
    fi
    export TREMPLIN_DATA_DIR="$DATA" TREMPLIN_LOG=warn
    if [[ -n "$DB_URL" ]]; then export TREMPLIN_DATABASE_URL="$DB_URL"; else unset TREMPLIN_DATABASE_URL; fi
    log "$db: seeding the demo, $BUSINESSES businesses, $HELD sessions held, $REGISTRATIONS registrations, $FILES files, $DIAGNOSTICS diagnostics"
    local started=$SECONDS
    if [[ -f "$DATA/seed.out" ]]; then
        log "$db: already seeded in $DATA"
    else
    "$BIN" seed --demo --businesses "$BUSINESSES" --held-sessions "$HELD" --registrations "$REGISTRATIONS" \
        --files "$FILES" --diagnostics "$DIAGNOSTICS" >"$DATA/seed.out" 2>"$DATA/seed.err" ||
        { cat "$DATA/seed.err" >&2; die "seed failed"; }
    fi
    local seed_s=$((SECONDS - started))
    grep -E "created in" "$DATA/seed.out" >&2 || true
    if [[ -n "$DB_URL" ]]; then psql -q "$DB_URL" -c 'ANALYZE' >/dev/null; fi
    for bin in "${BINS[@]}"; do
        measure_with "$db" "$bin" "$seed_s"
    done
}

measure_with() {
    local db="$1" bin="$2" seed_s="$3"
    PORT=$((20000 + RANDOM % 12000))
    TREMPLIN_BIND="127.0.0.1:$PORT" "$bin" serve >"$DATA/server.log" 2>&1 &
    SERVER_PID=$!
    BASE="http://127.0.0.1:$PORT"
    for _ in $(seq 1 300); do
        curl -sf -o /dev/null --max-time 2 "$BASE/healthz" && break
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$DATA/server.log" >&2; die "server exited"; }
        sleep 0.2
    done
    local funder manager
    funder="$(sign_in financeur@tremplin-demo.fr)"
    manager="$(sign_in responsable@tremplin-demo.fr)"

    mapfile -t territories < <(query "SELECT code FROM territories WHERE level <> 'commune' AND code LIKE 'FR-%' ORDER BY code")
    mapfile -t communes < <(query "SELECT DISTINCT commune_code FROM businesses WHERE commune_code IS NOT NULL ORDER BY commune_code")
    territories+=("${communes[@]}")
    mapfile -t sectors < <(query "SELECT code FROM sectors ORDER BY code")
    mapfile -t partners < <(query "SELECT id FROM partners ORDER BY id")
    [[ ${#partners[@]} -gt 0 ]] || partners=(1)
    local sizes=(0 1-9 10-49 50-249)
    local rows=()
    RANDOM=16
    period() {
        # A distinct period every time: from day 1-28 of one of the last 13 months, for 1 to 200 days.
        python3 -c '
import datetime, sys, random
r = random.Random(int(sys.argv[1]))
d = datetime.date.today().replace(day=1) - datetime.timedelta(days=r.randint(0, 390))
e = d + datetime.timedelta(days=r.randint(1, 200))
print(f"du={d.isoformat()}&au={e.isoformat()}")' "$1"
    }
    pick() { local -n a=$1; echo "${a[RANDOM % ${#a[@]}]}"; }
    local kinds
    read -r -a kinds <<<"${BENCH_KINDS:-plain period territory sector size partner all csv xlsx}"
    local n=0
    {
        echo "### $db, $bin"
        echo
        echo "seeded in ${seed_s} s ($(grep -E 'created in' "$DATA/seed.out" | tr '\n' ';'))"
        echo
        echo "| page (role)                                  |   n |  p50 ms  |  p90 ms  |  max ms  | ≤ 200 ms |"
        echo "|----------------------------------------------|-----|----------|----------|----------|------|"
    } >>"$REPORT"
    local healthz=()
    for _ in $(seq 1 "$((SAMPLES * 5))"); do healthz+=(/healthz); done
    time_urls "/healthz" "" "${healthz[@]}" >>"$REPORT"
    for role in ${BENCH_ROLES:-funder manager}; do
        local cookie
        if [[ $role == funder ]]; then cookie="$funder"; else cookie="$manager"; fi
        for kind in "${kinds[@]}"; do
            local urls=()
            for _ in $(seq 1 "$SAMPLES"); do
                n=$((n + 1))
                case $kind in
                plain) urls+=("/tableau-de-bord") ;;
                period) urls+=("/tableau-de-bord?$(period $n)") ;;
                territory) urls+=("/tableau-de-bord?territoire=$(pick territories)&$(period $n)") ;;
                sector) urls+=("/tableau-de-bord?secteur=$(pick sectors)&$(period $n)") ;;
                size) urls+=("/tableau-de-bord?taille=$(pick sizes)&$(period $n)") ;;
                partner) urls+=("/tableau-de-bord?partenaire=$(pick partners)&$(period $n)") ;;
                all) urls+=("/tableau-de-bord?territoire=$(pick territories)&secteur=$(pick sectors)&taille=$(pick sizes)&partenaire=$(pick partners)&$(period $n)") ;;
                csv) urls+=("/tableau-de-bord/indicateurs.csv?territoire=$(pick territories)&$(period $n)") ;;
                xlsx) urls+=("/tableau-de-bord/indicateurs.xlsx?secteur=$(pick sectors)&$(period $n)") ;;
                esac
            done
            log "$db: $role $kind"
            time_urls "$kind ($role)" "$cookie" "${urls[@]}" | tee -a "$REPORT" >&2
        done
    done
    time_urls "/healthz (again)" "" "${healthz[@]}" >>"$REPORT"
    local rss
    rss="$(awk '/VmRSS|VmHWM/ { printf "%s %s %s  ", $1, $2, $3 }' "/proc/$SERVER_PID/status")"
    echo >>"$REPORT"
    echo "server memory after the run: $rss" >>"$REPORT"
    echo >>"$REPORT"
    stop_server
}

REPORT="$TMP_DIR/report.md"
: >"$REPORT"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo), $(uname -r); bin=$BIN" >>"$REPORT"
echo >>"$REPORT"
for db in $DBS; do
    bench_one "$db"
done
mkdir -p "$SCRIPT_DIR/results"
cp "$REPORT" "$SCRIPT_DIR/results/dashboard-latest.md"
cat "$REPORT"
