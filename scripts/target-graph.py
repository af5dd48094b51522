#!/usr/bin/env python3
"""The package's target graph, read from Package.swift (through `swift package dump-package`).

  target-graph.py            prints it as a Mermaid graph (what docs/architecture.md shows)
  target-graph.py --check    fails when a library target depends on, or a source file imports, one of
                             our targets that DESIGN.md's "may import" rule does not allow, or when
                             docs/architecture.md's graph is not the one Package.swift gives
"""
import json
import os
import re
import subprocess
import sys

# DESIGN.md's "may import" rule, for our own targets (external packages are not listed).
ALLOWED = {
    "Core": set(),
    "Facts": {"Core"},
    "Store": {"Core", "Facts", "CMalloc"},
    "PaymentsStore": {"Core", "Store"},
    "StripeAPI": {"Core"},
    "PostgresAccess": set(),
    "PaymentsPostgres": {"Core", "PaymentsStore", "PostgresAccess"},
    "Extract": {"Core", "Store", "StripeAPI", "PostgresAccess"},
    "Reconcile": {"Core", "Facts"},
    "Report": {"Core", "Store", "CXlsxWriter"},
    "Payments": {"Core", "PaymentsStore", "StripeAPI", "CHaru", "CCurl"},
    "SandboxData": {"Core"},
    "Sandbox": {"Core", "StripeAPI", "SandboxData"},
    "Stages": {"Core", "Facts", "Store", "StripeAPI", "Extract", "Reconcile", "Report", "Payments", "PaymentsPostgres"},
    # The pure rule tests: they must build without Store (and so without GRDB).
    "ReconcileTests": {"Core", "Facts", "Reconcile"},
}
# Targets that must not link GRDB, even through another package: the pure ones.
NO_DATABASE = {"Core", "Facts", "Reconcile", "ReconcileTests"}
BEGIN, END = "<!-- target-graph: begin -->", "<!-- target-graph: end -->"


def targets():
    dump = json.loads(subprocess.run(["swift", "package", "dump-package"], check=True, capture_output=True, text=True).stdout)
    result = {}
    for target in dump["targets"]:
        deps = []
        for dependency in target["dependencies"]:
            kind = next(iter(dependency))
            deps.append(dependency[kind][0])
        result[target["name"]] = (target["type"], target.get("path"), deps)
    return result


def graph(all_targets):
    ours = {name for name, (kind, _, _) in all_targets.items() if kind in ("regular", "executable", "system")}
    # Every target imports Core: its edges are left out, or they would be half the graph.
    lines = ["```mermaid", "graph TD"]
    for name, (kind, _, deps) in sorted(all_targets.items()):
        if kind not in ("regular", "executable") or name == "TestSupport":
            continue
        for dep in deps:
            if dep in ours and dep != "Core":
                lines.append(f"    {name.replace('-', '_')} --> {dep}")
    lines.append("```")
    return "\n".join(lines)


def check(all_targets):
    problems = []
    ours = set(all_targets)
    for name, allowed in ALLOWED.items():
        kind, path, deps = all_targets[name]
        for dep in deps:
            if dep in ours and dep not in allowed:
                problems.append(f"Package.swift: {name} depends on {dep}; it may import only {sorted(allowed) or 'nothing of ours'}")
            if name in NO_DATABASE and dep.startswith("GRDB"):
                problems.append(f"Package.swift: {name} must not depend on {dep}")
        folder = path or os.path.join("Tests" if kind == "test" else "Sources", name)
        for root, _, files in os.walk(folder):
            for file in sorted(files):
                if not file.endswith(".swift"):
                    continue
                source = os.path.join(root, file)
                for number, line in enumerate(open(source, encoding="utf-8"), 1):
                    match = re.match(r"\s*(?:@testable\s+|@_exported\s+)?import\s+(\w+)", line)
                    if match and match.group(1) in ours and match.group(1) not in allowed | {name}:
                        problems.append(f"{source}:{number}: {name} imports {match.group(1)}; it may import only {sorted(allowed)}")
                    if match and name in NO_DATABASE and match.group(1).startswith("GRDB"):
                        problems.append(f"{source}:{number}: {name} imports {match.group(1)}")
    doc = open("docs/architecture.md", encoding="utf-8").read()
    if BEGIN not in doc or END not in doc:
        problems.append(f"docs/architecture.md: no graph between {BEGIN} and {END}")
    else:
        shown = doc.split(BEGIN, 1)[1].split(END, 1)[0].strip()
        if shown != graph(all_targets):
            problems.append("docs/architecture.md: the target graph is not Package.swift's; paste the output of scripts/target-graph.py")
    return problems


def main():
    all_targets = targets()
    if "--check" in sys.argv[1:]:
        problems = check(all_targets)
        for problem in problems:
            print(problem, file=sys.stderr)
        sys.exit(1 if problems else 0)
    print(graph(all_targets))


if __name__ == "__main__":
    main()
