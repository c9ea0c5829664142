#!/bin/sh -e
# Smoke run of `make bench` on the bench kernel (240 frames, 64x48 for the big
# pipelines), so the bench keeps working: every paced run reports frames
# and wall time, and all runs of a pipeline deliver the same bytes. (The
# sampler takes about a second a round under TCG, more when other guests
# share the CPU: with 120 frames, 4 s at 30 fps, a run could end before
# its first sample.)
# needs: c-vimc
# reference: recorded
# kernel: bench
# timeout: 600
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
. /vimc-rs/tests/lib/bench.inc
. /vimc-rs/tests/lib/compare.inc
# C vimc's paced runs (or their record), then vimc_rs's, as bench_all.
bench_size 240 64x48
c_side() { run vimc paced > $C/bench.out; }
reference c_side
reference_done
{ echo "MEMBW $(membw)"; cat $C/bench.out; run vimc_rs paced; run vimc_rs freerun; } > /tmp/bench.out
cat /tmp/bench.out
[ "$(grep -c '^RESULT ' /tmp/bench.out)" = 9 ] || fail "expected 9 runs"
grep -q '^MEMBW [1-9][0-9]*$' /tmp/bench.out || fail "no memcpy bandwidth"
# Free-running small frames may end before the first sample: paced runs only.
# CPU time may be 0: this kernel counts it in 10 ms ticks (no schedstat),
# more than a cheap 64x48 stream takes; the bench kernel has schedstat.
awk '/^RESULT/ && $4 == "paced" && !($5 > 0 && $6 >= 0 && $7 > 0) { bad = 1; print "bad run: " $0 }
	END { exit bad }' /tmp/bench.out || fail "a paced run without frames or time"
for p in $(awk '/^RESULT/ { print $3 }' /tmp/bench.out | sort -u); do
	[ "$(awk -v p=$p '$1 == "RESULT" && $3 == p { print $8 }' /tmp/bench.out | sort -u | wc -l)" = 1 ] ||
		fail "$p: runs delivered different frames"
	tp ok "$p: the same frames on every run"
done
echo "bench smoke: 9 runs, frames identical per pipeline"
