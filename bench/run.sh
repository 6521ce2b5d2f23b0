#!/usr/bin/env bash
# Load-test harness for tremplin.
#
# Builds the release binary, loads the demo data, BENCH_DIAGNOSTICS
# submitted diagnostics, BENCH_SESSIONS workshop sessions and
# BENCH_PROVIDERS directory cards into a fresh temporary data directory,
# starts the server on a free loopback port, measures the trivial handler,
# each page of ROUTES (the directory searches included) and the results page
# of one seeded diagnostic with wrk, optionally the directory searches again
# as distinct URLs (NOCACHE_ROUTES), prints a report (also written
# to bench/results/latest.txt) and compares it to the targets.
#
# Exit status: 0 when the measurements ran and no request failed, even if a
# target is missed (this is a report, not a test); non-zero when the build,
# the server start-up or wrk fails, or when any request errored.
#
# Usage: bash bench/run.sh            (from anywhere)
# Environment:
#   BENCH_DURATION         measured duration per route, wrk syntax (default 10s)
#   BENCH_CONNECTIONS      concurrent connections (default 64)
#   BENCH_THREADS          wrk threads (default 2)
#   BENCH_WARMUP           warm-up duration per route (default 2s)
#   BENCH_START_TIMEOUT    seconds to wait for /healthz (default 60)
#   BENCH_GZIP=1           send "Accept-Encoding: gzip" like a browser does
#   BENCH_DIAGNOSTICS      submitted diagnostics seeded before the start
#                          (default 10000; each run adds that many)
#   BENCH_SESSIONS         workshop sessions seeded before the start, over
#                          the next year (default 5000; each run adds that many)
#   BENCH_PROVIDERS        published directory cards seeded before the start
#                          (default 20000; each run adds that many)
#   BENCH_NOCACHE=1        also run the directory searches as distinct URLs
#   BENCH_NOCACHE_DURATION measured duration of each of those, no warm-up
#                          (default 20s)
#   TREMPLIN_DATABASE_URL  bench against this database (e.g. PostgreSQL)
#                          instead of a temporary SQLite file

set -euo pipefail

# ---------------------------------------------------------------------------
# What is measured. Add new pages to ROUTES; each is compared to TRIVIAL_ROUTE.
# Routes that only exist once the data is seeded (private links) are appended
# after the seeding, see SEEDED_ROUTES below.
ROUTES=("/" "/contact" "/connexion" "/inscription" "/ateliers" "/ateliers?territory=FR-D33" "/ateliers/1")
# Directory searches over the BENCH_PROVIDERS seeded cards (+ the demo ones).
DIRECTORY_ROUTES=("/annuaire" "/annuaire?q=site+web" "/annuaire?q=electricien&territory=FR-D33" "/annuaire?theme=site-vitrine&size=1-9&page=2")
ROUTES+=("${DIRECTORY_ROUTES[@]}")
# The directory keeps no search: every request above is computed from its
# in-memory snapshot. BENCH_NOCACHE=1 measures them again with French stop
# words appended to q (every request a distinct URL), which defeated the
# per-process search cache of older builds; it is off by default and kept
# for comparison runs against those builds.
NOCACHE_ROUTES=("${DIRECTORY_ROUTES[@]}")
TRIVIAL_ROUTE="/healthz"

# Targets.
TARGET_RATIO_PCT=30   # page req/s >= this % of the trivial handler's req/s
TARGET_P99_MS=10      # page p99 latency, at BENCH_CONNECTIONS connections
TARGET_RSS_MB=60      # server resident memory after the runs
TARGET_MIXED_RATIO_PCT=20  # mixed run req/s >= this % of the trivial handler's (measured just before)
TARGET_MIXED_P99_MS=20     # mixed run p99 latency
TARGET_REG_RPS=2000        # registrations per second over the HTTP API (SQLite)
# ---------------------------------------------------------------------------

DURATION="${BENCH_DURATION:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
THREADS="${BENCH_THREADS:-2}"
WARMUP="${BENCH_WARMUP:-2s}"
START_TIMEOUT="${BENCH_START_TIMEOUT:-60}"
GZIP="${BENCH_GZIP:-0}"
DIAGNOSTICS="${BENCH_DIAGNOSTICS:-10000}"
SESSIONS="${BENCH_SESSIONS:-5000}"
PROVIDERS="${BENCH_PROVIDERS:-20000}"
NOCACHE="${BENCH_NOCACHE:-0}"
NOCACHE_DURATION="${BENCH_NOCACHE_DURATION:-20s}"
PER_ROUTE="${BENCH_ROUTES:-1}"
MIXED="${BENCH_MIXED:-1}"
# Enough paths that a run does not come back to the same ones: at about
# 10,000 req/s, 30,000 paths came round every 3 s, within the 5-s lifetime
# of a session page's cache, so part of the run measured cache hits.
MIXED_URLS="${BENCH_MIXED_URLS:-150000}"
REGISTER="${BENCH_REGISTER:-1}"
REG_SESSIONS="${BENCH_REG_SESSIONS:-200}"
REG_CAPACITY="${BENCH_REG_CAPACITY:-50}"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
cd "$REPO_ROOT"

