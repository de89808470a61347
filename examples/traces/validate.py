#!/usr/bin/env python3
"""Checks the labelled failure traces in this folder (Python 3 standard library only).

    python3 examples/traces/validate.py

Checks: every trace line parses and has the documented shape; labels and traces match one to one;
every failure_type of the schema is covered at least twice; every planted value occurs literally in
its trace (in a decoded string value) and card numbers pass Luhn, IBANs pass mod-97; the malformed
fixtures fail the way README.md says; the example pattern's pattern_id follows the documented rule
(and the pattern validates against the schema when the jsonschema package is importable).
Exits non-zero with one line per problem.
"""
import collections
import hashlib
import json
import re
import sys
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SCHEMA = ROOT / "schemas" / "failure-pattern.schema.json"
EXAMPLE = ROOT / "schemas" / "failure-pattern.example.json"

HEX32 = re.compile(r"^[0-9a-f]{32}$")
HEX16 = re.compile(r"^[0-9a-f]{16}$")
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
SPAN_KINDS = {"INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"}
PII_KINDS = {"email", "phone", "card_number", "iban", "national_id", "ip_address", "api_key", "bearer_token",
             "jwt", "password", "private_key", "secret"}
SEVERITIES = {"low", "medium", "high", "critical"}

problems = []


def problem(msg):
    problems.append(msg)


