/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _GW_COMPAT_H_
#define _GW_COMPAT_H_

/*
 * Differences between the DPDK versions secpath_gw builds against (22.11
 * and 24.11 LTS), keyed on RTE_VERSION.
 */

#include <rte_version.h>
#include <rte_telemetry.h>

/* 24.07 made rte_lpm6 take struct rte_ipv6_addr for its addresses. */
#if RTE_VERSION >= RTE_VERSION_NUM(24, 7, 0, 0)
#define GW_LPM6_ADDR(p) ((const struct rte_ipv6_addr *)(const void *)(p))
#else
#define GW_LPM6_ADDR(p) ((uint8_t *)(uintptr_t)(const void *)(p))
#endif

/* 23.03 renamed the telemetry _u64 functions _uint. */
#if RTE_VERSION < RTE_VERSION_NUM(23, 3, 0, 0)
#define rte_tel_data_add_dict_uint rte_tel_data_add_dict_u64
#endif

#endif /* _GW_COMPAT_H_ */
