#!/usr/bin/env python3
"""bench-docs.py BENCH_JSON DOC: writes the table of a make bench run
(results/bench.json, which qemu/bench/run writes) into DOC between the
lines `<!-- bench KERNEL -->` and `<!-- /bench KERNEL -->`, KERNEL being the
run's, so that docs/benchmarks.md shows each kernel's last run as the bench
measured it, never retyped."""
import json
import pathlib
import re
import sys

run = json.loads(pathlib.Path(sys.argv[1]).read_text())
doc = pathlib.Path(sys.argv[2])
k = run["kernel"]
rows = [
    f"Run of {run['date']} on commit {run['commit']}, kernel {run['kernel_build']}, "
    f"{run['frames']} frames per run (`make bench KERNEL={k} FRAMES={run['frames']}`); "
    f"guest memcpy {run['memcpy_MBps']} MB/s.",
    "",
    "| pipeline | C ms/frame | rs ms/frame | rs/C | C fps | rs fps | free-run ms/frame | free-run fps | frames identical |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
]
def fig(x, f):
    """A figure, "-" where the run had none (too short to sample)."""
    return "-" if x is None else format(x, f)


for p in run["pipelines"]:
    rows.append(
        f"| {p['pipeline']} | {fig(p['c_cpu_ms_per_frame'], '.2f')} | "
        f"{fig(p['rs_cpu_ms_per_frame'], '.2f')} | {fig(p['rs_over_c'], '.3f')} | "
        f"{fig(p['c_fps'], '.1f')} | {fig(p['rs_fps'], '.1f')} | "
        f"{fig(p['rs_freerun_cpu_ms_per_frame'], '.2f')} | {fig(p['rs_freerun_fps'], '.1f')} | "
        f"{'yes' if p['frames_identical'] else 'NO'} |"
    )
text = doc.read_text()
pat = re.compile(rf"(<!-- bench {re.escape(k)} -->\n).*?(<!-- /bench {re.escape(k)} -->)", re.S)
if not pat.search(text):
    sys.exit(f"{doc}: no <!-- bench {k} --> ... <!-- /bench {k} --> block")
doc.write_text(pat.sub(lambda m: m.group(1) + "\n".join(rows) + "\n" + m.group(2), text))
print(f"bench: table for {k} written into {doc}")
