/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _MBUF_EXT_COMPAT_H_
#define _MBUF_EXT_COMPAT_H_

/*
 * Differences between the DPDK versions the mbuf_ext mempool handler
 * builds against (22.11 and 24.11 LTS), keyed on RTE_VERSION. Private:
 * not installed. None of its own today: the telemetry shim is
 * lib/mbuf_extension's.
 */

#include "mbuf_extension_compat.h"

#endif /* _MBUF_EXT_COMPAT_H_ */