RESULTS_DIR="$SCRIPT_DIR/results"
LUA_SCRIPT="$SCRIPT_DIR/report.lua"
TARGET_DIR="${CARGO_TARGET_DIR:-$REPO_ROOT/target}"
BIN="$TARGET_DIR/release/tremplin"

SERVER_PID=""
SERVER_LOG=""
TMP_DIR=""
DATA_DIR=""
PORT=""
# Short name of a route in the report (private links are long and secret).
declare -A LABEL
label() { echo "${LABEL[$1]:-$1}"; }

log() { printf 'bench: %s\n' "$*" >&2; }

die() {
    log "ERROR: $*"
    exit 1
}

show_server_log() {
    if [[ -n "$SERVER_LOG" && -s "$SERVER_LOG" ]]; then
        log "last lines of the server log:"
        tail -n 30 "$SERVER_LOG" | sed 's/^/    /' >&2
    fi
}

stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        local i
        for ((i = 0; i < 50; i++)); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            log "server did not stop on SIGTERM, sending SIGKILL"
            kill -KILL "$SERVER_PID" 2>/dev/null || true
        fi
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}

cleanup() {
    local rc=$?
    trap - EXIT
    stop_server
    if [[ -n "$TMP_DIR" && -d "$TMP_DIR" ]]; then
        rm -rf "$TMP_DIR"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }

# Float helpers (bash has integer arithmetic only).
fcmp() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN {
    if (op == ">=") exit !(a + 0 >= b + 0);
    if (op == "<=") exit !(a + 0 <= b + 0);
    exit 2 }'; }
fmt() { awk -v v="$1" -v f="$2" 'BEGIN { printf f, v }'; }

# ---------------------------------------------------------------------------
# Checks of the settings.
is_uint "$CONNECTIONS" && ((CONNECTIONS > 0)) || die "BENCH_CONNECTIONS must be a positive integer (got '$CONNECTIONS')"
is_uint "$THREADS" && ((THREADS > 0)) || die "BENCH_THREADS must be a positive integer (got '$THREADS')"
((CONNECTIONS >= THREADS)) || die "BENCH_CONNECTIONS ($CONNECTIONS) must be >= BENCH_THREADS ($THREADS)"
is_uint "$START_TIMEOUT" || die "BENCH_START_TIMEOUT must be a number of seconds (got '$START_TIMEOUT')"
is_uint "$DIAGNOSTICS" && ((DIAGNOSTICS > 0)) || die "BENCH_DIAGNOSTICS must be a positive integer (got '$DIAGNOSTICS')"
is_uint "$SESSIONS" && ((SESSIONS > 0)) || die "BENCH_SESSIONS must be a positive integer (got '$SESSIONS')"
is_uint "$PROVIDERS" && ((PROVIDERS > 0)) || die "BENCH_PROVIDERS must be a positive integer (got '$PROVIDERS')"
[[ "$NOCACHE" == 0 || "$NOCACHE" == 1 ]] || die "BENCH_NOCACHE must be 0 or 1 (got '$NOCACHE')"
for flag in PER_ROUTE MIXED REGISTER; do
    [[ "${!flag}" == 0 || "${!flag}" == 1 ]] || die "BENCH_${flag/PER_ROUTE/ROUTES} must be 0 or 1 (got '${!flag}')"
done
is_uint "$MIXED_URLS" && ((MIXED_URLS >= 1000)) || die "BENCH_MIXED_URLS must be at least 1000 (got '$MIXED_URLS')"
is_uint "$REG_SESSIONS" && ((REG_SESSIONS > 0)) || die "BENCH_REG_SESSIONS must be a positive integer (got '$REG_SESSIONS')"
is_uint "$REG_CAPACITY" && ((REG_CAPACITY > 0)) || die "BENCH_REG_CAPACITY must be a positive integer (got '$REG_CAPACITY')"
if ((MIXED == 1 || REGISTER == 1)); then
    command -v python3 >/dev/null || die "python3 is required for the mixed and registration runs (BENCH_MIXED=0 BENCH_REGISTER=0 skip them)"
