# Sourced by scripts: where the cache lives and the pinned tools the kernel
# and our modules are built with. The Makefile has the same list.
CACHE=${VIMC_RS_CACHE:-$HOME/.cache/vimc-rs}
BINDGEN=$CACHE/bindgen-0.69.5/bin/bindgen
export LIBCLANG_PATH=/usr/lib/llvm-19/lib
KVARS=(ARCH=x86_64 LLVM=-19 RUSTC=/usr/bin/rustc HOSTRUSTC=/usr/bin/rustc
	RUSTDOC=/usr/bin/rustdoc RUSTFMT=/usr/bin/rustfmt CLIPPY_DRIVER=/usr/bin/clippy-driver
	BINDGEN="$BINDGEN")
