#!/usr/bin/env bash
# Builds (or finds in the cache) the guest kernel $KERNEL (6.12 or 7.3) from
# Debian's unmodified linux-source tarball: tinyconfig + scripts/kernel.config
# + scripts/kernel-$KERNEL.config (options that differ between the kernels)
# + for a flavour other than "debug", scripts/kernel-$flavour.config and, if
# there is one, scripts/kernel-$flavour-$KERNEL.config: "bench" drops the
# sanitizers (and sets its preemption model per kernel), "kobject" delays
# every kobject release (DEBUG_KOBJECT_RELEASE, a lane of its own).
#
#   KERNEL=7.3 scripts/kernel.sh [--path] [debug|bench|kobject]
#
# The build directory is $VIMC_RS_CACHE/kernel-<version>-<flavour>-<key>,
# where the key hashes the source package version, the fragments, this script
# and the tool versions. --path prints that directory without building.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/toolvars.sh"

path_only=0
[ "${1:-}" = --path ] && { path_only=1; shift; }
flavour=${1:-debug}
frags=("$here/kernel.config" "$here/kernel-$KERNEL.config")
if [ "$flavour" != debug ]; then
	[ -f "$here/kernel-$flavour.config" ] || { echo "kernel: ERROR: no flavour '$flavour' ($here/kernel-$flavour.config)" >&2; exit 1; }
	frags+=("$here/kernel-$flavour.config")
	[ ! -f "$here/kernel-$flavour-$KERNEL.config" ] || frags+=("$here/kernel-$flavour-$KERNEL.config")
fi

src_ver=$(ksrc_version)
key=$( { echo "$KERNEL $src_ver"; cat "${frags[@]}" "$0"; echo "${KVARS[*]} $LIBCLANG_PATH";
	/usr/bin/rustc --version 2>/dev/null; "$BINDGEN" --version 2>/dev/null;
	clang-19 --version 2>/dev/null | head -1; } | sha256sum | cut -c1-16)
out=$CACHE/kernel-$KERNEL-$flavour-$key
if [ $path_only = 1 ]; then echo "$out"; exit 0; fi
if [ -f "$out/.vimc-rs-done" ]; then exit 0; fi

src=$CACHE/src-$src_ver/$KSRC_PKG
if [ ! -f "$src/.vimc-rs-extracted" ]; then
	tarball=$(ksrc_tarball)
	[ -f "$tarball" ] || { echo "kernel: ERROR: $tarball missing (make deps fetches it)" >&2; exit 1; }
	echo "kernel: extracting $tarball"
	rm -rf "$CACHE/src-$src_ver"; mkdir -p "$CACHE/src-$src_ver"
	tar -C "$CACHE/src-$src_ver" -xf "$tarball"
	touch "$src/.vimc-rs-extracted"
fi

rm -rf "$out"; mkdir -p "$out"
log=$out/build.log
echo "kernel: configuring $flavour in $out"
kmake() { make -C "$src" O="$out" "${KVARS[@]}" "$@"; }
kmake tinyconfig >"$log" 2>&1
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${frags[@]}" >>"$log" 2>&1
kmake olddefconfig >>"$log" 2>&1

# Every fragment line must have stuck; Kconfig silently drops what it can't do.
# A later fragment overrides an earlier one: check the last setting of each.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) grep -qx -- "$line" "$out/.config" || { echo "kernel: ERROR: '$line' did not stick (have: $(grep "^${line%%=*}=" "$out/.config" || echo unset))" >&2; bad=1; } ;;
	"# CONFIG_"*" is not set") opt=${line#\# }; opt=${opt%% *}
		! grep -q "^$opt=" "$out/.config" || { echo "kernel: ERROR: '$opt' should be unset but is $(grep "^$opt=" "$out/.config")" >&2; bad=1; } ;;
	esac
done < <(cat "${frags[@]}" | awk '
	/^CONFIG_[A-Za-z0-9_]*=/ { o = $0; sub(/=.*/, "", o) }
	/^# CONFIG_[A-Za-z0-9_]* is not set/ { o = $2 }
	o != "" { if (!(o in last)) order[n++] = o; last[o] = $0; o = "" }
	END { for (i = 0; i < n; i++) print last[order[i]] }')
[ $bad = 0 ] || exit 1

kmake rustavailable >>"$log" 2>&1 || { tail -5 "$log"; echo "kernel: ERROR: Rust is not available with the pinned tools" >&2; exit 1; }
echo "kernel: building (log: $log)"
if ! kmake -j"$(( $(nproc) + 1 ))" bzImage modules >>"$log" 2>&1; then
	grep -E 'error|Error' "$log" | tail -20 >&2
	echo "kernel: ERROR: build failed, see $log" >&2; exit 1
fi
kmake INSTALL_MOD_PATH="$out/modinst" modules_install >>"$log" 2>&1
touch "$out/.vimc-rs-done"
