#!/bin/sh -e
# An open node pins the module: rmmod is refused and changes nothing; after
# close it works.
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
modprobe vimc_rs
exec 3<"$(media_of vimc.0)"
expect_fail modprobe -r vimc_rs
loaded vimc_rs || fail "vimc_rs unloaded while its media device was open"
media-ctl -d "$(media_of vimc.0)" -p | grep -q 'Sensor A' || fail "graph gone after refused rmmod"
exec 3<&-
exec 4<"$(node "Sensor A")"
expect_fail modprobe -r vimc_rs
exec 4<&-
exec 5<"$(node "RGB/YUV Capture")"
expect_fail modprobe -r vimc_rs
exec 5<&-
modprobe -r vimc_rs
expect_fail loaded vimc_rs