fi
[[ -f "$LUA_SCRIPT" ]] || die "missing $LUA_SCRIPT"
((${#ROUTES[@]} > 0)) || die "ROUTES is empty"
command -v curl >/dev/null || die "curl is required"

WRK_HEADERS=()
if [[ "$GZIP" == "1" ]]; then
    WRK_HEADERS=(-H "Accept-Encoding: gzip")
fi

# ---------------------------------------------------------------------------
# 1. Build.
if [[ "${BENCH_BUILD:-1}" == 1 ]]; then
    log "building the release binary (cargo build --release)"
    cargo build --release >&2 || die "cargo build --release failed"
else
    log "BENCH_BUILD=0: using the release binary as it is"
fi
[[ -x "$BIN" ]] || die "release binary not found at $BIN"

# 2. wrk.
if ! command -v wrk >/dev/null; then
    log "wrk not found, installing it with apt-get"
    if [[ "$(id -u)" -eq 0 ]]; then
        { apt-get update && apt-get install -y wrk; } >&2 || die "could not install wrk"
    elif command -v sudo >/dev/null; then
        { sudo apt-get update && sudo apt-get install -y wrk; } >&2 || die "could not install wrk"
    else
        die "wrk is missing and we are not root: install it (apt-get install wrk)"
    fi
    command -v wrk >/dev/null || die "wrk still not found after installation"
fi

# ---------------------------------------------------------------------------
# 3. Server.

# A port in 20000-32767 (below the usual ephemeral range) that no TCP socket
# on this machine uses. The server start is retried if the port is taken
# in between.
pick_port() {
    local used port hex i
    used="$(awk 'FNR > 1 { split($2, a, ":"); print a[2] }' /proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -u)"
    for ((i = 0; i < 500; i++)); do
        port=$((20000 + RANDOM % 12768))
        printf -v hex '%04X' "$port"
        if ! grep -qx "$hex" <<<"$used"; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

if [[ -n "${TREMPLIN_DATABASE_URL:-}" ]]; then
    export TREMPLIN_DATABASE_URL
    DB_LABEL="${TREMPLIN_DATABASE_URL%%:*} (from TREMPLIN_DATABASE_URL)"
else
    DB_LABEL="sqlite (temporary file)"
fi

TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/tremplin-bench.XXXXXX")"
DATA_DIR="$TMP_DIR/data"
mkdir -p "$DATA_DIR"

# Seed the demo data, many submitted diagnostics and many workshop sessions
# (same data directory and database as the server), so that the results page
# computes its benchmark over a realistic number of diagnostics and the
# agenda pages filter and count over a year of sessions. The last line
# printed is the path of one seeded diagnostic's results page (sector 47,
# size 1-9, FR-D33).
SEED_OUT="$TMP_DIR/seed.out"
log "seeding the demo data, $DIAGNOSTICS diagnostics, $SESSIONS workshop sessions and $PROVIDERS provider cards (database: $DB_LABEL)"
seed_start="$(date +%s.%N)"
TREMPLIN_DATA_DIR="$DATA_DIR" TREMPLIN_LOG=warn \
    "$BIN" seed --demo --sessions "$SESSIONS" --providers "$PROVIDERS" --diagnostics "$DIAGNOSTICS" --print-link >"$SEED_OUT" 2>"$TMP_DIR/seed.err" || {
    cat "$SEED_OUT" "$TMP_DIR/seed.err" >&2
    die "tremplin seed failed"
}
seed_end="$(date +%s.%N)"
SEED_SECONDS="$(awk -v a="$seed_start" -v b="$seed_end" 'BEGIN { printf "%.2f", b - a }')"
RESULTS_ROUTE="$(tail -n 1 "$SEED_OUT")"
[[ "$RESULTS_ROUTE" =~ ^/diagnostic/d/[0-9a-f]{64}/resultats$ ]] || {
    cat "$SEED_OUT" >&2
    die "tremplin seed --print-link did not print a results path (got '$RESULTS_ROUTE')"
}
log "seeded in $SEED_SECONDS s (whole command, demo data included)"
LABEL[$RESULTS_ROUTE]="/diagnostic/d/.../resultats"

# Routes known once the data is seeded, measured after ROUTES.
SEEDED_ROUTES=("$RESULTS_ROUTE")
ROUTES+=("${SEEDED_ROUTES[@]}")
if [[ "$PER_ROUTE" != 1 ]]; then
    ROUTES=()
fi

# What mixed_urls.py and registrations.py read and write.
DB_URL="${TREMPLIN_DATABASE_URL:-$DATA_DIR/tremplin.db}"

# The mixed run's paths: BENCH_MIXED_URLS drawn from the seeded data (see
# mixed_urls.py), visited in turn by the connections.
URLS_FILE="$TMP_DIR/urls.txt"
MIXED_SUMMARY=""
if [[ "$MIXED" == 1 ]]; then
    log "drawing $MIXED_URLS paths for the mixed run from the seeded data"
    python3 "$SCRIPT_DIR/mixed_urls.py" "$DB_URL" "$URLS_FILE" "$MIXED_URLS" "$RESULTS_ROUTE" 2>"$TMP_DIR/urls.err" || {
        cat "$TMP_DIR/urls.err" >&2
        die "mixed_urls.py failed"
    }
    MIXED_SUMMARY="$(tail -n 1 "$TMP_DIR/urls.err")"
    log "$MIXED_SUMMARY"
fi

# The registration run's sessions and API token.
REG_TOKEN=""
REG_IDS=""
if [[ "$REGISTER" == 1 ]]; then
    log "creating $REG_SESSIONS sessions of $REG_CAPACITY seats and an API token for the registration run"
    read -r REG_TOKEN REG_IDS < <(python3 "$SCRIPT_DIR/registrations.py" "$DB_URL" setup "$REG_SESSIONS" "$REG_CAPACITY") ||
        die "registrations.py setup failed"
    [[ -n "$REG_IDS" ]] || die "registrations.py setup created no session"
fi

start_server() {
    local attempt deadline
    for ((attempt = 1; attempt <= 3; attempt++)); do
        PORT="$(pick_port)" || die "no free port found"
        SERVER_LOG="$TMP_DIR/server-$attempt.log"
        log "starting the server on 127.0.0.1:$PORT (database: $DB_LABEL)"
        TREMPLIN_DATA_DIR="$DATA_DIR" \
            TREMPLIN_BIND="127.0.0.1:$PORT" \
            TREMPLIN_LOG=warn \
            "$BIN" serve --demo >"$SERVER_LOG" 2>&1 &
        SERVER_PID=$!
        deadline=$((SECONDS + START_TIMEOUT))
        while ((SECONDS < deadline)); do
            if curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$PORT$TRIVIAL_ROUTE"; then
                return 0
            fi
            if ! kill -0 "$SERVER_PID" 2>/dev/null; then
                wait "$SERVER_PID" 2>/dev/null || true
                SERVER_PID=""
                if grep -q "cannot listen" "$SERVER_LOG"; then
                    log "port $PORT is taken, trying another one"
                    continue 2
                fi
                show_server_log
                die "the server exited during start-up"
            fi
            sleep 0.2
        done
        show_server_log
        die "the server did not answer $TRIVIAL_ROUTE within ${START_TIMEOUT}s"
    done
    show_server_log
    die "could not start the server after 3 attempts"
}

start_server
BASE_URL="http://127.0.0.1:$PORT"

# Memory of the server, in kB, from /proc (0 if not available).
proc_kb() {
    local status="/proc/$SERVER_PID/status"
    if [[ -r "$status" ]]; then
        awk -v key="$1:" '$1 == key { print $2; found = 1 } END { if (!found) print 0 }' "$status"
    else
        echo 0
    fi
}
kb_to_mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }

IDLE_RSS_KB="$(proc_kb VmRSS)"

# The directory searches without the cache: the same routes, each request
# made distinct by stop words appended to q (see NOCACHE_ROUTES above), by a
# wrk script made of report.lua and a request() hook.
NOCACHE_LUA="$TMP_DIR/nocache.lua"
{
    cat "$LUA_SCRIPT"
    cat <<'LUA'

-- Added by run.sh: every request misses the directory's search cache.
local nocache_words = { "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "en",
  "et", "la", "le", "les", "leur", "ou", "par", "pour", "sur", "une" }
local nocache_path = os.getenv("BENCH_NOCACHE_PATH")
local nocache_threads = 0
local nocache_n = 0

-- The path of request number n: q gets five stop words encoding n.
function nocache_request_path(n)
  local words = {}
  n = n % 3200000
  for i = 1, 5 do
    words[i] = nocache_words[(n % 20) + 1]
    n = math.floor(n / 20)
  end
  local suffix = table.concat(words, "+")
  local path, hits = string.gsub(nocache_path, "([?&])q=([^&]*)", "%1q=%2+" .. suffix, 1)
  if hits == 0 then
    local sep = "?"
    if string.find(nocache_path, "?", 1, true) then sep = "&" end
    path = nocache_path .. sep .. "q=" .. suffix
  end
  return path
end

setup = function(thread)
  nocache_threads = nocache_threads + 1
  thread:set("nocache_tid", nocache_threads)
end

init = function(args)
  -- A random start per thread and per wrk run: runs within the cache's
  -- 30 s do not meet either.
  math.randomseed(os.time() * 1000 + (nocache_tid or 0) * 7919)
  nocache_n = math.random(0, 3199999)
end

request = function()
  nocache_n = nocache_n + 1
  return wrk.format(nil, nocache_request_path(nocache_n))
end
LUA
} >"$NOCACHE_LUA"
if [[ "$NOCACHE" != 1 ]]; then
    NOCACHE_ROUTES=()
fi
for route in ${NOCACHE_ROUTES[@]+"${NOCACHE_ROUTES[@]}"}; do
    LABEL["nocache:$route"]="$route (no cache)"
done

# A sample of what the no-cache script requests for ROUTE (for the 2xx check).
nocache_sample() {
    if [[ "$1" == *"?q="* || "$1" == *"&q="* ]]; then
        sed -E 's/([?&]q=[^&]*)/\1+de+la+le+du+en/' <<<"$1"
    elif [[ "$1" == *"?"* ]]; then
        echo "$1&q=de+la+le+du+en"
    else
        echo "$1?q=de+la+le+du+en"
    fi
}

# Every route must answer 2xx before it is measured: wrk only counts
# statuses >= 400 as errors, so a redirect would otherwise go unnoticed.
CHECK_ROUTES=("$TRIVIAL_ROUTE" ${ROUTES[@]+"${ROUTES[@]}"})
# A sample of the mixed run's paths (every 97th).
if [[ "$MIXED" == 1 ]]; then
    while IFS= read -r route; do
        CHECK_ROUTES+=("$route")
    done < <(awk 'NR % 97 == 1' "$URLS_FILE")
fi
for route in ${NOCACHE_ROUTES[@]+"${NOCACHE_ROUTES[@]}"}; do
    CHECK_ROUTES+=("$(nocache_sample "$route")")
done
for route in "${CHECK_ROUTES[@]}"; do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 \
        ${WRK_HEADERS[@]+"${WRK_HEADERS[@]}"} "$BASE_URL$route" || true)"
    [[ "$code" =~ ^2[0-9][0-9]$ ]] || die "GET $(label "$route") answered HTTP '$code' (expected 2xx)"
done
# One uncached search alone (no concurrent load): its time, in ms.
declare -A ALONE_MS
for route in ${NOCACHE_ROUTES[@]+"${NOCACHE_ROUTES[@]}"}; do
    sample="$(sed 's/de+la+le+du+en/ou+par+pour+sur+une/' <<<"$(nocache_sample "$route")")"
    ALONE_MS[$route]="$(curl -s -o /dev/null -w '%{time_total}' --max-time 30 "$BASE_URL$sample" |
        awk '{ printf "%.1f", $1 * 1000 }')"
done
# The no-cache stop words give the same results as the plain search.
for route in ${NOCACHE_ROUTES[@]+"${NOCACHE_ROUTES[@]}"}; do
    plain="$(curl -s --max-time 5 "$BASE_URL$route" | grep -o '<h2 id="results-title"[^<]*' || true)"
    padded="$(curl -s --max-time 5 "$BASE_URL$(nocache_sample "$route")" | grep -o '<h2 id="results-title"[^<]*' || true)"
    [[ -n "$plain" && "$plain" == "$padded" ]] ||
        die "GET $(nocache_sample "$route") does not count the same results as $route ('$padded' vs '$plain'): the no-cache measure would not be the same search"
done

# ---------------------------------------------------------------------------
# 4. Measurements.
mkdir -p "$RESULTS_DIR"
RAW_FILE="$RESULTS_DIR/latest-wrk.txt"
: >"$RAW_FILE"

declare -A RPS P50 P99 ERR BYTES_PER_REQ RSS_AFTER RSS_BEFORE

# measure ROUTE, or measure nocache:ROUTE for ROUTE with the no-cache script.
measure() {
    local route="$1" url name out line requests bytes status_err socket_err script="$LUA_SCRIPT"
    local warm_script=() timeout=() duration="$DURATION" nocache=0
    name="$(label "$route")"
    out="$TMP_DIR/wrk.out"
    if [[ "$route" == bare:* ]]; then
        # The trivial handler again, just before the mixed run.
        url="$BASE_URL${route#bare:}"
    elif [[ "$route" == mixed:* || "$route" == register:* ]]; then
        # Many distinct pages (or registrations) in one run: nothing to
        # warm, and a warm-up would only replay the measured run's start.
        if [[ "$route" == mixed:* ]]; then
            script="$MIXED_LUA"
        else
            script="$REG_LUA"
        fi
        timeout=(--timeout 30s)
        nocache=2
        url="$BASE_URL/"
    elif [[ "$route" == nocache:* ]]; then
        export BENCH_NOCACHE_PATH="${route#nocache:}"
        script="$NOCACHE_LUA"
        warm_script=(-s "$NOCACHE_LUA")
        # Uncached searches queue up behind each other at 64 connections:
        # measure their latency instead of counting wrk's 2 s timeouts.
        timeout=(--timeout 60s)
        duration="$NOCACHE_DURATION"
        nocache=1
        url="$BASE_URL${route#nocache:}"
    else
        url="$BASE_URL$route"
        # One request first, alone: a page with a short cache (agenda,
        # directory search) is then computed once, not by the 64
        # connections of the warm-up at the same time (these caches do not
        # make concurrent misses wait for one computation).
        curl -s -o /dev/null --max-time 30 ${WRK_HEADERS[@]+"${WRK_HEADERS[@]}"} "$url" || true
    fi

    # No warm-up without the cache: there is nothing to warm, and the
    # requests it leaves unanswered would still load the measured run.
    if ((nocache == 0)); then
        log "warm-up $name ($WARMUP)"
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" ${warm_script[@]+"${warm_script[@]}"} ${timeout[@]+"${timeout[@]}"} \
            ${WRK_HEADERS[@]+"${WRK_HEADERS[@]}"} "$url" >"$out" 2>&1 || {
            cat "$out" >&2
            die "wrk failed during the warm-up of $name"
        }
    fi

    log "measuring $name ($duration, $CONNECTIONS connections, $THREADS threads)"
    local before_kb after_kb
    before_kb="$(proc_kb VmRSS)"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency -s "$script" ${timeout[@]+"${timeout[@]}"} \
        ${WRK_HEADERS[@]+"${WRK_HEADERS[@]}"} "$url" >"$out" 2>&1 || {
        cat "$out" >&2
        die "wrk failed on $name"
    }
    after_kb="$(proc_kb VmRSS)"
    RSS_AFTER[$route]="$after_kb"
    RSS_BEFORE[$route]="$before_kb"
    {
        echo "===== GET $name ====="
        cat "$out"
        echo
    } >>"$RAW_FILE"

    line="$(grep '^BENCH ' "$out" | tail -n 1 || true)"
    [[ -n "$line" ]] || {
        cat "$out" >&2
        die "no BENCH line in wrk output for $name (report.lua not run?)"
    }
    field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }

    requests="$(field requests)"
    bytes="$(field bytes)"
    status_err="$(field status_errors)"
    socket_err="$(field socket_errors)"
    if ((nocache == 1)) && [[ "$requests" == 0 ]]; then
        # Not one uncached search answered within the run: report the run's
        # length as a lower bound of the latency.
        log "WARNING: $name: no response within $duration"
        local run_ms
        run_ms="$(awk -v s="$(field duration_s)" 'BEGIN { printf "%.0f", s * 1000 }')"
        line="$line rps=0 p50_ms=$run_ms p99_ms=$run_ms"
        requests=1
        bytes=0
    fi
    is_uint "$requests" && ((requests > 0)) || die "wrk made no request on $name"

    RPS[$route]="$(field rps)"
    P50[$route]="$(field p50_ms)"
    P99[$route]="$(field p99_ms)"
    ERR[$route]=$((status_err + socket_err))
    BYTES_PER_REQ[$route]=$((bytes / requests))
    if ((${ERR[$route]} > 0)); then
        log "WARNING: $name: $status_err responses >= 400, $socket_err socket errors"
    fi
}

