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
cmd = f"make bench KERNEL={k}"
for opt, key, default in (("FRAMES", "frames", 150), ("BIG_FRAMES", "big_frames", 12), ("RUNS", "runs", 3)):
    # (`--big` has no make variable: qemu/bench/run's option.)
    if run[key] != default:
        cmd += f" {opt}={run[key]}"
rows = [
    f"Run of {run['date']} on commit {run['commit']}, kernel {run['kernel_build']} (`{cmd}`): "
    f"{run['runs']} runs of each pipeline per driver, {run['frames']} raw frames a run, "
    f"{run['big_frames']} at {run['big']}; guest memcpy {run['memcpy_MBps']} MB/s. Each figure is the "
    "median of the runs, ± half their range in per cent of it.",
    "",
    "| pipeline | C ms/frame | rs ms/frame | rs/C | C fps | rs fps | free-run ms/frame | free-run fps | frames identical |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
]


def fig(p, key, f):
    """The median of `key` with its spread."""
    return f"{format(p[key], f)} ±{50 * p[key.replace('_ms_per_frame', '') + '_spread']:.0f}%"


for p in run["pipelines"]:
    rows.append(
        f"| {p['pipeline']} | {fig(p, 'c_cpu_ms_per_frame', '.2f')} | "
        f"{fig(p, 'rs_cpu_ms_per_frame', '.2f')} | {p['rs_over_c']:.3f} | "
        f"{fig(p, 'c_fps', '.1f')} | {fig(p, 'rs_fps', '.1f')} | "
        f"{fig(p, 'rs_freerun_cpu_ms_per_frame', '.2f')} | {fig(p, 'rs_freerun_fps', '.1f')} | "
        f"{'yes' if p['frames_identical'] else 'NO'} |"
    )
rows += [
    "",
    "| suite (wall time, same boot) | tests | passed C / rs | C vimc s | vimc_rs s | rs/C |",
    "| --- | --- | --- | --- | --- | --- |",
]
for t in run["suites"]:
    rows.append(
        f"| {t['suite']} | {t['tests']} | {t['c_passed']} / {t['rs_passed']} | "
        f"{t['c_wall_s']:.1f} | {t['rs_wall_s']:.1f} | {t['rs_over_c']:.3f} |"
    )
text = doc.read_text()
pat = re.compile(rf"(<!-- bench {re.escape(k)} -->\n).*?(<!-- /bench {re.escape(k)} -->)", re.S)
if not pat.search(text):
    sys.exit(f"{doc}: no <!-- bench {k} --> ... <!-- /bench {k} --> block")
doc.write_text(pat.sub(lambda m: m.group(1) + "\n".join(rows) + "\n" + m.group(2), text))
print(f"bench: table for {k} written into {doc}")
