# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Helpers of the benchmark scripts that print distributions over runs
# (bench-core.sh, bench-mtag.sh). Sourced, not run.

# A temporary file $tmp (and $tmp.*, removed on exit) for the runs and
# the summary, and the first line of the report: the machine and how busy
# it is.
bench_start() {
	tmp=$(mktemp)
	trap 'rm -f "$tmp" "$tmp".*' EXIT
	echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc)" \
		"CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

# For each WHAT, the min, median and max of the ratios named WHAT in FILE,
# one run a line ("... WHAT 1.234x ..."), as one line "LABEL: WHAT min ...
# (N runs)", printed and added to $tmp.summary.
distributions() { # file, label, what...
	local file=$1 label=$2 what
	shift 2
	for what in "$@"; do
		sed -n "s/.* $what \([0-9.]*\)x .*/\1/p" "$file" | sort -n |
			awk -v w="$what" -v l="$label" '
			{ v[NR] = $1 }
			END { printf "%s: %-14s min %.3fx median %.3fx " \
				"max %.3fx (%d runs)\n", l, w, v[1],
				v[int((NR + 1) / 2)], v[NR], NR }'
	done | tee -a "$tmp.summary"
}

# The arguments BUILD_DIR (default build) and RUNS (default 5), and the
# executable NAME of app/mbuf_extension_bench in that build: sets build,
# runs and bench, or exits if it is not built.
bench_args() { # name, script arguments...
	local name=$1
	shift
	build=${1:-build}
	runs=${2:-5}
	bench=$build/app/mbuf_extension_bench/$name
	[ -x "$bench" ] || { echo "no $bench: build first"; exit 1; }
}
