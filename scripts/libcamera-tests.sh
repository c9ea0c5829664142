#!/usr/bin/env bash
# Builds libcamera 0.7.1's own unit tests (meson -Dtest=true) against a
# Debian 13 userland, so that the guest (whose userland is Debian 13's) can
# run them from the build tree at the path they were built at,
# /opt/libcamera-0.7.1/build, with the build's own libcamera.so (found
# through the build's RUNPATH), not the packaged one. Cached, keyed by this
# script, scripts/apt13.sh, the source tarball's sha256 and the pinned
# package versions. Prints the path of the cached result:
#
#   $CACHE/libcamera-tests-KEY/
#     root/opt/libcamera-0.7.1/    the source tree (test data, IPA data,
#                                  the build's `source` link points here)
#     root/opt/libcamera-0.7.1/build/
#                                  the build tree, less its object files and
#                                  static libraries; meson test --no-rebuild
#                                  works from it (meson 1.7.0 in the guest)
#     tests.txt                    meson test -C build --list
#     runtime-packages             NAME=VERSION of the Debian 13 packages that
#                                  provide every shared library the built
#                                  ELF files load, plus python3 (the
#                                  interpreter of the python module)
#     runner-packages              NAME=VERSION of what runs the tests:
#                                  meson (meson test), python3-packaging
#                                  (v4l2_compat_test.py); v4l2_compat_test
#                                  also wants v4l2-ctl and v4l2-compliance
#     build-packages               NAME VERSION of every package in the root
#                                  the build ran in
#     key-inputs, meson-options, build.log, meson-log.txt, build-seconds
#
# The host stays Debian 12: apt resolves the build's dependency closure
# against an empty Debian 13 system in an apt state of our own
# (scripts/apt13.sh), downloads the .debs (checked against the signed
# archive), and dpkg-deb extracts them into a root (no maintainer script
# runs; what they would do that the build needs is done here: the merged-/usr
# links, /bin/sh, cc and c++, ldconfig). The build runs in that root with
# chroot, in a mount namespace of its own (unshare), so /proc and /dev are
# mounted only for it and vanish with it, whatever way it ends.
#
#   VIMC_RS_SOURCES  folder with libcamera-0.7.1.tar.xz
#                    (default: shared/sources beside the repository)
#   VIMC_RS_JOBS     ninja's -j (default 2); the build runs under nice -n 10
set -euo pipefail
CACHE=${VIMC_RS_CACHE:-$HOME/.cache/vimc-rs}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
SOURCES=${VIMC_RS_SOURCES:-$(dirname "$top")/shared/sources}
JOBS=${VIMC_RS_JOBS:-2}

VERSION=0.7.1
TARBALL=libcamera-$VERSION.tar.xz
TARBALL_SHA256=11fb85f976b1fa436111539cadb89e33efbb4f192af483a13f5153e212197a54
PREFIX=/opt/libcamera-$VERSION	# where the source is, in the root and in the guest

