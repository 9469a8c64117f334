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
# Everything the application uses must come from the staging tree, not
# from an older install under the same prefix.
inc=$stage$prefix/include
libdir=$(pkg-config --variable=libdir libmbuf_extension)
for f in "$inc/rte_mbuf_extension.h" "$inc/rte_mbuf_extension_core.h" \
		"$inc/rte_secpath.h" "$inc/rte_mempool_mbuf_ext.h" \
		"$inc/rte_security_sw_inline.h" \
		"$libdir/librte_mbuf_extension.so" "$libdir/librte_secpath.so" \
		"$libdir/librte_mempool_mbuf_ext.so" \
		"$libdir/librte_security_sw_inline.so"; do
	[ -e "$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
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
if cc -Wall -Wextra -Werror $cflags -c "$src" -o "$stage/no.o" \
		2>"$stage/no.log"; then
	echo "FAIL: experimental API used without ALLOW_EXPERIMENTAL_API"
	exit 1
fi
grep -q "not yet part of stable ABI" "$stage/no.log" || {
	echo "FAIL: refused for another reason:"; cat "$stage/no.log"; exit 1; }
echo "ok: flagged without -DALLOW_EXPERIMENTAL_API:" \
	"$(grep -c "not yet part of stable ABI" "$stage/no.log") uses"
cc -Wall -Wextra -Werror -DALLOW_EXPERIMENTAL_API $cflags "$src" \
	-o "$stage/consumer" -L"$libdir" \
	$libs || {
	echo "FAIL: does not build with -DALLOW_EXPERIMENTAL_API"; exit 1; }
echo "ok: builds and links with -DALLOW_EXPERIMENTAL_API"
LD_LIBRARY_PATH="$libdir" "$stage/consumer" || {
	echo "FAIL: the application does not run"; exit 1; }
echo "ok: runs against the installed libraries"
