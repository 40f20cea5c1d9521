#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 for the store tests and export
# MARSAD_TEST_PG. Meant to be sourced by .ci/run:   source .ci/postgres.sh || echo "postgres unavailable"
# Installs Debian's postgresql and psycopg if missing. The cluster lives in a temp dir, owned by
# the postgres user, on a free port; it is stopped when the shell that sourced this exits.
_marsad_pg() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    (apt-get update -q && apt-get install -y -q postgresql) >/dev/null 2>&1 || return 1
  fi
  python3 -c "import psycopg" 2>/dev/null || python3 -m pip install -q "psycopg[binary]" || return 1
  local bin port dir
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  port=$(python3 -c "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])")
  dir=$(mktemp -d /tmp/marsad-pg.XXXXXX)
  local runas=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$dir" || return 1
    runas=(runuser -u postgres --)
  fi
  "${runas[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null || return 1
  "${runas[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null || return 1
  "${runas[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres marsad_test || return 1
  export MARSAD_TEST_PG="postgresql://postgres@127.0.0.1:$port/marsad_test"
  MARSAD_PG_STOP="${runas[*]} $bin/pg_ctl -D $dir/data -m fast stop"
  trap 'eval "$MARSAD_PG_STOP" >/dev/null 2>&1' EXIT
  echo "postgres: $MARSAD_TEST_PG"
}
_marsad_pg
