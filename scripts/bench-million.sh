#!/usr/bin/env bash
# A 1,000,000-document job's peak memory per worker, through the real CLI against the mock model
# (assay-bench mock-server): `assay run --all` on a SQLite file, and one `assay worker` on a
# PostgreSQL job (`assay run --enqueue-only`). Each is stopped with SIGINT after STOP_AT documents
# and reports its peak RSS (GNU time) beside the job's size.
#
# The first SEED documents go in through `assay add`; the database then copies them up to N with
# new names and hashes (SQL). What is measured is the job, not the import: `assay add` of a million
# texts fingerprints each for the duplicate check, which takes hours on a debug build of 2 cores.
# A job plans all its documents before its first request, so memory that grew with the job's
# size would show from the first document on; STOP_AT only saves the time of coding them all.
#
#   scripts/bench-million.sh                              # debug build, 1,000,000 documents
#   N=200000 STOP_AT=20000 scripts/bench-million.sh
#   CONFIG=release scripts/bench-million.sh
#   PG=0 scripts/bench-million.sh                         # SQLite only
#   SQLITE=0 scripts/bench-million.sh                     # PostgreSQL only
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-1000000}"; SEED="${SEED:-10000}"; STOP_AT="${STOP_AT:-100000}"; CONFIG="${CONFIG:-debug}"
PORT="${PORT:-18098}"; CONCURRENCY="${CONCURRENCY:-64}"; PG="${PG:-1}"; SQLITE="${SQLITE:-1}"
[ $((N % SEED)) -eq 0 ] || { echo "bench-million: N must be a multiple of SEED" >&2; exit 2; }
step() { echo "[bench-million $(date -u +%H:%M:%S)] $*" >&2; }

step "building ($CONFIG)"
swift build -c "$CONFIG" --product assay >&2
swift build -c "$CONFIG" --product assay-bench >&2
BIN="$(swift build -c "$CONFIG" --show-bin-path)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/assay-bench-million.XXXXXX")"

step "writing $SEED documents (JSON Lines), each its own words"
python3 - "$SEED" "$WORK/seed.jsonl" <<'PY'
import json, random, sys
syllables = ["ba", "ke", "lo", "mi", "nu", "ra", "se", "ti", "vo", "zu", "an", "el", "or", "is", "ut", "em"]
vocabulary = sorted({a + b + c for a in syllables for b in syllables for c in syllables})[:4000]
with open(sys.argv[2], "w") as out:
    for i in range(1, int(sys.argv[1]) + 1):
        draw = random.Random(i)
        words = [draw.choice(vocabulary) for _ in range(90)]
        sentences = " ".join(" ".join(words[k:k + 15]).capitalize() + "." for k in range(0, 90, 15))
        text = f"Protest in City{i}. About {i % 5000 + 10} people came. It was peaceful. " + sentences
        out.write(json.dumps({"id": f"doc{i}", "text": text}) + "\n")
PY

