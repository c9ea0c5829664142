#!/usr/bin/env bash
# Installs what vimc-rs needs on a Debian 12 host. Idempotent: quiet when
# everything is present. Prints what is missing and fails if it can't fix it.
set -euo pipefail

RUST_DEB_VERSION=1.85.0+dfsg3-1~deb12u3
here=$(cd "$(dirname "$0")" && pwd)

# (The guest's userland is Debian 13's, fetched by qemu/mkinitramfs; the
# host's own v4l-utils, libcamera and GStreamer are not used.)
APT_PKGS=(clang-19 lld-19 llvm-19 libclang-19-dev linux-source-6.12 qemu-system-x86
	flex bison bc libelf-dev libssl-dev cpio kmod xz-utils make gcc binutils)
PINNED_PKGS=(rustc-web libstd-rust-web-dev libstd-rust-web-1.85 rust-web-src cargo-web rustfmt-web
	rust-web-clippy)

missing=()
for p in "${APT_PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
for p in "${PINNED_PKGS[@]}"; do
	v=$(dpkg-query -W -f='${Status} ${Version}' "$p" 2>/dev/null || true)
	[ "$v" = "install ok installed $RUST_DEB_VERSION" ] || missing+=("$p=$RUST_DEB_VERSION")
done

if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing from Debian: ${missing[*]}"
	if [ "$(id -u)" != 0 ]; then
		echo "deps: ERROR: not root; install these yourself: ${missing[*]}" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/vimc-rs-apt.log 2>&1; then
		tail -20 /tmp/vimc-rs-apt.log >&2
		echo "deps: ERROR: apt-get could not install: ${missing[*]}" >&2
		exit 1
	fi
fi

# Per kernel: bindgen from crates.io, pinned, installed into our own root so
# that another bindgen on PATH never gets picked up; the kernel source.
need_kernel=()
for k in $(. "$here/toolvars.sh" && echo "${KERNELS[*]}"); do
	eval "$(KERNEL=$k; . "$here/toolvars.sh"; declare -p BINDGEN BINDGEN_VERSION KSRC_PKG KSRC_VER KSRC_SUITE)"
	if ! "$BINDGEN" --version 2>/dev/null | grep -qx "bindgen $BINDGEN_VERSION"; then
		echo "deps: installing bindgen-cli $BINDGEN_VERSION (for $k) from crates.io"
		command -v cargo >/dev/null || { echo "deps: ERROR: cargo is missing (needed to install bindgen-cli)" >&2; exit 1; }
		(cd / && cargo install --quiet --locked --root "${BINDGEN%/bin/bindgen}" bindgen-cli --version "$BINDGEN_VERSION") \
			|| { echo "deps: ERROR: cargo install bindgen-cli $BINDGEN_VERSION failed" >&2; exit 1; }
	fi
	if [ -n "$KSRC_VER" ]; then
		"$here/fetch-deb.sh" "$KSRC_SUITE" "$KSRC_PKG" "$KSRC_VER"
	fi
	need_kernel+=("$BINDGEN" "$(KERNEL=$k; . "$here/toolvars.sh"; ksrc_tarball)")
done

# The pinned toolchain as a rustup toolchain named in rust-toolchain.toml, so
# cargo/rustc/rustfmt run inside the checkout are the same 1.85 the kernel uses.
TC=${VIMC_RS_CACHE:-$HOME/.cache/vimc-rs}/toolchain-vimc-rs-1.85
if [ ! -x "$TC/bin/cargo" ]; then
	mkdir -p "$TC/bin"
	for t in rustc rustdoc cargo rustfmt clippy-driver cargo-clippy; do
		[ -e "/usr/bin/$t" ] && ln -sf "/usr/bin/$t" "$TC/bin/$t"
	done
	ln -sfn /usr/lib "$TC/lib"
fi
if command -v rustup >/dev/null && ! rustup toolchain list 2>/dev/null | grep -q '^vimc-rs-1.85'; then
	rustup toolchain link vimc-rs-1.85 "$TC" >/dev/null
fi

# Final check: every tool the build and the guest need, named when absent.
need=(/usr/bin/rustc /usr/bin/clang-19 /usr/bin/ld.lld-19 /usr/bin/qemu-system-x86_64
	/usr/bin/readelf /usr/bin/dpkg-deb /usr/lib/rustlib/src/rust/library/core/src/lib.rs
	/usr/lib/llvm-19/lib/libclang.so "${need_kernel[@]}")
for f in "${need[@]}"; do
	[ -e "$f" ] || { echo "deps: ERROR: $f is missing after install" >&2; exit 1; }
done
/usr/bin/rustc --version | grep -q '^rustc 1\.85\.' || { echo "deps: ERROR: /usr/bin/rustc is not 1.85: $(/usr/bin/rustc --version)" >&2; exit 1; }
