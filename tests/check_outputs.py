#!/usr/bin/env python3
"""A real run's files read back by independent readers (ctest: outputs.*).

check_outputs.py NADRA SCHEMA WORKDIR

- summary.json against docs/summary.schema.json (python3-jsonschema, draft 2020-12);
- gains: deal - baseline, equal to the mirrored differences and to the deals' means' difference;
- `nadra run --xlsx` read back with python3-openpyxl, its cells compared with summary.json and
  terms.json, and the same cells as `nadra export DIR --xlsx` writes;
- the terminal table's gains and discount rates; a workbook that cannot be written leaves nothing.
Exits 77 (skipped) when jsonschema or openpyxl is missing.
"""

import json
import math
import os
import shutil
import subprocess
import sys

try:
    import jsonschema
    import openpyxl
except ImportError as e:  # scripts/install-deps installs both
    print(f"skipped: {e}")
    sys.exit(77)

NADRA, SCHEMA, WORK = sys.argv[1:4]
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def close(a, b, rel=1e-14):
    """libxlsxwriter writes numbers with 16 significant digits, summary.json with 17."""
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-300)


def nadra(*args):
    return subprocess.run([NADRA, *args], capture_output=True, text=True, check=False)


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
out = os.path.join(WORK, "run")
run_xlsx = os.path.join(WORK, "run.xlsx")
run = nadra("run", "--paths", "400", "--seed", "7", "--threads", "2", "--out", out,
            "--xlsx", run_xlsx)
check(run.returncode == 0, f"nadra run: {run.returncode} {run.stderr}")
if run.returncode != 0:
    sys.exit(1)
summary = json.load(open(os.path.join(out, "summary.json")))
terms = json.load(open(os.path.join(out, "terms.json")))

# The schema, on a real run's output; and it rejects a summary without gains or with a stray key.
schema = json.load(open(SCHEMA))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(summary)]
check(not errors, f"summary.json against the schema: {errors[:5]}")
broken = json.loads(json.dumps(summary))
del broken["gains"]
broken["deals"][0]["metrics"]["host_valeu"] = broken["deals"][0]["metrics"]["host_value"]
check(len(list(validator.iter_errors(broken))) == 2, "the schema misses a missing or stray key")
check(all(d.get("by_year") and d.get("by_asset") and d.get("by_commodity")
          for d in summary["deals"]), "a deal without by_year, by_asset or by_commodity")

# Gains: gain = deal - baseline, no_deal the baseline.
names = [d["name"] for d in summary["deals"]]
check(names[0] == "no_deal" and len(names) > 2, f"deals {names}")
gains = summary["gains"]
check([g["deal"] for g in gains] == names[1:], "a gain for every deal but no_deal, in order")
deal_metrics = {d["name"]: d["metrics"] for d in summary["deals"]}
mirror = {"p5": "p95", "p25": "p75", "p50": "p50", "p75": "p25", "p95": "p5"}
for g in gains:
    check(g["baseline"] == "no_deal", f"baseline {g['baseline']}")
    difference = next(d for d in summary["differences"] if d["a"] == "no_deal" and d["b"] == g["deal"])
    check(set(g["metrics"]) == set(difference["metrics"]), "gains' metrics are the differences'")
    for metric, stats in g["metrics"].items():
        d = difference["metrics"][metric]
        check(stats["mean"] == -d["mean"], f"{g['deal']} {metric} mean is not -difference")
        for p, q in mirror.items():
            check(stats[p] == -d[q] or (stats[p] == 0 and d[q] == 0),
                  f"{g['deal']} {metric} {p} is not -difference {q}")
        for same in ("sd", "sem", "count"):
            check(stats[same] == d[same], f"{g['deal']} {metric} {same}")
        # Paired over the same paths: the mean gain is the difference of the means.
        direct = deal_metrics[g["deal"]][metric]["mean"] - deal_metrics["no_deal"][metric]["mean"]
        scale = max(abs(deal_metrics[g["deal"]][metric]["mean"]),
                    abs(deal_metrics["no_deal"][metric]["mean"]), 1.0)
        check(abs(stats["mean"] - direct) <= 1e-9 * scale,
              f"{g['deal']} {metric}: mean gain {stats['mean']} vs {direct}")

# The terminal: each deal's gains over no_deal with standard errors, and the discount rates.
table = run.stdout
check("host gain" in table and "partner gain" in table, "the table's gain columns")
check("gain = deal - no_deal" in table, "the table says gain = deal - baseline")
rates = terms["discount_rates"]
check(f"host's values at {100 * rates['host']:.1f}%" in table
      or f"host's values at {100 * rates['host']:.2g}%" in table, f"host's rate in {table}")
