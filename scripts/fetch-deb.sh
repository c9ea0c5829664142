#!/usr/bin/env bash
# Fetches one Debian package by name and exact version from a suite the host
# does not use (Debian 13 and its backports), with an apt state of our own so
# that the host's sources stay Debian 12, and extracts it (no maintainer
# scripts run). apt checks the .deb against the signed archive's hash.
#
#   scripts/fetch-deb.sh SUITE NAME VERSION   -> $CACHE/debs/NAME_VERSION/
set -euo pipefail
suite=$1 name=$2 version=$3
CACHE=${VIMC_RS_CACHE:-$HOME/.cache/vimc-rs}
dest=$CACHE/debs/${name}_$version
[ -f "$dest/.vimc-rs-extracted" ] && exit 0

here=$(cd "$(dirname "$0")" && pwd)
. "$here/apt13.sh"
if ! apt13_has "$name" "$version"; then apt13_update; fi
if ! apt13_has "$name" "$version"; then
	echo "fetch-deb: ERROR: $name $version is not in $suite (have: $(apt13_versions "$name"))" >&2
	exit 1
fi
echo "fetch-deb: $name $version from $suite"
tmp=$(mktemp -d "$CACHE/debs-tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get "${APT13[@]}" download -qq "$name=$version" >/dev/null 2>"$tmp/err") \
	|| { cat "$tmp/err" >&2; echo "fetch-deb: ERROR: download of $name $version failed" >&2; exit 1; }
rm -rf "$dest"; mkdir -p "$dest"
dpkg-deb -x "$tmp"/*.deb "$dest"
touch "$dest/.vimc-rs-extracted"
