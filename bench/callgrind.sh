#!/usr/bin/env bash
# Cost per page in CPU instructions, before and after a change.
#
# Counts the instructions (valgrind's callgrind, `Ir`) the server executes
# to answer each kind of page, on the same seeded data, for one or several
# release binaries in turn. Instruction counts do not move with the load of
# the machine, so two builds measured hours apart, or beside other work on
# 2 cores, compare fairly. Not part of the tests.
#
# For each route kind, requests one at a time, in batches of BENCH_REQUESTS:
# - "distinct": three batches of different URLs (agenda and directory pages,
#   session pages, directory words drawn from the cards' own text, the same
#   words inside Gironde, diagnostics' results pages with fresh links), so
#   that no answer comes from a page cache;
# - "same": three batches of one URL (what a cache hit costs).
# The counters are zeroed before a batch and dumped after it; a batch's
# figure is the dump's total divided by its requests, and the figure kept
# is the smallest of the three: the server's background work (jobs every
# 30 s, the mail worker and the allocator trim every 5 s) falls into some
# batches and not others, and the smallest is the one it touched least.
#
# Usage: BENCH_BINS="before/tremplin after/tremplin" bash bench/callgrind.sh
# Environment:
#   BENCH_BINS         binaries to measure (default: this tree's release build);
#                      the first one seeds, the later ones migrate a copy
#   BENCH_SESSIONS     seeded workshop sessions (default 2000)
#   BENCH_PROVIDERS    seeded directory cards (default 5000)
#   BENCH_DIAGNOSTICS  seeded submitted diagnostics (default 3000)
#   BENCH_REQUESTS     requests per batch (default 10)

set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
read -r -a BINS <<<"${BENCH_BINS:-${CARGO_TARGET_DIR:-$ROOT/target}/release/tremplin}"
SESSIONS="${BENCH_SESSIONS:-2000}"
PROVIDERS="${BENCH_PROVIDERS:-5000}"
DIAGNOSTICS="${BENCH_DIAGNOSTICS:-3000}"
N="${BENCH_REQUESTS:-10}"

log() { echo "[callgrind] $*" >&2; }
die() { log "error: $*"; exit 1; }

for b in "${BINS[@]}"; do
    [[ -x "$b" ]] || die "no binary at $b (build it with cargo build --release)"
done
if ! command -v valgrind >/dev/null || ! command -v callgrind_control >/dev/null; then
    log "installing valgrind"
    apt-get install -y valgrind >/dev/null || die "valgrind is missing"
fi

TMP="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

log "seeding with ${BINS[0]} ($SESSIONS sessions, $PROVIDERS cards, $DIAGNOSTICS diagnostics)"
mkdir -p "$TMP/seed"
TREMPLIN_DATA_DIR="$TMP/seed" TREMPLIN_LOG=warn "${BINS[0]}" seed --demo \
    --sessions "$SESSIONS" --providers "$PROVIDERS" --diagnostics "$DIAGNOSTICS" \
    >"$TMP/seed.out" 2>"$TMP/seed.err" || { cat "$TMP/seed.err" >&2; die "seed failed"; }

# One line per route kind: name, a warm-up URL, then 3N URLs, tab-separated.
python3 - "$TMP/seed/tremplin.db" "$N" >"$TMP/routes.tsv" <<'PY'
import hashlib, random, re, sqlite3, sys

db = sqlite3.connect(sys.argv[1])
n = 3 * int(sys.argv[2])
rng = random.Random(20261204)
rows = lambda sql: [r[0] for r in db.execute(sql)]

