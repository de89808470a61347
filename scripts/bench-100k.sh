#!/usr/bin/env bash
# The large-job benchmark: N short documents (default 100,000) through the real `assay` CLI
# against the mock model (assay-bench mock-server), with the run stopped half way by Ctrl-C
# (SIGINT) and resumed. Prints each step's peak memory (RSS) and wall time, then checks that
# every document has exactly one outcome and one value per variable: none lost, none duplicated.
#
#   scripts/bench-100k.sh                  # release build, 100,000 documents, concurrency 64
#   N=20000 CONFIG=debug scripts/bench-100k.sh
#   N=1000000 STOP_AT=20000 RESUME=0 scripts/bench-100k.sh   # a million: the plan's memory, stopped early
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-100000}"; CONFIG="${CONFIG:-release}"; PORT="${PORT:-8099}"; CONCURRENCY="${CONCURRENCY:-64}"
STOP_AT="${STOP_AT:-$((N / 2))}"; RESUME="${RESUME:-1}"
step() { echo "[bench-100k $(date -u +%H:%M:%S)] $*" >&2; }

step "building ($CONFIG)"
swift build -c "$CONFIG" --product assay >&2
swift build -c "$CONFIG" --product assay-bench >&2
BIN="$(swift build -c "$CONFIG" --show-bin-path)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/assay-bench-100k.XXXXXX")"

step "writing $N documents to $WORK/docs/ (JSON Lines, 10,000 per file, as a sharded export would)"
mkdir -p "$WORK/docs"
python3 - "$N" "$WORK/docs" <<'PY'
import json, random, sys
# Each text its own words (a seeded draw from a vocabulary of 4,000 made-up words), so the
# documents are not near-duplicates of one another: a corpus of copies would measure the
# duplicate check's candidates, not the job.
syllables = ["ba", "ke", "lo", "mi", "nu", "ra", "se", "ti", "vo", "zu", "an", "el", "or", "is", "ut", "em"]
vocabulary = sorted({a + b + c for a in syllables for b in syllables for c in syllables})[:4000]
n, folder = int(sys.argv[1]), sys.argv[2]
for part in range(0, n, 10000):
    with open(f"{folder}/part-{part // 10000:03d}.jsonl", "w") as out:
        for i in range(part + 1, min(n, part + 10000) + 1):
            draw = random.Random(i)
            words = [draw.choice(vocabulary) for _ in range(90)]
            sentences = " ".join(" ".join(words[k:k + 15]).capitalize() + "." for k in range(0, 90, 15))
            text = f"Protest in City{i}. About {i % 5000 + 10} people came. It was peaceful. " + sentences
            out.write(json.dumps({"id": f"doc{i}", "text": text}) + "\n")
PY

"$BIN/assay-bench" mock-server --port "$PORT" >/dev/null &
MOCK=$!
trap 'kill $MOCK 2>/dev/null || true' EXIT
export ASSAY_DB="$WORK/bench.sqlite" ASSAY_BASE_URL="http://127.0.0.1:$PORT/v1" ASSAY_MODEL=mock
for _ in $(seq 1 50); do curl -fsS "$ASSAY_BASE_URL/models" >/dev/null 2>&1 && break; sleep 0.2; done
"$BIN/assay" init --name bench >/dev/null
"$BIN/assay" codebook import examples/bench/codebook.yaml >/dev/null

# Peak RSS (kB) and wall seconds of one command, via GNU time.
measured() { local name="$1"; shift; /usr/bin/time -f "%M %e" -o "$WORK/$name.time" "$@"; }
report() { read -r rss secs < <(tail -n 1 "$WORK/$1.time"); printf '%-28s peak RSS %6.1f MB   %7.1f s\n' "$2" "$(echo "$rss/1024" | bc -l)" "$secs"; }
outcomes() { sqlite3 "$ASSAY_DB" "SELECT COUNT(*) FROM document_outcomes"; }

step "assay add"
measured add "$BIN/assay" add "$WORK/docs" >"$WORK/add.log"

step "assay run --all, stopped with SIGINT after $STOP_AT documents"
/usr/bin/time -f "%M %e" -o "$WORK/first.time" "$BIN/assay" run --all --skip-sample --concurrency "$CONCURRENCY" >"$WORK/first.log" 2>&1 &
RUN=$!  # GNU time, which ignores SIGINT itself: the signal goes to its child, assay
while kill -0 "$RUN" 2>/dev/null && [ "$(outcomes)" -lt "$STOP_AT" ]; do sleep 0.5; done
RUNNER="$(pgrep -P "$RUN" -x assay || echo "$RUN")"
kill -INT "$RUNNER" 2>/dev/null || true
wait "$RUN" || true
STOPPED_AT="$(outcomes)"

if [ "$RESUME" = 0 ]; then
  echo
  echo "bench-100k: $N documents (~100 words each), $CONFIG build, concurrency $CONCURRENCY, mock model, SQLite"
  report add "assay add (JSONL)"
  report first "assay run (stopped)"
  echo "  stopped after $STOPPED_AT documents (RESUME=0: not resumed)"
  exit 0
fi

step "assay run --all again: resumes with what is left"
measured second "$BIN/assay" run --all --skip-sample --concurrency "$CONCURRENCY" >"$WORK/second.log" 2>&1

echo
echo "bench-100k: $N documents (~100 words each), $CONFIG build, concurrency $CONCURRENCY, mock model, SQLite"
report add "assay add (JSONL)"
report first "assay run (stopped)"
echo "  stopped after $STOPPED_AT documents"
report second "assay run (resumed)"
sqlite3 "$ASSAY_DB" <<SQL
.mode list
SELECT 'documents ready          ' || COUNT(*) FROM documents WHERE status = 'ready';
SELECT 'documents with an outcome ' || COUNT(*) FROM document_outcomes;
SELECT 'values stored            ' || COUNT(*) FROM extractions;
SELECT 'duplicate values         ' || (SELECT COUNT(*) FROM (SELECT 1 FROM extractions GROUP BY document_id, variable, entity_index HAVING COUNT(*) > 1));
SELECT 'jobs                     ' || GROUP_CONCAT(status || ' ' || processed, ', ') FROM jobs;
SQL
grep -h "docs/s\|Succeeded\|succeeded" "$WORK/second.log" | tail -3 || true
values="$(sqlite3 "$ASSAY_DB" "SELECT COUNT(*) FROM extractions")"
done_count="$(outcomes)"
if [ "$done_count" -ne "$N" ] || [ "$values" -ne $((3 * N)) ]; then
  echo "bench-100k: FAILED: $done_count outcomes and $values values for $N documents" >&2
  exit 1
fi
echo "bench-100k: every document has one outcome and three values; nothing lost, nothing duplicated"
rm -rf "$WORK"
