#!/bin/sh -e
# The bug of seeds/000: a module exits without unregistering its async
# subdevs, here three (tests/modules/leaky_async.c): one kzalloc'd and kept,
# one devm-freed with its device, one a static of the module, unmapped with
# it. async_debugfs must log each as the module goes and name each as
# stale (the unmapped one by the name it logged: its memory went with the
# module) from reads that cannot fault, without a
# kernel report (KASAN, DEBUG_LIST, oops) and without following a pointer
# out of them; the other files still read. Also records what KASAN and
# DEBUG_LIST say about the leak on their own (nothing, as long as nobody
# walks into it).
# Runs last: the stale entries stay on v4l2-async's list for the boot (the
# next async registration would write into the freed one), and kmemleak
# reports the kept one once v4l2-async (which holds the list) is unloaded.
# (rmmod, not modprobe -r, which would also try to drop the v4l2-async
# that async_debugfs holds, and fail; or, after C vimc oopsed in 88, the
# media modules it still holds.)
# runs: last
. /vimc-rs/tests/lib/harness.inc
d=/sys/kernel/debug/async_debugfs
modprobe async_debugfs
modprobe leaky_async leak=1
cat $d/subdevs
[ -z "$(cat $d/stale)" ] || fail "stale entry while the module is loaded: $(cat $d/stale)"
for n in dphy devm static; do
	grep -q "^subdev name=leaky-$n .* owner=leaky_async " $d/subdevs || fail "leaky-$n not listed"
done
grep -q '^subdev name=leaky-devm sd=[0-9a-f]* dev=leaky-async driver=leaky-async ' $d/subdevs ||
	fail "leaky-devm's device and driver not shown"
static=$(sed -n 's/^subdev name=leaky-static sd=\([0-9a-f]*\) .*/\1/p' $d/subdevs)
rmmod leaky_async
echo "--- stale:"; cat $d/stale
echo "--- subdevs:"; cat $d/subdevs
echo "--- notifiers:"; cat $d/notifiers
# Addresses in the kernel's hashed %p form, never raw.
h="sd=$HASHED owner=$HASHED ops=$HASHED"
grep -Eq "^stale name=leaky-dphy $h why=owner-gone\$" $d/stale || fail "stale does not name the kept leak"
grep -Eq "^stale name=leaky-devm $h why=freed\$" $d/stale || fail "stale does not name the devm-freed leak"
grep -qx "stale name=leaky-static sd=$static owner=? ops=? why=unreadable" $d/stale || fail "stale does not show the unmapped leak at $static"
# Named as the module went, while they could still be read.
for n in dphy devm static; do
	dmesg | grep -Eq "leaky_async exited with its async subdev leaky-$n \(sd=$HASHED\) still registered" ||
		fail "no log line for leaky-$n"
done
[ "$(wc -l < $d/stale)" = 3 ] || fail "expected three stale entries"
# The stale entries are all subdevs shows of them: nothing was followed.
[ "$(cat $d/subdevs)" = "$(cat $d/stale)" ] || fail "subdevs differs from stale with only leaks on the list"
echo "KASAN and DEBUG_LIST reports about the leak on their own: $(dmesg | grep -cE 'KASAN|list_(add|del) corruption')"
rmmod async_debugfs
