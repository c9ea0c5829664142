#!/bin/sh -e
# Leaked async subdevs, on the debug kernel: qemu/tests/lib/stale-leak.inc
# says what is checked; 91 runs the same on the bench kernel (no KASAN).
# Runs last: the stale entries stay on v4l2-async's list for the boot (the
# next async registration would write into a freed one), and kmemleak
# reports the kept one once v4l2-async (which holds the list) is unloaded.
# runs: last
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/stale-leak.inc