for route in "$TRIVIAL_ROUTE" ${ROUTES[@]+"${ROUTES[@]}"}; do
    measure "$route"
done
NOCACHE_KEYS=()
for route in ${NOCACHE_ROUTES[@]+"${NOCACHE_ROUTES[@]}"}; do
    NOCACHE_KEYS+=("nocache:$route")
    measure "nocache:$route"
done

# The mixed run, beside the trivial handler measured just before it, then
# the server's memory; then the registrations (they write, so they come last).
MIXED_LUA="$TMP_DIR/mixed.lua"
cat "$SCRIPT_DIR/mixed.lua" "$LUA_SCRIPT" >"$MIXED_LUA"
REG_LUA="$TMP_DIR/register.lua"
cat "$SCRIPT_DIR/register.lua" "$LUA_SCRIPT" >"$REG_LUA"
export BENCH_URLS="$URLS_FILE" BENCH_REG_TOKEN="$REG_TOKEN" BENCH_REG_SESSIONS="$REG_IDS"
LABEL["bare:$TRIVIAL_ROUTE"]="$TRIVIAL_ROUTE (just before the mixed run)"
LABEL["mixed:"]="mixed run ($MIXED_URLS paths)"
LABEL["register:"]="POST /api/v1/workshops/{id}/registrations"
EXTRA_KEYS=()
MIXED_RSS_KB=""
if [[ "$MIXED" == 1 ]]; then
    measure "bare:$TRIVIAL_ROUTE"
    measure "mixed:"
    EXTRA_KEYS+=("bare:$TRIVIAL_ROUTE" "mixed:")
    MIXED_RSS_KB="$(proc_kb VmRSS)"
    MIXED_HWM_KB="$(proc_kb VmHWM)"
