# The metric and label names a PromQL expression uses, against the ones
# pathwarden exports.  promtool parses an expression but cannot know that
# pathwarden_path_upp or `by (nod)` names nothing: a rule or a panel with
# such a typo would simply never show anything.  Imported by dashboard.py
# and run by rules.sh:
#
#   python3 promql_names.py EXPOSITION_C FILE...
#
# prints each name a file's expressions use that is not exported, one a
# line, and exits 1 if there is any.  For a rules file, the expressions
# are the `expr:` values and the queries its annotations run.
import re
import sys

# Names from outside the daemon: Prometheus's own.
OTHER_METRICS = {"up"}
OTHER_LABELS = {"instance", "job", "__name__"}

HISTOGRAM_SERIES = ("_bucket", "_sum", "_count")


def exported(exposition_c):
    """(metrics, labels) the exposition writes: its string literals."""
    with open(exposition_c) as f:
        src = f.read()
    metrics = set(re.findall(r'"(pathwarden_[a-z_]+)', src))
    labels = set(re.findall(r'([a-z_]+)=\\"', src))
    return metrics | OTHER_METRICS, labels | OTHER_LABELS


def _metric_known(name, metrics):
    if name in metrics:
        return True
    return any(name.endswith(s) and name[:-len(s)] in metrics
               for s in HISTOGRAM_SERIES)


def unknown(expr, metrics, labels):
    """The names in @expr that are not exported, as 'metric X' or 'label Y'."""
    bad = []
    for m in sorted(set(re.findall(r"\b(pathwarden_[a-z_]+)", expr))):
        if not _metric_known(m, metrics):
            bad.append("metric " + m)
    # matchers; %q: a template's printf fills the value in
    used = set(re.findall(r'\b([A-Za-z_]\w*)\s*(?:=~|!~|!=|=)\s*(?:\\?"|%q)',
                          expr))
    for group in re.findall(r"\b(?:by|without|on|ignoring|group_left|"
                            r"group_right)\s*\(([^)]*)\)", expr):
        used |= {n.strip() for n in group.split(",") if n.strip()}
    bad += ["label " + n for n in sorted(used - labels)]
    return bad


def rules_expressions(path):
    """The expressions of a Prometheus rules file: each `expr:` value
    (inline or a block), and the printf'ed queries of its templates.
    Reads the layout the rules file has, not YAML in general."""
    exprs = []
    with open(path) as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^(\s*)expr:\s*(.*)$", lines[i])
        if m:
            indent, rest = len(m.group(1)), m.group(2).strip()
            if rest in ("|", ">", "|-", ">-"):
                block = []
                i += 1
                while i < len(lines) and (not lines[i].strip() or
                                          len(lines[i]) -
                                          len(lines[i].lstrip()) > indent):
                    block.append(lines[i])
                    i += 1
                exprs.append("\n".join(block))
                continue
            exprs.append(rest)
        for q in re.findall(r'printf "((?:[^"\\]|\\.)*)"', lines[i]):
            exprs.append(q.replace('\\"', '"'))
        i += 1
    return exprs


def main(argv):
    metrics, labels = exported(argv[1])
    bad = []
    for path in argv[2:]:
        for e in rules_expressions(path):
            bad += ["%s: %s" % (path, b) for b in unknown(e, metrics, labels)]
    for b in sorted(set(bad)):
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
