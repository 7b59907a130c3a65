#!/usr/bin/env python3
"""The load test of `nadra serve` (issue 17, "Safety"): 200 concurrent clients on loopback for
30 s ask for the page, the scenario, small runs and their status, and send malformed JSON and
malformed HTTP. Passes when the server is still running and answering at the end, no answer was
a 5xx or an unexpected status, malformed requests all got 400, fewer than 0.1% of requests
failed to connect (none should: the server listens with a long backlog), and its memory stayed
flat: resident memory at the end at most 64 MB above what it
was after a 5 s warm-up under the same load (the finished runs it keeps fill up by then).

    serve_load.py NADRA_BINARY [SECONDS] [CLIENTS]
"""
import http.client
import json
import random
import re
import socket
import subprocess
import sys
import threading
import time

binary = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 30
clients = int(sys.argv[3]) if len(sys.argv) > 3 else 200
warmup = min(5.0, seconds / 3)
rss_bound_mb = 64

server = subprocess.Popen(
    [binary, "serve", "--port", "0", "--max-paths", "5000"],
    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
line = server.stdout.readline()
match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
if not match:
    print("serve_load: the server printed no address:", line, server.stderr.read())
    sys.exit(1)
port = int(match.group(1))


def rss_mb():
    with open(f"/proc/{server.pid}/status") as f:
        for row in f:
            if row.startswith("VmRSS:"):
                return int(row.split()[1]) / 1024
    return -1.0


lock = threading.Lock()
counts = {"requests": 0, "connect_errors": 0, "unexpected": 0}
unexpected = []
stop_at = time.monotonic() + seconds


def note(ok, what):
    with lock:
        counts["requests"] += 1
        if not ok:
            counts["unexpected"] += 1
            if len(unexpected) < 20:
                unexpected.append(what)


connect_errors = []


def connect_error(what):
    with lock:
        counts["requests"] += 1
        counts["connect_errors"] += 1
        if len(connect_errors) < 5:
            connect_errors.append(what)


def request(method, path, body=None, expect=(200,)):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request(method, path, body=body, headers={"Content-Type": "application/json"})
        r = c.getresponse()
        data = r.read()
        c.close()
    except (OSError, http.client.HTTPException) as e:
        connect_error(f"{method} {path} {(body or '')[:12]}: {e!r}")
        return None, repr(e)
    note(r.status in expect, f"{method} {path} -> {r.status}")
    return r.status, data


def garbage():
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        answer = s.recv(64)
        s.close()
    except OSError as e:
        connect_error(f"garbage: {e!r}")
        return
    note(b" 400 " in answer, f"garbage -> {answer[:30]!r}")


def client(n):
    rng = random.Random(n)
    page = f"load-{n}"
    i = n
    while time.monotonic() < stop_at:
        step = i % 6
        i += 1
        if step == 0:
            request("GET", "/api/scenario")
        elif step == 1:
            request("GET", "/")
        elif step == 2:
            share = round(rng.uniform(0.1, 0.9), 2)
            body = json.dumps({"set": [f"deals.v5.share={share}"], "paths": 200,
                               "deals": ["no_deal", "v5"], "page": page})
            status, data = request("POST", "/api/run", body, expect=(200, 429))
            if status == 200:
                run = json.loads(data)["id"]
                request("GET", f"/api/runs/{run}", expect=(200, 404))
        elif step == 3:
            request("POST", "/api/run", '{"set": [', expect=(400,))
        elif step == 4:
            garbage()
        else:
            request("GET", "/api/runs/r0", expect=(404,))


threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
rss_idle = rss_mb()
for t in threads:
    t.start()
time.sleep(warmup)
rss_warm = rss_mb()
for t in threads:
    t.join()
rss_end = rss_mb()
alive = server.poll() is None
status_after, _ = request("GET", "/api/scenario")
server.terminate()
try:
    server.wait(timeout=10)
except subprocess.TimeoutExpired:
    server.kill()

print(f"serve_load: {clients} clients, {seconds:.0f} s: {counts['requests']} requests, "
      f"{counts['unexpected']} unexpected answers, {counts['connect_errors']} connection errors; "
      f"server RSS {rss_idle:.0f} MB idle, {rss_warm:.0f} MB after {warmup:.0f} s, "
      f"{rss_end:.0f} MB at the end (bound: +{rss_bound_mb} MB)")
for u in unexpected:
    print("  unexpected:", u)
for c in connect_errors:
    print("  connection error:", c)
failures = []
if not alive:
    failures.append("the server is no longer running")
if status_after != 200:
    failures.append("the server did not answer GET /api/scenario after the load")
if counts["unexpected"]:
    failures.append("unexpected answers")
if counts["connect_errors"] > counts["requests"] / 1000:
    failures.append("more than 0.1% of requests could not connect")
if rss_end > rss_warm + rss_bound_mb:
    failures.append("memory grew beyond the bound")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
