#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prepare the kernel tree in the cache: extract it once, put this repository's
# overlay on it, apply the small patches to upstream files and configure it.
#
# Every step is incremental so that a warm run touches only what changed:
# overlay files are copied only when their content differs (their new mtime
# is what makes kbuild rebuild them), patches are re-applied only when the
# patch set changed, and the tree is re-configured only when a config
# fragment changed.
#
# Usage: prepare-kernel.sh REPO_DIR KERNEL_DIR
#   KERNEL_SRC   use this 6.12.y tree instead of Debian's linux-source-6.12
#   MAKEFLAGS_K  extra arguments for the kernel's make (LLVM=-19 ...)

set -euo pipefail

repo=$(realpath "$1")
tree=$2
tarball=/usr/src/linux-source-6.12.tar.xz
state=$tree/.rklp

log() { printf 'prepare: %s\n' "$*"; }

# The origin of the tree: a path and what identifies its content.
origin() {
	if [ -n "${KERNEL_SRC:-}" ]; then
		echo "dir $(realpath "$KERNEL_SRC")"
	else
		echo "tarball $tarball $(stat -c '%s %Y' "$tarball")"
	fi
}

extract() {
	local want
	want=$(origin)
	if [ "$(cat "$state/origin" 2>/dev/null)" = "$want" ]; then
		return
	fi
	log "populating $tree from ${KERNEL_SRC:-$tarball}"
	rm -rf "$tree"
	mkdir -p "$tree"
	if [ -n "${KERNEL_SRC:-}" ]; then
		tar -C "$KERNEL_SRC" --exclude=.git -cf - . | tar -C "$tree" -xf -
	else
		tar -C "$tree" --strip-components=1 -xf "$tarball"
	fi
	mkdir -p "$state"
	echo "$want" >"$state/origin"
}

# Copy the files this repository adds to the kernel tree. Files dropped from
# the repository since the last run are removed from the tree again.
overlay() {
	local f new=$state/overlay.new
	(cd "$repo" && git ls-files --cached --others --exclude-standard \
		rust Documentation kernel/configs) | sort >"$new"
	while read -r f; do
		[ -f "$repo/$f" ] || continue
		if ! cmp -s "$repo/$f" "$tree/$f"; then
			log "overlay $f"
			install -D -m 644 "$repo/$f" "$tree/$f"
		fi
	done <"$new"
	if [ -f "$state/overlay" ]; then
		comm -23 "$state/overlay" "$new" | while read -r f; do
			log "remove $f"
			rm -f "$tree/$f"
		done
	fi
	mv "$new" "$state/overlay"
}

# Apply patches/*.patch in order. When the set changed, revert the set that
# was applied before (kept in the state directory) and apply the new one.
patches() {
	local p applied=$state/patches
	if diff -qr "$repo/patches" "$applied" >/dev/null 2>&1; then
		return
	fi
	if [ -d "$applied" ]; then
		for p in $(ls -r "$applied"/*.patch 2>/dev/null); do
			log "revert $(basename "$p")"
			patch -d "$tree" -p1 -R -s -F0 <"$p"
		done
		rm -rf "$applied"
	fi
	mkdir -p "$applied"
	for p in "$repo"/patches/*.patch; do
		log "apply $(basename "$p")"
		patch -d "$tree" -p1 -N -s -F0 <"$p"
		cp "$p" "$applied/"
	done
}

configure() {
	# The guest's needs first: livepatch depends on some of them (SYSFS).
	local fragments=(kernel/configs/virtme.config
			 kernel/configs/livepatch_rust.config)
	local want
	want=$(cd "$repo" && cat "${fragments[@]}" | sha256sum)
	if [ "$(cat "$state/config" 2>/dev/null)" = "$want" ] &&
	   [ -f "$tree/.config" ]; then
		return
	fi
	log "configuring: tinyconfig ${fragments[*]##*/}"
	# shellcheck disable=SC2086
	make -s -C "$tree" $MAKEFLAGS_K tinyconfig "${fragments[@]##*/}"
	local opt missing=0
	# Every option a fragment asks for must have survived olddefconfig.
	for opt in $(cd "$repo" && cat "${fragments[@]}" |
		     grep -Eo '^CONFIG_[A-Z0-9_]+=y'); do
		if ! grep -qx "$opt" "$tree/.config"; then
			echo "prepare: $opt did not survive configuration" >&2
			missing=1
		fi
	done
	[ "$missing" -eq 0 ] || exit 1
	echo "$want" >"$state/config"
}

extract
overlay
patches
configure