# The build's root, at exact Debian 13 versions; their dependencies come at
# the versions these pull in (listed in build-packages). Not taken: the
# Debian 13 packaged libcamera itself; libevent-dev and libgtest-dev (only
# cam and lc-compliance use them, and both are off); lttng (tracing off, as
# the guest's userland has no lttng session daemon).
PKGS=(
	# the essentials the build's shell scripts use (not pulled in as
	# dependencies: Debian takes them for granted)
	base-files=13.8+deb13u8
	dash=0.5.12-12
	bash=5.2.37-2+b10
	coreutils=9.7-3
	sed=4.9-2+deb13u1
	grep=3.11-4
	findutils=4.10.0-3
	diffutils=1:3.10-4
	libc-bin=2.41-12+deb13u5
	# the toolchain
	gcc-14=14.2.0-19
	g++-14=14.2.0-19
	gcc=4:14.2.0-1
	g++=4:14.2.0-1
	binutils=2.44-3
	libc6-dev=2.41-12+deb13u5
	make=4.4.1-2
	meson=1.7.0-1
	ninja-build=1.12.1-1
	pkgconf=1.8.1-4
	# libcamera's code generators, IPA module signing, python bindings
	python3=3.13.5-1
	python3-dev=3.13.5-1
	python3-jinja2=3.1.6-1
	python3-yaml=6.0.2-1+b2
	python3-ply=3.11-9
	pybind11-dev=2.13.6-2
	openssl=3.5.10-1~deb13u1
	# libcamera's libraries (gnutls checks the IPA signatures, as in
	# Debian's build; libjpeg and libyuv for the virtual pipeline handler,
	# which -Dtest=true adds along with vimc)
	libyaml-dev=0.2.5-2
	libgnutls28-dev=3.8.9-3+deb13u4
	libudev-dev=257.13-1~deb13u1
	libdw-dev=0.192-4
	libunwind-dev=1.8.1-0.1
	libjpeg62-turbo-dev=1:2.1.5-4
	libyuv-dev=0.0.1904.20250204-1
	# for running the tests (v4l2_compat_test.py imports it)
	python3-packaging=25.0-1
)
# -Dtest=true adds the vimc and virtual pipeline handlers by itself.
# Optimised without debug information (a smaller tree to ship to the guest,
# faster code under TCG), with assertions on.
MESON_OPTS=(
	-Dtest=true
	-Dpipelines=vimc
	-Dipas=vimc
	-Dv4l2=enabled
	-Dpycamera=enabled
	-Dudev=enabled
	-Dlibdw=enabled
	-Dlibunwind=enabled
	-Dcam=disabled
	-Dqcam=disabled
	-Dgstreamer=disabled
	-Dlc-compliance=disabled
	-Ddocumentation=disabled
	-Dtracing=disabled
	-Dandroid=disabled
	-Dsoftisp-gpu=disabled
	-Drpi-awb-nn=disabled
	-Dapps-output-dng=disabled
	-Dcam-output-kms=disabled
	-Dcam-output-sdl2=disabled
	-Dcam-jpeg=disabled
	-Doptimization=2
	-Ddebug=false
	-Db_ndebug=false
	--wrap-mode=nofallback
)

die() { echo "libcamera-tests: ERROR: $*" >&2; exit 1; }

src=$SOURCES/$TARBALL
howto="make it from https://git.libcamera.org/libcamera/libcamera.git with
  git archive --prefix=libcamera-$VERSION/ v$VERSION | xz > $TARBALL
and put it in $SOURCES (or point VIMC_RS_SOURCES at its folder)"
[ -f "$src" ] || die "no $src: $howto"
sum=$(sha256sum "$src" | cut -d' ' -f1)
[ "$sum" = "$TARBALL_SHA256" ] || die "$src has sha256 $sum, not $TARBALL_SHA256: $howto"

key_inputs() {
	echo "script $(sha256sum "$0" | cut -d' ' -f1)"
	echo "apt13.sh $(sha256sum "$here/apt13.sh" | cut -d' ' -f1)"
	echo "tarball $TARBALL $TARBALL_SHA256"
	printf 'package %s\n' "${PKGS[@]}"
	printf 'meson-option %s\n' "${MESON_OPTS[@]}"
}
key=$(key_inputs | sha256sum | cut -c1-16)
out=$CACHE/libcamera-tests-$key
if [ -f "$out/.complete" ]; then echo "$out"; exit 0; fi

[ "$(id -u)" = 0 ] || die "chroot needs root"
for t in dpkg-deb apt-get chroot unshare readelf; do
	command -v "$t" > /dev/null || die "no $t on the host"
done

. "$here/apt13.sh"
for p in "${PKGS[@]}"; do
	apt13_has "${p%%=*}" "${p#*=}" || { apt13_update; break; }
done
for p in "${PKGS[@]}"; do
	apt13_has "${p%%=*}" "${p#*=}" ||
		die "Debian 13 has no ${p%%=*} ${p#*=} (have: $(apt13_versions "${p%%=*}"))"
done

mkdir -p "$CACHE"
tmp=$(mktemp -d "$CACHE/libcamera-tests-tmp.XXXXXX")
# The mounts live in the build's own mount namespace: none is seen here, and
# --one-file-system guards the removal all the same.
trap 'rm -rf --one-file-system "$tmp"' EXIT
root=$tmp/root
start=$(date +%s)

