/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _RTE_SECURITY_SW_INLINE_H_
#define _RTE_SECURITY_SW_INLINE_H_

/**
 * @file
 * Software inline IPsec provider (sw_inline)
 *
 * An rte_security provider that binds to any ethdev port (net_ring,
 * net_memif, net_tap, net_pcap, a real NIC) through ethdev RX and TX
 * callbacks and behaves on the wire like an inline-crypto NIC of the Intel
 * 82599/ixgbe kind:
 *
 * - TX: a packet flagged RTE_MBUF_F_TX_SEC_OFFLOAD whose metadata names an
 *   egress session of the port (rte_security_set_pkt_metadata(), which
 *   librte_ipsec calls for RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO
 *   sessions) must be ESP framed with room for the ICV at its end; it is
 *   encrypted in place, its ICV written and its outer IPv4 header checksum
 *   set, and RTE_MBUF_F_TX_SEC_OFFLOAD is cleared (the work is done: a
 *   retried burst must not encrypt it twice). A flagged packet that cannot
 *   be encrypted (unknown session, bad framing) is counted and not sent:
 *   it never leaves in clear; rte_eth_tx_burst() returns fewer packets and
 *   the application frees the rest as for a full queue. Other packets pass
 *   untouched.
 * - RX: an ESP packet whose SPI and destination address match an ingress
 *   session is decrypted in place and flagged RTE_MBUF_F_RX_SEC_OFFLOAD;
 *   when its ICV does not verify (or its ESP lengths are wrong) it is left
 *   as received and flagged RTE_MBUF_F_RX_SEC_OFFLOAD |
 *   RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED. ESP header, IV, trailer and ICV are
 *   left in place: removing them is the job of the application or of
 *   librte_ipsec, as with hardware. Other packets pass untouched.
 *
 * Sessions of action type RTE_SECURITY_ACTION_TYPE_INLINE_PROTOCOL do the
 * whole ESP instead, as a full-offload NIC: TX encapsulates a flagged
 * plain Ethernet + IP packet (tunnel or transport; refused packets are
 * handled as above); RX verifies, checks the anti-replay window and
 * decapsulates, flags RTE_MBUF_F_RX_SEC_OFFLOAD (with _FAILED, the packet
 * left as received, if any check fails) and puts the session's userdata
 * in the security dynfield. Lifetime limits raise RTE_ETH_EVENT_IPSEC
 * events (rte_security_sw_inline_event_callback_register()). See the
 * guide, doc/guides/sw_inline_ipsec.rst.
 *
 * Crypto is AES-GCM (RFC 4106) with 128 or 256-bit keys, 16-byte ICV,
 * optional extended sequence numbers, from the intel-ipsec-mb library.
 *
 * Threads: the data path is safe on any number of lcores and queues at
 * once. Sessions may be created while traffic flows; a session must be
 * destroyed, and a port unbound, only when no packet of it is being
 * processed (as with hardware providers).
 */

#include <stdint.h>
#include <stdio.h>

#include <rte_compat.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_security.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Do not install RX callbacks: the port only encrypts. */
#define RTE_SECURITY_SW_INLINE_F_NO_RX   (1u << 0)
/** Do not install TX callbacks: the port only decrypts. */
#define RTE_SECURITY_SW_INLINE_F_NO_TX   (1u << 1)
/**
 * Also record the result of each RX packet the provider processed in the
 * packet's secpath (lib/secpath, rte_secpath_rx_record(), kind inline
 * crypto), as an inline-protocol device would; every packet received on
 * the port first loses any secpath it carried (a packet from the wire has
 * none; over net_ring the mbuf would still carry the sender's).
 * Needs rte_secpath_init() before the bind, and an RX mbuf pool whose
 * mbufs may hold extensions (a pool with the "mbuf_ext" mempool handler,
 * or one opted in with rte_mbuf_extension_pktmbuf_pool_opt_in()): other
 * packets get no entry and are counted in rx_secpath_failed.
 */
#define RTE_SECURITY_SW_INLINE_F_SECPATH (1u << 2)

/** Default number of sessions per bound port. */
#define RTE_SECURITY_SW_INLINE_DEFAULT_SESSIONS 1024

/** Largest number of sessions per bound port. */
#define RTE_SECURITY_SW_INLINE_MAX_SESSIONS (1u << 20)

/**
 * Binding parameters, for rte_security_sw_inline_bind().
 */
