#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Install the build into a staging directory and build an application
# against it with pkg-config only, as a DPDK application would:
# - without -DALLOW_EXPERIMENTAL_API every use of the experimental API is
#   flagged ("not yet part of stable ABI", an error with -Werror), as with
#   DPDK's own libraries: the .pc files do not force the flag;
# - with it, the application compiles without a warning and links.
# Arguments: build directory, consumer.c.
set -eu
build=$1
src=$2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
meson install -C "$build" --destdir "$stage" --no-rebuild >"$stage/install.log"
pc=$(find "$stage" -name libmbuf_extension.pc -printf '%h\n' | head -1)
[ -n "$pc" ] || { echo "FAIL: no libmbuf_extension.pc installed"; exit 1; }
prefix=$(sed -n 's/^prefix=//p' "$pc/libmbuf_extension.pc")
# The installed .pc files name $prefix: point copies at the staging tree.
mkdir "$stage/pc"
for f in "$pc"/*.pc; do
	sed "s|^prefix=.*|prefix=$stage$prefix|" "$f" >"$stage/pc/${f##*/}"
done
export PKG_CONFIG_PATH="$stage/pc${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
flags() {
	pkg-config "$@" libmbuf_extension libsecpath libmempool_mbuf_ext \
		libsecurity_sw_inline
}
cflags=$(flags --cflags)
libs=$(flags --libs)
case "$cflags" in
*ALLOW_EXPERIMENTAL_API*)
	echo "FAIL: pkg-config forces ALLOW_EXPERIMENTAL_API: $cflags"
	exit 1 ;;
esac
echo "cflags: $cflags"
if cc -Werror $cflags -c "$src" -o "$stage/no.o" 2>"$stage/no.log"; then
	echo "FAIL: experimental API used without ALLOW_EXPERIMENTAL_API"
	exit 1
fi
grep -q "not yet part of stable ABI" "$stage/no.log" || {
	echo "FAIL: refused for another reason:"; cat "$stage/no.log"; exit 1; }
echo "ok: flagged without -DALLOW_EXPERIMENTAL_API:" \
	"$(grep -c "not yet part of stable ABI" "$stage/no.log") uses"
cc -Werror -DALLOW_EXPERIMENTAL_API $cflags "$src" -o "$stage/consumer" \
	$libs || {
	echo "FAIL: does not build with -DALLOW_EXPERIMENTAL_API"; exit 1; }
echo "ok: builds and links with -DALLOW_EXPERIMENTAL_API"
libdir=$(pkg-config --variable=libdir libmbuf_extension)
LD_LIBRARY_PATH="$libdir" "$stage/consumer" || {
	echo "FAIL: the application does not run"; exit 1; }
echo "ok: runs against the installed libraries"