def when(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def luhn(s):
    digits = [int(c) for c in s if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return len(digits) >= 12 and total % 10 == 0


def iban_ok(s):
    s = s.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", s):
        return False
    return int("".join(str(int(c, 36)) for c in s[4:] + s[:4])) % 97 == 1


def strings(value):
    """Every string in a decoded JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def trace_problems(t):
    """Why `t` is not a well-formed trace; empty when it is."""
    out = []
    if not isinstance(t, dict):
        return ["not a JSON object"]
    if not isinstance(t.get("trace_id"), str) or not HEX32.match(t["trace_id"]) or set(t["trace_id"]) == {"0"}:
        out.append("trace_id missing or not 32 lowercase hex")
    if not isinstance(t.get("timestamp"), str) or not RFC3339.match(t["timestamp"]):
        out.append("timestamp missing or not RFC 3339")
    if "service" in t and not isinstance(t["service"], str):
        out.append("service is not a string")
    spans = t.get("spans")
    if not isinstance(spans, list) or not spans:
        return out + ["spans missing or empty"]
    ids = {s.get("span_id") for s in spans if isinstance(s, dict)}
    for i, s in enumerate(spans):
        where = f"spans[{i}]"
        if not isinstance(s, dict):
            out.append(f"{where} is not an object")
            continue
        if not isinstance(s.get("span_id"), str) or not HEX16.match(s["span_id"]):
            out.append(f"{where}.span_id not 16 lowercase hex")
        if s.get("parent_span_id") is not None and s["parent_span_id"] not in ids:
            out.append(f"{where}.parent_span_id names no span of this trace")
        if not isinstance(s.get("name"), str) or not s["name"]:
            out.append(f"{where}.name missing")
        if s.get("kind") not in SPAN_KINDS:
            out.append(f"{where}.kind not one of {sorted(SPAN_KINDS)}")
        st = s.get("status")
        if not isinstance(st, dict) or st.get("code") not in ("OK", "ERROR"):
            out.append(f"{where}.status.code missing or not OK|ERROR")
        for f in ("start_time", "end_time"):
            if not isinstance(s.get(f), str) or not RFC3339.match(s[f]):
                out.append(f"{where}.{f} missing or not RFC 3339")
        times_ok = all(isinstance(s.get(f), str) and RFC3339.match(s[f]) for f in ("start_time", "end_time"))
        if times_ok and when(s["end_time"]) < when(s["start_time"]):
            out.append(f"{where} ends before it starts")
        if not isinstance(s.get("attributes"), dict):
            out.append(f"{where}.attributes not an object")
        for j, e in enumerate(s.get("events", [])):
            if not isinstance(e, dict) or not e.get("name") or not RFC3339.match(str(e.get("timestamp"))):
                out.append(f"{where}.events[{j}] needs name and RFC 3339 timestamp")
    if len(ids) != len(spans):
        out.append("span_id values repeat")
    if not out and min(when(s["start_time"]) for s in spans) < when(t["timestamp"]):
        out.append("a span starts before the trace timestamp")
    return out


def check_dataset(schema):
    failure_types = schema["properties"]["failure_type"]["enum"]
    traces = {}
    for n, line in enumerate((HERE / "traces.jsonl").read_text().splitlines(), 1):
        try:
            t = json.loads(line)
        except json.JSONDecodeError as e:
            problem(f"traces.jsonl:{n}: not JSON ({e})")
            continue
        for p in trace_problems(t):
            problem(f"traces.jsonl:{n}: {p}")
        if t.get("trace_id") in traces:
            problem(f"traces.jsonl:{n}: duplicate trace_id")
        traces[t.get("trace_id")] = t

    labels = {}
    counts = collections.Counter()
    planted = 0
    for n, line in enumerate((HERE / "labels.jsonl").read_text().splitlines(), 1):
        lab = json.loads(line)
        tid = lab.get("trace_id")
        where = f"labels.jsonl:{n}"
        if tid in labels:
            problem(f"{where}: duplicate trace_id")
        labels[tid] = lab
        if tid not in traces:
            problem(f"{where}: no trace with id {tid}")
            continue
        if lab.get("failure_type") not in failure_types:
            problem(f"{where}: failure_type {lab.get('failure_type')!r} not in the schema enum")
        counts[lab.get("failure_type")] += 1
        if not SNAKE.match(str(lab.get("trigger_condition"))):
            problem(f"{where}: trigger_condition not snake_case")
        if lab.get("severity") not in SEVERITIES:
            problem(f"{where}: severity not one of {sorted(SEVERITIES)}")
        texts = list(strings(traces[tid]))
        for p in lab.get("planted_pii", []):
            planted += 1
            kind, value = p.get("kind"), p.get("value")
            if kind not in PII_KINDS:
                problem(f"{where}: unknown PII kind {kind!r}")
            if not value or not any(value in s for s in texts):
                problem(f"{where}: planted {kind} {value!r} does not occur in the trace")
            if kind == "card_number" and not luhn(value):
                problem(f"{where}: card number {value!r} fails Luhn")
            if kind == "iban" and not iban_ok(value):
                problem(f"{where}: IBAN {value!r} fails mod-97")
            if kind == "national_id" and not re.fullmatch(r"\d{3}-\d{2}-\d{4}", value):
                problem(f"{where}: national id {value!r} is not in SSN format")
    for tid in traces.keys() - labels.keys():
        problem(f"trace {tid} has no label")
    for ft in failure_types:
        if counts[ft] < 2:
            problem(f"failure_type {ft} covered {counts[ft]} time(s), need 2")
    return len(traces), planted, counts


def check_malformed():
    m = HERE / "malformed"
    expect = {
        "no-id.json": "trace_id missing",
        "no-timestamp.json": "timestamp missing",
        "incomplete.json": "name missing",
        "no-spans.json": "spans missing or empty",
    }
    for name, needle in expect.items():
        found = trace_problems(json.loads((m / name).read_text()))
        if not any(needle in p for p in found):
            problem(f"malformed/{name}: expected a problem containing {needle!r}, got {found}")
    large = m.parent / "large" / "large.json"  # made by large/make-large.py
    if large.exists():
        for p in trace_problems(json.loads(large.read_text())):
            problem(f"large/large.json: {p}")
    lines = (m / "broken.jsonl").read_text().splitlines()
    outcomes = []
    for line in lines:
        try:
            outcomes.append("ok" if not trace_problems(json.loads(line)) else "invalid")
        except json.JSONDecodeError:
            outcomes.append("broken")
    if outcomes != ["ok", "broken", "ok"]:
        problem(f"malformed/broken.jsonl: expected lines ok, broken, ok; got {outcomes}")


def check_example(schema):
    pattern = json.loads(EXAMPLE.read_text())
    expected = "fp_" + hashlib.sha256(pattern["source_trace_id"].strip().lower().encode()).hexdigest()[:16]
    if pattern["pattern_id"] != expected:
        problem(f"example pattern_id {pattern['pattern_id']} should be {expected}")
    try:
        import jsonschema
    except ImportError:
        return "jsonschema not installed: schema validation of the example skipped"
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    jsonschema.Draft202012Validator.check_schema(schema)
    for err in validator.iter_errors(pattern):
        problem(f"example pattern: {'/'.join(map(str, err.path))}: {err.message}")
    return "example pattern valid against the schema"


def main():
    schema = json.loads(SCHEMA.read_text())
    n, planted, counts = check_dataset(schema)
    check_malformed()
    note = check_example(schema)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    print(f"{n} traces, {planted} planted values, per failure_type: "
          + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
