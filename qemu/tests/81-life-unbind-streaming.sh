#!/bin/sh -e
# Unbind while streaming (issue 5, test 2), on vimc_rs (make stress: C vimc
# too, in 88). Each
# cycle: two capture nodes stream (vimc's graph has two independent
# pipelines; a third stream gets -EBUSY from the media pipeline) with every
# buffer mmapped, one process blocked in DQBUF and one in poll; the third
# node holds mmapped, queued buffers. Then a sysfs unbind: the pending calls
# must fail (woken by the unbind: never before it began, and within the
# 30 s that bound a hang), every new call must fail, the mappings stay readable;
# close everything, rebind, stream again and check the frames. Which node
# blocks how rotates, so all three take each role. Last, one stream alone.
# Under full preemption C vimc can oops here (a node's release racing
# media_device_unregister(), in ida_free): its run waits for
# 88-life-c-vimc-last.
# timeout: 3000
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
. /vimc-rs/tests/lib/compare.inc
drv=/sys/bus/platform/drivers/vimc

setup_formats() {
	pipeline_fmt "Sensor A" SRGGB8_1X8 64 48 - 64x48 &&
	pipeline_fmt "Sensor B" SGRBG8_1X8 64 48 - 64x48
}

# stream_check NODE: 3 frames of the configured size after the rebind.
stream_check() {
	local size
	size=$(v4l2-ctl -d "$1" -V | sed -n 's/.*Size Image *: *//p')
	rm -f /tmp/frames
	v4l2-ctl -d "$1" --stream-mmap --stream-count=3 --stream-to=/tmp/frames > /tmp/sc.out 2>&1 ||
		{ cat /tmp/sc.out; return 1; }
	[ -s /tmp/frames ] && [ $(wc -c < /tmp/frames) = $((3 * size)) ] ||
		{ echo "stream after rebind: $(wc -c < /tmp/frames) bytes, want 3 x $size"; return 1; }
}

cycle() { # I
	local a b roles n1 n2 n3 t0 k
	# The pipeline-A node that streams alternates; the other holds buffers.
	if [ $(($1 % 2)) = 0 ]; then a="Raw Capture 0" b="RGB/YUV Capture"; else a="RGB/YUV Capture" b="Raw Capture 0"; fi
	if [ $(($1 / 2 % 2)) = 0 ]; then roles="dqbuf poll"; else roles="poll dqbuf"; fi
	set -- $roles
	n1=$(node "$a") n2=$(node "Raw Capture 1") n3=$(node "$b")
	for k in 1 2 3; do rm -f /tmp/h$k /tmp/h$k.out; mkfifo /tmp/h$k; done
	vhold $1 $n1 < /tmp/h1 > /tmp/h1.out 2>&1 &
	vhold $2 $n2 < /tmp/h2 > /tmp/h2.out 2>&1 &
	vhold mmap $n3 < /tmp/h3 > /tmp/h3.out 2>&1 &
	exec 5>/tmp/h1 6>/tmp/h2 7>/tmp/h3
	for k in 1 2 3; do
		wait_for /tmp/h$k.out '^(ready|BAD)' 60 || { cat /tmp/h$k.out; fail "vhold $k not ready"; }
		grep -q '^ready' /tmp/h$k.out || { cat /tmp/h$k.out; fail "vhold $k could not start"; }
	done
	t0=$(cut -d' ' -f1 /proc/uptime)
	echo vimc.0 > $drv/unbind
	echo go >&7
	for k in 1 2 3; do
		wait_for /tmp/h$k.out '^read ' 30 || { cat /tmp/h$k.out; fail "vhold $k did not finish its checks"; }
	done
	# Speed is no point here: beside other guests a woken waiter can wait
	# seconds for a CPU, and the unbind itself takes a while.
	for k in 1 2; do
		awk -v t0=$t0 '/^pending/ { sub(/^at /, "", $NF); print "woke " $NF - t0 " s after the unbind began"; exit !($NF >= t0) }' \
			/tmp/h$k.out || { cat /tmp/h$k.out; fail "pending call of vhold $k failed before the unbind"; }
		grep -q '^pending [a-z]* ret=-1 ' /tmp/h$k.out || { cat /tmp/h$k.out; fail "pending call of vhold $k did not fail"; }
	done
	echo close >&5; echo close >&6; echo close >&7
	exec 5>&- 6>&- 7>&-
	wait || true
	for k in 1 2 3; do
		grep -q '^OK' /tmp/h$k.out || { cat /tmp/h$k.out; fail "vhold $k: a check failed"; }
	done
	echo vimc.0 > $drv/bind
	setup_formats || fail "formats after rebind"
	# By name: under delayed releases a rebind may get other node numbers.
	stream_check "$(node "$a")" || fail "no frames after rebind"
}

# One stream with every other node closed: its pipeline spans the pads of
# the closed video nodes too (Raw Capture 0 shares Sensor A with RGB/YUV
# Capture), whose memory an unbind may free first; stopping the stream
# then writes to them.
lone_stream() {
	local sp n
	# The node and the output file before the background job: its wait
	# must not see the last run's output, nor the unbind its lookup.
	n=$(node "Raw Capture 0"); rm -f /tmp/ls.out
	v4l2-ctl -d "$n" --stream-mmap --stream-count=1000000 --stream-to=/dev/null > /tmp/ls.out 2>&1 &
	sp=$!
	wait_for /tmp/ls.out '<' 60 || { kill $sp; cat /tmp/ls.out; echo "lone stream did not start"; return 1; }
	echo vimc.0 > $drv/unbind
	gone_within 30 $sp || { kill $sp; echo "lone stream still running 30 s after the unbind"; return 1; }
	wait $sp || true
	# Ended by a failed DQBUF or QBUF (as in 51), not by anything else.
	grep -Eq 'VIDIOC_DQBUF: failed: (Invalid argument|No such device)|qbuf error' /tmp/ls.out ||
		{ echo "lone stream ended without a failed DQBUF or QBUF: $(tail -c 200 /tmp/ls.out)"; return 1; }
	echo vimc.0 > $drv/bind
	setup_formats && stream_check "$(node "Raw Capture 0")"
}

scenario() { # DRIVER
	local i=0 n
	n=$(count 4 100)
	modprobe $1
	setup_formats || fail "formats"
	while [ $i -lt $n ]; do
		cycle $i
		i=$((i + 1))
	done
	cat /tmp/h1.out /tmp/h2.out /tmp/h3.out
	lone_stream || fail "lone stream"
	echo "$1: $i unbind-while-streaming cycles, and one with every other node closed"
}

on_both scenario c-last