fi
REG_CHECK=""
REG_CHECK_RC=0
if [[ "$REGISTER" == 1 ]]; then
    measure "register:"
    EXTRA_KEYS+=("register:")
    REG_CHECK="$(python3 "$SCRIPT_DIR/registrations.py" "$DB_URL" check)" || REG_CHECK_RC=$?
    ((REG_CHECK_RC == 0 || REG_CHECK_RC == 3)) || die "registrations.py check failed"
fi

# 5. Memory after the runs.
kill -0 "$SERVER_PID" 2>/dev/null || {
    show_server_log
    die "the server died during the measurements"
}
RSS_KB="$(proc_kb VmRSS)"
HWM_KB="$(proc_kb VmHWM)"
stop_server

# ---------------------------------------------------------------------------
# Report.
REPORT="$TMP_DIR/report.txt"
: >"$REPORT"
out() { printf "$@" >>"$REPORT"; }

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null || true)" ]]; then
    commit="$commit (+ uncommitted changes)"
fi
wrk_version="$(wrk -v 2>&1 | head -n 1 || true)"

out 'tremplin load test - %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
out 'commit:      %s\n' "$commit"
out 'database:    %s\n' "$DB_LABEL"
out 'load:        %s connections, %s wrk threads, %s per route after %s warm-up%s; "(no cache)" rows: %s, no warm-up\n' \
    "$CONNECTIONS" "$THREADS" "$DURATION" "$WARMUP" "$([[ "$GZIP" == 1 ]] && echo ', Accept-Encoding: gzip' || true)" "$NOCACHE_DURATION"
