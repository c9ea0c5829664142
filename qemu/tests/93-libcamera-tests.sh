#!/bin/sh -e
# libcamera's own unit tests, the 0.7.1 release built with -Dtest=true
# (scripts/libcamera-tests.sh, in a Debian 13 build root): every test whose
# sources open vimc (the camera tests on 'platform/vimc.0 Sensor B', the
# V4L2 video device and subdevice tests, the media device tests, the IPA
# and serialization tests, the Python unit tests and the V4L2 compat
# layer's), run as libcamera's `meson test` runs them (its command, its
# environment, its working directory), on C vimc (recorded) and on
# vimc_rs. Each test's result on each driver is a test point; every test
# that passes on C vimc passes on vimc_rs, and the logs of a test that
# fails on both are printed. The build tree goes into the guest at the
# path it was built at, /opt/libcamera-0.7.1, with the Debian 13 libraries
# it needs beyond the guest's own (copied in without replacing any).
# needs: c-vimc
# lane: suites
# reference: recorded
# kernel: bench
# build: scripts/libcamera-guest.sh libcamera
# timeout: 3000
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
. /vimc-rs/tests/lib/compare.inc
. /vimc-rs/tests/lib/libcamera.inc

if [ ! -d $LC ]; then
	tp skip "libcamera's tests: $(cat $LC.missing 2>/dev/null || echo "not built by qemu/test")"
	exit 0
fi
lc_setup

c_side() { lc_tests vimc $C; }
reference c_side
reference_done
lc_tests vimc_rs /tmp
cv=$C/vimc rs=/tmp/vimc_rs
echo "C vimc: $(grep -c . $cv.res) tests: $(cut -d' ' -f2 $cv.res | sort | uniq -c | awk '{printf "%s %s ", $1, $2}')"
[ "$(cut -d' ' -f1 $cv.res)" = "$(cut -d' ' -f1 $rs.res)" ] ||
	fail "not the same tests ran: $(diff $cv.res $rs.res)"
bad=0
while read -r t r rc vimc s; do
	c=$(awk -v t=$t '$1 == t { print $2 }' $cv.res)
	if [ "$c" = PASS ] && [ "$r" != PASS ]; then
		bad=1
		echo "--- $t passes on C vimc, $r ($rc) on vimc_rs:"
		tail -30 "/tmp/vimc_rs-logs/$(echo $t | tr / -).log"
		tp not-ok "$t: C vimc PASS, vimc_rs $r"
	elif [ "$c" != PASS ] && [ "$r" = PASS ]; then
		echo "--- $t: $c ($(awk -v t=$t '$1 == t { print $3 }' $cv.res)) on C vimc, PASS on vimc_rs; C vimc's log ends:"
		grep -v '^\[' "$C/vimc-logs/$(echo $t | tr / -).log" | tail -5 || true
		tp ok "$t: $c on C vimc, PASS on vimc_rs"
	elif [ "$c" != PASS ] && [ "$r" != PASS ]; then
		echo "--- $t: $c on C vimc, $r on vimc_rs; C vimc's log ends:"
		tail -15 "$C/vimc-logs/$(echo $t | tr / -).log"
		if [ "$r" = SKIP ] && [ "$c" = SKIP ]; then tp skip "$t: skipped by itself on both drivers"; else tp ok "$t: $c on C vimc, $r on vimc_rs"; fi
	else
		tp ok "$t: $c on C vimc, $r on vimc_rs ($s s)"
	fi
done < $rs.res
[ $bad = 0 ] || fail "vimc_rs fails libcamera tests that C vimc passes"
