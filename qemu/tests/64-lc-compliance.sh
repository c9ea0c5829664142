#!/bin/sh -e
# libcamera's lc-compliance on the camera 'platform/vimc.0 Sensor B', C vimc
# then vimc_rs in the same boot. Both run the same tests; every test that
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
# timeout: 900
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc

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

run() { # DRIVER
	modprobe $1
	udev_db
	lc-compliance -c 'platform/vimc.0 Sensor B' -f "$FILTER" > /tmp/$1.lc 2>&1 || true
	unload $1
	grep -v '^\[[0-9]:' /tmp/$1.lc > /tmp/$1.out || true  # (libcamera's log lines out)
	signatures /tmp/$1.out > /tmp/$1.sig
	grep -E '^(OK|FAILED|SKIPPED) ' /tmp/$1.sig > /tmp/$1.res || true
	[ -s /tmp/$1.res ] || { tail -20 /tmp/$1.lc; fail "$1: lc-compliance ran no test"; }
	echo "$1: $(grep -c . /tmp/$1.res) tests: $(cut -d' ' -f1 /tmp/$1.res | sort | uniq -c | awk '{printf "%s %s ", $1, $2}')"
}

run vimc
run vimc_rs
[ "$(cut -d' ' -f2 /tmp/vimc.res)" = "$(cut -d' ' -f2 /tmp/vimc_rs.res)" ] ||
	fail "lc-compliance ran different tests: $(diff /tmp/vimc.res /tmp/vimc_rs.res)"
# What fails on C vimc, with why (printed once per distinct check).
grep -v '^OK ' /tmp/vimc.sig | grep '^    ' | sort | uniq -c | sed 's/^/C vimc: /' || true
bad=$(grep '^OK ' /tmp/vimc.res | cut -d' ' -f2 | while read -r t; do
	grep -qxF "OK $t" /tmp/vimc_rs.res || echo "$t"
done)
if [ -n "$bad" ]; then
	echo "$bad" | sed 's/^/passes on C vimc, not on vimc_rs: /'
	fail "vimc_rs fails lc-compliance tests C vimc passes"
fi
diff -u /tmp/vimc.sig /tmp/vimc_rs.sig || fail "lc-compliance results or failed checks differ (diff above: - C vimc, + vimc_rs)"
echo "same results and failed checks on both drivers"
