# Sums the ClickHouse queries a Tally server logged (logger dev.tally.store.clickhouse.ClickHouseHttp at DEBUG)
# between two UTC times of 2026-12-06 (edit the date below for another day), by thread and query shape.
import json, sys, collections, re, datetime
path, start, end = sys.argv[1], sys.argv[2], sys.argv[3]
def ms(t): return int(datetime.datetime.strptime("2026-12-06 "+t, "%Y-%m-%d %H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp()*1000)
lo, hi = ms(start), ms(end)
agg = collections.defaultdict(lambda: [0,0,0,0])
threads = collections.Counter()
for line in open(path, errors='replace'):
    if '"ClickHouseHttp"' not in line and 'ClickHouseHttp' not in line: continue
    try: d = json.loads(line)
    except Exception: continue
    if not (lo <= d['timestamp'] <= hi): continue
    kv = {}
    for p in d.get('kvpList', []): kv.update(p)
    q = d['formattedMessage'].replace('clickhouse query ','')
    key = re.sub(r"'[^']*'", "?", q)
    key = re.sub(r"\d+", "N", key)[:110]
    a = agg[(d['threadName'].rstrip('0123456789-'), key)]
    a[0]+=1; a[1]+=int(kv.get('round_trip_ms',0)); a[2]+=int(kv.get('server_ms',0)); a[3]+=int(kv.get('rows_read',0))
rows = sorted(agg.items(), key=lambda x: -x[1][2])
print("count  rt_ms  server_ms  rows_read  thread  query")
for (th,k),(n,rt,sv,rr) in rows[:25]:
    print(f"{n:5d} {rt:7d} {sv:8d} {rr:10d}  {th[:18]:18s} {k}")
