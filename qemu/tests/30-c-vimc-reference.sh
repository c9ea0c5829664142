#!/bin/sh -e
# The reference: the kernel's C vimc loads (in the boot that records it)
# and v4l2-compliance runs on it. Its result is logged, not judged, here;
# the parity scenarios compare vimc_rs against C vimc's records.
# needs: c-vimc
# reference: recorded
# kernel: bench
# timeout: 900
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
. /vimc-rs/tests/lib/compare.inc
c_side() {
	modprobe vimc
	m=$(media_of vimc.0) || fail "C vimc made no media device"
	media-ctl -d $m -p | grep -c '^- entity' > $C/entities
	v4l2-compliance -m $m > $C/compliance 2>&1 || true
	modprobe -r vimc
}
reference c_side
reference_done
grep -qx 11 $C/entities || fail "C vimc graph has not 11 entities"
tp ok "C vimc's graph has 11 entities"
grep -E '^(Grand )?Total' $C/compliance
grep -q "^Grand Total for vimc device /dev/media[0-9]*: " $C/compliance || fail "v4l2-compliance did not finish: $(tail -5 $C/compliance)"
tp ok "v4l2-compliance finished on C vimc"
grep -B3 'FAIL' $C/compliance | head -40
