# Sourced by scripts: where the cache lives, which kernel ($KERNEL: 6.12 or
# 7.3) and the pinned tools that kernel and our modules are built with. The
# Makefile reads KVARS from here too.
CACHE=${VIMC_RS_CACHE:-$HOME/.cache/vimc-rs}
KERNEL=${KERNEL:-7.3}
case $KERNEL in
6.12)	# Debian 12's own package (bookworm-security), installed by deps.sh.
	KSRC_PKG=linux-source-6.12 KSRC_VER= KSRC_SUITE=
	BINDGEN_VERSION=0.69.5 ;;
7.3)	# Fetched by name and exact version; the host keeps Debian 12's sources.
	KSRC_PKG=linux-source-7.3 KSRC_VER=7.3.4-1~bpo13+1 KSRC_SUITE=trixie-backports
	BINDGEN_VERSION=0.71.1 ;;
*)	echo "KERNEL=$KERNEL: unknown kernel; choose 6.12 or 7.3" >&2; return 1 2>/dev/null || exit 1 ;;
esac
KERNELS=(6.12 7.3)
BINDGEN=$CACHE/bindgen-$BINDGEN_VERSION/bin/bindgen
export LIBCLANG_PATH=/usr/lib/llvm-19/lib
KVARS=(ARCH=x86_64 LLVM=-19 RUSTC=/usr/bin/rustc HOSTRUSTC=/usr/bin/rustc
	RUSTDOC=/usr/bin/rustdoc RUSTFMT=/usr/bin/rustfmt CLIPPY_DRIVER=/usr/bin/clippy-driver
	BINDGEN="$BINDGEN")

# The kernel source tarball: Debian 12's installed one, or the fetched .deb's.
ksrc_tarball() {
	if [ -z "$KSRC_VER" ]; then echo "/usr/src/$KSRC_PKG.tar.xz"
	else echo "$CACHE/debs/${KSRC_PKG}_$KSRC_VER/usr/src/$KSRC_PKG.tar.xz"; fi
}
ksrc_version() {
	if [ -z "$KSRC_VER" ]; then dpkg-query -W -f='${Version}' "$KSRC_PKG" 2>/dev/null || echo none
	else echo "$KSRC_VER"; fi
}
