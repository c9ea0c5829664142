#!/bin/sh -e
# libcamera's lc-compliance on the camera 'platform/vimc.0 Sensor B', C vimc
# (or its record) then vimc_rs. Both run the same tests; every test that
# passes on C vimc passes on vimc_rs, and a test that fails fails with the
# same failed checks (file:line and message) on both. The counts of each
# result are printed for both drivers.
#
# What fits under TCG: lc-compliance takes no frame size (libcamera's vimc
# pipeline handler streams 1920x1080 BGR888 through Debayer B and the
# Scaler), and C vimc takes about a second a frame at that size here. Of
# each test (Capture, CaptureStartStop, UnbalancedStop, for each role and
# role pair) the instance with 5 requests runs: __1 to __3 are skipped by
# lc-compliance itself (the camera needs 4 requests), __8 to __89 run the
# same code with more requests. The multi-stream pairs are skipped alike
# (the vimc pipeline handler has one stream). Every single-stream test
# fails on both drivers on a check of libcamera's own: its vimc pipeline
# handler leaves the stream's colour space unset ("Colorspace not set"),
# and lc-compliance goes on capturing after that check.
# needs: c-vimc
# reference: recorded
# kernel: bench
# timeout: 900
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
. /vimc-rs/tests/lib/compare.inc

FILTER=${LC_FILTER:-'*__5'}

# signatures LOG: per test, "RESULT test", then each failed (or skipping)
# check with its message, indented.
signatures() {
	awk '/^\[ RUN +\] / { t = $NF; f = ""; next }
	     /: (Failure|Skipped)$/ { inf = 1; f = f "    " $0 "\n"; next }
	     inf && (/^$/ || /^\[/) { inf = 0 }
	     inf { f = f "      " $0 "\n"; next }
	     /^\[ +(OK|FAILED|SKIPPED) +\] / {
		r = $0; sub(/^\[ */, "", r); sub(/ *\].*/, "", r)
		name = $0; sub(/^\[[^]]*\] /, "", name); sub(/[ ,].*/, "", name)
		if (name == t) { printf "%s %s\n%s", r, t, f; t = "" } }' "$1"
}

run() { # DRIVER DIR
	modprobe $1
	udev_db
	lc-compliance -c 'platform/vimc.0 Sensor B' -f "$FILTER" > $2/$1.lc 2>&1 || true
	unload $1
	grep -v '^\[[0-9]:' $2/$1.lc > $2/$1.out || true  # (libcamera's log lines out)
	signatures $2/$1.out > $2/$1.sig
	grep -E '^(OK|FAILED|SKIPPED) ' $2/$1.sig > $2/$1.res || true
	[ -s $2/$1.res ] || { tail -20 $2/$1.lc; fail "$1: lc-compliance ran no test"; }
	echo "$1: $(grep -c . $2/$1.res) tests: $(cut -d' ' -f1 $2/$1.res | sort | uniq -c | awk '{printf "%s %s ", $1, $2}')"
}

c_side() { run vimc $C; }
reference c_side
reference_done
run vimc_rs /tmp
cv=$C/vimc rs=/tmp/vimc_rs
echo "C vimc: $(grep -c . $cv.res) tests: $(cut -d' ' -f1 $cv.res | sort | uniq -c | awk '{printf "%s %s ", $1, $2}')"
[ "$(cut -d' ' -f2 $cv.res)" = "$(cut -d' ' -f2 $rs.res)" ] ||
	fail "lc-compliance ran different tests: $(diff $cv.res $rs.res)"
# What fails on C vimc, with why (printed once per distinct check).
grep -v '^OK ' $cv.sig | grep '^    ' | sort | uniq -c | sed 's/^/C vimc: /' || true
bad=$(grep '^OK ' $cv.res | cut -d' ' -f2 | while read -r t; do
	grep -qxF "OK $t" $rs.res || echo "$t"
done)
if [ -n "$bad" ]; then
	echo "$bad" | sed 's/^/passes on C vimc, not on vimc_rs: /'
	fail "vimc_rs fails lc-compliance tests C vimc passes"
fi
diff -u $cv.sig $rs.sig || fail "lc-compliance results or failed checks differ (diff above: - C vimc, + vimc_rs)"
while read -r r t; do tp ok "$t: $r on both"; done < $rs.res
echo "same results and failed checks on both drivers"
