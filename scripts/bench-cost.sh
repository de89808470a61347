#!/usr/bin/env bash
# What coding costs, through the real `assay` CLI against the mock model (assay-bench
# mock-server), which reports usage as OpenAI and Anthropic do, prompt caching included:
# cost per 1,000 documents of the detailed bench codebook (examples/bench/codebook-detailed.yaml)
# at gpt-4o-mini's and claude-haiku-4-5's list prices, live and in batch mode, and the share of
# input tokens served from the prompt cache with caching on and off.
#
#   scripts/bench-cost.sh            # 200 documents, debug build
#   N=1000 scripts/bench-cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-200}"; PORT="${PORT:-8097}"; CONFIG="${CONFIG:-debug}"
swift build -c "$CONFIG" --product assay >&2
swift build -c "$CONFIG" --product assay-bench >&2
BIN="$(swift build -c "$CONFIG" --show-bin-path)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/assay-bench-cost.XXXXXX")"
python3 - "$N" "$WORK/docs.jsonl" <<'PY'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as out:
    for i in range(1, n + 1):
        text = f"Protest in City{i}. About {i % 5000 + 10} people came. It was peaceful. The march went through the old town and ended at the main square, where speakers addressed the crowd."
        out.write(json.dumps({"id": f"doc{i}", "text": text}) + "\n")
PY
# The models' list prices (as Assay ships them), named in a price file so they hold for the
# mock on this machine.
cat >"$WORK/prices.json" <<'JSON'
{"gpt-4o-mini": {"input": 0.15, "output": 0.6, "cached_input": 0.075, "batch": 0.5},
 "claude-haiku-4-5": {"input": 1.0, "output": 5.0, "cached_input": 0.1, "batch": 0.5}}
JSON
"$BIN/assay-bench" mock-server --port "$PORT" --batch-delay 0.5 >/dev/null &
MOCK=$!
trap 'kill $MOCK 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$PORT/v1/models" >/dev/null 2>&1 && break; sleep 0.2; done

# One run on a fresh database: prints "dollars cached-share" from `assay status`.
measure() {  # name provider model cache batch-flag
  local db="$WORK/$1.sqlite"
  export ASSAY_DB="$db" ASSAY_PROVIDER="$2" ASSAY_MODEL="$3" ASSAY_PROMPT_CACHE="$4" ASSAY_PRICES="$WORK/prices.json"
  export ASSAY_BASE_URL="http://127.0.0.1:$PORT/v1" ANTHROPIC_API_KEY=mock ASSAY_BATCH_POLL_SECONDS=0.2
  "$BIN/assay" init --name cost >/dev/null
  "$BIN/assay" codebook import examples/bench/codebook-detailed.yaml >/dev/null
  "$BIN/assay" add "$WORK/docs.jsonl" >/dev/null
  "$BIN/assay" run --all --skip-sample --concurrency 16 $5 >"$WORK/$1.log" 2>&1
  "$BIN/assay" status | sed -n 's/^Spent: *//p' >"$WORK/$1.spent"
}
row() {  # label name
  local spent; spent="$(cat "$WORK/$2.spent")"
  local dollars; dollars="$(echo "$spent" | sed -n 's/.*; \$\([0-9.]*\) in all.*/\1/p')"
  local share; share="$(echo "$spent" | sed -n 's/.*(\([0-9]*\)% from the prompt cache).*/\1/p')"
  printf '  %-48s $%9.4f %9s%%\n' "$1" "$(echo "${dollars:-0} * 1000 / $N" | bc -l)" "${share:-0}"
}
measure openai-live openai gpt-4o-mini on ""
measure openai-batch openai gpt-4o-mini on --batch
measure anthropic-live anthropic claude-haiku-4-5 on ""
measure anthropic-batch anthropic claude-haiku-4-5 on --batch
measure anthropic-nocache anthropic claude-haiku-4-5 off ""

echo
echo "bench-cost: $N documents, examples/bench/codebook-detailed.yaml, mock model reporting usage as each provider does"
printf '  %-48s %10s %10s\n' "" "per 1,000" "cached"
row "gpt-4o-mini, live (caching automatic)" openai-live
row "gpt-4o-mini, batch" openai-batch
row "claude-haiku-4-5, live, cache_control on" anthropic-live
row "claude-haiku-4-5, batch, cache_control on" anthropic-batch
row "claude-haiku-4-5, live, ASSAY_PROMPT_CACHE=off" anthropic-nocache
