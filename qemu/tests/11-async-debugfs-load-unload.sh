# 50 load/unload cycles of async_debugfs; its directory and file come and go.
# timeout: 600
. /vimc-rs/tests/lib.inc
d=/sys/kernel/debug/async_debugfs
i=0
while [ $i -lt 50 ]; do
	modprobe async_debugfs || fail "modprobe #$i"
	grep -qx 'module=async_debugfs version=0.2' $d/info || fail "unexpected $d/info: $(cat $d/info)"
	modprobe -r async_debugfs || fail "modprobe -r #$i"
	[ ! -e $d ] || fail "$d left after unload #$i"
	i=$((i + 1))
done
echo "$i load/unload cycles"
