#!/usr/bin/env bash
# Fuzzes `assay serve` against its own OpenAPI description (/openapi.json) with schemathesis:
# fails on any server error (5xx other than the documented 503s) or any response that breaks the
# description (status, content type, headers, body schema). Runs the real binary on a loopback
# port over a throwaway database, signed in as a fresh user with an API key.
#
#   scripts/schemathesis.sh                 # 30 examples per operation
#   ASSAY_FUZZ_EXAMPLES=100 scripts/schemathesis.sh
#
# The model is pointed at the service itself: /health/ready finds it reachable, and jobs start
# (202) and their documents fail (its /v1/chat/completions is a 404), as with a broken model.
# Reports go to .build/schemathesis/.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
trap 'echo "[schemathesis.sh] FAILED (exit $?) at line $LINENO: $BASH_COMMAND" >&2' ERR
port="${ASSAY_FUZZ_PORT:-18091}"
examples="${ASSAY_FUZZ_EXAMPLES:-30}"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/assay/schemathesis"
if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==4.32.5"
fi
swift build --product assay >/dev/null
bin="$(swift build --show-bin-path)/assay"
work="$(mktemp -d)"
reports="$PWD/.build/schemathesis"
mkdir -p "$reports"

ASSAY_JWT_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" ASSAY_BASE_URL="http://127.0.0.1:$port/v1" \
  ASSAY_LOG_LEVEL=warning "$bin" serve --port "$port" --db "$work/fuzz.sqlite" --bcrypt-cost 4 \
  --document-timeout 5 2>"$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$base/health/live" >/dev/null && break; sleep 0.1; done

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
curl -sf -X POST "$base/auth/register" -H 'Content-Type: application/json' \
  -d '{"email":"fuzz@example.org","password":"fuzzing the whole api"}' >/dev/null
token="$(curl -sf -X POST "$base/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"fuzz@example.org","password":"fuzzing the whole api"}' | json '["access_token"]')"
key="$(curl -sf -X POST "$base/auth/api-keys" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"schemathesis"}' | json '["secret"]')"

# What counts: server errors and responses that break the description.
checks="not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance"
run() { # name, then extra options
  local name="$1"; shift
  "$venv/bin/st" run "$base/openapi.json" --checks "$checks" --max-examples "$examples" --seed 20261201 \
    --workers 1 --request-timeout 20 -H "Authorization: Bearer $key" --warnings off \
    --report junit,ndjson --report-junit-path "$reports/$name.xml" --report-ndjson-path "$reports/$name.ndjson" "$@"
}
# Signing out, changing the password and deleting API keys would end the fuzzer's own session:
# they run last, on their own.
status=0
run main --exclude-path /auth/logout --exclude-path /auth/password --exclude-path-regex '^/auth/api-keys/' || status=$?
run sessions --include-path /auth/logout --include-path /auth/password --include-path-regex '^/auth/api-keys/' || status=$?
if grep -q '"level": *"error"\|"level":"error"' "$work/serve.log"; then
  echo "[schemathesis.sh] the service logged errors:" >&2
  grep '"error"' "$work/serve.log" | head -20 >&2
fi
exit $status