table_lines = table.splitlines()
table_lines = table_lines[:next(i for i, line in enumerate(table_lines)
                                if line.startswith("discount rates")) + 1]
for line in table_lines:
    check(len(line) <= 120, f"a line wider than 120 columns: {line!r}")


def readable(value):
    """As the table rounds: one decimal, or two significant figures below 1."""
    if value == 0 or abs(value) >= 1:
        return f"{value:.1f}"
    return f"{value:.{min(6, 1 - math.floor(math.log10(abs(value))))}f}"


for g in gains:
    row = next(line for line in table_lines if line.startswith(g["deal"] + " "))
    for metric in ("host_value", "partner_value"):
        s = g["metrics"][metric]
        cell = f"{readable(s['mean'] / 1e9)} ± {readable(s['sem'] / 1e9)}"
        check(cell in row, f"{g['deal']}'s row lacks its {metric} gain {cell}: {row}")

# The workbook, read back by openpyxl.
book = openpyxl.load_workbook(run_xlsx, data_only=True)
check(book.sheetnames == ["Run", "Summary", "Gains", "Differences", "By year", "By asset",
                          "By commodity", "Projects"], f"sheets {book.sheetnames}")


def rows(sheet):
    values = [list(r) for r in book[sheet].iter_rows(values_only=True)]
    return values[0], values[1:]


for sheet in book.sheetnames:
    check(book[sheet].freeze_panes == "A2", f"{sheet}: header row not frozen")

header, body = rows("Run")
run_fields = {r[0]: r[1] for r in body}
check(run_fields["scenario"] == summary["scenario"], "Run: scenario")
check(run_fields["seed"] == 7 and run_fields["paths"] == 400, "Run: seed and paths")
check(run_fields["scenario SHA-256"] == summary["scenario_sha256"], "Run: sha256")
check(run_fields["nadra version"] == summary["nadra_version"], "Run: version")
check(run_fields["reproduce"] == f"nadra run --seed 7 --paths 400 --deals {','.join(names)}",
      f"Run: reproduce {run_fields['reproduce']}")
check(close(run_fields["host's discount rate (a year)"], rates["host"]), "Run: host's rate")
check(close(run_fields["partner's discount rate (a year)"], rates["partner"]),
      "Run: partner's rate")
check(run_fields["gains"] == "gain = deal - baseline, path by path", "Run: gains")

stats = ["mean", "sd", "sem", "p5", "p25", "p50", "p75", "p95"]
header, body = rows("Summary")
check(header == ["deal", "metric", "unit", *stats, "count"], f"Summary header {header}")
expected = [(d["name"], m) for d in summary["deals"] for m in d["metrics"]]
check([(r[0], r[1]) for r in body] == expected, "Summary: a row per deal and metric")
for r in body:
    s = deal_metrics[r[0]][r[1]]
    check(r[2] == {"share_ceded": "fraction", "cap_year": "year"}.get(r[1], "USD"),
          f"Summary: unit of {r[1]}")
    for i, stat in enumerate(stats):
        check(close(r[3 + i], s[stat]), f"Summary {r[0]} {r[1]} {stat}: {r[3 + i]} vs {s[stat]}")
    check(r[11] == s["count"], f"Summary {r[0]} {r[1]} count")

for sheet, key, first, second in (("Gains", "gains", "deal", "baseline"),
                                  ("Differences", "differences", "a", "b")):
    header, body = rows(sheet)
    check(header[:2] == [first, second] and header[2].startswith("metric ("),
          f"{sheet} header {header}")
    if sheet == "Gains":
        check(header[2] == "metric (gain = deal - baseline)", f"Gains header {header[2]}")
    expected = [(p[first], p[second], m, s) for p in summary[key] for m, s in p["metrics"].items()]
    check(len(body) == len(expected), f"{sheet}: rows")
    for r, (a, b, m, s) in zip(body, expected):
        check(r[:3] == [a, b, m], f"{sheet}: row {r[:3]}")
        for i, stat in enumerate(stats):
            check(close(r[4 + i], s[stat]), f"{sheet} {a} {m} {stat}: {r[4 + i]} vs {s[stat]}")

header, body = rows("By year")
check(header == ["deal", "series", "year"] + [f"{s} (USD)" for s in
                                              ["mean", "p5", "p25", "p50", "p75", "p95"]],
      f"By year header {header}")
expected = []
for d in summary["deals"]:
    for series, values in d["by_year"]["series"].items():
        for t, year in enumerate(d["by_year"]["years"]):
            expected.append([d["name"], series, year] +
                            [values[s][t] for s in ["mean", "p5", "p25", "p50", "p75", "p95"]])
