#!/usr/bin/env python3
# The Grafana dashboard (etc/grafana/pathwarden-dashboard.json): every
# PromQL expression in it (panel targets, annotation queries, the
# metric selectors of its variables' label_values()) with Grafana's
# variables replaced by values of their kind, then parsed by promtool as
# a recording rule of a file of its own, and checked to name only metrics
# and labels the daemon exports.  A typo in an expression, a variable no
# one defines or a metric that does not exist fails here, not on a blank
# panel.  Prints TAP.
# Usage: dashboard.py DASHBOARD_JSON EXPOSITION_C
#
# Without promtool (Debian: prometheus) this fails, it does not skip.
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import promql_names  # noqa: E402

# Grafana's own variables, each replaced by a value of its kind.
BUILTIN = {
    "__rate_interval": "5m", "__interval": "1m", "__range": "6h",
    "__interval_ms": "60000", "__range_s": "21600", "__range_ms": "21600000",
}
# $name, ${name}, ${name:format}, [[name]]
VAR_RE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)(?::\w+)?\]\]")

n = 0
failed = 0


def result(good, desc, diag=""):
    global n, failed
    n += 1
    if not good:
        failed += 1
    print("%s %d - %s" % ("ok" if good else "not ok", n, desc))
    for line in diag.splitlines() if not good else []:
        if line.strip():
            print("# " + line)


def expressions(dash):
    """(where, expr) for every PromQL expression of the dashboard."""
    found = []

    def walk(node, where):
        if isinstance(node, dict):
            if node.get("type") != "row" and "title" in node:
                where = node["title"]
            elif "name" in node and "iconColor" in node:
                where = "annotation " + node["name"]
            if isinstance(node.get("expr"), str):
                found.append(("%s/%s" % (where, node.get("refId", "-")),
                              node["expr"]))
            for v in node.values():
                walk(v, where)
        elif isinstance(node, list):
            for v in node:
                walk(v, where)

    walk(dash.get("panels", []), "?")
    walk(dash.get("annotations", {}), "?")
    for v in dash.get("templating", {}).get("list", []):
        if v.get("type") != "query":
            continue
        q = v.get("query")
        q = q.get("query", "") if isinstance(q, dict) else q or ""
        m = re.fullmatch(r"\s*label_values\((.*),\s*\w+\)\s*", q, re.S)
        m = m or re.fullmatch(r"\s*query_result\((.*)\)\s*", q, re.S)
        if m:
            found.append(("variable $" + v["name"], m.group(1)))
        elif not re.fullmatch(r"\s*(label_names|metrics|label_values)"
                              r"\(.*\)\s*", q, re.S):
            found.append(("variable $" + v["name"], q))
    return found


def substitute(expr, variables):
    """@expr with each variable replaced; (text, names not defined)."""
    missing = []

    def value(m):
        name = m.group(1) or m.group(2) or m.group(3)
        if name in BUILTIN:
            return BUILTIN[name]
        if name in variables:
            return variables[name]
        missing.append(name)
        return m.group(0)

    return VAR_RE.sub(value, expr), missing


def promtool_parses(expr, tmp):
    path = os.path.join(tmp, "expr.rules.yml")
    body = "\n".join("          " + line for line in expr.split("\n"))
    with open(path, "w") as f:
        f.write("groups:\n  - name: dashboard\n    rules:\n"
                "      - record: pathwarden_dashboard_check\n"
                "        expr: |\n" + body + "\n")
    p = subprocess.run(["promtool", "check", "rules", path],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    return p.returncode == 0, p.stdout


def main(argv):
    dash_path, expo_c = argv[1], argv[2]
    if not shutil.which("promtool"):
        result(False, "promtool is installed (Debian package prometheus)")
        print("1..%d" % n)
        return 1
    result(True, "promtool is installed")
    try:
        with open(dash_path) as f:
            dash = json.load(f)
    except (OSError, ValueError) as e:
        result(False, "the dashboard is JSON", str(e))
        print("1..%d" % n)
        return 1
    result(True, "the dashboard is JSON")

    ids, empty = [], []

    def panels(items):
        for p in items:
            yield p
            yield from panels(p.get("panels", []))

    for p in panels(dash.get("panels", [])):
        ids.append(p.get("id"))
        if p.get("type") != "row" and not any(
                t.get("expr", "").strip() for t in p.get("targets", [])):
            empty.append(p.get("title", "?"))
    dup = sorted({i for i in ids if ids.count(i) > 1}, key=str)
    result(not dup and None not in ids, "every panel has an id of its own",
           "ids used twice or missing: %s" % dup)
    result(not empty, "every panel has a query", "no query: %s" % empty)

    # A value of each variable's kind: an interval for an interval
    # variable, a word for the rest (they sit in label matchers).
    variables = {}
    for v in dash.get("templating", {}).get("list", []):
        variables[v["name"]] = "5m" if v.get("type") == "interval" else \
            "pathwarden"
    metrics, labels = promql_names.exported(expo_c)
    exprs = expressions(dash)
    result(len(exprs) > 0, "the dashboard has PromQL expressions (%d)" %
           len(exprs))
    with tempfile.TemporaryDirectory() as tmp:
        for where, expr in exprs:
            text, missing = substitute(expr, variables)
            good, out = promtool_parses(text, tmp)
            bad = promql_names.unknown(text, metrics, labels)
            diag = ""
            if missing:
                diag += "variables no one defines: %s\n" % ", ".join(missing)
            if not good:
                diag += "expression: %s\n%s" % (text, out)
            if bad:
                diag += "not exported: %s\n" % ", ".join(bad)
            result(good and not missing and not bad,
                   "%s: parses, names only exported metrics and labels" %
                   where, diag)
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
