/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _RTE_SECURITY_SW_INLINE_DRIVER_H_
#define _RTE_SECURITY_SW_INLINE_DRIVER_H_

/**
 * @file
 * sw_inline for port drivers (internal)
 *
 * The sw_inline provider as the security context of an ethdev port whose
 * driver runs it itself (net_swipsec): the provider's device is made for
 * the port without ethdev callbacks and without any ethdev call on the
 * port, so that the driver may make it from its probe; the driver calls
 * rte_security_sw_inline_rx_process() and
 * rte_security_sw_inline_tx_process() in its bursts, and sets the port's
 * security_ctx to the context. rte_security_sw_inline_bind() is the same
 * set-up plus the callbacks.
 *
 * Internal API: callers define ALLOW_INTERNAL_API. Not for applications,
 * which bind (rte_security_sw_inline.h) or use a net_swipsec port.
 */

#include <stdint.h>

#include <rte_compat.h>
#include <rte_ethdev.h>
#include <rte_security.h>

#include "rte_security_sw_inline.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @internal
 * Make the provider's device for a port, without callbacks.
 *
 * No ethdev function is called on the port, which may be half made (its
 * driver's probe). The device is registered under @p port_id: the
 * functions of rte_security_sw_inline.h that take a port id
 * (rte_security_sw_inline_ctx_get(), _stats_get(), _stats_reset(), the
 * dump and telemetry) find it; rte_security_sw_inline_bind() on that port
 * fails with EEXIST, and rte_security_sw_inline_unbind() with EINVAL.
 *
 * @param port_id
 *   The port the device is for.
 * @param socket_id
 *   NUMA socket of its memory, or SOCKET_ID_ANY (any negative value).
 * @param conf
 *   NULL for the defaults. Only @c max_sessions and the flag
 *   RTE_SECURITY_SW_INLINE_F_SECPATH apply: the flags NO_RX and NO_TX and
 *   queue lists are refused (the driver chooses which bursts it
 *   processes).
 * @return
 *   The context, or NULL with rte_errno: ENODEV (@p port_id out of range),
 *   EINVAL (bad flags, queue lists, session count,
 *   RTE_SECURITY_SW_INLINE_F_SECPATH before rte_secpath_init()), EEXIST
 *   (the port has a device, bound or made), ENOTSUP (no AES-NI code for
 *   this CPU), ENOMEM.
 */
__rte_internal
struct rte_security_ctx *
rte_security_sw_inline_dev_create(uint16_t port_id, int socket_id,
		const struct rte_security_sw_inline_conf *conf);

/**
 * @internal
 * Destroy a device made by rte_security_sw_inline_dev_create().
 *
 * No thread may process packets with it during the call or after. If
 * sessions remain (an application that did not destroy them), the device
 * is detached from its port (no longer found by port id; the port id may
 * get a new device) but not freed, so that the application's later
 * rte_security_session_destroy() calls on the context stay valid; the
 * memory is then not reclaimed, and -EBUSY says so.
 *
 * @param ctx
 *   The context.
 * @return
 *   0, or a negative errno value (rte_errno set too): -EINVAL (NULL, not
 *   a context of this provider, not made by
 *   rte_security_sw_inline_dev_create(), or destroyed already), -EBUSY
 *   (sessions remain: detached, not freed).
 */
__rte_internal
int rte_security_sw_inline_dev_destroy(struct rte_security_ctx *ctx);

/**
 * @internal
 * Set the function through which the provider delivers the
 * RTE_ETH_EVENT_IPSEC events of a device made by
 * rte_security_sw_inline_dev_create() (lifetime expiries, ESN overflow):
 * the port's driver passes them on to the application, for example with
 * rte_eth_dev_callback_process() on its port. The hook is called from the
 * thread that processes the packet raising the event, with the device's
 * port id, RTE_ETH_EVENT_IPSEC, @p arg and a
 * struct rte_eth_event_ipsec_desc. It is called before the callback of
 * rte_security_sw_inline_event_callback_register(), if both are set.
 *
 * Set it before any packet is processed with the device, and clear it
 * (@p fn NULL) before what @p arg points to goes away.
 *
 * @param ctx
 *   A context made by rte_security_sw_inline_dev_create().
 * @param fn
 *   The hook, or NULL for none.
 * @param arg
 *   Its argument.
 * @return
 *   0, or -EINVAL (rte_errno set too): @p ctx NULL, not a context of this
 *   provider or not made by rte_security_sw_inline_dev_create().
 */
__rte_internal
int rte_security_sw_inline_dev_event_hook_set(struct rte_security_ctx *ctx,
		rte_eth_dev_cb_fn fn, void *arg);

/**
 * @internal
 * What the provider matches packets of a session with.
 */
struct rte_security_sw_inline_sa {
	uint32_t spi;    /**< SPI, CPU order. */
	uint8_t egress;  /**< 1: egress session, 0: ingress. */
	/**
	 * Ingress packets must have this destination address: 4 (IPv4, the
	 * first 4 bytes of @c dst), 6 (IPv6), or 0 (any destination: a
	 * transport session with no address).
	 */
	uint8_t ip_ver;
	uint8_t dst[16]; /**< Destination address, network order. */
};

/**
 * @internal
 * Describe a live session of a context, as the provider matches it:
 * ingress packets by SPI and destination address; egress packets by the
 * metadata the application set.
 *
 * @param ctx
 *   A context of the provider.
 * @param sess
 *   A session pointer, which may be any value: it is looked up among the
 *   context's live sessions, never dereferenced.
 * @param[out] sa
 *   Filled on success.
 * @return
 *   0, or a negative errno value (rte_errno set too): -EINVAL (NULL
 *   argument, not a context of this provider), -ENOENT (@p sess is not a
 *   live session of @p ctx).
 */
__rte_internal
int rte_security_sw_inline_sa_get(struct rte_security_ctx *ctx,
		const void *sess, struct rte_security_sw_inline_sa *sa);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_SECURITY_SW_INLINE_DRIVER_H_ */
