#!/usr/bin/env bash
# Reproducible Tally benchmark: builds the jar, starts a scratch PostgreSQL cluster (when psql and
# pg_ctl exist; installs postgresql with apt-get when missing), runs `tally bench`, stops the cluster.
# Usage: bench/run.sh [--events 1000000] [other `tally bench` options]
#        bench/run.sh --store clickhouse [--events 1000000]   (the bench starts and stops its own
#        two-shard ClickHouse cluster; PostgreSQL is not needed then and not started)
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS_ARGS=("$@")
STORE=duckdb
for ((index = 0; index < ${#EVENTS_ARGS[@]}; index++)); do
  case "${EVENTS_ARGS[$index]}" in
    --store) STORE="${EVENTS_ARGS[$((index + 1))]:-duckdb}" ;;
    --store=*) STORE="${EVENTS_ARGS[$index]#--store=}" ;;
  esac
done

if [[ ! -f target/tally.jar || -n "$(find src pom.xml -newer target/tally.jar -print -quit)" ]]; then
  mvn -q -B package -DskipTests
fi

PG_BIN=""
if [[ "${STORE,,}" == clickhouse ]]; then
  if ! command -v clickhouse-server >/dev/null && ! command -v clickhouse >/dev/null \
      && [[ ! -x /usr/sbin/clickhouse-server ]] && command -v apt-get >/dev/null; then
    (apt-get update -qq && apt-get install -y -qq clickhouse-server >/dev/null) || true
  fi
  exec java -Xmx6g -jar target/tally.jar bench "${EVENTS_ARGS[@]}"
fi
for candidate in /usr/lib/postgresql/*/bin; do
  [[ -x "$candidate/pg_ctl" && -x "$candidate/psql" ]] && PG_BIN="$candidate"
done
if [[ -z "$PG_BIN" ]] && command -v apt-get >/dev/null; then
  (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null) || true
  for candidate in /usr/lib/postgresql/*/bin; do
    [[ -x "$candidate/pg_ctl" && -x "$candidate/psql" ]] && PG_BIN="$candidate"
  done
fi

PG_ARGS=()
PG_DIR=""
cleanup() {
  if [[ -n "$PG_DIR" ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
trap cleanup EXIT
as_pg() {
  # initdb refuses to run as root: use the postgres account then
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [[ -n "$PG_BIN" ]]; then
  PG_DIR=$(mktemp -d /tmp/tally-bench-pg.XXXXXX)
  chmod 777 "$PG_DIR"
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust >/dev/null
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c work_mem=256MB -c fsync=off -c max_wal_size=4GB" start >/dev/null
  PG_ARGS=(--psql "$PG_BIN/psql" --pg-port "$PG_PORT")
  echo "PostgreSQL $("$PG_BIN/psql" --version | awk '{print $3}') on port $PG_PORT" >&2
else
  echo "PostgreSQL not available: skipping the PostgreSQL comparison" >&2
fi

# the work dir must be readable by the postgres account for COPY through psql's \copy (client side: fine)
java -Xmx6g -jar target/tally.jar bench "${PG_ARGS[@]}" "${EVENTS_ARGS[@]}"
