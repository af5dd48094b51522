#!/usr/bin/env python3
"""Prints line coverage per target (Sources/<Target>/) from the JSON that
`swift test --enable-code-coverage` writes; the path comes from `swift test --show-codecov-path`.
With `--min P`, exits 1 when the coverage of all targets together is under P percent."""
import json
import os
import sys

def main(path, minimum=None):
    data = json.load(open(path))
    root = os.path.join(os.getcwd(), "Sources") + os.sep
    per_target = {}
    for export in data["data"]:
        for entry in export["files"]:
            name = entry["filename"]
            if not name.startswith(root):
                continue
            target = name[len(root):].split(os.sep)[0]
            lines = entry["summary"]["lines"]
            covered, count = per_target.get(target, (0, 0))
            per_target[target] = (covered + lines["covered"], count + lines["count"])
    total_covered = sum(c for c, _ in per_target.values())
    total = sum(n for _, n in per_target.values())
    print(f"{'target':<14} {'lines':>7} {'covered':>8} {'coverage':>9}")
    for target in sorted(per_target):
        covered, count = per_target[target]
        pct = 100.0 * covered / count if count else 0.0
        print(f"{target:<14} {count:>7} {covered:>8} {pct:>8.1f}%")
    pct = 100.0 * total_covered / total if total else 0.0
    print(f"{'all':<14} {total:>7} {total_covered:>8} {pct:>8.1f}%")
    if minimum is not None and pct < minimum:
        print(f"coverage: {pct:.1f}% of lines, under the {minimum:g}% bar", file=sys.stderr)
        sys.exit(1)

if __name__ == "__main__":
    arguments = sys.argv[1:]
    minimum = None
    if "--min" in arguments:
        at = arguments.index("--min")
        minimum = float(arguments[at + 1])
        del arguments[at:at + 2]
    main(arguments[0], minimum)
