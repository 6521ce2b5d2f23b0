#!/usr/bin/env bash
# Time single requests, one at a time, per kind of page of the mixed run:
# which kind is slow without any cache (each path is asked once).
#
# Usage: bash bench/kinds.sh BIN DATA_DIR URLS [N]
#   BIN       a release tremplin binary
#   DATA_DIR  a data directory seeded as run.sh does (tremplin seed --demo
#             --sessions 5000 --providers 20000 --diagnostics 10000)
#   URLS      the paths written by bench/mixed_urls.py for that database
#   N         paths timed per kind (default 40: every 7th of that kind)
# Prints, per kind, the median, p90 and max time in ms and the statuses,
# then the server's VmRSS.
set -eu
BIN="$1"; DATA_DIR="$2"; URLS="$3"; N="${4:-40}"
PORT=$((20000 + RANDOM % 12000))
TREMPLIN_DATA_DIR="$DATA_DIR" TREMPLIN_BIND="127.0.0.1:$PORT" TREMPLIN_LOG=warn \
    "$BIN" serve --demo >"$DATA_DIR/kinds-server.log" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true' EXIT
for _ in $(seq 300); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
    sleep 0.2
done
sleep 2 # the directory snapshot is read at start-up
for kind in '^/annuaire\?q=' '^/annuaire(\?[^q]|$)' '^/annuaire/[0-9]' '^/ateliers(\?|$)' \
    '^/ateliers/[0-9]' '/resultats$'; do
    grep -E -- "$kind" "$URLS" | awk 'NR % 7 == 0' | head -n "$N" |
        while read -r path; do
            curl -s -o /dev/null -w '%{time_total} %{http_code}\n' "http://127.0.0.1:$PORT$path"
        done | sort -n |
        KIND="$kind" awk '{ t[NR] = $1 * 1000; c[$2]++ }
            END { k = ENVIRON["KIND"]; printf "%-22s n=%-3d p50 %7.1f ms  p90 %7.1f ms  max %7.1f ms  statuses:", k, NR,
                  t[int(NR * 0.5) + 1], t[int(NR * 0.9) + 1], t[NR]
                  for (s in c) printf " %s=%d", s, c[s]; print "" }'
done
awk '$1 == "VmRSS:" { printf "server VmRSS %.1f MB\n", $2 / 1024 }' "/proc/$PID/status"
