#!/usr/bin/env python3
"""Writes large.json: one valid failure trace of about 1 MB whose tool-output attribute alone is
about 1 MB, to exercise Assay's payload rule (a payload over 200 KB keeps only its last 100 KB and
the pattern gets the note "payload truncated to last 100 KB"). Python 3 standard library only;
the output is byte-for-byte the same on every run.

    python3 make-large.py                      # writes large.json next to this script
    python3 make-large.py --size 2000000 --out /tmp/large.json

Markers in the payload (output.value of the read_log span), by distance from its end:
  HEAD-MARKER   at the very start      -> must be gone after truncation
  DROP-MARKER   150,000 bytes from end -> must be gone (outside the last 100 KB)
  KEEP-MARKER    50,000 bytes from end -> must survive
  TAIL-MARKER   in the last line       -> must survive, next to the real error
The payload is ASCII, so bytes and characters coincide. The head and the tail each hold a planted
email and bearer token (listed in the printed summary) that must never reach a stored pattern.
"""
import argparse
import hashlib
import json
import random
from pathlib import Path

TRACE_ID = "5a1e0b7c9d2f4e6a8b0c1d2e3f4a5b6c"
HEAD_PII = {"email": "oncall.head@example.com", "bearer_token": "hd7Qm2Vx9LpA4sRt6YwZ1cE8uJ3nK5bF0gH"}
TAIL_PII = {"email": "oncall.tail@example.com", "bearer_token": "tl3Xn8Bq1WvM6cZr4Ks9Pd2Fy7Gh5Jt0aLe"}
TAIL_LINES = [
    "2026-11-14T03:59:58.120Z ERROR worker-7 payment-batch-42 retry budget exhausted after 12 attempts",
    f"2026-11-14T03:59:58.901Z WARN  notifier paging {TAIL_PII['email']} (Authorization: Bearer "
    f"{TAIL_PII['bearer_token']})",
    "2026-11-14T03:59:59.377Z FATAL worker-7 java.lang.OutOfMemoryError: Java heap space "
    "(heap 4096 MB, batch size 50000) TAIL-MARKER",
]


def log_lines(rng, start_line):
    levels = ["DEBUG"] * 6 + ["INFO"] * 3 + ["WARN"]
    n = start_line
    while True:
        n += 1
        sec = n % 86400
        yield (f"2026-11-13T{sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}.{n % 1000:03d}Z "
               f"{rng.choice(levels):5} worker-{rng.randint(1, 8)} payment-batch-{rng.randint(1, 41)} "
               f"processed item {rng.randint(100000, 999999)} in {rng.randint(2, 900)} ms "
               f"queue_depth={rng.randint(0, 5000)}")


def payload(size):
    rng = random.Random(20261114)
    head = (f"HEAD-MARKER first line of /var/log/payments/worker.log; on-call {HEAD_PII['email']}, "
            f"Authorization: Bearer {HEAD_PII['bearer_token']}")
    tail = "\n".join(TAIL_LINES)
    markers = {150_000: "DROP-MARKER 150000 bytes before the end of the payload",
               50_000: "KEEP-MARKER 50000 bytes before the end of the payload"}
    parts = [head]
    length = len(head)
    pending = sorted(markers, reverse=True)
    lines = log_lines(rng, 0)
    body_end = size - len(tail) - 1
    while length < body_end:
        dist_from_end = size - length
        if pending and dist_from_end <= pending[0]:
            line = markers[pending.pop(0)]
        else:
            line = next(lines)
        line = line[: max(1, body_end - length - 1)]
        parts.append(line)
        length += len(line) + 1
    parts.append(tail)
    return "\n".join(parts)


def trace(size):
    log = payload(size)
    ask = "Why did the payment batch job crash last night? Read the worker log and tell me."
    span = lambda sid, parent, name, kind, start, end, status, attrs, events=(): {
        "span_id": sid, "parent_span_id": parent, "name": name, "kind": kind,
        "start_time": start, "end_time": end, "status": status, "attributes": attrs, "events": list(events)}
    return {
        "trace_id": TRACE_ID,
        "timestamp": "2026-11-14T07:12:00.000Z",
        "service": "opsbot-log-analyst",
        "spans": [
            span("a1b2c3d4e5f60718", None, "OpsBot.run", "SERVER", "2026-11-14T07:12:00.000Z",
                 "2026-11-14T07:12:09.400Z", {"code": "ERROR", "message": "LLM request rejected"},
                 {"openinference.span.kind": "AGENT", "input.value": ask}),
            span("b2c3d4e5f6071829", "a1b2c3d4e5f60718", "read_log", "INTERNAL", "2026-11-14T07:12:01.000Z",
                 "2026-11-14T07:12:03.200Z", {"code": "OK"},
                 {"openinference.span.kind": "TOOL", "tool.name": "read_log",
                  "input.value": json.dumps({"path": "/var/log/payments/worker.log", "lines": "all"}),
                  "output.value": log, "output.mime_type": "text/plain"}),
            span("c3d4e5f60718293a", "a1b2c3d4e5f60718", "ChatCompletion", "CLIENT", "2026-11-14T07:12:03.300Z",
                 "2026-11-14T07:12:09.300Z",
                 {"code": "ERROR", "message": "This model's maximum context length is 128000 tokens. However, your "
                                              "messages resulted in 251904 tokens."},
                 {"openinference.span.kind": "LLM", "llm.provider": "openai", "llm.model_name": "gpt-4o",
                  "llm.token_count.prompt": 251904, "http.response.status_code": 400,
                  "error.type": "context_length_exceeded"},
                 [{"name": "exception", "timestamp": "2026-11-14T07:12:09.290Z",
                   "attributes": {"exception.type": "openai.BadRequestError",
                                  "exception.message": "context_length_exceeded"}}]),
        ],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=1_000_000, help="payload size in bytes (default 1000000)")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "large.json")
    args = ap.parse_args()
    if args.size < 210_000:
        ap.error("--size must be at least 210000 so the payload is over the 200 KB limit")
    data = json.dumps(trace(args.size), ensure_ascii=True, separators=(",", ":")).encode() + b"\n"
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data)} bytes, payload {args.size} bytes, sha256 "
          f"{hashlib.sha256(data).hexdigest()[:16]}...)")
    print("planted: " + ", ".join(f"{k}={v}" for d in (HEAD_PII, TAIL_PII) for k, v in d.items()))


if __name__ == "__main__":
    main()
