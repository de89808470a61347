#!/usr/bin/env bash
# The product-path benchmark: what users run, against a bare load of the very requests it sends.
#
# It serves the mock model (assay-bench mock-server, 200 ms per request), makes a database with
# the real CLI (assay init, codebook import, assay add of N short JSONL documents), captures the
# request bodies `assay run --no-pack` sends (a warm-up run against a capturing mock), and then
# times, in one run on the same mock:
#   bare (AsyncHTTPClient)  those bodies replayed with the providers' own HTTP client (assay-bench bare)
#   bare (aiohttp)          the same bodies replayed by aiohttp
#   assay run --no-pack     the whole CLI command, process start to exit, storage included
#   assay run --pack        the same on a fresh copy of the database
#   assay serve job         POST /projects/{id}/jobs on `assay serve --no-pack` and `--pack`, followed on its live stream to the end
#   instructor, langextract the same extraction through each library (PyPI, in a venv)
# and prints one table (vs bare: against the faster bare load), then checks that every document
# of every Assay run ended with one outcome and three values.
#
#   scripts/bench-product.sh                       # debug build, 2,000 documents, concurrency 64
#   CONFIG=release N=2000 scripts/bench-product.sh
#   SKIP_BUILD=1 SKIP_PYTHON=1 scripts/bench-product.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-2000}"; CONFIG="${CONFIG:-debug}"; PORT="${PORT:-8099}"; CONCURRENCY="${CONCURRENCY:-64}"
LATENCY_MS="${LATENCY_MS:-200}"; SERVE_PORT="${SERVE_PORT:-8098}"
VENV="${VENV:-$HOME/.cache/assay/bench-venv}"
step() { echo "[bench-product $(date -u +%H:%M:%S)] $*" >&2; }

if [ -z "${SKIP_BUILD:-}" ]; then
  step "building ($CONFIG)"
  swift build -c "$CONFIG" --product assay >&2
  swift build -c "$CONFIG" --product assay-bench >&2
fi
BIN="$(swift build -c "$CONFIG" --show-bin-path)"
if [ -z "${SKIP_PYTHON:-}" ] && ! "$VENV/bin/python" -c 'import instructor, langextract, aiohttp' 2>/dev/null; then
  step "making the Python venv $VENV (instructor, langextract, openai, aiohttp from PyPI)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "instructor==1.17.0" "langextract==1.7.1" "openai==3.3.0" "aiohttp==3.14.5" >&2
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/assay-bench-product.XXXXXX")"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

step "writing $N documents to $WORK/docs.jsonl"
python3 - "$N" "$WORK/docs.jsonl" <<'PY'
import json, sys
filler = (" The march went through the old town and ended at the main square, where speakers addressed the crowd."
          " Shops stayed open and traffic was diverted for two hours. Organizers thanked volunteers and the city services."
          " A spokesperson said the group would meet the mayor next week to present its demands in writing."
          " Local radio covered the event live, and several residents joined the march along the way."
          " Police reported no incidents, and the organizers said they were pleased with the turnout and the weather that day.")
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as out:
    for i in range(1, n + 1):
        out.write(json.dumps({"id": f"doc{i}", "text": f"Protest in City{i}. About {i % 5000 + 10} people came. It was peaceful." + filler}) + "\n")
PY

wait_for() { for _ in $(seq 1 100); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "not answering: $1" >&2; exit 1; }
export ASSAY_MODEL=mock ASSAY_LOG_LEVEL=error

step "a database made with the CLI: init, codebook import, add"
export ASSAY_DB="$WORK/base.sqlite"
"$BIN/assay" init --name bench >/dev/null
"$BIN/assay" codebook import examples/bench/codebook.yaml >/dev/null
"$BIN/assay" add "$WORK/docs.jsonl" >/dev/null
for copy in capture single packed; do cp "$WORK/base.sqlite" "$WORK/$copy.sqlite"; done

step "capturing the bodies assay run --no-pack sends (warm-up run on a capturing mock, no latency)"
"$BIN/assay-bench" mock-server --port $((PORT + 1)) --capture "$WORK/bodies.jsonl" >/dev/null &
CAPTURE=$!; PIDS+=("$CAPTURE")
wait_for "http://127.0.0.1:$((PORT + 1))/v1/models"
ASSAY_DB="$WORK/capture.sqlite" ASSAY_BASE_URL="http://127.0.0.1:$((PORT + 1))/v1" \
  "$BIN/assay" run --all --skip-sample --concurrency "$CONCURRENCY" --no-pack >"$WORK/capture.log" 2>&1
