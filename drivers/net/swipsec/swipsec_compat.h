/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _SWIPSEC_COMPAT_H_
#define _SWIPSEC_COMPAT_H_

/*
 * The DPDK driver headers net_swipsec builds on, and the differences
 * between the DPDK versions it builds against (22.11 and 24.11 LTS), keyed
 * on RTE_VERSION. Private: not installed.
 *
 * The driver headers are not installed by Debian's libdpdk-dev: the build
 * takes them from the source package of the installed version
 * (devtools/driver-sdk.sh, meson option dpdk_driver_sdk).
 */

#include <rte_version.h>

#include <ethdev_driver.h>
#include <ethdev_vdev.h>
#include <bus_vdev_driver.h>

#endif /* _SWIPSEC_COMPAT_H_ */