# The closure: "'URI' FILE SIZE HASH" per package (apt lists only what its
# archives lack, so it looks at an empty one).
mkdir -p "$tmp/none/partial"
apt-get "${APT13[@]}" -o Dir::Cache::archives="$tmp/none" install --print-uris -qq --no-install-recommends -y "${PKGS[@]}" > "$tmp/uris" 2> "$tmp/err" \
	|| { cat "$tmp/err" >&2; die "apt cannot resolve the build's packages"; }
apt-get "${APT13[@]}" install --download-only -qq --no-install-recommends -y "${PKGS[@]}" > /dev/null 2> "$tmp/err" \
	|| { cat "$tmp/err" >&2; die "downloading the build's packages failed"; }

# Extract into the root; keep each package's file list (for the runtime
# packages) with paths as merged /usr has them.
mkdir -p "$root"
usrpath() { sed -E 's,^\./,/,; s,^/(bin|sbin|lib|lib64|libx32|lib32)/,/usr/\1/,'; }
while read -r _ deb _; do
	f=$APT13_STATE/archives/$deb
	[ -f "$f" ] || die "apt did not download $deb"
	dpkg-deb -x "$f" "$root"
	pv=$(dpkg-deb --show --showformat='${Package} ${Version}' "$f")
	echo "$pv" >> "$tmp/packages"
	dpkg-deb --fsys-tarfile "$f" | tar -t | usrpath | sed "s|\$| ${pv% *}=${pv#* }|" >> "$tmp/files"
done < "$tmp/uris"
[ -s "$tmp/packages" ] || die "apt listed no packages"
echo "libcamera-tests: $(wc -l < "$tmp/packages") Debian 13 packages extracted" >&2

# What base-files' and the maintainer scripts' work would have left: merged
# /usr, /bin/sh, the cc and c++ alternatives, the loader's cache.
for d in bin sbin lib lib64; do
	if [ -d "$root/$d" ] && [ ! -L "$root/$d" ]; then
		mkdir -p "$root/usr/$d"; cp -a "$root/$d/." "$root/usr/$d/"; rm -rf "$root/$d"
	fi
	mkdir -p "$root/usr/$d"; [ -L "$root/$d" ] || ln -s "usr/$d" "$root/$d"
done
[ -e "$root/usr/bin/sh" ] || ln -s dash "$root/usr/bin/sh"
[ -e "$root/usr/bin/cc" ] || ln -s gcc "$root/usr/bin/cc"
[ -e "$root/usr/bin/c++" ] || ln -s g++ "$root/usr/bin/c++"
mkdir -p "$root"/{proc,dev,tmp,root,etc,opt}
chmod 1777 "$root/tmp"
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
echo "root:x:0:" > "$root/etc/group"
chroot "$root" /usr/sbin/ldconfig
for t in sh cc c++ python3 meson ninja pkg-config openssl; do
	chroot "$root" /usr/bin/sh -c "command -v $t" > /dev/null || die "the build root has no $t"
done

tar -xJf "$src" -C "$root/opt"
[ -f "$root$PREFIX/meson.build" ] || die "$TARBALL has no libcamera-$VERSION/meson.build"

# The build. meson test --list is taken there (it needs the root's meson).
printf '%q ' "${MESON_OPTS[@]}" > "$tmp/opts"
cat > "$root/build.sh" <<EOF
set -eu
cd $PREFIX
meson setup build $(cat "$tmp/opts")
ninja -C build -j$JOBS
meson test -C build --no-rebuild --list > /tests.txt
EOF
echo "libcamera-tests: building libcamera $VERSION's tests in $root$PREFIX (log: $tmp/build.log)" >&2
if ! nice -n 10 unshare --mount --propagation private /bin/sh -c '
	set -e; root=$1
	mount -t proc proc "$root/proc"
	mount --bind /dev "$root/dev"
	mount -t tmpfs -o mode=1777 shm "$root/dev/shm"
	exec chroot "$root" /usr/bin/env -i PATH=/usr/bin:/usr/sbin HOME=/root LANG=C.UTF-8 TMPDIR=/tmp /bin/sh /build.sh
