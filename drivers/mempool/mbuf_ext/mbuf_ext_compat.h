/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _MBUF_EXT_COMPAT_H_
#define _MBUF_EXT_COMPAT_H_

/*
 * Differences between the DPDK versions the mbuf_ext mempool handler
 * builds against (22.11 and 24.11 LTS), keyed on RTE_VERSION. Private:
 * not installed.
 */

#include <rte_telemetry.h>
#include <rte_version.h>

/*
 * Telemetry: DPDK 23.03 added rte_tel_data_add_dict_uint() and deprecated
 * rte_tel_data_add_dict_u64(), which it replaces; 22.11 has only the latter.
 */
#if RTE_VERSION < RTE_VERSION_NUM(23, 3, 0, 0)
#define rte_tel_data_add_dict_uint rte_tel_data_add_dict_u64
#endif

#endif /* _MBUF_EXT_COMPAT_H_ */
