#!/bin/sh -e
# v4l2-compliance on C vimc (or its record) and vimc_rs, both sensor
# pipelines configured: -m -s -a (every node of the media device, with
# streaming in every I/O method), then -f (streaming every format at every
# size) on each capture node. Each run must run the same number of tests on
# both drivers, vimc_rs may fail only what C vimc fails too (the causes
# printed), and the whole output must be identical.
# needs: c-vimc
# reference: recorded
# timeout: 1500
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
. /vimc-rs/tests/lib/compare.inc

# failures LOG: "device: test" for each failed test (-f's tests are named
# after the format and size they stream).
failures() {
	awk '/^Compliance test for .* device / { dev = $NF; ctx = "" }
	     /^[ \t]*test .* for Format .*, Frame Size .*:$/ { ctx = $0; sub(/^[ \t]*test /, "", ctx); sub(/:$/, " /", ctx) }
	     /: FAIL *$/ { t = $0; sub(/^[ \t]*(test )?/, "", t); sub(/: FAIL *$/, "", t); print dev " " ctx t }' "$1" | sort
}
# causes LOG: the distinct "fail:" lines, counted: v4l2-compliance's check
# that failed, at its source line.
causes() {
	grep 'fail:' "$1" | sed 's/^[ \t]*/      /' | sort | uniq -c
}
# total LOG: how many tests ran.
total() { sed -n 's/^\(Grand \)\{0,1\}Total for [^:]*: \([0-9]*\),.*/\2/p' "$1" | tail -1; }

compliance() { # DRIVER OUT ARGS...
	local drv=$1 out=$2 node
	shift 2
	modprobe $drv
	# Both pipelines configured, small (streaming at the load defaults
	# fails link validation on both drivers).
	pipeline_fmt "Sensor A" SRGGB8_1X8 64 48 - 64x48 > /dev/null &&
		pipeline_fmt "Sensor B" SRGGB8_1X8 64 48 - 64x48 > /dev/null || fail "$drv: formats not set"
	# Nodes only now that the driver is loaded: "-d NAME" is the capture
	# node of that name, "-m DEV" the media device of platform device DEV.
	if [ "$1" = -d ]; then
		node=$(node "$2"); shift 2
		set -- -d $node "$@"
	elif [ "$1" = -m ]; then
		node=$(media_of "$2") || fail "$drv: no media device of $2"; shift 2
		set -- -m $node "$@"
	fi
	v4l2-compliance "$@" > $out 2>&1 || true
	unload $drv
	grep -Eq '^(Grand )?Total for .*: [0-9]*, Succeeded: [0-9]*, Failed: [0-9]*' $out ||
		fail "$drv: v4l2-compliance $* did not finish: $(tail -5 $out)"
}

RUNS='-m vimc.0 -s -a
-d Raw Capture 0 -f
-d Raw Capture 1 -f
-d RGB/YUV Capture -f'
# runs DRIVER DIR: each run's log, DIR/N.log.
runs() {
	local n=0
	echo "$RUNS" | while read -r opt arg; do
		n=$((n + 1))
		case $opt in
		-m) compliance $1 $2/$n.log -m ${arg%% *} ${arg#* } ;;
		-d) compliance $1 $2/$n.log -d "${arg% -f}" -f ;;
		esac
	done
}
c_side() { runs vimc $C; }
reference c_side
reference_done
rs=/tmp/rs-compliance
rm -rf $rs; mkdir $rs
runs vimc_rs $rs

# compare N: run N on each driver, compared.
compare() {
	local c=$C/$1.log rs=$rs/$1.log what
	what="v4l2-compliance $(echo "$RUNS" | sed -n "${1}p")"
	echo "== $what"
	echo "C vimc:  $(grep -E '^(Grand )?Total' $c | tail -1)"
	echo "vimc_rs: $(grep -E '^(Grand )?Total' $rs | tail -1)"
	# The same tests ran: one node type, control or format less would
	# lower the total, not fail a test.
	[ "$(total $c)" = "$(total $rs)" ] ||
		fail "$what ran a different number of tests on vimc_rs"
	failures $c > /tmp/c.fail
	failures $rs > /tmp/rs.fail
	if [ -s /tmp/c.fail ]; then
		echo "C vimc fails $(grep -c . /tmp/c.fail) tests, for these causes:"; causes $c
	fi
	only_rs=$(grep -vxF -f /tmp/c.fail /tmp/rs.fail || true)
	if [ -n "$only_rs" ]; then
		echo "failing with vimc_rs only:"; echo "$only_rs" | sed 's/^/    /'
		causes $rs | head -60
		fail "$what: vimc_rs fails tests that C vimc passes"
	fi
	[ ! -s /tmp/rs.fail ] || echo "vimc_rs fails the same $(grep -c . /tmp/rs.fail) tests"
	# All of it alike: every test, result and message.
	diff -u $c $rs > /tmp/diff || { head -60 /tmp/diff; fail "$what: output differs (- C vimc, + vimc_rs)"; }
	tp ok "$what: identical, $(total $rs) tests"
}
# -m ... -s -a streams every node in every I/O method. -f sets each format
# and size on the capture node alone, the subdevs
# keeping theirs: the first (BGR3 16x16) fails STREAMON's link validation
# ("node->streamon()"), and v4l2-compliance, which leaves that queue's
# buffers allocated, then fails the REQBUFS of every later format and size
# ("q.reqbufs(node, 3)", "fmt.g_sizeimage() <= size"). C vimc fails
# exactly so: a media-controller capture node streams only the format its
# pipeline is configured for.
for n in 1 2 3 4; do compare $n; done
