#!/usr/bin/env bash
# The example project end to end on the embedded default: SQLite + the local model.
# Builds assay, starts llama-server (installing it the first time), codes the twelve example
# documents (a sample of 5, then the rest), prints the run summary and status, exports a CSV,
# scores the values against the example's gold set, and codes four documents three times each.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prerequisites.sh
scripts/local-llm.sh start
swift build --product assay
assay="$(swift build --show-bin-path)/assay"

out="${ASSAY_DEMO_DIR:-out/demo}"
rm -rf "$out" && mkdir -p "$out"
export ASSAY_DB="$out/protests.sqlite"
unset ASSAY_BASE_URL ASSAY_MODEL ASSAY_API_KEY   # the demo uses the local model

"$assay" init --name "Protest coverage"
"$assay" codebook import examples/protests/codebook.yaml
"$assay" add examples/protests/docs/
echo; echo "== Sample run (5 documents) =="
"$assay" run --sample 5 --concurrency 4
echo; echo "== Full run (the rest) =="
"$assay" run --all --concurrency 4
echo; echo "== Status =="
"$assay" status
"$assay" export --format csv --layout wide --out "$out/protests.csv"
"$assay" export --format csv --layout long --out "$out/protests-long.csv"
echo; echo "== Quality: the values against the example's gold set =="
"$assay" eval examples/protests/gold.csv --plot "$out/calibration.svg"
# The same documents coded three times each, in a second project of the same database: the
# majority value per variable, which values the runs disagree on, and the calibration of the
# model's own confidence beside the blended one.
echo; echo "== Three runs per document (a second project, 4 documents) =="
"$assay" init --name "Protest coverage, 3 runs"
"$assay" codebook import examples/protests/codebook.yaml --project "Protest coverage, 3 runs"
"$assay" add examples/protests/docs/ --project "Protest coverage, 3 runs"
"$assay" run --sample 4 --runs 3 --concurrency 4 --project "Protest coverage, 3 runs"
"$assay" eval examples/protests/gold.csv --project "Protest coverage, 3 runs" --plot "$out/calibration-3-runs.svg"
echo
echo "Dataset: $out/protests.csv (one row per document), $out/protests-long.csv (one row per value)"
echo "Database: $ASSAY_DB — try: ASSAY_DB=$ASSAY_DB $assay show 01-lisbon-teachers.txt"
