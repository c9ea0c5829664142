# Runs in the guest (busybox sh): the scenarios named in /vimc-rs/schedule,
# one per line, in that order (without it every /vimc-rs/tests/*.sh in name
# order), each with a time limit, then checks what the kernel said meanwhile.
# A scenario fails if it exits non-zero, times out, or the kernel log gained
# an oops, BUG, KASAN, WARNING, lockdep, list corruption, ODEBUG or kmemleak
# report. The host (qemu/test) splits the output on the @@@ lines.
export KMEMLEAK=/sys/kernel/debug/kmemleak
export REPORT='Oops|BUG:|KASAN|WARNING:|INFO: (possible|inconsistent|trying|task .* blocked)|suspicious RCU usage|DEBUG_LOCKS_WARN|list_(add|del) corruption|list corruption|ODEBUG|kmemleak: (.*disabled|Cannot)|unreferenced object|general protection|Kernel panic|UBSAN|refcount_t:'
. /vimc-rs/tests/lib/harness.inc # unload

# Boot-time leaks are not ours: scan once and forget them.
echo scan > $KMEMLEAK 2>/dev/null; echo clear > $KMEMLEAK 2>/dev/null
dmesg -c > /tmp/boot-dmesg
echo "@@@ BEGIN boot"
why=
if grep -Eq "$REPORT" /tmp/boot-dmesg; then
	grep -E -A20 "$REPORT" /tmp/boot-dmesg | head -60; why="kernel report during boot"
fi

# qemu/test --keep-core (the kobject lane): a test module holds the media
# core loaded all along (tests/modules/pin_media_core.c says why), and
# harness.inc's `modprobe -r` unloads only the module it names.
if grep -q 'vimcrs\.keep_core=1' /proc/cmdline && ! modprobe pin_media_core; then
	echo "pin_media_core did not load"; why="${why:+$why; }keep-core"
fi
echo "kernel $(uname -r), up $(cut -d' ' -f1 /proc/uptime) s"
if [ -z "$why" ]; then echo "@@@ END boot PASS"; else echo "@@@ END boot FAIL $why"; fi
# C vimc's records (qemu/test): a scenario's is its $C (compare.inc).
record=0
grep -q 'vimcrs\.ref=record' /proc/cmdline && record=1

deflimit=$(sed -n 's/^timeout=\([0-9]*\)$/\1/p' /vimc-rs/tests/settings)
if [ -f /vimc-rs/schedule ]; then
	schedule=$(sed 's#.*#/vimc-rs/tests/&.sh#' /vimc-rs/schedule)
else
	schedule=$(ls /vimc-rs/tests/*.sh)
fi
last=$(basename "$(echo "$schedule" | tail -1)" .sh)
ran=0
for t in $schedule; do
	name=$(basename "$t" .sh)
	limit=$(sed -n 's/^# timeout: *\([0-9]*\).*/\1/p' "$t"); limit=${limit:-$deflimit}
	echo "@@@ BEGIN $name"
	start=$(date +%s)
	rm -rf /tmp/c
	if [ -d /vimc-rs/refs/$name ]; then
		cp -r /vimc-rs/refs/$name /tmp/c
		echo "reference: C vimc's record $(cat /tmp/c/.meta)"
	fi
	# In a session of its own, so that a timeout (or the end) kills every
	# process it started: a client it left hanging would keep a node busy
	# for the scenarios after it.
	(cd /tmp && exec setsid "$t" 2>&1) &
	pid=$!
	(sleep "$limit"; kill -KILL -$pid) 2>/dev/null &
	watchdog=$!
	wait $pid; rc=$?
	kill $watchdog 2>/dev/null
	kill -KILL -$pid 2>/dev/null || true
	echo "(exit $rc after $(( $(date +%s) - start ))s)"
	# Leave every module as the scenario should have: unloaded.
	end=$(uptime_s)
	for m in vimc vimc_rs async_debugfs; do unload $m > /dev/null || true; done
	# A scan after every second scenario (each costs seconds under TCG
	# and KASAN): a leaked object shows up in the second scan after it
	# was made, so in the log of a later scenario than its own (the
	# report names the task that allocated it); the boot's last scenario
	# gets two scans, so that nothing goes unseen. (The bench kernel has
	# no kmemleak.)
	: > /tmp/leaks
	ran=$((ran + 1))
	if [ -e $KMEMLEAK ] && { [ "$name" = "$last" ] || [ $((ran % 2)) = 0 ]; }; then
		kmemleak_leaks /tmp/leaks $end $([ "$name" = "$last" ] || echo once)
	fi
	dmesg -c > /tmp/dmesg
	why=
	[ $rc = 0 ] || why="exit status $rc"
	[ $rc = 137 ] && why="timed out after ${limit}s"
	if grep -Eq "$REPORT" /tmp/dmesg; then
		why="${why:+$why; }kernel report"
		echo "--- kernel reports:"; grep -E -B2 -A30 "$REPORT" /tmp/dmesg | head -120
	fi
	if [ -s /tmp/leaks ]; then
		why="${why:+$why; }kmemleak"
		echo "--- kmemleak:"; head -60 /tmp/leaks
	fi
	echo "--- dmesg:"; tail -40 /tmp/dmesg
	# With the checks: what the host schedules by.
	echo "@@@ TIME $name $(( $(date +%s) - start ))"
	# A recording boot sends what C vimc's side wrote, if all went well.
	if [ $record = 1 ] && [ -z "$why" ]; then
		echo "@@@ REF $name"
		tar -C /tmp/c -czf - . | base64
		echo "@@@ REFEND $name"
	fi
	if [ -z "$why" ]; then echo "@@@ END $name PASS"; else echo "@@@ END $name FAIL $why"; fi
done
echo "@@@ DONE"
