#!/bin/sh -e
# rmmod while streaming (issue 5, test 3), vimc_rs (make stress: C vimc
# first): refused,
# and the stream goes on untouched; after the stream ends and the node
# closes, rmmod works.
# timeout: 600
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
. /vimc-rs/tests/lib/compare.inc

frames() { tr -cd '<' < /tmp/rs.out | wc -c; }

scenario() { # DRIVER
	local n
	modprobe $1
	pipeline_fmt "Sensor A" SRGGB8_1X8 64 48 - 64x48 || fail "formats"
	# A fresh file: the background job truncates it only once it runs.
	rm -f /tmp/rs.out
	v4l2-ctl -d "$(node "Raw Capture 0")" --stream-mmap --stream-count=100000 > /tmp/rs.out 2>&1 &
	wait_for /tmp/rs.out '<<<' 60 || fail "no frames: $(cat /tmp/rs.out)"
	expect_fail modprobe -r $1
	loaded $1 || fail "$1 unloaded while streaming"
	[ -c "$(media_of vimc.0)" ] || fail "media device gone after the refused rmmod"
	n=$(frames); sleep 1
	[ $(frames) -gt $n ] || fail "stream stopped by the refused rmmod ($n frames, then $(frames))"
	echo "$1: rmmod refused while streaming; $(frames) frames so far"
	kill %1; wait || true
	modprobe -r $1 || fail "rmmod after the stream closed"
	expect_fail loaded $1
}
on_both scenario