out 'machine:     %s CPU(s), wrk and the server share them; %s\n' "$(nproc 2>/dev/null || echo '?')" "$wrk_version"
out 'data:        demo data + %s submitted diagnostics + %s workshop sessions + %s provider cards, seeded in %s s (tremplin seed --demo --sessions %s --providers %s --diagnostics %s)\n' \
    "$DIAGNOSTICS" "$SESSIONS" "$PROVIDERS" "$SEED_SECONDS" "$SESSIONS" "$PROVIDERS" "$DIAGNOSTICS"
out 'cache:       no directory search is cached: every /annuaire request is computed from the in-memory index;\n'
out '             the "(no cache)" rows (stop words appended to q) are kept to compare with older builds\n'
out '\n'
W=56
out "%-${W}s %10s %8s %8s %7s %8s %12s\n" "route" "req/s" "p50 ms" "p99 ms" "errors" "B/resp" "% of trivial"
out "%-${W}s %10s %8s %8s %7s %8s %12s\n" "$(printf '%*s' "$W" '' | tr ' ' -)" "----------" "--------" "--------" "-------" "--------" "------------"

TRIVIAL_RPS="${RPS[$TRIVIAL_ROUTE]}"
declare -A RATIO
for route in "$TRIVIAL_ROUTE" ${ROUTES[@]+"${ROUTES[@]}"} ${NOCACHE_KEYS[@]+"${NOCACHE_KEYS[@]}"} ${EXTRA_KEYS[@]+"${EXTRA_KEYS[@]}"}; do
    if [[ "$route" == "$TRIVIAL_ROUTE" || "$route" == bare:* ]]; then
        ratio_txt="(reference)"
    elif [[ "$route" == register:* ]]; then
        ratio_txt="-"
    elif [[ "$route" == mixed:* ]]; then
        RATIO[$route]="$(awk -v p="${RPS[$route]}" -v t="${RPS[bare:$TRIVIAL_ROUTE]}" 'BEGIN { printf "%.1f", (t > 0 ? 100 * p / t : 0) }')"
        ratio_txt="${RATIO[$route]} %"
    else
        RATIO[$route]="$(awk -v p="${RPS[$route]}" -v t="$TRIVIAL_RPS" 'BEGIN { printf "%.1f", (t > 0 ? 100 * p / t : 0) }')"
        ratio_txt="${RATIO[$route]} %"
    fi
    out "%-${W}s %10s %8s %8s %7s %8s %12s\n" "$(label "$route")" \
        "$(fmt "${RPS[$route]}" '%.0f')" \
        "$(fmt "${P50[$route]}" '%.2f')" \
        "$(fmt "${P99[$route]}" '%.2f')" \
        "${ERR[$route]}" \
        "${BYTES_PER_REQ[$route]}" \
        "$ratio_txt"
