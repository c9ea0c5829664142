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

state=$CACHE/apt-debian13
mkdir -p "$state"/{lists/partial,archives/partial,etc}
cat > "$state/etc/sources.list" <<LIST
deb http://deb.debian.org/debian trixie main
deb http://deb.debian.org/debian trixie-updates main
deb http://deb.debian.org/debian-security trixie-security main
deb http://deb.debian.org/debian trixie-backports main
LIST
apt_opts=(-o Dir::Etc::sourcelist="$state/etc/sources.list" -o Dir::Etc::sourceparts=-
	-o Dir::State::Lists="$state/lists" -o Dir::Cache="$state" -o Dir::Cache::archives="$state/archives"
	-o APT::Sandbox::User=root -o Debug::NoLocking=1)
have() { apt-cache "${apt_opts[@]}" show "$name" 2>/dev/null | grep -qx "Version: $version"; }
if ! have; then
	echo "fetch-deb: updating the Debian 13 package lists ($state)"
	apt-get "${apt_opts[@]}" update -qq >"$state/update.log" 2>&1 \
		|| { tail -5 "$state/update.log" >&2; echo "fetch-deb: ERROR: apt-get update for Debian 13 failed" >&2; exit 1; }
fi
if ! have; then
	echo "fetch-deb: ERROR: $name $version is not in $suite (have: $(apt-cache "${apt_opts[@]}" madison "$name" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); printf "%s ", $2}'))" >&2
	exit 1
fi
echo "fetch-deb: $name $version from $suite"
tmp=$(mktemp -d "$CACHE/debs-tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get "${apt_opts[@]}" download -qq "$name=$version" >/dev/null 2>"$tmp/err") \
	|| { cat "$tmp/err" >&2; echo "fetch-deb: ERROR: download of $name $version failed" >&2; exit 1; }
rm -rf "$dest"; mkdir -p "$dest"
dpkg-deb -x "$tmp"/*.deb "$dest"
touch "$dest/.vimc-rs-extracted"
