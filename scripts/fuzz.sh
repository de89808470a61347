#!/usr/bin/env bash
# Fuzzes the parsers that read untrusted bytes with libFuzzer: the JSON reader and reply repair
# (with the JSON/JSONL record reader), the trace reader (with the rendering of what it reads) and
# the codebook loader (YAML through Yams, and JSON). Not part of CI: it takes a second build and
# minutes per harness.
#
#   scripts/fuzz.sh [SECONDS_PER_HARNESS] [HARNESS...]    # default 300 s each: json traces codebook
#
# AssayIngest and its dependencies are built with coverage and AddressSanitizer into .build-fuzz
# (gitignored; only the Swift code is instrumented, the C dependencies are built as usual), each
# harness fuzz/<name>.swift is linked against them, and runs on a corpus seeded from examples/ and
# fuzz/seeds/<name>/ with the tokens of fuzz/<name>.dict. A crash, a hang (one input over 10 s) or
# an input that needs over 2 GB stops that harness and is saved as .build-fuzz/artifacts/<name>-*;
# replay one with: .build-fuzz/fuzz-<name> FILE
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(json traces codebook)
scratch=.build-fuzz
# The Swift backtracer takes tens of seconds per crash; libFuzzer reports it (and saves the input) at once.
export SWIFT_BACKTRACE=enable=no
step() { echo "[fuzz.sh $(date -u +%H:%M:%S)] $*" >&2; }

step "building AssayIngest and its dependencies with -sanitize=fuzzer,address into $scratch"
swift build --scratch-path "$scratch" --target AssayIngest -Xswiftc -sanitize=fuzzer,address
debug="$scratch/debug"
# Only AssayIngest's dependency closure is built into the scratch path, so every object there belongs.
mapfile -t objects < <(find "$debug/" -name '*.o')
# AssayIngest imports libyaml's module (internally), which the compiler still loads to read it.
cyaml="$scratch/checkouts/Yams/Sources/CYaml/include"
# Likewise libxml2's (the HTML and office-file readers), a system library linked from Debian's libxml2-dev.
clibxml2="Sources/CLibXML2"

mkdir -p "$scratch/artifacts"
failed=0
for harness in "${harnesses[@]}"; do
  binary="$scratch/fuzz-$harness"
  step "linking $binary"
  swiftc -sanitize=fuzzer,address -parse-as-library -I "$debug/Modules" \
    -Xcc -fmodule-map-file="$cyaml/module.modulemap" -Xcc -I"$cyaml" \
    -Xcc -fmodule-map-file="$clibxml2/module.modulemap" -Xcc -I/usr/include/libxml2 \
    "fuzz/$harness.swift" "${objects[@]}" -lstdc++ -lxml2 -o "$binary" 2> >(grep -v 'Cannot export local symbol' >&2)

  corpus="$scratch/corpus/$harness"
  mkdir -p "$corpus"
  max_len=4096
  case "$harness" in
    json) cp examples/traces/malformed/* "$corpus"/; head -c 4096 examples/traces/labels.jsonl > "$corpus/labels.jsonl" ;;
    traces)
      max_len=16384
      # One example trace per file: the whole file is 170 KB, too slow to run thousands of times a second.
      split -l 1 -d -a 3 --additional-suffix=.jsonl examples/traces/traces.jsonl "$corpus/example-"
      cp examples/traces/malformed/* "$corpus"/ ;;
    codebook) for f in examples/*/codebook.yaml; do cp "$f" "$corpus/$(basename "$(dirname "$f")").yaml"; done ;;
  esac
  step "running $harness for $seconds s"
  log="$scratch/$harness.log"
  if "$binary" "$corpus" "fuzz/seeds/$harness" -dict="fuzz/$harness.dict" -max_total_time="$seconds" \
      -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" -print_final_stats=1 \
      -artifact_prefix="$scratch/artifacts/$harness-" >"$log" 2>&1; then
    runs=$(grep -o 'number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
    step "$harness: $runs executions in $seconds s ($cov), no crash, hang or memory blow-up"
  else
    failed=1
    step "$harness FOUND A PROBLEM; the log is $log, the input in $scratch/artifacts/"
    grep -E -A12 'ERROR: libFuzzer|Fatal error|ERROR: AddressSanitizer|Test unit written' "$log" | head -40 >&2 || tail -40 "$log" >&2
  fi
done
exit $failed
