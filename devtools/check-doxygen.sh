#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Run doxygen on the public headers and fail on any undocumented symbol or
# parameter. Usage: check-doxygen.sh <doxygen config> <output dir>
set -e
conf=$1 out=$2
mkdir -p "$out"
log="$out/doxygen-warnings.log"
(cat "$conf"; echo "WARN_LOGFILE = $log"; echo "OUTPUT_DIRECTORY = $out") |
	doxygen - >/dev/null
if grep -E "warning:" "$log"; then
	echo "doxygen: $(grep -c 'warning:' "$log") warning(s)"
	exit 1
fi
echo "doxygen: every public symbol documented"
