#!/bin/sh -e
# The examples of README.md and docs/ marked to run in the guest (fenced
# "sh guest" blocks, which scripts/doc-blocks.py extracts on the host), each
# as written, in the order of the docs, from a guest with none of our
# modules loaded: a test point per example, named by its file and line.
# Each must exit 0 under `sh -e`; what it leaves (configfs devices,
# modules) is cleared before the next.
# timeout: 600
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc

d=/vimc-rs/tests/ext/docs
cleanup() {
	grep -q ' /sys/kernel/config ' /proc/mounts && configfs_clear
	for m in vimc_rs async_debugfs vimc; do unload $m || return 1; done
}
trap 'cleanup || true' EXIT
[ ! -e $d.failed ] || fail "scripts/doc-blocks.py: $(cat $d.failed)"
[ -n "$(ls $d/*.sh 2>/dev/null)" ] || fail "no examples extracted from the docs (scripts/doc-blocks.py)"
for b in $d/*.sh; do
	where=$(sed -n '1s/^# //p' $b)
	echo "== $where"
	sed 1d $b
	echo "-- output:"
	rc=0; (cd /tmp && sh -e $b) || rc=$?
	[ $rc = 0 ] || fail "$where: exit status $rc"
	tp ok "$where"
	cleanup || fail "$where: what it made does not go (configfs devices, modules)"
done
