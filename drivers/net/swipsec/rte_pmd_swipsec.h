/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _RTE_PMD_SWIPSEC_H_
#define _RTE_PMD_SWIPSEC_H_

/**
 * @file
 * net_swipsec: an ethdev port that wraps another port (its backend).
 *
 * Created with the EAL option
 *
 *   --vdev net_swipsec0,port=BACKEND
 *
 * where BACKEND is the name (net_ring0, net_tap0, a PCI address, ...) or
 * the port id (decimal digits) of an ethdev port probed before it, or the
 * name of a device of a later --vdev, which the port takes at its first
 * use (rte_eth_dev_info_get(), rte_eth_dev_configure(), ...): then the
 * port, probed first, can be port 0. Configuration, queues,
 * bursts, statistics and link are those of the backend, which the port
 * owns (rte_eth_dev_owner_set()) while it exists: applications see and
 * use the net_swipsec port only. See doc/guides/net_swipsec.rst.
 *
 * The driver is used through the ethdev API; this header only tells
 * which port wraps which.
 */

#include <stdint.h>

#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Name of the driver, the prefix of its --vdev names. */
#define RTE_PMD_SWIPSEC_DRIVER_NAME "net_swipsec"

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * The backend port of a net_swipsec port.
 *
 * @param port_id
 *   A net_swipsec port.
 * @param[out] backend_port_id
 *   Where to write its backend's port id.
 * @return
 *   0, or -ENODEV if @p port_id is not a valid port or its backend is gone
 *   (removed) or cannot be taken (a later --vdev that failed), -EINVAL if
 *   it is not a net_swipsec port or @p backend_port_id is NULL.
 */
__rte_experimental
int rte_pmd_swipsec_get_backend(uint16_t port_id, uint16_t *backend_port_id);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_PMD_SWIPSEC_H_ */
