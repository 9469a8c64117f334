#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Print a path from which EAL will load the plugin given as argument with
# -d. EAL refuses a plugin below a world-writable directory (a clone in
# /tmp: "directory path /tmp is world-writable and insecure"); then copy
# it to a private directory under $HOME and print that path. The copy's
# directory is left for the caller to remove (its dirname).
set -e
so=$1
world_writable() {
	d=$(dirname "$(readlink -f "$1")")
	while [ "$d" != "/" ]; do
		[ -n "$(find "$d" -maxdepth 0 -perm -0002)" ] && return 0
		d=$(dirname "$d")
	done
	return 1
}
if ! world_writable "$so"; then
	echo "$so"
	exit 0
fi
priv=$(mktemp -d "${HOME:-/root}/.dpdk-plugin.XXXXXX")
# On failure the caller has no path to remove: remove the copy here.
trap 'rm -rf "$priv"' EXIT
cp "$so" "$priv/$(basename "$so")"
if world_writable "$priv/$(basename "$so")"; then
	echo "no private directory for $so: EAL will refuse it" >&2
	exit 1
fi
trap - EXIT
echo "$priv/$(basename "$so")"
