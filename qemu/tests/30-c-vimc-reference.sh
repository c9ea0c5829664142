#!/bin/sh -e
# The reference: the kernel's C vimc loads in the same guest and
# v4l2-compliance runs on it. Its result is logged, not judged, here; the
# parity scenarios compare vimc_rs against it.
# needs: c-vimc
# timeout: 900
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
modprobe vimc
m=$(media_of vimc.0) || fail "C vimc made no media device"
media-ctl -d $m -p | grep -c '^- entity' | grep -qx 11 || fail "C vimc graph has not 11 entities"
v4l2-compliance -m $m > /tmp/compliance 2>&1 || true
grep -E '^(Grand )?Total' /tmp/compliance
grep -q "^Grand Total for vimc device $m: " /tmp/compliance || fail "v4l2-compliance did not finish: $(tail -5 /tmp/compliance)"
grep -B3 'FAIL' /tmp/compliance | head -40
modprobe -r vimc
