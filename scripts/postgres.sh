# A throw-away PostgreSQL 15 for tests: a fresh cluster in a temp dir, trust auth,
# loopback only, a free port, no durability (fsync off). Gone when the shell exits.
#
#   Sourced (scripts/test.sh):  . scripts/postgres.sh; start_throwaway_postgres
#       exports TEST_DATABASE_URL; call stop_throwaway_postgres from your EXIT trap.
#   Run:  bash scripts/postgres.sh npx vitest run --project postgres
#       runs the command with TEST_DATABASE_URL set, then stops the server.

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_TMP=""
PG_DATA=""

# Runs a PostgreSQL binary as the owner of the cluster: initdb and postgres refuse root.
_pg_as_owner() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

_pg_free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

start_throwaway_postgres() {
  local bin
  for bin in initdb pg_ctl postgres; do
    if [ ! -x "$PG_BIN/$bin" ]; then
      echo "PostgreSQL 15 is missing ($PG_BIN/$bin not found). Install it with:" >&2
      echo "  apt-get install -y postgresql-15" >&2
      echo "or point the tests at a server: TEST_DATABASE_URL=postgres://user@host:port/postgres npm test" >&2
      return 1
    fi
  done
  if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
    echo "Running as root, but there is no 'postgres' user to run initdb as (the postgresql-15 package creates it)." >&2
    return 1
  fi

  PG_TMP="$(mktemp -d "${TMPDIR:-/tmp}/test-pg.XXXXXX")"
  PG_DATA="$PG_TMP/data"
  if [ "$(id -u)" = "0" ]; then
    chown postgres: "$PG_TMP"
  fi
  chmod 700 "$PG_TMP"

  if ! _pg_as_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --no-sync -E UTF8 --no-locale >"$PG_TMP/initdb.log" 2>&1; then
    echo "initdb failed:" >&2
    cat "$PG_TMP/initdb.log" >&2
    return 1
  fi

  # The port is free when chosen but could be taken before the server binds it: retry.
  local port attempt
  for attempt in 1 2 3 4 5; do
    port="$(_pg_free_port)"
    if _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_TMP/postgres.log" -w -t 30 start \
      -o "-p $port -k $PG_TMP -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      >"$PG_TMP/pg_ctl.log" 2>&1; then
      export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
      return 0
    fi
    echo "PostgreSQL did not start on port $port (attempt $attempt):" >&2
    tail -n 5 "$PG_TMP/postgres.log" >&2 2>/dev/null || true
  done
  return 1
}

stop_throwaway_postgres() {
  if [ -n "$PG_DATA" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
    _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  if [ -n "$PG_TMP" ]; then
    rm -rf "$PG_TMP"
  fi
  PG_TMP=""
  PG_DATA=""
}

# Executed rather than sourced: run "$@" against a throw-away server.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  if [ "$#" -eq 0 ]; then
    echo "usage: bash scripts/postgres.sh <command> [args...]" >&2
    exit 64
  fi
  trap stop_throwaway_postgres EXIT
  trap 'exit 130' INT TERM
  start_throwaway_postgres
  echo "Throw-away PostgreSQL at $TEST_DATABASE_URL" >&2
  "$@"
fi
