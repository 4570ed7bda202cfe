# shellcheck shell=bash
# Sourced by scripts/test: makes a PostgreSQL server available for the test
# suite and exports DANCHU_TEST_PG_URL (an admin URL; each test creates its
# own throwaway database on it).
#
# 1. DANCHU_TEST_PG_URL already set and reachable: use it.
# 2. Otherwise start a throwaway cluster of this machine's PostgreSQL
#    (Debian's `postgresql` package) in $DANCHU_TEST_PG_DIR on port
#    $DANCHU_TEST_PG_PORT, durability off (tests only), stopped by
#    `danchu_pg_stop` (scripts/test calls it on exit).

danchu_pg_started=""

danchu_pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

danchu_pg_start() {
  if [ -n "${DANCHU_TEST_PG_URL:-}" ] && psql "$DANCHU_TEST_PG_URL" -Atqc 'select 1' >/dev/null 2>&1; then
    echo "PostgreSQL: using DANCHU_TEST_PG_URL"
    return 0
  fi
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get install -y -qq postgresql >/dev/null
      bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    else
      echo "PostgreSQL is not installed (apt-get install postgresql)" >&2
      return 1
    fi
  fi
  local dir=${DANCHU_TEST_PG_DIR:-/tmp/danchu-test-pg}
  local port=${DANCHU_TEST_PG_PORT:-54329}
  if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    danchu_pg_as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; return 1; }
    danchu_pg_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
      start >/dev/null || { cat "$dir/server.log" >&2; return 1; }
    danchu_pg_started="$bin/pg_ctl -D $dir/data"
    echo "PostgreSQL: started a throwaway cluster on 127.0.0.1:$port ($dir)"
  else
    echo "PostgreSQL: reusing the server on 127.0.0.1:$port"
  fi
  export DANCHU_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
  # Databases left by earlier runs.
  psql "$DANCHU_TEST_PG_URL" -Atqc "select datname from pg_database where datname like 'danchu_t_%'" 2>/dev/null \
    | while read -r db; do psql "$DANCHU_TEST_PG_URL" -qc "drop database if exists \"$db\"" >/dev/null 2>&1 || true; done
}

danchu_pg_stop() {
  if [ -n "$danchu_pg_started" ]; then
    # shellcheck disable=SC2086
    danchu_pg_as_owner $danchu_pg_started -m fast stop >/dev/null 2>&1 || true
  fi
}
