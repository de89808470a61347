#!/usr/bin/env bash
# How coding scales with `assay worker` processes: one job on PostgreSQL, coded by 1, 2 and 4
# workers against the mock model with a fixed latency per request (a provider-bound job: each
# worker keeps --concurrency requests in flight), through the real CLI — `assay run
# --enqueue-only`, then N × `assay worker --exit-when-idle`, timed until the last one exits.
# Prints documents per second and the ratio to one worker, side by side.
#
#   scripts/bench-workers.sh                 # 320 documents, 400 ms a request, 2 in flight per worker
#   N=960 LATENCY_MS=200 scripts/bench-workers.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-320}"; LATENCY_MS="${LATENCY_MS:-400}"; CONCURRENCY="${CONCURRENCY:-2}"; PORT="${PORT:-8096}"
CONFIG="${CONFIG:-debug}"
swift build -c "$CONFIG" --product assay >&2
swift build -c "$CONFIG" --product assay-bench >&2
BIN="$(swift build -c "$CONFIG" --show-bin-path)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/assay-bench-workers.XXXXXX")"
python3 - "$N" "$WORK/docs.jsonl" <<'PY'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as out:
    for i in range(1, n + 1):
        out.write(json.dumps({"id": f"doc{i}", "text": f"Protest in City{i}. About {i % 5000 + 10} people came. It was peaceful."}) + "\n")
PY
SERVER="$(scripts/postgres.sh start)"
"$BIN/assay-bench" mock-server --port "$PORT" --latency-ms "$LATENCY_MS" >/dev/null &
MOCK=$!
trap 'kill $MOCK 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$PORT/v1/models" >/dev/null 2>&1 && break; sleep 0.2; done
export ASSAY_BASE_URL="http://127.0.0.1:$PORT/v1" ASSAY_MODEL=mock

# One job on a fresh database, coded by $1 workers: prints the seconds from the workers' start
# to the last one's exit.
measure() {
  local workers="$1" name="bench_workers_$1_$$"
  psql -q "$SERVER" -c "CREATE DATABASE $name" >/dev/null
  export ASSAY_DB="${SERVER%/postgres*}/$name?sslmode=disable"
  "$BIN/assay" init --name bench >/dev/null
  "$BIN/assay" codebook import examples/bench/codebook.yaml >/dev/null
  "$BIN/assay" add "$WORK/docs.jsonl" >/dev/null
  "$BIN/assay" run --all --skip-sample --no-pack --enqueue-only >/dev/null
  local start pids=()
  start="$(date +%s.%N)"
  for i in $(seq 1 "$workers"); do
    "$BIN/assay" worker --exit-when-idle --concurrency "$CONCURRENCY" --poll-seconds 0.1 >"$WORK/w$workers-$i.log" 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  local seconds; seconds="$(echo "$(date +%s.%N) - $start" | bc -l)"
  "$BIN/assay" status | grep -q "completed" || { echo "bench-workers: the job did not complete (see $WORK)" >&2; exit 1; }
  psql -q "$SERVER" -c "DROP DATABASE $name WITH (FORCE)" >/dev/null
  echo "$seconds"
}
one="$(measure 1)"; two="$(measure 2)"; four="$(measure 4)"
echo
echo "bench-workers: $N documents, one job on PostgreSQL, mock model at $LATENCY_MS ms a request, $CONCURRENCY in flight per worker"
printf '  %-9s %10s %14s %10s\n' workers seconds documents/s "vs one"
for row in "1 $one" "2 $two" "4 $four"; do
  set -- $row
  printf '  %-9s %10.1f %14.1f %9.2fx\n' "$1" "$2" "$(echo "$N / $2" | bc -l)" "$(echo "$one / $2" | bc -l)"
done
