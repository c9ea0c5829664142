# Allocation failure in probe (issue 5, test 4), C vimc then vimc_rs: with
# the device unbound, fail the k-th slab allocation of the bind (fail-nth:
# this task only, GFP_KERNEL included) for k = 1, 2, ... until a bind
# completes without using up k. Every failed bind must return an error and
# leave no device node, media device or V4L2 class device behind (kmemleak
# checks the memory after each driver); then the probe must work. make check
# steps k by 4, make stress by 1. C vimc oopses here (BUG_ON(!mdev) in
# media_gobj_create from vimc_probe's links after a failed entity), which
# leaves its device lock held and the module unremovable: its run waits for
# 88-life-c-vimc-last.
# timeout: 5400
. /vimc-rs/tests/lib.inc
drv=/sys/bus/platform/drivers/vimc
fs=/sys/kernel/debug/failslab

nothing_left() {
	[ ! -e /sys/bus/platform/devices/vimc.0/driver ] &&
	[ -z "$(ls /sys/bus/media/devices 2>/dev/null)" ] &&
	[ -z "$(ls /sys/class/video4linux 2>/dev/null)" ] &&
	[ -z "$(ls /dev/media* /dev/video* /dev/v4l-subdev* 2>/dev/null)" ]
}

scenario() { # DRIVER
	local k=1 step failed=0 tolerated=0 out r left
	step=$(count 4 1)
	modprobe $1
	echo vimc.0 > $drv/unbind
	nothing_left || fail "unbind left nodes"
	while [ $k -lt 20000 ]; do
		out=$(sh -c "exec 3<>/proc/self/fail-nth; echo $k >&3
			if echo vimc.0 > $drv/bind; then r=ok; else r=failed; fi
			read left <&3; echo 0 >&3; echo \$r \${left:-0}" 2>/dev/null) || out="failed 0"
		oopsed && fail "k=$k: the kernel oopsed"
		[ $(($(cat /proc/sys/kernel/tainted) & 32)) = 0 ] || { dmesg | grep -v 'link validate' | tail -80; fail "k=$k: bad page / KASAN taint"; }
		r=${out%% *} left=${out#* }
		if [ $r = failed ]; then
			failed=$((failed + 1))
			nothing_left || { ls /sys/class/video4linux /dev; fail "k=$k: failed bind left something behind"; }
		elif [ "$left" != 0 ]; then
			break	# the bind used fewer than k allocations: probe is done
		else
			# An allocation failed and probe still succeeded: only fine if
			# the device works.
			[ -e /sys/bus/platform/devices/vimc.0/driver ] || fail "k=$k: bind said ok, device unbound"
			media-ctl -d /dev/media0 -p | grep -q 'Sensor A' || fail "k=$k: probe succeeded with a broken graph"
			tolerated=$((tolerated + 1))
			echo vimc.0 > $drv/unbind
		fi
		k=$((k + step))
	done
	[ -e /sys/bus/platform/devices/vimc.0/driver ] || fail "final probe (k=$k) did not bind"
	media-ctl -d /dev/media0 -p | grep -q 'Sensor B' || fail "final graph incomplete"
	echo "$1: k stepped by $step up to $k: $failed binds failed cleanly, $tolerated succeeded despite a failed allocation"
	dmesg | grep -o 'probe with driver vimc failed with error -[0-9]*' | sort | uniq -c || true
	modprobe -r $1
}

echo N > $fs/ignore-gfp-wait
echo 0 > $fs/verbose
on_both scenario c-last
echo Y > $fs/ignore-gfp-wait
