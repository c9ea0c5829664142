#!/bin/sh -e
# v4l2-compliance -m (every node of the media device), without and with
# streaming (-s), on C vimc and vimc_rs in the same boot. Both run the same
# number of tests; vimc_rs may only fail tests that C vimc fails too; the
# shared failures are listed by name.
# (v4l-utils 1.22.1 is older than 6.12: C vimc fails a few tests for that.)
# timeout: 1200
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc

# failures LOG: "device: test" for each failed test.
failures() {
	awk '/^Compliance test for .* device / { dev = $NF }
	     /: FAIL$/ { sub(/^[ \t]*test /, ""); sub(/: FAIL$/, ""); print dev " " $0 }' "$1" | sort
}

compliance() { # DRIVER OPTS OUT
	modprobe $1
	v4l2-compliance -m /dev/media0 $2 > $3 2>&1 || true
	modprobe -r $1
	grep -q '^Grand Total for .*: [0-9]*, Succeeded: [0-9]*, Failed: [0-9]*' $3 ||
		fail "$1: v4l2-compliance $2 did not finish"
}

for opts in "" "-s"; do
	compliance vimc "$opts" /tmp/c.log
	compliance vimc_rs "$opts" /tmp/rs.log
	echo "== v4l2-compliance -m /dev/media0 $opts"
	echo "C vimc:  $(grep '^Grand Total' /tmp/c.log)"
	echo "vimc_rs: $(grep '^Grand Total' /tmp/rs.log)"
	# The same tests ran: one node type, control or format less would
	# lower the total, not fail a test.
	[ "$(sed -n 's/^Grand Total[^:]*: \([0-9]*\),.*/\1/p' /tmp/c.log)" = \
	  "$(sed -n 's/^Grand Total[^:]*: \([0-9]*\),.*/\1/p' /tmp/rs.log)" ] ||
		fail "v4l2-compliance $opts ran a different number of tests on vimc_rs"
	failures /tmp/c.log > /tmp/c.fail
	failures /tmp/rs.log > /tmp/rs.fail
	# (busybox has no comm)
	echo "failing with both:"; grep -xF -f /tmp/c.fail /tmp/rs.fail | sed 's/^/    /'
	only_rs=$(grep -vxF -f /tmp/c.fail /tmp/rs.fail || true)
	if [ -n "$only_rs" ]; then
		echo "failing with vimc_rs only:"; echo "$only_rs" | sed 's/^/    /'
		grep -B3 -A1 'fail:' /tmp/rs.log | head -60
		fail "vimc_rs fails v4l2-compliance tests that C vimc passes ($opts)"
	fi
	only_c=$(grep -vxF -f /tmp/rs.fail /tmp/c.fail || true)
	[ -z "$only_c" ] || { echo "failing with C vimc only:"; echo "$only_c" | sed 's/^/    /'; }
done
