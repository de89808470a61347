#!/usr/bin/env python3
"""Measures what a login flood does to everyone else, against a running `assay serve` on loopback.

While CLIENTS threads send wrong passwords to POST /auth/login as fast as they can (each from its
own 127.0.0.x address, so the per-address limit does not simply cut them all off; with "same"
all from 127.0.0.1, as one attacker would) — for made-up emails, or with "known" all for one
registered account, whose every wrong password costs a bcrypt check — one thread
asks GET /health/live and another a signed-in GET /auth/me every 50 ms; their latencies are
printed, with the flood's answers by status. Then an account gets 30 wrong passwords and the
right one, and the answers are printed. Bounded: SECONDS of flood, then it stops.

    scripts/hammer-login.sh            # starts the service itself (bcrypt cost 12), runs this
    scripts/hammer-login.py http://127.0.0.1:18092 [SECONDS] [CLIENTS] [same|known]
"""
import collections, http.client, json, statistics, sys, threading, time, urllib.parse

base = urllib.parse.urlparse(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:18092")
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 20
clients = int(sys.argv[3]) if len(sys.argv) > 3 else 16
mode = sys.argv[4] if len(sys.argv) > 4 else ""
same_address = mode == "same"
known_account = mode == "known"


def request(method, path, body=None, token=None, source="127.0.0.1", conn=None):
    own = conn is None
    conn = conn or http.client.HTTPConnection(base.hostname, base.port, timeout=60, source_address=(source, 0))
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    started = time.perf_counter()
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - started
    if own:
        conn.close()
    return response.status, dict(response.getheaders()), data, elapsed


def sign_in(email, password, source="127.0.0.1"):
    request("POST", "/auth/register", {"email": email, "password": password}, source=source)
    status, _, data, _ = request("POST", "/auth/login", {"email": email, "password": password}, source=source)
    assert status == 200, (status, data)
    return json.loads(data)["access_token"]


def percentiles(values):
    values = sorted(values)
    pick = lambda q: values[min(len(values) - 1, int(q * len(values)))] * 1000
    return f"n={len(values)} p50={pick(0.5):.1f} ms p95={pick(0.95):.1f} ms max={values[-1] * 1000:.1f} ms"


token = sign_in("watcher@example.org", "watching the flood go by")
if known_account:
    sign_in("victim@example.org", "the victim's own password", source="127.0.0.201")
stop = threading.Event()
flood = collections.Counter()
latencies = {"/health/live": [], "/auth/me": []}


def hammer(index):
    source = "127.0.0.1" if same_address else f"127.0.0.{2 + index}"
    conn = http.client.HTTPConnection(base.hostname, base.port, timeout=60, source_address=(source, 0))
    n = 0
    while not stop.is_set():
        n += 1
        try:
            email = "victim@example.org" if known_account else f"victim{index}-{n % 50}@example.org"
            status, _, _, _ = request("POST", "/auth/login", {"email": email, "password": "not the password"}, conn=conn)
            flood[status] += 1
        except (OSError, http.client.HTTPException):
            flood["connection error"] += 1
            conn.close()
            conn = http.client.HTTPConnection(base.hostname, base.port, timeout=60, source_address=(source, 0))


def probe(path):
    while not stop.is_set():
        status, _, _, elapsed = request("GET", path, token=token if path == "/auth/me" else None)
        assert status == 200, (path, status)
        latencies[path].append(elapsed)
        time.sleep(0.05)


threads = [threading.Thread(target=hammer, args=(i,)) for i in range(clients)]
threads += [threading.Thread(target=probe, args=(path,)) for path in latencies]
for thread in threads:
    thread.start()
time.sleep(seconds)
stop.set()
for thread in threads:
    thread.join()

target = "one registered account" if known_account else "made-up emails"
print(f"{clients} clients ({'one address' if same_address else 'one address each'}) sent wrong passwords for {target} for {seconds:.0f} s: " +
      ", ".join(f"{status}: {count}" for status, count in sorted(flood.items(), key=str)))
for path, values in latencies.items():
    print(f"  GET {path:13} meanwhile: {percentiles(values)}")

time.sleep(1)
sign_in("ada@example.org", "the right password", source="127.0.0.200")
answers, waits = collections.Counter(), []
for _ in range(30):
    status, headers, _, _ = request("POST", "/auth/login", {"email": "ada@example.org", "password": "a wrong guess"},
                                    source="127.0.0.200")
    answers[status] += 1
    if status == 429:
        waits.append(int(headers.get("Retry-After", "0")))
status, headers, _, _ = request("POST", "/auth/login", {"email": "ada@example.org", "password": "the right password"},
                                source="127.0.0.200")
print("30 wrong passwords for one account: " + ", ".join(f"{a} x{n}" for a, n in sorted(answers.items())) +
      (f" (Retry-After {min(waits)}-{max(waits)} s on every 429)" if waits and len(waits) == answers[429] and min(waits) > 0 else ""))
print(f"then the right one: {status}" + (f" (Retry-After {headers.get('Retry-After')} s)" if status == 429 else ""))
