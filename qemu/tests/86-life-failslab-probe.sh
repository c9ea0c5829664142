#!/bin/sh -e
# Allocation failure in probe (issue 5, test 4), vimc_rs (make stress: C
# vimc too, in 88): with
# the device unbound, fail the k-th slab allocation of the bind (fail-nth:
# this task only, GFP_KERNEL included) for k = 1, 2, ... until a bind
# completes without using up k. Every failed bind must return an error and
# leave no device node, media device or V4L2 class device behind (kmemleak
# checks the memory after each driver); then the probe must work. On
# vimc_rs the same for a sensor's bind, which completes the graph through
# v4l2-async (a failed one leaves vimc.0 waiting for it). make check
# steps k by 8, make stress by 1. C vimc oopses here (BUG_ON(!mdev) in
# media_gobj_create from vimc_probe's links after a failed entity), which
# leaves its device lock held and the module unremovable: its run waits for
# 88-life-c-vimc-last.
# timeout: 5400
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
. /vimc-rs/tests/lib/compare.inc
drv=/sys/bus/platform/drivers/vimc
sdrv=/sys/bus/platform/drivers/vimc-sensor
fs=/sys/kernel/debug/failslab
ad=/sys/kernel/debug/async_debugfs

nothing_left() {
	[ ! -e /sys/bus/platform/devices/vimc.0/driver ] && no_nodes
}
no_nodes() {
	[ -z "$(ls /sys/bus/media/devices 2>/dev/null)" ] &&
	[ -z "$(ls /sys/class/video4linux 2>/dev/null)" ] &&
	[ -z "$(ls /dev/media* /dev/video* /dev/v4l-subdev* 2>/dev/null)" ]
}
# broken: what a failed graph_ok saw, and the kernel's last words.
broken() {
	echo "media devices: $(ls /sys/bus/media/devices 2>/dev/null); of vimc.0: $(media_of vimc.0 2>&1)"
	media-ctl -d "$(media_of vimc.0)" -p 2>&1 | grep -E '^- entity|^Media|error' | head -20
	dmesg | grep -v kobject | tail -30
}
graph_ok() {
	[ "$(media-ctl -d "$(media_of vimc.0)" -p | grep -c '^- entity')" = 11 ]
}
# vimc_rs, vimc-sensor.0 unbound: vimc.0 still bound and waiting for it
# (async_debugfs says so), no graph.
sensor_left() {
	[ ! -e /sys/bus/platform/devices/vimc-sensor.0/driver ] &&
	[ -e /sys/bus/platform/devices/vimc.0/driver ] && no_nodes &&
	[ "$(grep -c '^conn .* match=fwnode:vimc-sensor-a state=waiting' $ad/notifiers)" = 1 ] &&
	[ "$(grep -c '^subdev .* bound=yes' $ad/subdevs)" = 2 ]
}

# fail_binds DEVICE DRIVER_DIR LEFT_OK WORKS: binds DEVICE with its k-th
# slab allocation failed, k = 1, 1 + step, ... until a bind no longer
# reaches k. A failed bind must satisfy LEFT_OK, one that succeeded anyway
# WORKS (and is unbound again); the last one must bind and work.
fail_binds() {
	local k=1 step failed=0 tolerated=0 out r left
	step=$(count 8 1 8)
	while [ $k -lt 20000 ]; do
		out=$(sh -c "exec 3<>/proc/self/fail-nth; echo $k >&3
			if echo $1 > $2/bind; then r=ok; else r=failed; fi
			read left <&3; echo 0 >&3; echo \$r \${left:-0}" 2>/dev/null) || out="failed 0"
		oopsed && fail "$1 k=$k: the kernel oopsed"
		[ $(($(cat /proc/sys/kernel/tainted) & 32)) = 0 ] || { dmesg | grep -v 'link validate' | tail -80; fail "$1 k=$k: bad page / KASAN taint"; }
		r=${out%% *} left=${out#* }
		if [ $r = failed ]; then
			failed=$((failed + 1))
			$3 || { ls /sys/class/video4linux /dev; fail "$1 k=$k: failed bind left something behind"; }
		elif [ "$left" != 0 ]; then
			break	# the bind used fewer than k allocations: probe is done
		else
			# An allocation failed and probe still succeeded: only fine if
			# the device works.
			[ -e /sys/bus/platform/devices/$1/driver ] || fail "$1 k=$k: bind said ok, device unbound"
			$4 || { broken; fail "$1 k=$k: probe succeeded with a broken graph"; }
			tolerated=$((tolerated + 1))
			echo $1 > $2/unbind
		fi
		k=$((k + step))
	done
	[ -e /sys/bus/platform/devices/$1/driver ] || fail "$1: final probe (k=$k) did not bind"
	$4 || fail "$1: final graph incomplete"
	echo "$1: k stepped by $step up to $k: $failed binds failed cleanly, $tolerated succeeded despite a failed allocation"
}

scenario() { # DRIVER
	modprobe $1
	echo vimc.0 > $drv/unbind
	nothing_left || fail "unbind left nodes"
	fail_binds vimc.0 $drv nothing_left graph_ok
	# vimc_rs: a sensor's bind completes the graph (async bound and
	# complete), so fail its allocations too.
	if [ $1 = vimc_rs ]; then
		modprobe async_debugfs
		echo vimc-sensor.0 > $sdrv/unbind
		sensor_left || fail "sensor unbind left nodes"
		fail_binds vimc-sensor.0 $sdrv sensor_left graph_ok
		rmmod async_debugfs
	fi
	dmesg | grep -o 'probe with driver vimc[-a-z]* failed with error -[0-9]*' | sort | uniq -c || true
	modprobe -r $1
}

echo N > $fs/ignore-gfp-wait
echo 0 > $fs/verbose
on_both scenario c-last
echo Y > $fs/ignore-gfp-wait
