#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Install what is needed, build (release, in build/) and run every
# benchmark: the core one (app/mbuf_extension_bench), the m_tag comparison
# (devtools/bench-mtag.sh), every other executable named *_bench under
# build/, and every script app/*/bench*.sh.
# Each runs under a timeout. Benchmarks are commands, not tests: they
# print figures and ratios; the exit status is non-zero only if one of
# them failed to run or found a wrong result.
set -u
cd "$(dirname "$0")/.."
sh devtools/deps.sh || exit 1
if [ ! -f build/build.ninja ]; then
	meson setup build >/dev/null || exit 1
fi
ninja -C build >/dev/null || exit 1

eal="--no-huge -m 1024 --no-pci --no-shconf --log-level=lib.eal:error"
core=build/app/mbuf_extension_bench/mbuf_extension_bench
build_profile=build/app/mbuf_extension_bench/mbuf_extension_profile
failed=0
run() { # name, command...
	local name=$1 rc; shift
	echo "=== $name"
	timeout 600 "$@"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "=== $name: exit status $rc"
		failed=$((failed + 1))
	fi
	echo
}

# The core's goal ratios as distributions (5 runs, 4 KB and 2 MB pages);
# lcore 1: on these VMs lcore 0 also serves the host agent and interrupts.
run mbuf_extension_bench bash devtools/bench-core.sh build 5
# The extension against the m_tag baseline, clone-heavy (issue 9), 5 runs.
run mbuf_extension_mtag bash devtools/bench-mtag.sh build 5
run mbuf_extension_profile $build_profile $eal --file-prefix bench_prof -l 1
for exe in $(find build -type f -executable -name '*_bench' | sort); do
	[ "$exe" = "$core" ] && continue
	name=$(basename "$exe")
	run "$name" "$exe" $eal --file-prefix "bench_$name" -l 0-1
done
# The mempool handler in unmodified testpmd (issue 9), 5 alternated
# rounds each: against the default cached pool, both ways (interactive
# start/stop, and Rx-pps of --stats-period), then the cost of one
# extension per packet (testpmd plugin) against the handler alone.
tp=app/testpmd/bench_testpmd.sh
run "$tp (interactive)" env CONFIGS="default mbuf_ext" bash $tp build 5 6
run "$tp (stats)" env METHOD=stats CONFIGS="default mbuf_ext" bash $tp build 5 8
run "$tp (plugin)" env METHOD=stats CONFIGS="mbuf_ext plugin" bash $tp build 5 8
for script in app/*/bench*.sh; do
	[ -f "$script" ] || continue
	[ "$script" = $tp ] && continue
	run "$script" bash "$script"
done
[ $failed -eq 0 ] || { echo "$failed benchmark(s) failed"; exit 1; }