done

if ((${#NOCACHE_KEYS[@]} > 0)); then
    out '\n'
    out 'one uncached directory search alone (curl, no other load, after start-up):\n'
    for route in "${NOCACHE_ROUTES[@]}"; do
        out '  %-54s %8s ms\n' "$route" "${ALONE_MS[$route]}"
    done
fi

RSS_MB="$(kb_to_mb "$RSS_KB")"
HWM_MB="$(kb_to_mb "$HWM_KB")"
IDLE_MB="$(kb_to_mb "$IDLE_RSS_KB")"
if [[ "$MIXED" == 1 ]]; then
    out '\n'
    out 'mixed run:   %s\n' "$MIXED_SUMMARY"
    out '             (bench/mixed_urls.py: 1-3 word searches from the cards'"'"' words with and without filters, directory pages,\n'
    out '             cards, filtered agendas, session pages, results pages; each connection visits them in turn, no warm-up)\n'
    out '             server VmRSS %s MB before it, %s MB after it (VmHWM %s MB)\n' \
        "$(kb_to_mb "${RSS_BEFORE[mixed:]}")" "$(kb_to_mb "$MIXED_RSS_KB")" "$(kb_to_mb "$MIXED_HWM_KB")"
fi
if [[ "$REGISTER" == 1 ]]; then
    out '\n'
    out 'registrations: %s sessions of %s seats, one new e-mail address per request, admin API token (bench/register.lua);\n' \
        "$REG_SESSIONS" "$REG_CAPACITY"
    out '             the database afterwards: %s\n' "$REG_CHECK"
fi
out '\n'
out 'server memory (1 MB = 1024 kB): VmRSS %s MB after the runs, VmHWM (peak) %s MB; %s MB idle after start-up\n' \
    "$RSS_MB" "$HWM_MB" "$IDLE_MB"
out '\n'
out 'targets\n'

met=0
total=0
total_errors=0
check() { # check LABEL VALUE OP LIMIT UNIT
    local label="$1" value="$2" op="$3" limit="$4" unit="$5" verdict
    total=$((total + 1))
    if fcmp "$value" "$op" "$limit"; then
        verdict=PASS
        met=$((met + 1))
    else
        verdict=MISS
    fi
    out '  %-4s  %-76s %10s %-2s (target %s %s %s)\n' "$verdict" "$label" "$value" "$unit" "$op" "$limit" "$unit"
}

for route in ${ROUTES[@]+"${ROUTES[@]}"}; do
    check "$(label "$route") req/s vs $TRIVIAL_ROUTE" "${RATIO[$route]}" ">=" "$TARGET_RATIO_PCT" "%"
    check "$(label "$route") p99 at $CONNECTIONS connections" "$(fmt "${P99[$route]}" '%.2f')" "<=" "$TARGET_P99_MS" "ms"
done
for route in ${NOCACHE_KEYS[@]+"${NOCACHE_KEYS[@]}"}; do
    check "$(label "$route") req/s vs $TRIVIAL_ROUTE" "${RATIO[$route]}" ">=" "$TARGET_RATIO_PCT" "%"
    check "$(label "$route") p99 at $CONNECTIONS connections" "$(fmt "${P99[$route]}" '%.2f')" "<=" "$TARGET_P99_MS" "ms"
done
if [[ "$MIXED" == 1 ]]; then
    check "mixed run req/s vs $TRIVIAL_ROUTE just before" "${RATIO[mixed:]}" ">=" "$TARGET_MIXED_RATIO_PCT" "%"
    check "mixed run p99 at $CONNECTIONS connections" "$(fmt "${P99[mixed:]}" '%.2f')" "<=" "$TARGET_MIXED_P99_MS" "ms"
    check "server VmRSS after the mixed run" "$(kb_to_mb "$MIXED_RSS_KB")" "<=" "$TARGET_RSS_MB" "MB"
fi
if [[ "$REGISTER" == 1 ]]; then
    check "registrations per second" "$(fmt "${RPS[register:]}" '%.0f')" ">=" "$TARGET_REG_RPS" "/s"
    total=$((total + 1))
    if ((REG_CHECK_RC == 0)); then
        met=$((met + 1))
        out '  %-4s  %s\n' "PASS" "no session oversold, counters and seat numbers consistent"
    else
        out '  %-4s  %s\n' "MISS" "OVERSOLD or inconsistent: $REG_CHECK"
    fi
fi
check "server VmRSS after the runs" "$RSS_MB" "<=" "$TARGET_RSS_MB" "MB"
check "server VmHWM (peak RSS)" "$HWM_MB" "<=" "$TARGET_RSS_MB" "MB"

for route in "$TRIVIAL_ROUTE" ${ROUTES[@]+"${ROUTES[@]}"} ${NOCACHE_KEYS[@]+"${NOCACHE_KEYS[@]}"} ${EXTRA_KEYS[@]+"${EXTRA_KEYS[@]}"}; do
    total_errors=$((total_errors + ${ERR[$route]}))
done
if ((total_errors == 0)); then
    out '  %-4s  %s\n' "OK" "no request errored"
else
    out '  %-4s  %-76s %10s\n' "FAIL" "requests with status >= 400 or socket errors" "$total_errors"
fi
out '\n%d of %d targets met\n' "$met" "$total"

# 6. Output.
cp "$REPORT" "$RESULTS_DIR/latest.txt"
cat "$REPORT"
log "report written to ${RESULTS_DIR#"$REPO_ROOT"/}/latest.txt (raw wrk output: ${RAW_FILE#"$REPO_ROOT"/})"

if ((total_errors > 0)); then
    log "ERROR: $total_errors request(s) failed"
    exit 1
fi
exit 0