kill "$CAPTURE"; wait "$CAPTURE" 2>/dev/null || true

"$BIN/assay-bench" mock-server --port "$PORT" --latency-ms "$LATENCY_MS" >/dev/null &
MOCK_PID=$!; PIDS+=("$MOCK_PID")
MOCK="http://127.0.0.1:$PORT/v1"
export ASSAY_BASE_URL="$MOCK"
wait_for "$MOCK/models"
requests() { curl -fsS "$MOCK/stats" | python3 -c 'import json,sys; print(int(json.load(sys.stdin).get("requests", 0)))'; }
now() { date +%s.%N; }
ROWS="$WORK/rows.tsv"; : >"$ROWS"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"  # other work on the machine skews every row; say how much there was
# One row: mode, requests, documents, seconds, CPU seconds of the process measured (or -).
row() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:--}" >>"$ROWS"; }
# CPU seconds (user + system) a running process has used so far.
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" "$2"; }

timed_line() { # mode, then the command printing "requests=… ok=… seconds=…"
  local mode="$1"; shift
  local before; before="$(requests)"
  "$@" >"$WORK/line.txt"
  row "$mode" $(( $(requests) - before )) "$(field ok "$WORK/line.txt")" "$(field seconds "$WORK/line.txt")"
}

step "bare load (AsyncHTTPClient, the providers' client), $(wc -l <"$WORK/bodies.jsonl") captured bodies"
timed_line "bare (AsyncHTTPClient)" "$BIN/assay-bench" bare --url "$MOCK/chat/completions" --bodies "$WORK/bodies.jsonl" --concurrency "$CONCURRENCY"
if [ -z "${SKIP_PYTHON:-}" ]; then
  step "bare load (aiohttp)"
  timed_line "bare (aiohttp)" "$VENV/bin/python" scripts/bench-product.py bare --base-url "$MOCK" --bodies "$WORK/bodies.jsonl" --concurrency "$CONCURRENCY"
fi

outcomes() { sqlite3 "$1" "SELECT COUNT(*) FROM document_outcomes"; }
cli_run() { # mode, database, flags
  local mode="$1" db="$2"; shift 2
  step "$mode"
  local before start end; before="$(requests)"; start="$(now)"
  ASSAY_DB="$db" /usr/bin/time -f "%U %S" -o "$WORK/cpu.txt" \
    "$BIN/assay" run --all --skip-sample --concurrency "$CONCURRENCY" "$@" >"$WORK/$(basename "$db" .sqlite).log" 2>&1
  end="$(now)"
  row "$mode" $(( $(requests) - before )) "$(outcomes "$db")" "$(echo "$end - $start" | bc -l)" \
    "$(awk '{ printf "%.2f", $1 + $2 }' "$WORK/cpu.txt")"
}
cli_run "assay run --no-pack" "$WORK/single.sqlite" --no-pack
cli_run "assay run --pack" "$WORK/packed.sqlite" --pack

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
# A job over HTTP on a fresh `assay serve` with these flags: account, project, codebook and upload
# through the API, then POST /projects/{id}/jobs, polled until it ends; the service then stops.
serve_job() { # mode, database name, serve flags
  local mode="$1" name="$2"; shift 2
  step "$mode"
  ASSAY_JWT_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
    "$BIN/assay" serve --port "$SERVE_PORT" --db "$WORK/$name.sqlite" --concurrency "$CONCURRENCY" --bcrypt-cost 4 "$@" \
    2>"$WORK/$name.log" &
  local serve=$!; PIDS+=("$serve")
  local api="http://127.0.0.1:$SERVE_PORT"
  wait_for "$api/health/live"
  curl -fsS -X POST "$api/auth/register" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.org","password":"benchmarking the service"}' >/dev/null
  local token; token="$(curl -fsS -X POST "$api/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.org","password":"benchmarking the service"}' | json '["access_token"]')"
  local h="Authorization: Bearer $token"
  local project; project="$(curl -fsS -X POST "$api/projects" -H "$h" -H 'Content-Type: application/json' -d '{"name":"bench"}' | json '["id"]')"
  curl -fsS -X PUT "$api/projects/$project/codebook" -H "$h" -H 'Content-Type: application/yaml' \
    --data-binary @examples/bench/codebook.yaml >/dev/null
  curl -fsS -X POST "$api/projects/$project/documents" -H "$h" -F "files=@$WORK/docs.jsonl" >/dev/null
  local before cpu_before start end job status
  before="$(requests)"; cpu_before="$(cpu_of "$serve")"; start="$(now)"
  job="$(curl -fsS -X POST "$api/projects/$project/jobs" -H "$h" -H 'Content-Type: application/json' -d '{"kind":"full"}' | json '["id"]')"
  # Followed as a browser follows it: its live stream, which ends with the job. (Polling with a
  # curl and a python per poll cost the 2-core machine more CPU than the service's own work.)
  curl -fsSN "$api/jobs/$job/stream" -H "$h" >"$WORK/$name.events"
  end="$(now)"
  status="$(curl -fsS "$api/jobs/$job" -H "$h" | json '["status"]')"
  row "$mode" $(( $(requests) - before )) "$(outcomes "$WORK/$name.sqlite")" "$(echo "$end - $start" | bc -l)" \
    "$(echo "$(cpu_of "$serve") - $cpu_before" | bc -l)"
  kill "$serve" 2>/dev/null; wait "$serve" 2>/dev/null || true
  [ "$status" = completed ] || { echo "bench-product: the HTTP job ($mode) ended $status" >&2; exit 1; }
}
serve_job "assay serve job --no-pack" serve --no-pack
serve_job "assay serve job --pack" serve-packed --pack

