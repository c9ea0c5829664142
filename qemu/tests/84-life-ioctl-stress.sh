#!/bin/sh -e
# Random calls against unbind/bind (issue 5, test 5), vimc_rs (make stress:
# C vimc too, in 88):
# four vstress processes loop open/close, formats, buffers, streaming and
# controls on random nodes for 30 s (make stress: 60) while a fifth loops unbind/bind (on
# vimc_rs, of vimc.0 or of one of its sensor devices). No
# call may hang (a call still waiting after 2 s must be interruptible:
# vstress interrupts and counts it), nothing may crash or leak; afterwards
# the device works.
# C vimc oopses here (NULL dereference in the core's subdev_open racing
# the unbind), killing the callers with locks held: its run waits for
# 88-life-c-vimc-last.
# timeout: 900
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
. /vimc-rs/tests/lib/compare.inc
drv=/sys/bus/platform/drivers/vimc

scenario() { # DRIVER
	local secs=$(count 30 60 30) binds=0 k pids= r=1 t td
	modprobe $1
	for k in 1 2 3 4; do
		vstress $secs $((k * 7919)) > /tmp/vs$k.out 2>&1 &
		pids="$pids $!"
	done
	end=$(( $(cut -d. -f1 /proc/uptime) + secs ))
	while [ $(cut -d. -f1 /proc/uptime) -lt $end ]; do
		r=$(( (r * 1103515245 + 12345) % 2147483648 ))
		sleep 0.$((r % 10))
		# On vimc_rs, half the unbinds are of a sensor device: the graph
		# goes through the notifier's unbind instead.
		if [ $1 = vimc_rs ] && [ $((r / 8 % 2)) = 1 ]; then
			t=vimc-sensor.$((r / 32 % 3)) td=/sys/bus/platform/drivers/vimc-sensor
		else
			t=vimc.0 td=$drv
		fi
		echo $t > $td/unbind || fail "unbind $t #$binds"
		sleep 0.$((r / 16 % 5))
		echo $t > $td/bind || fail "bind $t #$binds"
		binds=$((binds + 1))
	done
	vstress_done $pids
	# A fresh graph: vstress may have changed links after the last bind.
	echo vimc.0 > $drv/unbind; echo vimc.0 > $drv/bind
	echo "$1: $binds unbind/bind cycles under 4 x vstress for $secs s"
	# Still usable.
	pipeline_fmt "Sensor A" SRGGB8_1X8 64 48 - 64x48 || fail "formats after the stress"
	v4l2-ctl -d "$(node "Raw Capture 0")" --stream-mmap --stream-count=3 --stream-to=/tmp/f > /tmp/f.out 2>&1
	[ "$(wc -c < /tmp/f)" = $((3 * 64 * 48)) ] || fail "no frames after the stress: $(cat /tmp/f.out)"
	modprobe -r $1
}
on_both scenario c-last
