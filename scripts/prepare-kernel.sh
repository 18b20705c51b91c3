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
# Usage: prepare-kernel.sh REPO_DIR KERNEL_DIR LANE
#   LANE         6.12 or 7.x: which versions/LANE, patches/LANE and
#                kernel/configs/livepatch_rust-LANE.config go with the tree
#   TARBALL      the Debian linux-source tarball of the lane
#   KERNEL_SRC   use this tree of the lane instead of the tarball
#   MAKEFLAGS_K  extra arguments for the kernel's make (LLVM=-19 ...)
#   FLAVOR       debug: add kernel/configs/livepatch_rust-debug.config (the
#                checkers of the debug lane; the tree is the lane's debug tree)

set -euo pipefail

repo=$(realpath "$1")
tree=$2
lane=$3
tarball=${TARBALL:?}
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

# The overlay: "SOURCE TARGET" lines, SOURCE relative to the repository and
# TARGET to the tree. The files of all lanes, then versions/LANE/, the files
# of this lane only (what upstream has in the other lane's tree).
overlay_files() {
	(cd "$repo" && git ls-files --cached --others --exclude-standard \
		rust Documentation kernel/configs) | sed 's/.*/& &/'
	(cd "$repo" && git ls-files --cached --others --exclude-standard \
		"versions/$lane") | sed "s|^versions/$lane/\\(.*\\)|& \\1|"
}

# Copy the files this repository adds to the kernel tree. Files dropped from
# the repository since the last run are removed from the tree again. An
# overlay file never replaces a file of the tree's origin: where upstream has
# the file, it is upstream's, and what we add to it is a patch.
overlay() {
	local src f new=$state/overlay.new
	overlay_files | sort -k2 >"$new.map"
	cut -d' ' -f2 "$new.map" >"$new"
	if [ -n "$(cut -d' ' -f2 "$new.map" | uniq -d)" ]; then
		echo "prepare: overlay files given twice:" \
			"$(cut -d' ' -f2 "$new.map" | uniq -d)" >&2
		exit 1
	fi
	while read -r src f; do
		[ -f "$repo/$src" ] || continue
		if [ -e "$tree/$f" ] &&
		   ! grep -qxF "$f" "$state/overlay" 2>/dev/null; then
			echo "prepare: $src would replace upstream's $f" \
				"(a per-version file belongs in versions/<lane>/)" >&2
			exit 1
		fi
		if ! cmp -s "$repo/$src" "$tree/$f"; then
			log "overlay $f"
			install -D -m 644 "$repo/$src" "$tree/$f"
		fi
	done <"$new.map"
	rm -f "$new.map"
	if [ -f "$state/overlay" ]; then
		comm -23 "$state/overlay" "$new" | while read -r f; do
			log "remove $f"
			rm -f "$tree/$f"
		done
	fi
	mv "$new" "$state/overlay"
}

# Apply patches/LANE/*.patch in order. When the set changed, revert the set that
# was applied before (kept in the state directory) and apply the new one.
patches() {
	local p applied=$state/patches
	if diff -qr "$repo/patches/$lane" "$applied" >/dev/null 2>&1; then
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
	for p in "$repo/patches/$lane"/*.patch; do
		log "apply $(basename "$p")"
		patch -d "$tree" -p1 -N -s -F0 <"$p"
		cp "$p" "$applied/"
	done
}

configure() {
	# The guest's needs first: livepatch depends on some of them (SYSFS).
	local fragments=(kernel/configs/virtme.config
			 kernel/configs/livepatch_rust.config
			 "kernel/configs/livepatch_rust-$lane.config")
	[ -z "${FLAVOR:-}" ] || fragments+=("kernel/configs/livepatch_rust-$FLAVOR.config")
	local want
	want=$(cd "$repo" && cat "${fragments[@]}" | sha256sum)
	if [ "$(cat "$state/config" 2>/dev/null)" = "$want" ] &&
	   [ -f "$tree/.config" ]; then
		return
	fi
	log "configuring: tinyconfig ${fragments[*]##*/}"
	# shellcheck disable=SC2086
	make -s -C "$tree" $MAKEFLAGS_K tinyconfig "${fragments[@]##*/}"
	# Every option a fragment asks for must have survived olddefconfig.
	printf '%s\n' "${fragments[@]}" >"$state/fragments"
	"$repo/scripts/check-config.sh" "$repo" "$tree"
	echo "$want" >"$state/config"
}

extract
overlay
patches
configure