check(len(body) == len(expected), f"By year: {len(body)} rows, {len(expected)} expected")
for r, e in zip(body, expected):
    check(r[:3] == e[:3] and all(close(x, y) for x, y in zip(r[3:], e[3:])), f"By year {e[:3]}")

for sheet, key, keys in (("By asset", "by_asset", ["asset", "kind", "commodity"]),
                         ("By commodity", "by_commodity", ["commodity"])):
    header, body = rows(sheet)
    check(header == ["deal", *keys, "contributions (USD, undiscounted)",
                     "contributions NPV (USD, at the host's rate)", "share of the deal's"],
          f"{sheet} header {header}")
    expected = [[d["name"], *[a[k] for k in keys], a["contributions"], a["contributions_npv"],
                 a["share"]] for d in summary["deals"] for a in d[key]]
    check(len(body) == len(expected), f"{sheet}: rows")
    for r, e in zip(body, expected):
        n = 1 + len(keys)
        check(r[:n] == e[:n] and all(close(x, y) for x, y in zip(r[n:], e[n:])), f"{sheet} {e}")
    # V5's contributions by commodity add up to its mean contributions.
    if key == "by_commodity":
        v5_rows = [r for r in body if r[0] == "v5"]
        total = sum(r[2] for r in v5_rows)
        mean = deal_metrics["v5"]["host_contributions"]["mean"]
        check(abs(total - mean) <= 1e-9 * abs(mean), f"V5 by commodity {total} vs {mean}")

header, body = rows("Projects")
check(header[:6] == ["project", "commodity", "breakeven price", "price unit",
                     "government take (fraction)", "AETR (fraction)"], f"Projects header {header}")
check(header[6:9] == ["no_deal: started probability", "no_deal: median start year",
                      "no_deal: co-invested probability"], f"Projects header {header[6:9]}")
check(len(header) == 6 + 3 * len(names), "Projects: three columns a deal")
check(len(body) == len(summary["projects"]), "Projects: a row a project")
project_terms = {p["name"]: p for p in terms["projects"]}
for r, p in zip(body, summary["projects"]):
    check(r[0] == p["name"] and r[1] == project_terms[p["name"]]["commodity"], f"Projects {r[:2]}")
    check(close(r[2], p["breakeven_price"]) and close(r[4], p["government_take"])
          and close(r[5], p["aetr"]), f"Projects {p['name']} fiscal")
    check(r[3] == project_terms[p["name"]]["unit"], f"Projects {p['name']} unit")
    for j, d in enumerate(summary["deals"]):
        starts = next(s for s in d["projects"] if s["name"] == p["name"])
        got = r[6 + 3 * j: 9 + 3 * j]
        want = [starts["started_probability"], starts["median_start_year"],
                starts["co_invested_probability"]]
        check(all(close(x, y) for x, y in zip(got, want)), f"Projects {p['name']} {d['name']}")

# `nadra export` gives the same workbook, cell for cell (but the date it was made).
export_xlsx = os.path.join(WORK, "export.xlsx")
exported = nadra("export", out, "--xlsx", export_xlsx)
check(exported.returncode == 0, f"nadra export: {exported.stderr}")
other = openpyxl.load_workbook(export_xlsx, data_only=True)
check(other.sheetnames == book.sheetnames, "export: sheets")
for sheet in book.sheetnames:
    a = [list(r) for r in book[sheet].iter_rows(values_only=True)]
    b = [list(r) for r in other[sheet].iter_rows(values_only=True)]
    if sheet == "Run":
        a = [r for r in a if r[0] != "workbook made"]
        b = [r for r in b if r[0] != "workbook made"]
    check(a == b, f"export: sheet {sheet} differs from run --xlsx's")

# Whole or not at all: a workbook that cannot be written leaves nothing, not even a temp file.
blocker = os.path.join(WORK, "blocker")
open(blocker, "w").close()
failed = nadra("export", out, "--xlsx", os.path.join(blocker, "x.xlsx"))
check(failed.returncode == 1 and "error: workbook:" in failed.stderr,
      f"export into a file: {failed.returncode} {failed.stderr}")
missing = nadra("export", os.path.join(WORK, "nothing"), "--xlsx", os.path.join(WORK, "n.xlsx"))
check(missing.returncode == 1 and not os.path.exists(os.path.join(WORK, "n.xlsx")),
      "export of a folder without a run")
check(not [f for f in os.listdir(WORK) if ".tmp-" in f], f"temp files left: {os.listdir(WORK)}")

print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)
