# Sourced: apt over Debian 13 (trixie, its updates, security and backports)
# with an apt state of our own under the cache, so that the host's sources
# stay Debian 12. Defines APT13 (the options) and apt13_update.
CACHE=${VIMC_RS_CACHE:-$HOME/.cache/vimc-rs}
APT13_STATE=$CACHE/apt-debian13
mkdir -p "$APT13_STATE"/{lists/partial,archives/partial,etc,prefs.d,state}
cat > "$APT13_STATE/etc/sources.list" <<LIST
deb http://deb.debian.org/debian trixie main
deb http://deb.debian.org/debian trixie-updates main
deb http://deb.debian.org/debian-security trixie-security main
deb http://deb.debian.org/debian trixie-backports main
LIST
# An empty dpkg status: resolving an install here yields a package's whole
# dependency closure, as on an empty Debian 13 system, not the host's.
[ -f "$APT13_STATE/state/status" ] || : > "$APT13_STATE/state/status"
APT13=(-o Dir::Etc::sourcelist="$APT13_STATE/etc/sources.list" -o Dir::Etc::sourceparts=-
	-o Dir::Etc::preferences=/dev/null -o Dir::Etc::preferencesparts="$APT13_STATE/prefs.d"
	-o Dir::State="$APT13_STATE/state" -o Dir::State::status="$APT13_STATE/state/status"
	-o Dir::State::Lists="$APT13_STATE/lists" -o Dir::Cache="$APT13_STATE"
	-o Dir::Cache::archives="$APT13_STATE/archives"
	-o APT::Sandbox::User=root -o Debug::NoLocking=1)

apt13_update() {
	echo "apt13: updating the Debian 13 package lists ($APT13_STATE)" >&2
	apt-get "${APT13[@]}" update -qq >"$APT13_STATE/update.log" 2>&1 || {
		tail -5 "$APT13_STATE/update.log" >&2
		echo "apt13: ERROR: apt-get update for Debian 13 failed" >&2
		return 1
	}
}

# apt13_has NAME VERSION: whether the lists know that exact version.
apt13_has() {
	# (not `| grep -q`: with pipefail, apt-cache's SIGPIPE would fail it)
	apt-cache "${APT13[@]}" show "$1" 2>/dev/null | grep -Fx "Version: $2" > /dev/null
}

apt13_versions() { # NAME: the versions the lists know, for error messages
	apt-cache "${APT13[@]}" madison "$1" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); printf "%s ", $2}'
}
