#!/bin/sh -e
# vimc_rs's KUnit suites: the topology rules against C vimc's graph, the
# configfs parse functions, the kind registry (#[kunit_tests], which 7.x's
# kernel crate has; the 7.3 test kernel has CONFIG_KUNIT). They run as the
# module loads; each test case is a test point here, with KUnit's own KTAP
# in the log. The suites go with the module.
. /vimc-rs/tests/lib/harness.inc

K=/sys/kernel/debug/kunit
SUITES="vimc_rs_configfs vimc_rs_kinds vimc_rs_topology"
if [ "$(uname -r | cut -d. -f1)" -lt 7 ]; then
	tp skip "KUnit: $(uname -r)'s kernel crate has no kunit_tests attribute; the suites run on 7.x"
	exit 0
fi
[ -d $K ] || fail "no $K: the 7.x test kernel lacks CONFIG_KUNIT or CONFIG_KUNIT_DEBUGFS"
modprobe vimc_rs vimc_device=0
for s in $SUITES; do
	r=$K/$s/results
	[ -f $r ] || fail "$s: no suite (vimc_rs built without VIMC_RS_KUNIT=y?)"
	echo "== $s"; cat $r
	# The suite's cases are indented; its own verdict line is not.
	plan=$(sed -En 's/^[[:space:]]+1\.\.([0-9]+)$/\1/p' $r | head -1)
	ran=$(grep -Ec '^[[:space:]]+(ok|not ok) [0-9]+ ' $r || true)
	[ -n "$plan" ] && [ "$plan" -gt 0 ] && [ "$ran" = "$plan" ] ||
		fail "$s: planned ${plan:-no} cases, reported $ran"
	grep -E '^[[:space:]]+(ok|not ok) [0-9]+ ' $r | while read -r a b c; do
		if [ "$a" = ok ]; then
			case "$c" in *'# SKIP'*) fail "$s: skipped: $c" ;; esac
			tp ok "$s.${c%% *}"
		else
			tp not-ok "$s.${c#* }"
		fi
	done
	grep -Eq '^ok [0-9]+ '"$s"'$' $r || fail "$s: the suite did not pass"
done
modprobe -r vimc_rs
for s in $SUITES; do
	[ ! -e $K/$s ] || fail "$s: still in debugfs after the module went"
done
tp ok "the suites went with the module"
