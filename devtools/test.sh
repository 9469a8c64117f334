#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Build and run every test: a release build, then an ASan+UBSan build.
# Ends with the line "N passed, N failed, N skipped".
# BUILD_DIR names the release build directory (default "build", relative to
# the source tree, or absolute); the ASan build is "${BUILD_DIR}-asan".
set -u
cd "$(dirname "$0")/.."
sh devtools/deps.sh || { echo "0 passed, 1 failed"; exit 1; }
build=${BUILD_DIR:-build}
mkdir -p "$(dirname "$build")"

total_ok=0 total_fail=0 total_skip=0 rc=0
run_suite() { # name, meson setup options...
	local dir=$1; shift
	local log=$dir/meson-logs/testlog.txt
	if [ -d "$dir" ]; then
		meson setup --reconfigure "$dir" "$@" >"$dir.setup.log" 2>&1
	else
		meson setup "$dir" "$@" >"$dir.setup.log" 2>&1
	fi || { cat "$dir.setup.log"; total_fail=$((total_fail + 1)); rc=1; return; }
	if ! ninja -C "$dir" >"$dir.build.log" 2>&1; then
		tail -40 "$dir.build.log"
		total_fail=$((total_fail + 1)); rc=1; return
	fi
	meson test -C "$dir" --num-processes 2 --print-errorlogs || rc=1
	local ok fail skip
	ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$log" | tail -1)
	fail=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$log" | tail -1)
	skip=$(sed -n 's/^Skipped: *\([0-9]*\).*/\1/p' "$log" | tail -1)
	local xf to
	xf=$(sed -n 's/^Unexpected Pass: *\([0-9]*\).*/\1/p' "$log" | tail -1)
	to=$(sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' "$log" | tail -1)
	total_ok=$((total_ok + ${ok:-0}))
	total_fail=$((total_fail + ${fail:-0} + ${xf:-0} + ${to:-0}))
	total_skip=$((total_skip + ${skip:-0}))
}

run_suite "$build"
run_suite "$build-asan" -Db_sanitize=address,undefined -Db_lundef=false \
	-Dbuildtype=debug

[ "$total_fail" -ne 0 ] && rc=1
echo "$total_ok passed, $total_fail failed, $total_skip skipped"
exit $rc