' sh "$root" > "$tmp/build.log" 2>&1; then
	tail -40 "$tmp/build.log" >&2
	[ -f "$root$PREFIX/build/meson-logs/meson-log.txt" ] && cp "$root$PREFIX/build/meson-logs/meson-log.txt" "$CACHE/libcamera-tests-failed-meson-log.txt"
	cp "$tmp/build.log" "$CACHE/libcamera-tests-failed-build.log"
	die "the build failed (log: $CACHE/libcamera-tests-failed-build.log)"
fi
end=$(date +%s)
echo "libcamera-tests: built in $(( (end - start) / 60 )) min $(( (end - start) % 60 )) s" >&2
build=$root$PREFIX/build

# The runtime packages: what provides each library that the build's ELF
# files load (ldd in the root, so RUNPATH and the root's libraries apply).
is_elf() { [ "$(head -c4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]; }
: > "$tmp/elfs"
while IFS= read -r f; do
	case $f in *.o|*.a) continue ;; esac
	is_elf "$f" && echo "${f#"$root"}" >> "$tmp/elfs"
done < <(find "$build" -path '*.p' -prune -o -type f -print)
[ -s "$tmp/elfs" ] || die "the build made no ELF file"
: > "$tmp/libs"
while IFS= read -r f; do
	chroot "$root" /usr/bin/ldd "$f" > "$tmp/ldd" 2>&1 || true
	if grep -q 'not found' "$tmp/ldd"; then
		cat "$tmp/ldd" >&2; die "$f needs a library that no package in the root provides"
	fi
	# "name => /path (addr)" and the loader's "/path (addr)"
	sed -nE 's,.*=> (/[^ ]+) \(.*,\1,p; s,^[[:space:]]*(/[^ ]+) \(.*,\1,p' "$tmp/ldd" >> "$tmp/libs"
done < "$tmp/elfs"
: > "$tmp/runtime"
while IFS= read -r l; do
	case $l in "$PREFIX"/*) continue ;; esac
	p=
	for cand in "$(echo "$l" | usrpath)" "$(chroot "$root" /usr/bin/realpath "$l" | usrpath)"; do
		p=$(awk -v f="$cand" '$1 == f { print $2; exit }' "$tmp/files")
		[ -n "$p" ] && break
	done
	[ -n "$p" ] || die "no package in the root ships $l"
	echo "$p" >> "$tmp/runtime"
done < <(sort -u "$tmp/libs")
pkgver() { awk -v p="$1" '$1 == p { print $1 "=" $2; exit }' "$tmp/packages"; }
{ sort -u "$tmp/runtime"; pkgver python3; } | sort -u > "$tmp/runtime-packages"
for p in meson python3-packaging; do pkgver "$p"; done > "$tmp/runner-packages"

# The result: the source tree and the build tree less its object files
# (meson keeps them in TARGET.p folders) and static libraries.
res=$tmp/out
mkdir -p "$res/root/opt"
mv "$root$PREFIX" "$res/root/opt/"
find "$res/root$PREFIX/build" -name '*.p' -type d -prune -exec rm -rf {} +
find "$res/root$PREFIX/build" \( -name '*.o' -o -name '*.a' \) -type f -delete
mv "$root/tests.txt" "$res/tests.txt"
cp "$tmp/runtime-packages" "$tmp/runner-packages" "$res/"
sort "$tmp/packages" > "$res/build-packages"
key_inputs > "$res/key-inputs"
echo "key $key" >> "$res/key-inputs"
cat "$tmp/opts" > "$res/meson-options"; echo >> "$res/meson-options"
cp "$tmp/build.log" "$res/build.log"
cp "$res/root$PREFIX/build/meson-logs/meson-log.txt" "$res/meson-log.txt"
echo "$((end - start))" > "$res/build-seconds"
touch "$res/.complete"
rm -rf "$out"; mv "$res" "$out"
echo "libcamera-tests: $(du -sm "$out" | cut -f1) MiB, $(grep -c . "$out/tests.txt") tests" >&2
echo "$out"