struct rte_security_sw_inline_conf {
	/** RTE_SECURITY_SW_INLINE_F_* flags. */
	uint32_t flags;
	/** Sessions the port can hold; 0: the default. */
	uint32_t max_sessions;
	/** Number of entries in @p rx_queues; 0: all configured RX queues. */
	uint16_t nb_rx_queues;
	/** RX queues to process, if @p nb_rx_queues is not 0. */
	const uint16_t *rx_queues;
	/** Number of entries in @p tx_queues; 0: all configured TX queues. */
	uint16_t nb_tx_queues;
	/** TX queues to process, if @p nb_tx_queues is not 0. */
	const uint16_t *tx_queues;
};

/**
 * Counters of a bound port, summed over all lcores.
 */
struct rte_security_sw_inline_stats {
	uint64_t rx_decrypted;    /**< ESP packets decrypted and verified. */
	uint64_t rx_auth_failed;  /**< ESP packets whose ICV did not verify. */
	uint64_t rx_malformed;    /**< ESP of a known SA with bad framing. */
	uint64_t rx_no_sa;        /**< ESP packets of no ingress session. */
	uint64_t rx_unsupported;  /**< ESP not handled: fragments, headers
				   *   split across segments.
				   */
	uint64_t rx_other;        /**< Other packets, passed untouched. */
	uint64_t tx_encrypted;    /**< Packets encrypted. */
	uint64_t tx_no_sa;        /**< Flagged packets with no valid egress
				   *   session metadata, dropped.
				   */
	uint64_t tx_malformed;    /**< Flagged packets with bad framing,
				   *   or whose data others share (it
				   *   would be encrypted in place),
				   *   refused.
				   */
	uint64_t tx_other;        /**< Other packets, passed untouched. */
	uint64_t rx_secpath_failed; /**< Secpath entries that could not be
				     *   recorded (no extension block, or
				     *   the mbuf's pool may not hold one).
				     */
	/* Inline protocol sessions. rx_decrypted and tx_encrypted also
	 * count their packets decapsulated and encapsulated; rx_auth_failed,
	 * rx_malformed and tx_malformed their failures of those kinds.
	 */
	uint64_t rx_replayed;     /**< Replayed, or older than the window. */
	uint64_t rx_expired;      /**< Received after a hard limit. */
	uint64_t rx_bad_trailer;  /**< Authentic, but bad padding, next
				   *   header or inner packet.
				   */
	uint64_t tx_expired;      /**< Refused after a hard limit. */
	uint64_t tx_seq_overflow; /**< Refused: no sequence number left. */
	uint64_t tx_no_room;      /**< Refused: not enough headroom or
				   *   tailroom for ESP.
				   */
	uint64_t events;          /**< RTE_ETH_EVENT_IPSEC events raised. */
};

/**
 * Bind the provider to a port.
 *
 * The port must be configured (rte_eth_dev_configure() and its queues set
 * up); it may be started or not. Callbacks are installed on the chosen
 * queues; the rte_security context returned is the one to give to
 * rte_security_session_create() and to librte_ipsec. Its session mempool
 * must have elements of at least sizeof(struct rte_security_session) +
 * rte_security_session_get_size(ctx) bytes.
 *
 * @param port_id
 *   The port.
 * @param conf
 *   Parameters; NULL for the defaults (all queues, both directions).
 * @return
 *   The context, or NULL with rte_errno: ENODEV (no such port), EINVAL
 *   (bad flags, queue or session count, RTE_SECURITY_SW_INLINE_F_SECPATH
 *   before rte_secpath_init()), EEXIST (the port is already bound),
 *   ENOTSUP (no AES-NI code for this CPU), ENOMEM, or an error of
 *   rte_eth_add_rx_callback().
 */
__rte_experimental
struct rte_security_ctx *
rte_security_sw_inline_bind(uint16_t port_id,
		const struct rte_security_sw_inline_conf *conf);

/**
 * Unbind the provider from a port: remove its callbacks and free its
 * context.
 *
 * No thread may be in the port's RX or TX burst functions during the call
 * or use the context after it (stop the data path first). All sessions must
 * have been destroyed.
 *
 * @param port_id
 *   The port.
 * @return
 *   0, or a negative errno value (rte_errno set too): -ENODEV (the port is
 *   not bound), -EBUSY (sessions remain), -EINVAL (the port's context
 *   belongs to its driver, net_swipsec, which releases it at close).
 */
__rte_experimental
int rte_security_sw_inline_unbind(uint16_t port_id);

/**
 * Get the rte_security context of a bound port, or of a net_swipsec port
 * (the port's security context, as rte_eth_dev_get_sec_ctx() returns it).
 *
 * @param port_id
 *   The port.
 * @return
 *   The context, or NULL with rte_errno ENODEV if the port is not bound.
 */
