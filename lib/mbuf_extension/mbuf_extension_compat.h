/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _MBUF_EXTENSION_COMPAT_H_
#define _MBUF_EXTENSION_COMPAT_H_

/*
 * Differences between the DPDK versions lib/mbuf_extension builds against
 * (22.11 and 24.11 LTS), keyed on RTE_VERSION. Private: not installed.
 */

#include <rte_telemetry.h>
#include <rte_version.h>

/*
 * Telemetry: DPDK 23.03 added rte_tel_data_add_{dict,array}_uint() and
 * deprecated the _u64 functions they replace; 22.11 has only the latter.
 * The project's libraries and drivers built on this one take it from here.
 */
#if RTE_VERSION < RTE_VERSION_NUM(23, 3, 0, 0)
#define rte_tel_data_add_dict_uint rte_tel_data_add_dict_u64
#define rte_tel_data_add_array_uint rte_tel_data_add_array_u64
#endif

#endif /* _MBUF_EXTENSION_COMPAT_H_ */
