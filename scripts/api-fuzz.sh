#!/usr/bin/env bash
# Fuzz the JSON API with an independent tool (schemathesis, from PyPI) against
# the built server: demo data on a fresh SQLite data dir, then on a fresh
# PostgreSQL database when one is reachable (required with CI=true). Checks:
# no server error (5xx) and every response conforms to the OpenAPI document
# (/api/v1/openapi.json), with an admin API token so protected operations run.
#
#   scripts/api-fuzz.sh [sqlite|postgres|both]     (default: both)
# Environment: TREMPLIN_BIN (default target/debug/tremplin),
#   API_FUZZ_MAX_EXAMPLES (default 100 per operation), API_FUZZ_SEED,
#   TREMPLIN_TEST_PG_URL (admin URL of the PostgreSQL server).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

SCHEMATHESIS_VERSION=4.32.5
VENV="$ROOT/target/api-fuzz/venv"
BIN="${TREMPLIN_BIN:-target/debug/tremplin}"
MAX_EXAMPLES="${API_FUZZ_MAX_EXAMPLES:-100}"
SEED="${API_FUZZ_SEED:-20261204}"
PG_URL="${TREMPLIN_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
WHICH="${1:-both}"
REPORTS="$ROOT/target/api-fuzz/reports"

say() { printf '\n== %s\n' "$*"; }

[ -x "$BIN" ] || { echo "no server binary at $BIN: run cargo build --bin tremplin" >&2; exit 1; }

# --- schemathesis, pinned, in a venv under target/ ----------------------------
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -qF "$SCHEMATHESIS_VERSION"; then
  say "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  # Every dependency pinned too, so a new release elsewhere cannot change the run.
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/scripts/api-fuzz-requirements.txt"
fi

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

SERVER_PID=""
WORK=""
PG_DB=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  SERVER_PID=""
  if [ -n "$PG_DB" ]; then
    psql "$PG_URL" -q -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
    PG_DB=""
  fi
  if [ -n "$WORK" ]; then rm -rf "$WORK"; WORK=""; fi
}
trap cleanup EXIT

# Start the server on demo data; $1 is the database URL ("" for SQLite in the data dir).
start_server() {
  local database_url="$1"
  WORK="$(mktemp -d)"
  PORT="$(free_port)"
  BASE="http://127.0.0.1:$PORT"
  local env=(TREMPLIN_DATA_DIR="$WORK/data" TREMPLIN_BIND="127.0.0.1:$PORT"
    TREMPLIN_MAIL_TRANSPORT=file TREMPLIN_LOG=warn TREMPLIN_BASE_URL="$BASE")
  [ -n "$database_url" ] && env+=(TREMPLIN_DATABASE_URL="$database_url")
  env "${env[@]}" "$BIN" serve --demo >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    if curl -fsS "$BASE/readyz" >/dev/null 2>&1; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.5
  done
  echo "the server did not start:" >&2
  cat "$WORK/server.log" >&2
  exit 1
}

# An admin API token, created as a person would: sign in, then the token page.
admin_token() {
  local jar="$WORK/cookies" csrf page
  curl -fsS -c "$jar" -o /dev/null "$BASE/contact"
  csrf="$(awk '$6 == "tremplin_csrf" { print $7 }' "$jar")"
  curl -fsS -b "$jar" -c "$jar" -o /dev/null \
    --data-urlencode "email=responsable@tremplin-demo.fr" \
    --data-urlencode "password=demo-tremplin-2026" \
    --data-urlencode "csrf_token=$csrf" "$BASE/connexion"
  # Signed in, the form token is bound to the session: read it from the page.
  csrf="$(curl -fsS -b "$jar" -c "$jar" "$BASE/compte/api" |
    grep -o 'name="csrf_token" value="[^"]*"' | head -n1 | sed 's/.*value="//; s/"$//')"
  page="$(curl -fsS -b "$jar" -c "$jar" \
    --data-urlencode "name=api-fuzz" --data-urlencode "role=admin" \
    --data-urlencode "csrf_token=$csrf" "$BASE/compte/api")"
  printf '%s' "$page" | grep -o 'trp_[0-9a-f]*' | head -n1
}

fuzz() {
  local label="$1" database_url="$2"
  say "API fuzzing on $label (schemathesis $SCHEMATHESIS_VERSION, $MAX_EXAMPLES examples per operation)"
  start_server "$database_url"
  local token
  token="$(admin_token)"
  [ -n "$token" ] || { echo "could not create an API token" >&2; exit 1; }
  mkdir -p "$REPORTS"
  local status=0
  # Run from target/api-fuzz: schemathesis keeps its crash cache in the working directory.
  (cd "$ROOT/target/api-fuzz" && "$VENV/bin/schemathesis" run "$BASE/api/v1/openapi.json" \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --workers 1 \
    --phases examples,coverage,fuzzing,stateful \
    --request-timeout 30 \
    --suppress-health-check all \
    --header "Authorization: Bearer $token" \
    --report junit --report-junit-path "$REPORTS/$label.xml" \
    --generation-database none \
    --no-color) || status=$?
  if grep -q "panicked\|ERROR" "$WORK/server.log"; then
    echo "server log of the run:" >&2
    grep "panicked\|ERROR" "$WORK/server.log" | head -n 20 >&2
  fi
  cleanup
  return "$status"
}

failed=()
case "$WHICH" in
  sqlite|both) fuzz sqlite "" || failed+=(sqlite) ;;
esac
case "$WHICH" in
  postgres|both)
    if pg_isready -q -h 127.0.0.1 -p 5432; then
      PG_DB="tremplin_fuzz_$$"
      psql "$PG_URL" -q -c "DROP DATABASE IF EXISTS $PG_DB" -c "CREATE DATABASE $PG_DB"
      fuzz postgres "${PG_URL%/*}/$PG_DB" || failed+=(postgres)
    elif [ "${CI:-}" = "true" ]; then
      echo "PostgreSQL is not reachable and CI=true: failing" >&2
      exit 1
    else
      echo "warning: PostgreSQL is not reachable; API fuzzing on PostgreSQL skipped" >&2
    fi
    ;;
esac
if [ "${#failed[@]}" -gt 0 ]; then
  echo "API fuzzing failed on: ${failed[*]} (reports in $REPORTS)" >&2
  exit 1
fi
say "API fuzzing: no server error, every response as documented"
