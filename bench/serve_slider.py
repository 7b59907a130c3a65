#!/usr/bin/env python3
"""A slider move on the live page, timed (BENCHMARKS.md, "nadra serve"): `nadra serve` pinned to
two cores (taskset -c 0,1, --threads 2), then MOVES requests as the page sends them on each move
of the share slider (POST /api/run at 10^4 paths, the baseline and v5, the page's id so each
cancels nothing stale, since each waits for the last), each polled every 10 ms until done. The
time is from the POST to the answer that carries the new summary: what the page waits before it
redraws. Prints the median, the fastest and the slowest, and the server's CPU seconds a move
(user + system, from /proc): on a busy machine the wall time says more about the neighbours than
about nadra, and CPU time / 2 is what a move takes on two idle cores where the run keeps both
busy.

    serve_slider.py NADRA_BINARY [MOVES] [PATHS]
"""
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

binary = sys.argv[1]
moves = int(sys.argv[2]) if len(sys.argv) > 2 else 20
paths = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
pin = ["taskset", "-c", "0,1"] if shutil.which("taskset") else []
server = subprocess.Popen(pin + [binary, "serve", "--port", "0", "--threads", "2"],
                          stdout=subprocess.PIPE, text=True)
port = int(re.search(r":(\d+)/", server.stdout.readline()).group(1))
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)


def call(method, path, body=None):
    connection.request(method, path, body=body, headers={"Content-Type": "application/json"})
    r = connection.getresponse()
    return r.status, json.loads(r.read())


def move(share):
    started = time.perf_counter()
    status, answer = call("POST", "/api/run", json.dumps(
        {"set": [f"deals.v5.share={share}"], "paths": paths, "deals": ["no_deal", "v5"],
         "page": "bench"}))
    assert status == 200, answer
    while True:
        _, run = call("GET", f"/api/runs/{answer['id']}")
        if run["state"] != "running":
            assert run["state"] == "done", run
            return time.perf_counter() - started
        time.sleep(0.01)


def cpu_seconds():
    with open(f"/proc/{server.pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


try:
    move(0.5)  # warm-up: the first run pays for page faults and the scenario's first load
    cpu_before = cpu_seconds()
    times = [move(round(0.3 + 0.01 * i, 2)) for i in range(moves)]
    cpu = (cpu_seconds() - cpu_before) / moves
finally:
    server.terminate()
    server.wait()
print(f"nadra serve slider move, {paths} paths, 2 deals, {'2 cores (taskset -c 0,1)' if pin else 'all cores'}: "
      f"median {statistics.median(times):.3f} s, fastest {min(times):.3f} s, slowest {max(times):.3f} s "
      f"over {moves} moves; server CPU {cpu:.3f} s a move; load average {os.getloadavg()[0]:.1f}")
