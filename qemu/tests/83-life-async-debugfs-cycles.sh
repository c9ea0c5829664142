#!/bin/sh -e
# modprobe/rmmod cycles of async_debugfs (issue 5, test 1; a scenario of its
# own so that make stress can give it a guest apart from 80): its files
# appear with the module, list nothing (no async subdev or notifier is
# registered here) and are gone with it. 3 cycles in make check, 1000 in make
# stress.
# timeout: 3600
. /vimc-rs/tests/lib/harness.inc

d=/sys/kernel/debug/async_debugfs
i=0 n=$(count 3 1000 1)
while [ $i -lt $n ]; do
	modprobe async_debugfs || fail "async_debugfs: modprobe #$i"
	grep -qx 'module=async_debugfs version=0.6' $d/info || fail "unexpected $d/info: $(cat $d/info)"
	[ -z "$(cat $d/subdevs $d/notifiers $d/stale)" ] || fail "lists not empty #$i: $(cat $d/subdevs $d/notifiers)"
	modprobe -r async_debugfs || fail "async_debugfs: modprobe -r #$i"
	[ ! -e $d ] || fail "$d left after unload #$i"
	i=$((i + 1))
done
echo "async_debugfs: $i load/unload cycles"
reports 83-life-async-debugfs-cycles async_debugfs 0 || fail "async_debugfs cycles left kernel reports"
