/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _SW_INLINE_COMPAT_H_
#define _SW_INLINE_COMPAT_H_

/*
 * Differences between the DPDK versions sw_inline builds against
 * (22.11 and 24.11 LTS), keyed on RTE_VERSION, and between the
 * intel-ipsec-mb versions that go with them (1.3 in Debian 12, 2.0 in
 * Debian 13), keyed on IMB_VERSION_NUM. Private: not installed.
 */

#include <intel-ipsec-mb.h>
#include <rte_telemetry.h>
#include <rte_version.h>

/*
 * Telemetry: DPDK 23.03 added rte_tel_data_add_dict_uint() and deprecated
 * rte_tel_data_add_dict_u64(), which it replaces; 22.11 has only the latter.
 */
#if RTE_VERSION < RTE_VERSION_NUM(23, 3, 0, 0)
#define rte_tel_data_add_dict_uint rte_tel_data_add_dict_u64
#endif

/*
 * intel-ipsec-mb: whether the code init_mb_mgr_auto() chose has AES-NI,
 * which the driver needs. Before 2.0 a CPU without it gets the generic
 * IMB_ARCH_NOAESNI code; 2.0 removed that code and the enumerator (SSE
 * with AES-NI is the least it runs) and fails the init on such a CPU
 * (imb_get_errno() != 0).
 */
#if IMB_VERSION_NUM < IMB_VERSION(2, 0, 0)
#define SWI_IMB_ARCH_USABLE(arch) \
	((arch) != IMB_ARCH_NONE && (arch) != IMB_ARCH_NOAESNI)
#else
#define SWI_IMB_ARCH_USABLE(arch) ((arch) != IMB_ARCH_NONE)
#endif

#endif /* _SW_INLINE_COMPAT_H_ */
