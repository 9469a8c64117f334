#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Soak the core library with the model-based random test
# (test/mbuf_extension/test_model.c, suite mbuf_extension_model of
# mbext-test): build it (release, in build-soak/) and run 10^8 operations
# on 2 lcores. Prints the seed, the operations per second and the ABA
# reuse counts; exits non-zero on any mismatch.
#
# Environment: OPS (default 100000000), SEED (default: random, printed),
# PHASES=0 (no concurrent free phases: fully reproducible from the seed),
# BUILD (build directory, default build-soak), LCORES (default 0-1).
set -u
cd "$(dirname "$0")/.."
sh devtools/deps.sh || exit 1
build=${BUILD:-build-soak}
target=test/mbext-test

if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" -Dbuildtype=release >"$build.setup.log" 2>&1 ||
		{ cat "$build.setup.log"; exit 1; }
fi
ninja -C "$build" "$target" >"$build.build.log" 2>&1 ||
	{ tail -40 "$build.build.log"; exit 1; }

args=(--ops "${OPS:-100000000}")
[ -n "${SEED:-}" ] && args+=(--seed "$SEED")
[ "${PHASES:-1}" = 0 ] && args+=(--no-phase)
"$build/$target" --no-huge -m 1024 --no-pci --no-shconf \
	--log-level=lib.eal:error --file-prefix "mbext_soak_$$" \
	-l "${LCORES:-0-1}" -- mbuf_extension_model "${args[@]}"
rc=$?
[ $rc -eq 0 ] && echo "soak: OK" || echo "soak: FAILED (exit status $rc)"
exit $rc