if [ -z "${SKIP_PYTHON:-}" ]; then
  step "instructor (AsyncOpenAI, tools mode, asyncio semaphore $CONCURRENCY)"
  timed_line "instructor" "$VENV/bin/python" scripts/bench-product.py instructor --base-url "$MOCK" --documents "$WORK/docs.jsonl" --concurrency "$CONCURRENCY"
  step "langextract (OpenAI JSON mode, $CONCURRENCY worker threads)"
  timed_line "langextract" "$VENV/bin/python" scripts/bench-product.py langextract --base-url "$MOCK" --documents "$WORK/docs.jsonl" --concurrency "$CONCURRENCY"
fi

echo
echo "bench-product: $N documents (~150 tokens each), $CONFIG build, concurrency $CONCURRENCY, mock model at $LATENCY_MS ms, $(nproc) cores, load average at start $LOAD"
python3 - "$ROWS" <<'PY'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
rows = [(mode, int(req), int(docs), float(secs), cpu) for mode, req, docs, secs, cpu in rows]
rate = lambda r: r[2] / r[3] if r[3] > 0 else 0
bare = max((rate(r) for r in rows if r[0].startswith("bare")), default=0)
print(f"{'mode':<24} {'requests':>8} {'documents':>9} {'seconds':>8} {'docs/s':>8} {'vs bare':>8}  {'CPU s':>6}")
for r in rows:
    vs = f"{rate(r) / bare:7.1%}" if bare else "      -"
    if not r[0].startswith("bare") and bare and rate(r) / bare >= 1.5:
        vs = f"{rate(r) / bare:6.2f}x"
    print(f"{r[0]:<24} {r[1]:>8} {r[2]:>9} {r[3]:>8.2f} {rate(r):>8.1f} {vs:>8}  {r[4]:>6}")
PY
echo "CPU s: user + system seconds of the assay process measured (the mock server used $(cpu_of "$MOCK_PID") s over the whole run)"

status=0
for db in single packed serve serve-packed; do
  read -r docs outcomes values dups < <(sqlite3 -separator ' ' "$WORK/$db.sqlite" \
    "SELECT (SELECT COUNT(*) FROM documents WHERE status = 'ready'), (SELECT COUNT(*) FROM document_outcomes),
            (SELECT COUNT(*) FROM extractions),
            (SELECT COUNT(*) FROM (SELECT 1 FROM extractions GROUP BY document_id, variable, entity_index HAVING COUNT(*) > 1))")
  echo "check $db: $docs documents, $outcomes with an outcome, $values values, $dups duplicates"
  if [ "$outcomes" -ne "$N" ] || [ "$values" -ne $((3 * N)) ] || [ "$dups" -ne 0 ]; then status=1; fi
done
if [ "$status" -ne 0 ]; then echo "bench-product: FAILED: a run lost or duplicated documents" >&2; exit 1; fi
echo "bench-product: every document of every Assay run has one outcome and three values"
rm -rf "$WORK"
