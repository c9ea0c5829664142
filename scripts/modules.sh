#!/usr/bin/env bash
# Builds the checkout's modules as it is (edits included, deleted files
# left out) for a kernel other than the one of the in-tree build, in the
# cache: $VIMC_RS_CACHE/modules-<kernel build>-<key>, the key hashing the
# sources and this script. Prints that directory (its *.ko and
# tests/modules/*.ko are what `qemu/run --modules` takes). The bench and make check's bench-kernel
# scenarios use it.
#
#   KERNEL=7.3 scripts/modules.sh KDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
. "$here/toolvars.sh"
kdir=${1:?usage: scripts/modules.sh KDIR}
[ -f "$kdir/.vimc-rs-done" ] || { echo "modules: no kernel built at $kdir" >&2; exit 1; }
files=$(cd "$top" && git ls-files -c -o --exclude-standard -- . ':!results' |
	while IFS= read -r f; do [ ! -e "$f" ] || printf '%s\n' "$f"; done)
key=$( { printf '%s\n' "$files"; cd "$top" && printf '%s\n' "$files" | tr '\n' '\0' | xargs -0 cat; cat "$0"; } |
	sha256sum | cut -c1-16)
out=$CACHE/modules-${kdir##*/}-$key
# Two makes at once (make check and make bench, or two clones of one
# commit) have the same key: the second waits for the first's build
# instead of building into the same folder with it.
mkdir -p "$CACHE/locks"
exec 9> "$CACHE/locks/${out##*/}"
flock 9
if [ ! -f "$out/.done" ]; then
	rm -rf "$out"; mkdir -p "$out"
	(cd "$top" && printf '%s\n' "$files" | tr '\n' '\0' | xargs -0 cp --parents -t "$out")
	make -s -C "$kdir" M="$out" "${KVARS[@]}" modules >&2
	# The test modules too (leaky_async: 91 loads it on the bench kernel).
	make -s -C "$kdir" M="$out/tests/modules" "${KVARS[@]}" modules >&2
	touch "$out/.done"
	# Each edit makes one: keep the newest few of this kernel.
	ls -dt "$CACHE/modules-${kdir##*/}-"* | tail -n +5 | xargs -r rm -rf
	find "$CACHE/locks" -name "modules-${kdir##*/}-*" -mmin +60 -delete
fi
echo "$out"
