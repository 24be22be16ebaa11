#!/usr/bin/env bash
# deps.sh - installs the Debian packages cimic needs to build and test.
# Sourced by scripts/demo and .ci/run; installs only what is missing.
cimic_deps() {
	local pkgs=(build-essential meson ninja-build pkg-config libsqlite3-dev libsodium-dev
		zlib1g-dev libncurses-dev libpq-dev libpwquality-dev libutf8proc-dev gettext tmux locales python3 "$@")
	local need=() p
	for p in "${pkgs[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			need+=("$p")
	done
	[ ${#need[@]} -eq 0 ] && return 0
	local sudo=""
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	echo "Installing: ${need[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq >/dev/null 2>&1 || true
	$sudo apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 || {
		echo "apt-get install ${need[*]} failed" >&2
		return 1
	}
}

# The Ukrainian interface needs the uk_UA.UTF-8 locale.
cimic_locales() {
	locale -a 2>/dev/null | grep -qi '^uk_UA.utf8$' && return 0
	local sudo=""
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	$sudo sed -i 's/^# *\(uk_UA.UTF-8 UTF-8\)/\1/; s/^# *\(en_US.UTF-8 UTF-8\)/\1/' /etc/locale.gen 2>/dev/null
	grep -q '^uk_UA.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null ||
		echo 'uk_UA.UTF-8 UTF-8' | $sudo tee -a /etc/locale.gen >/dev/null
	$sudo locale-gen >/dev/null 2>&1 || true
}
