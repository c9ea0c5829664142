#!/usr/bin/env bash
# Generates Rust bindings for the media headers with exactly the bindgen
# command and C flags the kernel used for its own rust/bindings (read from
# the build directory's .cmd file), restricted to the files we allowlist.
# Types from other headers are not redefined: the generated file is included
# after `use kernel::bindings::*`.
#
#   scripts/bindgen.sh OBJTREE HEADER OUTPUT
set -euo pipefail
objtree=$1 header=$(realpath "$2") out=$(realpath -m "$3")
cmdfile=$objtree/rust/bindings/.bindings_generated.rs.cmd
[ -f "$cmdfile" ] || { echo "bindgen.sh: $cmdfile missing: is $objtree a built kernel with CONFIG_RUST?" >&2; exit 1; }
cmd=$(sed -n 's|^savedcmd_rust/bindings/bindings_generated.rs := ||p' "$cmdfile")
cmd=${cmd%%; sed *}
in_old=$(printf '%s\n' "$cmd" | awk '{print $2}')
ours=(
	--allowlist-file '.*/include/media/.*'
	--allowlist-file '.*/include/uapi/linux/(videodev2|media|media-bus-format|v4l2-.*)\.h'
	--allowlist-file '.*/include/linux/(platform_device|debugfs|seq_file|kallsyms|property|fwnode|mod_devicetable|videodev2|dma-buf)\.h'
	--allowlist-file '.*/media/helpers\.h'
	--no-recursive-allowlist
	# Referenced by media headers, bound nowhere else, never looked into.
	--allowlist-type '(i2c_client|i2c_adapter|i2c_board_info|regulator_bulk_data|iosys_map|dma_fence_cb)'
	--opaque-type '(i2c_client|i2c_adapter|i2c_board_info|regulator_bulk_data|iosys_map|dma_fence_cb)'
	# A typedef of the kernel crate's poll_table_struct.
	--allowlist-type 'poll_table'
)
# configfs: 7.x's kernel crate binds it (kernel::configfs), 6.12's does not.
grep -q 'pub struct config_group ' "$objtree/rust/bindings/bindings_generated.rs" ||
	ours+=(--allowlist-file '.*/include/linux/configfs\.h')
# The kernel's cmd is a shell line with its own quoting: rebuild it with our
# input, output and depfile, then let the shell parse it.
cmd=${cmd/"$in_old"/"$header ${ours[*]@Q}"}
cmd=${cmd/"-o rust/bindings/bindings_generated.rs"/"-o $out.tmp"}
cmd=${cmd/"-Wp,-MMD,rust/bindings/.bindings_generated.rs.d"/"-I$(dirname "$header")"}
cmd=${cmd/"-DKBUILD_MODFILE='\"rust/bindings_generated\"'"/}
cd "$objtree"
eval "$cmd"
sed -Ei 's/pub const RUST_CONST_HELPER_([a-zA-Z0-9_]*)/pub const \1/g' "$out.tmp"
mv "$out.tmp" "$out"
