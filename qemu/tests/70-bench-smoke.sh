#!/bin/sh -e
# Smoke run of `make bench` on the bench kernel (one run of each pipeline
# per driver: 60 raw frames, 6 at 64x48 for the big pipelines), so the bench
# keeps working: every run measures its frames, a CPU time and a wall time
# (vbench fails a run without a new streamer thread or its schedstat), and
# all runs of a pipeline deliver the same bytes.
# needs: c-vimc
# reference: recorded
# kernel: bench
# timeout: 600
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
. /vimc-rs/tests/lib/bench.inc
. /vimc-rs/tests/lib/compare.inc
# C vimc's paced runs (or their record), then vimc_rs's, as bench_all.
bench_size 60 6 64x48
c_side() { run vimc paced 1 > $C/bench.out; }
reference c_side
reference_done
{ echo "MEMBW $(membw)"; cat $C/bench.out; run vimc_rs paced 1; run vimc_rs freerun 1; } > /tmp/bench.out
cat /tmp/bench.out
! grep '^BENCHFAIL' /tmp/bench.out || fail "runs that could not be measured"
[ "$(grep -c '^RESULT ' /tmp/bench.out)" = 9 ] || fail "expected 9 runs"
grep -q '^MEMBW [1-9][0-9]*$' /tmp/bench.out || fail "no memcpy bandwidth"
awk '/^RESULT/ && !($6 == ($3 ~ /^raw/ ? 60 : 6) && $7 > 0 && $8 > 0) { bad = 1; print "bad run: " $0 }
	END { exit bad }' /tmp/bench.out || fail "a run without its frames, CPU time or wall time"
tp ok "every run: its frames, CPU and wall time"
for p in $(awk '/^RESULT/ { print $3 }' /tmp/bench.out | sort -u); do
	[ "$(awk -v p=$p '$1 == "RESULT" && $3 == p { print $9 }' /tmp/bench.out | sort -u | wc -l)" = 1 ] ||
		fail "$p: runs delivered different frames"
	tp ok "$p: the same frames on every run"
done
echo "bench smoke: 9 runs, frames identical per pipeline"
