#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and booting the kernel needs, once.
#
# Every step checks first and does nothing when its tool is already there,
# so running this again is cheap. Versions are pinned in the Makefile and
# passed in through the environment.
#
# Usage: setup.sh   (with RUST_VERSION, BINDGEN_VERSION, VNG_VERSION, VENV,
#                    LANE, TARBALL, LINUX_7X and LINUX_7X_SUITE set)

set -euo pipefail

: "${RUST_VERSION:?}" "${BINDGEN_VERSION:?}" "${VNG_VERSION:?}" "${VENV:?}"
: "${LANE:?}" "${TARBALL:?}" "${LINUX_7X:?}" "${LINUX_7X_SUITE:?}"

DEB_PACKAGES=(
	linux-source-6.12
	clang-19 lld-19 llvm-19 libclang-19-dev
	qemu-system-x86
	flex bison bc libelf-dev libssl-dev cpio kmod python3-venv dwarves
	make gcc git
)

log() { printf 'setup: %s\n' "$*"; }

missing_debs() {
	local p
	for p in "${DEB_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || echo "$p"
	done
}

install_debs() {
	local missing
	missing=$(missing_debs)
	[ -z "$missing" ] && return
	log "installing Debian packages:" $missing
	local sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
		--no-install-recommends $missing
}

install_rust() {
	export PATH="$HOME/.cargo/bin:$PATH"
	if ! command -v rustup >/dev/null; then
		echo "setup: rustup not found; install it from your distribution" >&2
		exit 1
	fi
	if ! rustup run "$RUST_VERSION" rustc --version >/dev/null 2>&1; then
		log "installing Rust $RUST_VERSION"
		rustup toolchain install --profile minimal "$RUST_VERSION"
	fi
	local have
	have=$(rustup component list --installed --toolchain "$RUST_VERSION")
	local c
	for c in rust-src rustfmt clippy; do
		grep -q "^$c" <<<"$have" ||
			rustup component add --toolchain "$RUST_VERSION" "$c"
	done
}

install_bindgen() {
	if [ "$(bindgen --version 2>/dev/null)" = "bindgen $BINDGEN_VERSION" ]; then
		return
	fi
	log "installing bindgen-cli $BINDGEN_VERSION"
	RUSTUP_TOOLCHAIN=$RUST_VERSION cargo install --locked \
		--version "$BINDGEN_VERSION" bindgen-cli
}

install_vng() {
	if [ "$("$VENV/bin/vng" --version 2>/dev/null)" = "virtme-ng $VNG_VERSION" ]; then
		return
	fi
	log "installing virtme-ng $VNG_VERSION in $VENV"
	/usr/bin/python3 -m venv "$VENV"
	"$VENV/bin/pip" install -q "virtme-ng==$VNG_VERSION"
}

# The 7.x lane's source: Debian's linux-source-7.* package, downloaded with a
# private sources list and lists directory next to the tarball, so that the
# machine's apt configuration (bookworm here) is not touched, and unpacked.
fetch_linux_7x() {
	[ "$LANE" = 7.x ] && [ -z "${KERNEL_SRC:-}" ] && [ ! -f "$TARBALL" ] || return 0
	local dir pkg deb
	dir=$(dirname "$TARBALL")/apt
	pkg=${LINUX_7X%%=*}
	log "fetching $LINUX_7X from $LINUX_7X_SUITE"
	mkdir -p "$dir/lists/partial" "$dir/archives/partial"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
		"http://deb.debian.org/debian $LINUX_7X_SUITE main" >"$dir/sources.list"
	local opts=(-o "Dir::Etc::SourceList=$dir/sources.list"
		    -o Dir::Etc::SourceParts=/nonexistent
		    -o "Dir::State::Lists=$dir/lists"
		    -o "Dir::Cache::archives=$dir/archives")
	apt-get "${opts[@]}" update -qq
	rm -f "$dir"/*.deb
	(cd "$dir" && apt-get "${opts[@]}" download -qq "$LINUX_7X")
	deb=$(ls "$dir"/"${pkg}"_*.deb)
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xOf - "./usr/src/$pkg.tar.xz" >"$TARBALL.tmp"
	mv "$TARBALL.tmp" "$TARBALL"
	rm -f "$deb"
}

# kbuild's compiler and rustc probes (cc-option, rustc-option) compile
# /dev/null and write their errors to it: a regular file there, which root
# can leave by mistake, makes them fail now and then, and the build with
# them ("Compiler does not support fentry?").
check_dev_null() {
	[ -c /dev/null ] && return 0
	echo "setup: /dev/null is not the null device: $(ls -l /dev/null)" >&2
	echo "setup: as root: rm /dev/null && mknod -m 666 /dev/null c 1 3" >&2
	exit 1
}

check_dev_null
install_debs
fetch_linux_7x
install_rust
install_bindgen
install_vng
