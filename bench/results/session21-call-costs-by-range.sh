#!/bin/bash
# usage: trace.sh JAR LABEL ; serves tally_bench on the kept cluster with query logging, asks call-costs lists
JAR=$1; LABEL=$2; PORT=18080
URL=$(grep -o 'http://[0-9.:]*,http://[0-9.:]*' /tmp/s21/cluster.log)
mkdir -p /tmp/s21/serve-$LABEL
java -Xmx2g -Dlogback.configurationFile=/tmp/s21/logback-debug.xml -jar $JAR serve --store clickhouse --clickhouse-url $URL \
  --clickhouse-cluster tally --clickhouse-database tally_bench --port $PORT --data-dir /tmp/s21/serve-$LABEL --admin-token trace-token \
  > /tmp/s21/serve-$LABEL/out.log 2> /tmp/s21/serve-$LABEL/err.log &
PID=$!
for i in $(seq 1 120); do curl -sf localhost:$PORT/api/v1/health >/dev/null && break; sleep 1; done
KEY=$(curl -s -X POST localhost:$PORT/admin/api-keys -H 'X-Admin-Token: trace-token' -H 'Content-Type: application/json' \
  -d '{"tenant_id":"bench-a","name":"trace","scopes":["analytics:read"]}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
echo "key $KEY"
: > /tmp/s21/serve-$LABEL/times.txt
sleep ${WAIT:-0}
for range in "2026-09-01 2026-11-29" "2026-10-01 2026-11-14" "2026-10-15 2026-11-13" "2026-11-20 2026-11-26"; do
  set -- $range
  for agent in "" "&agent_id=agent-3"; do
    for order in cost_desc cost_asc; do
      for rep in 1 2 3 4 5 6; do
        t=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $KEY" "localhost:$PORT/v1/analytics/call-costs?from=$1&to=$2$agent&order=$order")
        echo "$1 $2 ${agent:-all} $order $rep $t" >> /tmp/s21/serve-$LABEL/times.txt
      done
    done
  done
done
kill $PID; wait $PID 2>/dev/null
python3 - /tmp/s21/serve-$LABEL/times.txt <<'PY'
import sys, collections, statistics
groups = collections.defaultdict(list)
for line in open(sys.argv[1]):
    f = line.split()
    if f[4] != '1':
        groups[' '.join(f[:4])].append(float(f[5]) * 1000)
for key, values in groups.items():
    print(f"{key}: median {statistics.median(values):.1f} ms")
PY