"$BIN/assay-bench" mock-server --port "$PORT" >"$WORK/mock.log" 2>&1 &
MOCK=$!
PGDB=""
cleanup() {
  kill "$MOCK" 2>/dev/null || true
  if [ -n "$PGDB" ]; then psql -q "$PGBASE" -c "DROP DATABASE IF EXISTS $PGDB" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
export ASSAY_BASE_URL="http://127.0.0.1:$PORT/v1" ASSAY_MODEL=mock
for _ in $(seq 1 50); do curl -fsS "$ASSAY_BASE_URL/models" >/dev/null 2>&1 && break; sleep 0.2; done
# Its own mock: another process holding the port would answer the check and then go away mid-run.
{ kill -0 "$MOCK" 2>/dev/null && curl -fsS "$ASSAY_BASE_URL/models" >/dev/null; } \
  || { echo "bench-million: the mock did not start (is port $PORT taken?): $(cat "$WORK/mock.log")" >&2; exit 1; }

# A project with the bench codebook and the seed documents, in the database ASSAY_DB names.
seeded() {
  "$BIN/assay" init --name million >/dev/null
  "$BIN/assay" codebook import examples/bench/codebook.yaml >/dev/null
  "$BIN/assay" add "$WORK/seed.jsonl" >"$WORK/add-$1.log"
}
COLUMNS="project_id, external_id, title, media_type, text, content_hash, word_count, token_count, chunk_count, status, error, metadata_json, created_at, updated_at"
COPIED="project_id, external_id || '#' || k, title, media_type, text, content_hash || '-' || k, word_count, token_count, chunk_count, status, error, metadata_json, created_at, updated_at"

# Runs the command under GNU time until STOP_AT documents have an outcome (or it ends), then SIGINT.
measure() { # name, command that counts outcomes, command…
  local name="$1" count="$2"; shift 2
  /usr/bin/time -f "%M %e" -o "$WORK/$name.time" "$@" >"$WORK/$name.log" 2>&1 &
  local run=$!
  while kill -0 "$run" 2>/dev/null && [ "$($count)" -lt "$STOP_AT" ]; do sleep 1; done
  local child
  child="$(pgrep -P "$run" -x assay || echo "$run")"  # GNU time ignores SIGINT: the signal goes to assay
  kill -INT "$child" 2>/dev/null || true
  wait "$run" || true
}
report() { # name, label, documents in the job
  local rss secs
  read -r rss secs < <(tail -n 1 "$WORK/$1.time")
  printf '%-52s peak RSS %6.1f MB   %7.1f s   job of %s documents, %s coded when stopped\n' \
    "$2" "$(echo "$rss/1024" | bc -l)" "$secs" "$3" "$4"
}

if [ "$SQLITE" = 1 ]; then
step "SQLite: $SEED documents through assay add, copied to $N"
export ASSAY_DB="$WORK/million.sqlite"
seeded sqlite
sqlite3 "$ASSAY_DB" "WITH RECURSIVE copies(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM copies WHERE k < $((N / SEED - 1)))
  INSERT INTO documents ($COLUMNS) SELECT $COPIED FROM documents, copies;"
sqlite_outcomes() { sqlite3 "$ASSAY_DB" "SELECT COUNT(*) FROM document_outcomes"; }
step "SQLite: assay run --all, stopped after $STOP_AT documents"
measure sqlite sqlite_outcomes "$BIN/assay" run --all --skip-sample --no-pack --concurrency "$CONCURRENCY"
sqlite_total="$(sqlite3 "$ASSAY_DB" "SELECT total FROM jobs ORDER BY id DESC LIMIT 1")"
sqlite_done="$(sqlite_outcomes)"
fi

if [ "$PG" = 1 ]; then
  PGBASE="${ASSAY_TEST_POSTGRES_URL:-$(scripts/postgres.sh start)}"
  PGDB="assay_million_$$"
  psql -q "$PGBASE" -c "CREATE DATABASE $PGDB" >/dev/null
  export ASSAY_DB="${PGBASE/\/postgres\?/\/$PGDB?}"
  step "PostgreSQL: $SEED documents through assay add, copied to $N"
  seeded postgres
  psql -q "$ASSAY_DB" -c "INSERT INTO documents ($COLUMNS) SELECT $COPIED FROM documents, generate_series(1, $((N / SEED - 1))) AS k" >/dev/null
  "$BIN/assay" run --all --skip-sample --no-pack --enqueue-only >"$WORK/enqueue.log"
  pg_outcomes() { psql -qtA "$ASSAY_DB" -c "SELECT COUNT(*) FROM document_outcomes"; }
  step "PostgreSQL: one assay worker, stopped after $STOP_AT documents"
  measure worker pg_outcomes "$BIN/assay" worker --concurrency "$CONCURRENCY" --grace 5
  pg_total="$(psql -qtA "$ASSAY_DB" -c "SELECT total FROM jobs ORDER BY id DESC LIMIT 1")"
  pg_done="$(pg_outcomes)"
fi

echo
echo "bench-million: $N documents (~100 words each), $CONFIG build, concurrency $CONCURRENCY, mock model"
if [ "$SQLITE" = 1 ]; then report sqlite "assay run --all (SQLite)" "$sqlite_total" "$sqlite_done"; fi
if [ "$PG" = 1 ]; then report worker "assay worker (PostgreSQL, job from --enqueue-only)" "$pg_total" "$pg_done"; fi
rm -rf "$WORK"
