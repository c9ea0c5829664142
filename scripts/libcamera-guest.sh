#!/usr/bin/env bash
# What the guest needs to run libcamera's unit tests (qemu/tests/93): the
# build of scripts/libcamera-tests.sh, the Debian 13 packages its programs
# and its test runners load (the libraries of runtime-packages, python3
# with what v4l2_compat_test.py imports), and the test list. Cached, keyed
# by the build, this script and the test-list maker. Prints its path:
#
#   $CACHE/libcamera-guest-KEY/
#     opt/libcamera-0.7.1/   the source and build trees (the guest links
#                            /opt/libcamera-0.7.1 here: the build's paths)
#     root/                  the packages' files, merged-/usr; the guest
#                            copies in those it lacks, replacing none
#     tests.tsv              every test of `meson test --list`, as meson
#                            runs it (scripts/libcamera-tests-tsv.py)
set -euo pipefail
CACHE=${VIMC_RS_CACHE:-$HOME/.cache/vimc-rs}
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "libcamera-guest: ERROR: $*" >&2; exit 1; }

build=$("$here/libcamera-tests.sh") || die "the build failed (scripts/libcamera-tests.sh)"
key=$( { basename "$build"; cat "$0" "$here/libcamera-tests-tsv.py"; } | sha256sum | cut -c1-16)
out=$CACHE/libcamera-guest-$key
if [ -f "$out/.complete" ]; then echo "$out"; exit 0; fi

. "$here/apt13.sh"
mapfile -t pkgs < <(cat "$build/runtime-packages" "$build/runner-packages" | grep -v '^meson=')
[ ${#pkgs[@]} -gt 0 ] || die "$build lists no runtime packages"
tmp=$(mktemp -d "$CACHE/libcamera-guest-tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
res=$tmp/out
mkdir -p "$res/root" "$tmp/none/partial"
# Their whole closure, as on an empty Debian 13 system (the guest has much
# of it already: those files it keeps).
apt-get "${APT13[@]}" -o Dir::Cache::archives="$tmp/none" install --print-uris -qq --no-install-recommends -y "${pkgs[@]}" \
	> "$tmp/uris" 2> "$tmp/err" || { cat "$tmp/err" >&2; die "apt cannot resolve ${pkgs[*]}"; }
apt-get "${APT13[@]}" install --download-only -qq --no-install-recommends -y "${pkgs[@]}" > /dev/null 2> "$tmp/err" \
	|| { cat "$tmp/err" >&2; die "downloading ${pkgs[*]} failed"; }
while read -r _ deb _; do
	[ -f "$APT13_STATE/archives/$deb" ] || die "apt did not download $deb"
	dpkg-deb -x "$APT13_STATE/archives/$deb" "$res/root"
done < "$tmp/uris"
r=$res/root
rm -rf "$r"/usr/share/{doc,man,info,locale,lintian} "$r"/etc/{init.d,cron.daily} "$r"/usr/lib/x86_64-linux-gnu/gconv
# Merged /usr, as the guest has it.
for d in bin sbin lib lib64; do
	if [ -d "$r/$d" ] && [ ! -L "$r/$d" ]; then
		mkdir -p "$r/usr/$d"; cp -a "$r/$d/." "$r/usr/$d/"; rm -rf "${r:?}/$d"
	fi
done
[ -x "$r/usr/bin/python3" ] || die "no python3 in the packages"

mkdir -p "$res/opt"
cp -a "$build/root/opt/." "$res/opt/"
python3 "$here/libcamera-tests-tsv.py" "$build/root" /opt/libcamera-0.7.1/build > "$res/tests.tsv"
[ "$(grep -c . "$res/tests.tsv")" = "$(grep -c . "$build/tests.txt")" ] ||
	die "tests.tsv has $(grep -c . "$res/tests.tsv") tests, meson test --list $(grep -c . "$build/tests.txt")"
touch "$res/.complete"
rm -rf "$out"; mv "$res" "$out"
echo "libcamera-guest: $(du -sm "$out" | cut -f1) MiB, $(grep -c . "$out/tests.tsv") tests" >&2
echo "$out"
