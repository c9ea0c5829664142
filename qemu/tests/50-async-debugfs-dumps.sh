#!/bin/sh -e
# async_debugfs has its four files (mode 0400, info naming the format
# version); it lists exactly the registered async subdevs (here from the
# test-only leaky_async module, without leaking), with no stale entries;
# after 100 load/unload cycles nothing is left; reading the files in a loop
# while the module loads and unloads is clean (the runner checks KASAN,
# lockdep and kmemleak).
# timeout: 900
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
d=/sys/kernel/debug/async_debugfs
modprobe async_debugfs
# The files, read-only for their owner on both kernels (7.x's
# kernel::debugfs makes callback files 0400), and the format version.
for f in info subdevs notifiers stale; do
	[ "$(stat -c %a $d/$f)" = 400 ] || fail "$f: mode $(stat -c %a $d/$f), expected 400"
done
[ "$(cat $d/info)" = "module=async_debugfs version=0.6" ] || fail "info: $(cat $d/info)"
[ -z "$(cat $d/subdevs $d/notifiers $d/stale)" ] || fail "lists not empty at start: $(cat $d/subdevs $d/notifiers)"
modprobe leaky_async
cat $d/subdevs
[ "$(wc -l < $d/subdevs)" = 1 ] || fail "expected one subdev"
grep -Eq '^subdev name=tidy-dphy sd='$HASHED' dev=none driver=none owner=leaky_async fwnode=none bound=no notifiers=$' $d/subdevs \
	|| fail "unexpected subdev line"
[ -z "$(cat $d/stale)" ] || fail "stale entries for a live module: $(cat $d/stale)"
rmmod leaky_async
[ -z "$(cat $d/subdevs)" ] || fail "subdev left after unload: $(cat $d/subdevs)"

dumps_reader_start $d
i=0
while [ $i -lt 100 ]; do
	modprobe leaky_async || fail "load #$i"
	grep -q 'name=tidy-dphy' $d/subdevs || fail "subdev missing on load #$i"
	rmmod leaky_async || fail "unload #$i"
	i=$((i + 1))
done
dumps_reader_stop || fail "the read loop failed or never read the dumps"
[ -z "$(cat $d/subdevs $d/stale)" ] || fail "left after $i cycles: $(cat $d/subdevs)"
modprobe -r async_debugfs
echo "$i cycles, lists empty"