text = " ".join(rows("SELECT name || ' ' || COALESCE(description, '') FROM providers WHERE status = 'published'"))
vocabulary = sorted({w.lower() for w in re.findall(r"[^\W\d_]{5,}", text)})
words = rng.sample(vocabulary, n + 1)
sessions = rows("SELECT id FROM workshop_sessions WHERE status = 'scheduled' ORDER BY id")
sessions = [sessions[i * len(sessions) // (n + 1)] for i in range(n + 1)]
diagnostics = rows("SELECT id FROM diagnostics WHERE status = 'submitted' ORDER BY id")
links = []
for did in rng.sample(diagnostics, n + 1):
    token = hashlib.sha256(f"callgrind-{did}".encode()).hexdigest()
    digest = hashlib.sha256(token.encode()).hexdigest()
    db.execute("UPDATE diagnostics SET token_hash = ? WHERE id = ?", (digest, did))
    links.append(f"/diagnostic/d/{token}/resultats")
db.commit()

# Each list's first URL is the warm-up, asked before counting.
routes = [
    ("/healthz", ["/healthz"] * (n + 1)),
    ("/ateliers (pages)", [f"/ateliers?page={p}" for p in range(1, n + 2)]),
    ("/ateliers?territory=FR-D33 (pages)", ["/ateliers"] + [f"/ateliers?territory=FR-D33&page={p}" for p in range(1, n + 1)]),
    ("/ateliers/{id}", [f"/ateliers/{s}" for s in sessions]),
    ("/annuaire (pages)", [f"/annuaire?page={p}" for p in range(1, n + 2)]),
    ("/annuaire?q=word", [f"/annuaire?q={w}" for w in words]),
    ("/annuaire?q=word&territory=FR-D33", [f"/annuaire?q={w}&territory=FR-D33" for w in words]),
    ("results page", links),
]
for name, urls in routes:
    print("\t".join([name] + urls))
PY

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# The dump's total instruction count.
dump_total() {
    local pid="$1" before="$2" file
    callgrind_control -d "$pid" >/dev/null 2>&1
    for _ in $(seq 1 100); do
        file="$(ls -t "$TMP"/cg.out.* 2>/dev/null | head -1)"
        if [[ -n "$file" && "$file" != "$before" ]] && grep -q '^totals:' "$file"; then
            awk '/^totals:/ {print $2}' "$file"
            return
        fi
        sleep 0.2
    done
    die "callgrind wrote no dump"
}

fetch() {
    local code
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 120 "http://127.0.0.1:$PORT$1")"
    [[ "$code" == 2* ]] || die "$1 answered $code"
}

declare -A RESULT
for i in "${!BINS[@]}"; do
    bin="${BINS[$i]}"
    rm -rf "$TMP/run" "$TMP"/cg.out.*
    cp -a "$TMP/seed" "$TMP/run"
    PORT="$(free_port)"
    log "binary $i: $bin on 127.0.0.1:$PORT under callgrind"
    TREMPLIN_DATA_DIR="$TMP/run" TREMPLIN_BIND="127.0.0.1:$PORT" TREMPLIN_LOG=warn \
        valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.out.%p" \
        "$bin" serve --demo >"$TMP/server-$i.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 600); do
        curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$TMP/server-$i.log" >&2; die "server exited"; }
        sleep 1
    done
    # Start-up work (migrations, index, folded facts) done before counting:
    # wait until 10 idle seconds cost under 5 million instructions.
    for _ in $(seq 1 60); do
        last="$(ls -t "$TMP"/cg.out.* 2>/dev/null | head -1 || true)"
        callgrind_control -z "$SERVER_PID" >/dev/null 2>&1
        sleep 10
        idle="$(dump_total "$SERVER_PID" "$last")"
        log "  idle 10 s: $idle Ir"
        if [[ "$idle" -lt 5000000 ]]; then break; fi
    done
    while IFS=$'\t' read -r -a line; do
        name="${line[0]}"
        fetch "${line[1]}"
        urls=("${line[@]:2}")
        for batch in distinct same; do
            best=""
            for k in 0 1 2; do
                last="$(ls -t "$TMP"/cg.out.* 2>/dev/null | head -1 || true)"
                callgrind_control -z "$SERVER_PID" >/dev/null 2>&1
                for u in "${urls[@]:$((k * N)):N}"; do
                    if [[ "$batch" == same ]]; then u="${urls[0]}"; fi
                    fetch "$u"
                done
                per=$(($(dump_total "$SERVER_PID" "$last") / N))
                if [[ -z "$best" || "$per" -lt "$best" ]]; then best="$per"; fi
            done
            RESULT["$i|$name|$batch"]="$best"
            log "  $name, $batch: $best Ir per request"
        done
    done <"$TMP/routes.tsv"
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
done

echo
echo "Instructions per request (callgrind Ir; the smallest of 3 batches of $N requests, one at a time)"
for i in "${!BINS[@]}"; do echo "binary $i: ${BINS[$i]}"; done
header="| Route | batch |"
sep="|---|---|"
for i in "${!BINS[@]}"; do header+=" binary $i |"; sep+="---|"; done
[[ ${#BINS[@]} -gt 1 ]] && { header+=" last vs first |"; sep+="---|"; }
echo "$header"
echo "$sep"
while IFS=$'\t' read -r -a line; do
    name="${line[0]}"
    for batch in distinct same; do
        row="| $name | $batch |"
        for i in "${!BINS[@]}"; do row+=" ${RESULT["$i|$name|$batch"]} |"; done
        if [[ ${#BINS[@]} -gt 1 ]]; then
            first="${RESULT["0|$name|$batch"]}"
            last="${RESULT["$((${#BINS[@]} - 1))|$name|$batch"]}"
            row+=" $(python3 -c "print(f'{($last - $first) * 100 / $first:+.1f} %')") |"
        fi
        echo "$row"
    done
done <"$TMP/routes.tsv"
