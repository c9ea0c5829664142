#!/bin/sh -e
# The bug of seeds/000: a module exits without unregistering its async
# subdev. `stale` names it at once, from what can be read without touching
# the unloaded module's memory. Also records what KASAN and DEBUG_LIST say
# about the leak on their own (nothing, as long as nobody walks into it).
# Runs last: the stale entry stays on v4l2-async's list for the boot, and
# kmemleak reports it once v4l2-async (which holds the list) is unloaded.
# (rmmod, not modprobe -r, which would also try to drop the v4l2-async
# that async_debugfs holds, and fail; or, after C vimc oopsed in 88, the
# media modules it still holds.)
# runs: last
. /vimc-rs/tests/lib/harness.inc
d=/sys/kernel/debug/async_debugfs
modprobe async_debugfs
modprobe leaky_async leak=1
[ -z "$(cat $d/stale)" ] || fail "stale entry while the module is loaded"
grep -q '^subdev name=leaky-dphy .* owner=leaky_async ' $d/subdevs || fail "leaky subdev not listed"
rmmod leaky_async
cat $d/stale
grep -Eq '^stale name=leaky-dphy sd=0x[0-9a-f]+ owner=0x[0-9a-f]+ ops=0x[0-9a-f]+$' $d/stale || fail "stale does not name the leak"
[ "$(wc -l < $d/stale)" = 1 ] || fail "expected one stale entry"
echo "KASAN and DEBUG_LIST reports about the leak on their own: $(dmesg | grep -cE 'KASAN|list_(add|del) corruption')"
rmmod async_debugfs
