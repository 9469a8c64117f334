#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Install what is needed, build, and run the forwarding demo: two net_ring
# ports, no hugepages, an extension on every packet, some clones. Prints
# packets per port, Mpps, extension stats and "blocks in use: 0".
# Extra arguments go to the demo (after --), e.g. --time 10.
# DEMO_LCORES (default 0-1) sets the EAL -l list: on a machine busy with
# other work, 2 polling lcores that feed each other stall whenever one is
# descheduled; DEMO_LCORES=0 runs both directions on one lcore.
set -e
cd "$(dirname "$0")/.."
sh devtools/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
exec timeout 120 build/app/mbuf_extension_demo/mbuf_extension_demo \
	--no-huge -m 1024 --no-pci --no-shconf --file-prefix demo \
	-l "${DEMO_LCORES:-0-1}" --log-level=lib.eal:error \
	--vdev net_ring0 --vdev net_ring1 -- "$@"
