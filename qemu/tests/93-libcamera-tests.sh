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

LC=/vimc-rs/tests/ext/libcamera
if [ ! -d $LC ]; then
	tp skip "libcamera's tests: $(cat $LC.missing 2>/dev/null || echo "not built by qemu/test")"
	exit 0
fi
# The build tree where it was built; the libraries it needs that the
# guest lacks, beside the guest's (never over them).
[ -e /opt/libcamera-0.7.1 ] || { mkdir -p /opt; ln -s $LC/opt/libcamera-0.7.1 /opt/libcamera-0.7.1; }
# merge SRC DST: moves into DST what SRC has and DST lacks, whole folders
# at once (busybox's cp -n skips a folder that exists, "/" included).
merge() {
	local f d
	for f in "$1"/* "$1"/.[!.]*; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		d=$2/${f##*/}
		if [ ! -e "$d" ] && [ ! -L "$d" ]; then
			mv "$f" "$d"
		elif [ -d "$f" ] && [ ! -L "$f" ] && [ -d "$d" ]; then
			merge "$f" "$d"
		fi
	done
}
if [ -d $LC/root ]; then merge $LC/root ""; rm -rf $LC/root; fi
command -v python3 > /dev/null || fail "python3 not in the guest after the merge"
# Scripts start with #!/usr/bin/env; busybox installs its applets in /bin.
[ -e /usr/bin/env ] || ln -s /bin/busybox /usr/bin/env

# A test program that crashes fails its test by its exit status; the
# kernel's line about the signal ("traps: ... general protection fault",
# "segfault at") would read as a kernel report: not printed while they run.
et=$(cat /proc/sys/debug/exception-trace)
echo 0 > /proc/sys/debug/exception-trace
trap 'echo $et > /proc/sys/debug/exception-trace' EXIT

# The tests, as meson would run them: NAME SUITE TIMEOUT SHOULD_FAIL VIMC
# WORKDIR ENV CMD, tab-separated (ENV space-separated K=V, or -; VIMC: its
# sources name vimc).
TESTS=$LC/tests.tsv
[ -s $TESTS ] || fail "no test list in the build ($TESTS)"
# meson's timeouts are for a native machine: under TCG C vimc takes about
# a second per 1920x1080 frame, so each test gets ten times its own.
MULT=10

# leftovers: kills what a test left running (its IPA proxy worker, when
# the test crashed), and says so in the test's log.
leftovers() {
	local p
	for p in /proc/[0-9]*; do
		case $(readlink $p/exe 2>/dev/null) in
		*/libcamera-0.7.1/*) echo "left running: $(tr '\0' ' ' < $p/cmdline 2>/dev/null)"; kill -9 ${p#/proc/} 2>/dev/null || true ;;
		esac
	done
}

run() { # DRIVER DIR: each test's result in DIR/DRIVER.res, its log in DIR/DRIVER-logs/
	local name suite to sf vimc wd env cmd rc r t0
	rm -rf $2/$1-logs; mkdir -p $2/$1-logs; : > $2/$1.res
	# vivid too, as libcamera's CI has it: buffer_import exports its
	# buffers to the camera, the V4L2 control and buffer-cache tests and
	# delayed_controls need its nodes.
	modprobe vivid
	modprobe $1
	udev_db
	while IFS='	' read -r name suite to sf vimc wd env cmd; do
		[ "$env" != - ] || env=
		t0=$(uptime_s)
		rc=0
		(cd "$wd" && exec env $env timeout $((to * MULT)) $cmd) < /dev/null > "$2/$1-logs/$suite-$name.log" 2>&1 || rc=$?
		leftovers >> "$2/$1-logs/$suite-$name.log"
		case $rc in
		0) r=PASS ;;
		77) r=SKIP ;;
		124|143) r=TIMEOUT ;;
		*) r=FAIL ;;
		esac
		if [ "$sf" = yes ]; then case $r in PASS) r=FAIL ;; FAIL) r=PASS ;; esac; fi
		# Python's unittest (pyunittests) exits 0 whatever happened: its
		# summary line says.
		[ $r != PASS ] || ! grep -q '^FAILED (' "$2/$1-logs/$suite-$name.log" || r=FAIL
		echo "$suite/$name $r $rc $vimc $(awk -v a=$t0 -v b=$(uptime_s) 'BEGIN { printf "%.0f", b - a }')" >> $2/$1.res
	done < $TESTS
	# vivid alone first (modprobe -r would also try the media modules
	# the driver still holds), then the driver with them.
	rmmod vivid || fail "vivid still in use after the tests: $(grep "^vivid " /proc/modules)"
	unload $1 || fail "$1 or its media modules still in use after the tests: $(grep -E "^($1|videobuf2|v4l2|videodev|mc) " /proc/modules)"
	echo "$1: $(grep -c . $2/$1.res) tests: $(cut -d' ' -f2 $2/$1.res | sort | uniq -c | awk '{printf "%s %s ", $1, $2}')"
}

c_side() { run vimc $C; }
reference c_side
reference_done
run vimc_rs /tmp
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
