#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Soak the core library with the model-based random test
# (test/mbuf_extension/test_model.c): build it (release, in build-soak/)
# and run 10^8 operations on 2 lcores. Prints the seed, the operations
# per second and the ABA reuse counts; exits non-zero on any mismatch.
#
# Environment: OPS (default 100000000), SEED (default: random, printed),
# PHASES=0 (no concurrent free phases: fully reproducible from the seed),
# BUILD (build directory, default build-soak), LCORES (default 0-1).
set -u
cd "$(dirname "$0")/.."
sh devtools/deps.sh || exit 1
build=${BUILD:-build-soak}
target=test/mbuf_extension/mbuf_extension_test_model

if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" -Dbuildtype=release >"$build.setup.log" 2>&1 ||
		{ cat "$build.setup.log"; exit 1; }
fi
ninja -C "$build" "$target" >"$build.build.log" 2>&1 ||
	{ tail -40 "$build.build.log"; exit 1; }

export MBEXT_MODEL_OPS=${OPS:-100000000}
[ -n "${SEED:-}" ] && export MBEXT_MODEL_SEED=$SEED
[ -n "${PHASES:-}" ] && export MBEXT_MODEL_PHASES=$PHASES
"$build/$target" --no-huge -m 1024 --no-pci --no-shconf \
	--log-level=lib.eal:error --file-prefix "mbext_soak_$$" \
	-l "${LCORES:-0-1}"
rc=$?
[ $rc -eq 0 ] && echo "soak: OK" || echo "soak: FAILED (exit status $rc)"
exit $rc