__rte_experimental
struct rte_security_ctx *rte_security_sw_inline_ctx_get(uint16_t port_id);

/**
 * Process received packets as the RX callback does.
 *
 * For applications that call it themselves (for example on packets that
 * did not come from an ethdev queue). Packets are never dropped.
 *
 * @param ctx
 *   A context from rte_security_sw_inline_bind(), or of a net_swipsec
 *   port.
 * @param pkts
 *   The packets.
 * @param nb_pkts
 *   Their number.
 */
__rte_experimental
void rte_security_sw_inline_rx_process(struct rte_security_ctx *ctx,
		struct rte_mbuf **pkts, uint16_t nb_pkts);

/**
 * Process packets about to be sent as the TX callback does.
 *
 * Flagged packets that cannot be encrypted are moved, in order, to the end
 * of the array and not sent: the caller still owns them (as the packets an
 * ethdev TX burst did not take) and should free them; they are refused
 * again if retried. The others keep their order at its start.
 *
 * @param ctx
 *   A context from rte_security_sw_inline_bind(), or of a net_swipsec
 *   port.
 * @param pkts
 *   The packets.
 * @param nb_pkts
 *   Their number.
 * @return
 *   The number of packets left in @p pkts.
 */
__rte_experimental
uint16_t rte_security_sw_inline_tx_process(struct rte_security_ctx *ctx,
		struct rte_mbuf **pkts, uint16_t nb_pkts);

/**
 * Read the counters of a bound port.
 *
 * @param port_id
 *   The port.
 * @param stats
 *   Filled on success.
 * @return
 *   0, or -EINVAL (NULL stats), -ENODEV (the port is not bound).
 */
__rte_experimental
int rte_security_sw_inline_stats_get(uint16_t port_id,
		struct rte_security_sw_inline_stats *stats);

/**
 * Zero the counters of a bound port (not those of its sessions).
 *
 * @param port_id
 *   The port.
 * @return
 *   0, or -ENODEV (the port is not bound).
 */
__rte_experimental
int rte_security_sw_inline_stats_reset(uint16_t port_id);

/**
 * Register the function that receives the RTE_ETH_EVENT_IPSEC events of a
 * bound port's inline-protocol sessions.
 *
 * The function has the type of an ethdev event callback
 * (rte_eth_dev_callback_register()): it is called with the port, event
 * RTE_ETH_EVENT_IPSEC, @p cb_arg, and a struct rte_eth_event_ipsec_desc
 * whose metadata is the session's userdata. Subtypes:
 * RTE_ETH_EVENT_IPSEC_SA_PKT_EXPIRY and _SA_BYTE_EXPIRY (soft limits),
 * _SA_PKT_HARD_EXPIRY and _SA_BYTE_HARD_EXPIRY (hard limits),
 * _ESN_OVERFLOW (egress sequence numbers exhausted). Each is raised at
 * most once per session, by the packet that reaches the limit.
 *
 * It runs on the lcore that processes that packet, inside its RX or TX
 * burst: it must not block, nor call the port's burst functions. Events
 * raised while no function is registered are not queued; they remain
 * visible with rte_security_sw_inline_session_events().
 *
 * @param port_id
 *   A bound port.
 * @param cb_fn
 *   The function; NULL unregisters.
 * @param cb_arg
 *   Its argument.
 * @return
 *   0, or a negative errno value (rte_errno set too): -ENODEV (the port
 *   is not bound), -EEXIST (another function is registered).
 */
__rte_experimental
int rte_security_sw_inline_event_callback_register(uint16_t port_id,
		rte_eth_dev_cb_fn cb_fn, void *cb_arg);

/**
 * The RTE_ETH_EVENT_IPSEC events an inline-protocol session has raised.
 *
 * @param ctx
 *   A context from rte_security_sw_inline_bind().
 * @param sess
 *   A session of that context.
 * @param events
 *   Set to the OR of (1 << subtype) (enum rte_eth_event_ipsec_subtype)
 *   of every event raised so far.
 * @return
 *   0, or a negative errno value (rte_errno set too): -EINVAL (NULL
 *   argument, not a session of @p ctx).
 */
__rte_experimental
int rte_security_sw_inline_session_events(struct rte_security_ctx *ctx,
		void *sess, uint32_t *events);

/**
 * Dump the bindings, their counters and sessions.
 *
 * @param f
 *   The output stream.
 */
__rte_experimental
void rte_security_sw_inline_dump(FILE *f);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_SECURITY_SW_INLINE_H_ */
