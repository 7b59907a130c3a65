#!/usr/bin/env python3
"""Runs the examples of docs/api.md against a fresh `nadra serve` and checks each answer's shape:
every ```sh block that calls curl is run (in order, in a scratch folder, with the documented
address replaced by the server's), and the block that follows it is the answer it must give:
```json: every key of the documented answer is in the real one with a value of the same type
(objects and the first item of lists compared the same way); ```toml or ```text: the real
answer's first line is the documented one, up to the first ':' when it has one. An example whose
documented answer has "state": "done" is asked again until the run is no longer running.

    check_api_docs.py NADRA_BINARY docs/api.md
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

binary, doc = sys.argv[1], sys.argv[2]
documented = "http://127.0.0.1:8080"
blocks = re.findall(r"```(\w+)\n(.*?)```", open(doc, encoding="utf-8").read(), re.S)
examples = []
for i, (kind, text) in enumerate(blocks):
    if kind == "sh" and "curl " in text and i + 1 < len(blocks):
        examples.append((text.strip(), blocks[i + 1][0], blocks[i + 1][1]))
if len(examples) < 6:
    print(f"check_api_docs: only {len(examples)} examples found in {doc}")
    sys.exit(1)

server = subprocess.Popen([binary, "serve", "--port", "0"], stdout=subprocess.PIPE, text=True)
match = re.search(r"(http://127\.0\.0\.1:\d+)/", server.stdout.readline())
if not match:
    print("check_api_docs: the server printed no address")
    sys.exit(1)
address = match.group(1)


def same_shape(doc_value, real, where):
    problems = []
    if isinstance(doc_value, dict):
        if not isinstance(real, dict):
            return [f"{where}: expected an object, got {json.dumps(real)[:80]}"]
        for key, value in doc_value.items():
            if key not in real:
                problems.append(f"{where}.{key}: missing")
            else:
                problems += same_shape(value, real[key], f"{where}.{key}")
    elif isinstance(doc_value, list):
        if not isinstance(real, list):
            return [f"{where}: expected a list"]
        if doc_value and real:
            problems += same_shape(doc_value[0], real[0], f"{where}[0]")
    elif isinstance(doc_value, bool) or doc_value is None:
        if type(real) is not type(doc_value):
            problems.append(f"{where}: expected {json.dumps(doc_value)}, got {json.dumps(real)}")
    elif isinstance(doc_value, (int, float)):
        if isinstance(real, bool) or not isinstance(real, (int, float)):
            problems.append(f"{where}: expected a number, got {json.dumps(real)}")
    elif isinstance(doc_value, str) and not isinstance(real, str):
        problems.append(f"{where}: expected a string, got {json.dumps(real)}")
    return problems


failures = 0
with tempfile.TemporaryDirectory() as scratch:
    try:
        for command, kind, expected in examples:
            command = command.replace(documented, address)
            for attempt in range(600):
                out = subprocess.run(command, shell=True, cwd=scratch, capture_output=True,
                                     text=True, timeout=120).stdout
                if kind != "json":
                    break
                try:
                    real = json.loads(out)
                except json.JSONDecodeError:
                    real = None
                want = json.loads(expected)
                if not (isinstance(want, dict) and want.get("state") == "done" and
                        isinstance(real, dict) and real.get("state") == "running"):
                    break
                time.sleep(0.1)
            if kind == "json":
                problems = ["not JSON: " + out[:200]] if real is None else same_shape(want, real, "answer")
            else:
                first_doc = expected.strip().splitlines()[0]
                first_real = out.strip().splitlines()[0] if out.strip() else ""
                prefix = first_doc.split(":")[0]
                problems = [] if first_real.startswith(prefix) else [
                    f"first line {first_real!r}, documented {first_doc!r}"]
            print(("ok   " if not problems else "FAIL ") + command.splitlines()[0][:100])
            for p in problems:
                print("     ", p)
            failures += bool(problems)
    finally:
        server.terminate()
        server.wait(timeout=10)
print(f"check_api_docs: {len(examples)} examples, {failures} failed")
sys.exit(1 if failures else 0)
