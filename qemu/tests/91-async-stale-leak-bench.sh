#!/bin/sh -e
# 90 on the bench kernel (no KASAN, as distribution kernels): there a
# subdev freed while its module stays loaded looks live, and async_debugfs
# must print its fwnode from reads that cannot fault, never through the
# fwnode's ops (issue 30, finding 2). qemu/tests/lib/stale-leak.inc says
# what is checked.
# Runs alone, in a boot of its own: its leaks stay on v4l2-async's list for
# the boot, so it cannot share one with 90 (`runs: last` too) when
# qemu/test runs without --bench-kernel and both boot the debug kernel.
# kernel: bench
# runs: alone
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/stale-leak.inc
