#!/bin/sh -e
# async_debugfs and vimc_rs on the hardened build (issue 17): the test
# kernels have X86_KERNEL_IBT (ENDBR at every address-taken function, objtool
# checks), and both modules find the media core's unexported statics in the
# owning module's own symbol table, calling nothing they found. 50 cycles
# with vimc_rs loaded: load async_debugfs, dump (vimc_rs's notifier and its
# three sensors, with hashed ids that tie them together), unload; vimc_rs's
# sensor nodes open through videodev's subdev fops, found the same way.
# Under TCG the CPU enforces no IBT: see docs/hardening.md for why the design is
# safe without relying on that.
# timeout: 900
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc

d=/sys/kernel/debug/async_debugfs
modprobe vimc_rs
v4l2-ctl -d "$(node "Sensor A")" --get-subdev-fmt 0 > /dev/null || fail "Sensor A's node does not answer"
i=0
while [ $i -lt 50 ]; do
	modprobe async_debugfs || fail "modprobe async_debugfs #$i"
	n=$(sed -En "s/^notifier n=($HASHED) owner=v4l2_dev:vimc.*/\1/p" $d/notifiers)
	[ -n "$n" ] || fail "#$i: vimc's notifier not listed: $(cat $d/notifiers)"
	[ "$(grep -c "^subdev .* owner=vimc_rs .* bound=yes notifiers=$n\$" $d/subdevs)" = 3 ] ||
		fail "#$i: the three sensors are not bound to $n: $(cat $d/subdevs)"
	[ -z "$(cat $d/stale)" ] || fail "#$i: stale entries: $(cat $d/stale)"
	rmmod async_debugfs || fail "rmmod async_debugfs #$i"
	i=$((i + 1))
done
modprobe -r vimc_rs
echo "$i async_debugfs load/dump/unload cycles with vimc_rs loaded"
