#!/usr/bin/env bash
# Starts the built `assay serve` (default bcrypt cost 12) on a loopback port over a throwaway
# database and runs scripts/hammer-login.py against it: health and signed-in latency while 16
# clients flood the login, then 30 wrong passwords and the right one for one account.
#   scripts/hammer-login.sh [SECONDS] [CLIENTS] [same|known]      (ASSAY_HAMMER_BIN=path: another build)
set -Eeuo pipefail
cd "$(dirname "$0")/.."
port="${ASSAY_HAMMER_PORT:-18092}"
[ -n "${ASSAY_HAMMER_BIN:-}" ] || swift build --product assay >/dev/null
bin="${ASSAY_HAMMER_BIN:-$(swift build --show-bin-path)/assay}"
work="$(mktemp -d)"
ASSAY_JWT_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" ASSAY_BASE_URL="http://127.0.0.1:9/v1" \
  ASSAY_LOG_LEVEL=warning "$bin" serve --port "$port" --db "$work/hammer.sqlite" 2>"$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health/live" >/dev/null && break; sleep 0.1; done
python3 scripts/hammer-login.py "http://127.0.0.1:$port" "${1:-20}" "${2:-16}" "${3:-}"
