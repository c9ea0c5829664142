#!/usr/bin/env python3
"""doc-blocks.py TOP OUTDIR: the examples of README.md and docs/*.md that
are marked to run in the guest (fenced blocks opened by "```sh guest"),
each into OUTDIR/NNN.sh, whose first line names its file and line. Scenario
25-docs-examples runs them as written, so that the docs cannot drift from
what the modules do."""
import pathlib
import sys

top, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
n = 0
for doc in [top / "README.md", *sorted((top / "docs").glob("*.md"))]:
    block, start = None, 0
    for i, line in enumerate(doc.read_text().splitlines(), 1):
        if block is None:
            if line.strip() == "```sh guest":
                block, start = [], i
        elif line.strip() == "```":
            n += 1
            where = f"{doc.relative_to(top)}:{start}"
            (out / f"{n:03}.sh").write_text(f"# {where}\n" + "\n".join(block) + "\n")
            block = None
        else:
            block.append(line)
    if block is not None:
        sys.exit(f"{doc}:{start}: a guest example without its closing fence")
print(f"{n} examples")
