#!/bin/sh -e
# Unbind through sysfs while the media node, Sensor A's subdev node and
# Raw Capture 0's video node are open:
# remove() only unregisters, calls on the open files fail cleanly, and the
# memory goes when the files close (KASAN and kmemleak watch). Then rebind.
# timeout: 600
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
drv=/sys/bus/platform/drivers/vimc
modprobe vimc_rs
i=0
while [ $i -lt 10 ]; do
	# By name: under delayed releases a rebind gets new node numbers.
	m=$(media_of vimc.0) sd=$(node "Sensor A") v=$(node "Raw Capture 0") ||
		fail "no nodes of vimc.0 (cycle $i)"
	rm -f /tmp/go /tmp/out; mkfifo /tmp/go
	nodecheck $m $sd $v < /tmp/go > /tmp/out &
	pid=$!
	exec 5>/tmp/go
	wait_for /tmp/out '^ready' 60 || fail "nodecheck not ready: $(cat /tmp/out)"
	echo vimc.0 > $drv/unbind
	[ ! -e $m ] || fail "$m still there after unbind"
	echo go >&5; exec 5>&-
	wait $pid || fail "nodecheck failed: $(cat /tmp/out)"
	cat /tmp/out
	# What the media core documents: -EIO once the media devnode is
	# unregistered, -ENODEV once a video device is.
	grep -qx "$m errno=5 (.*)" /tmp/out || fail "media ioctl after unbind did not fail with EIO"
	grep -qx "$sd errno=19 (.*)" /tmp/out || fail "subdev ioctl after unbind did not fail with ENODEV"
	grep -qx "$v errno=19 (.*)" /tmp/out || fail "video ioctl after unbind did not fail with ENODEV"
	echo vimc.0 > $drv/bind
	m=$(media_of vimc.0) || fail "no media device after rebind"
	media-ctl -d $m -p | grep -q 'Sensor A' || fail "graph incomplete after rebind"
	i=$((i + 1))
done
modprobe -r vimc_rs
echo "$i unbind/bind cycles with open nodes"
