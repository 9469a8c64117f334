/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * net_swipsec: a vdev ethdev that wraps another port, its backend, the way
 * net_failsafe and net_bonding wrap theirs. Every control operation is the
 * backend's, called through the public ethdev API; a burst is one call of
 * the backend's burst on the same queue. The backend is owned
 * (rte_eth_dev_owner_set()) from probe to close, so that applications
 * iterating ports with RTE_ETH_FOREACH_DEV see the wrapper only.
 *
 * The port's security context is the sw_inline provider's device for the
 * port (rte_security_sw_inline_dev_create(), made at probe, destroyed at
 * close): rte_eth_dev_get_sec_ctx() returns it and the port offers
 * RTE_ETH_RX_OFFLOAD_SECURITY and RTE_ETH_TX_OFFLOAD_SECURITY, as an
 * inline-IPsec NIC. With an offload enabled in the port's configuration,
 * the bursts of each queue run the provider: RX after the backend's burst,
 * TX before it. rte_flow rules of inline IPsec (ETH / IPV4 or IPV6 / ESP,
 * action SECURITY) are checked against the provider's live sessions and
 * recorded (swipsec_flow_*). Primary process only.
 */

/*
 * rte_eth_dev_allocate(), rte_eth_dev_release_port(),
 * rte_eth_dev_probing_finish() and rte_eth_dev_allocated() are internal to
 * DPDK: they are the driver API of ethdev.
 */
#define ALLOW_INTERNAL_API

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sys/queue.h>

#include <rte_common.h>
#include <rte_devargs.h>
#include <rte_ethdev.h>
#include <rte_flow.h>
#include <rte_flow_driver.h>
#include <rte_kvargs.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf_extension.h>
#include <rte_ring.h>
#include <rte_security.h>
#include <rte_string_fns.h>

#include <rte_security_sw_inline.h>
#include <rte_security_sw_inline_driver.h>

#include "swipsec_compat.h"
#include "rte_pmd_swipsec.h"

#define SWIPSEC_KVARG_PORT "port"

static const char * const swipsec_valid_args[] = {
	SWIPSEC_KVARG_PORT,
	NULL
};

RTE_LOG_REGISTER_DEFAULT(swipsec_logtype, NOTICE);

#define SWIPSEC_LOG(level, fmt, ...)					\
	rte_log(RTE_LOG_ ## level, swipsec_logtype, "%s(): " fmt "\n",	\
		__func__, ##__VA_ARGS__)

#define SWIPSEC_OFFLOAD_RX_SEC RTE_ETH_RX_OFFLOAD_SECURITY
#define SWIPSEC_OFFLOAD_TX_SEC RTE_ETH_TX_OFFLOAD_SECURITY

/*
 * Offload capabilities of the backend that the port does not offer: they
 * need operations it does not forward, or they are its own (SECURITY).
 */
#define SWIPSEC_RX_OFFLOAD_NOT_FORWARDED				\
	(RTE_ETH_RX_OFFLOAD_VLAN_FILTER |				\
	 RTE_ETH_RX_OFFLOAD_MACSEC_STRIP | RTE_ETH_RX_OFFLOAD_SECURITY)
#define SWIPSEC_TX_OFFLOAD_NOT_FORWARDED				\
	(RTE_ETH_TX_OFFLOAD_MACSEC_INSERT | RTE_ETH_TX_OFFLOAD_SECURITY)

/**
 * A queue of the port: the backend's queue of the same index, or, in
 * loopback mode, a ring from TX queue i to RX queue i.
 */
struct swipsec_queue {
	uint16_t backend_port;
	uint16_t backend_queue;
	/** This port's id, for the mbufs looped back. */
	uint16_t port_id;
	/** Loopback mode (lpbk_mode of the configuration, set at start). */
	bool lpbk;
	/**
	 * The provider's context while the port runs with the queue's
	 * direction of the SECURITY offload enabled (set at start), else
	 * NULL: the burst reaches it without going through the port.
	 */
	struct rte_security_ctx *sec;
	/**
	 * Loopback: the ring of the RX queue of the same index (made by
	 * an RX queue set up with lpbk_mode, freed with it; a TX queue's
	 * is set at start, NULL if that RX queue has none).
	 */
	struct rte_ring *loop;
	/** Set when the backend goes away: the bursts do nothing. */
	const uint8_t *gone;
};

/** An rte_flow rule of the port: checked, then recorded. */
struct rte_flow {
	TAILQ_ENTRY(rte_flow) next;
	/** The SECURITY action's session; NULL: all ESP (default rule). */
	void *session;
	/** attr.egress of the rule. */
	bool egress;
};

TAILQ_HEAD(swipsec_flow_list, rte_flow);

/** Private data of a net_swipsec port. */
struct swipsec_private {
	/** The wrapped port, once resolved (backend_ok). */
	uint16_t backend_port;
	/** Whether the backend is resolved and owned. */
	bool backend_ok;
	/**
	 * Set (atomically) when the backend port is destroyed or removed
	 * (its RTE_ETH_EVENT_DESTROY or RTE_ETH_EVENT_INTR_RMV): the port
	 * id is never used again, the bursts do nothing and control
	 * operations fail with -ENODEV.
	 */
	uint8_t backend_gone;
	/** Whether the backend's event callbacks are registered. */
	bool backend_cbs;
	/**
	 * The name of a backend declared by a later --vdev (not probed yet
	 * when this port was): resolved at first use. Empty otherwise.
	 */
	char backend_name[RTE_ETH_NAME_MAX_LEN];
	/** This port. */
	struct rte_eth_dev *dev;
	/** Whether this port started the backend (and must stop it). */
	bool backend_started;
	/** The owner id under which the backend is held. */
	uint64_t owner_id;
	/**
	 * The rte_security context of the port, eth_dev->security_ctx: the
	 * sw_inline provider's device for the port. NULL if it could not be
	 * made (then the port offers no SECURITY offload).
	 */
	struct rte_security_ctx *security_ctx;
	/** rte_flow rules, under ethdev's flow lock. */
	struct swipsec_flow_list flows;
};

static const struct eth_dev_ops swipsec_ops;

static inline struct swipsec_private *
swipsec_priv(const struct rte_eth_dev *dev)
{
	return dev->data->dev_private;
}

static int swipsec_backend_resolve(struct rte_eth_dev *dev);

/*
 * The backend of a port, for a control operation: 0 and its port id in
 * *port, or -ENODEV if it is gone or cannot be resolved.
 */
static int
swipsec_backend_get(struct rte_eth_dev *dev, uint16_t *port)
{
	struct swipsec_private *priv = swipsec_priv(dev);
	int ret;

	if (__atomic_load_n(&priv->backend_gone, __ATOMIC_ACQUIRE))
		return -ENODEV;
	if (!priv->backend_ok) {
		ret = swipsec_backend_resolve(dev);
		if (ret != 0)
			return ret;
	}
	*port = priv->backend_port;
	return 0;
}

/*
 * Declare a uint16_t b, the backend of dev, or return -ENODEV from the
 * calling operation.
 */
#define SWIPSEC_BACKEND_OR_RET(dev, b)					\
	uint16_t b;							\
	do {								\
		int ret_ = swipsec_backend_get(dev, &b);		\
		if (ret_ != 0)						\
			return ret_;					\
	} while (0)

/*
 * Fast path: one call of the backend's burst and, with the SECURITY
 * offload of its direction enabled, the provider on the burst.
 */

static uint16_t
swipsec_rx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	const struct swipsec_queue *q = queue;
	uint16_t n;

	if (unlikely(__atomic_load_n(q->gone, __ATOMIC_RELAXED)))
		return 0;
	if (unlikely(q->lpbk))
		n = q->loop == NULL ? 0 : rte_ring_dequeue_burst(q->loop,
			(void **)pkts, nb_pkts, NULL);
	else
		n = rte_eth_rx_burst(q->backend_port, q->backend_queue, pkts,
			nb_pkts);
	/* decrypts and flags ESP of the ingress sessions; drops nothing */
	if (q->sec != NULL && n != 0)
		rte_security_sw_inline_rx_process(q->sec, pkts, n);
	return n;
}

/*
 * TX without the SECURITY offload: packets asking for it
 * (RTE_MBUF_F_TX_SEC_OFFLOAD) are not sent, rather than sent in clear;
 * moved, in order, to the end, as the provider does with those it refuses.
 */
static uint16_t
swipsec_tx_refuse_sec(struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t i, k = 0, nbad = 0;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		if (unlikely(m->ol_flags & RTE_MBUF_F_TX_SEC_OFFLOAD)) {
			nbad++;
			continue;
		}
		if (unlikely(nbad != 0))
			memmove(&pkts[k + 1], &pkts[k],
				nbad * sizeof(pkts[0]));
		pkts[k++] = m;
	}
	return k;
}

/*
 * The packets the provider (or swipsec_tx_refuse_sec()) refuses are moved
 * after those it keeps, and the backend sends a prefix of those: the
 * count returned leaves the application every packet not sent, the
 * refused ones included, as for a full queue.
 */
/*
 * Loopback: the first of n packets, TX processing done, go to the ring of
 * the RX queue of the same index as a NIC's internal loopback gives them
 * back: what the TX side asked for (ol_flags, offsets) is forgotten, the
 * RX side's fields are those of this port. Returns how many were taken.
 */
static uint16_t
swipsec_tx_loop(const struct swipsec_queue *q, struct rte_mbuf **pkts,
	uint16_t n)
{
	const uint64_t keep = RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL;
	uint16_t i;

	if (q->loop == NULL)
		return 0;
	/* one producer: the free count only grows meanwhile */
	n = RTE_MIN(n, rte_ring_free_count(q->loop));
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		m->ol_flags &= keep;
		m->port = q->port_id;
		m->packet_type = 0;
		m->tx_offload = 0;
		m->vlan_tci = 0;
		m->vlan_tci_outer = 0;
		m->hash.rss = 0;
	}
	return rte_ring_enqueue_burst(q->loop, (void **)pkts, n, NULL);
}

static uint16_t
swipsec_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	const struct swipsec_queue *q = queue;
	uint16_t k;

	if (unlikely(__atomic_load_n(q->gone, __ATOMIC_RELAXED)))
		return 0;
	if (q->sec != NULL)
		k = rte_security_sw_inline_tx_process(q->sec, pkts, nb_pkts);
	else
		k = swipsec_tx_refuse_sec(pkts, nb_pkts);
	if (k == 0)
		return 0;
	if (unlikely(q->lpbk))
		return swipsec_tx_loop(q, pkts, k);
	return rte_eth_tx_burst(q->backend_port, q->backend_queue, pkts, k);
}

static uint16_t
swipsec_tx_prepare(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	const struct swipsec_queue *q = queue;

	if (unlikely(__atomic_load_n(q->gone, __ATOMIC_RELAXED)))
		return 0;
	if (unlikely(q->lpbk))
		return nb_pkts;
	return rte_eth_tx_prepare(q->backend_port, q->backend_queue, pkts,
		nb_pkts);
}

/* Control path: the backend's, through the ethdev API. */

static int
swipsec_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct rte_eth_dev_info own = *info;
	int ret;
	SWIPSEC_BACKEND_OR_RET(dev, b);

	ret = rte_eth_dev_info_get(b, info);
	if (ret != 0)
		return ret;
	/*
	 * The backend's limits, capabilities and defaults, but what names
	 * this port and what it does not forward: MAC address filters,
	 * VFs, VMDq, runtime queue set-up, flow rules, error recovery.
	 */
	info->device = own.device;
	info->driver_name = own.driver_name;
	info->if_index = own.if_index;
	info->dev_flags = own.dev_flags;
	info->nb_rx_queues = own.nb_rx_queues;
	info->nb_tx_queues = own.nb_tx_queues;
	info->switch_info = own.switch_info;
	info->max_mac_addrs = 1;
	info->max_hash_mac_addrs = 0;
	info->max_vfs = 0;
	info->max_vmdq_pools = 0;
	info->vmdq_queue_base = 0;
	info->vmdq_queue_num = 0;
	info->vmdq_pool_base = 0;
	info->dev_capa = 0;
	info->err_handle_mode = own.err_handle_mode;
	/*
	 * Offloads that need operations this port does not forward, or
	 * that are this port's own: VLAN filters (vlan_filter_set), MACsec
	 * (the backend's security context is not this port's), the
	 * backend's inline IPsec (replaced by the provider's).
	 */
	info->rx_offload_capa &= ~SWIPSEC_RX_OFFLOAD_NOT_FORWARDED;
	info->rx_queue_offload_capa &= ~SWIPSEC_RX_OFFLOAD_NOT_FORWARDED;
	info->tx_offload_capa &= ~SWIPSEC_TX_OFFLOAD_NOT_FORWARDED;
	info->tx_queue_offload_capa &= ~SWIPSEC_TX_OFFLOAD_NOT_FORWARDED;
	/*
	 * MBUF_FAST_FREE is the application's promise, which the port
	 * accepts whatever the backend does (swipsec_dev_configure()).
	 */
	info->tx_offload_capa |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	/* inline IPsec, port-level as on inline-IPsec NICs */
	if (swipsec_priv(dev)->security_ctx != NULL) {
		info->rx_offload_capa |= SWIPSEC_OFFLOAD_RX_SEC;
		info->tx_offload_capa |= SWIPSEC_OFFLOAD_TX_SEC;
	}
	return 0;
}

/*
 * The SECURITY offloads and loopback are this port's: the backend never
 * sees them.
 */
static int
swipsec_dev_configure(struct rte_eth_dev *dev)
{
	const struct rte_eth_dev_data *data = dev->data;
	struct rte_eth_conf conf = data->dev_conf;
	struct rte_eth_dev_info binfo;
	int ret;
	SWIPSEC_BACKEND_OR_RET(dev, b);

	conf.rxmode.offloads &= ~SWIPSEC_OFFLOAD_RX_SEC;
	conf.txmode.offloads &= ~SWIPSEC_OFFLOAD_TX_SEC;
	/* a promise the backend need not hear if it cannot use it */
	ret = rte_eth_dev_info_get(b, &binfo);
	if (ret != 0)
		return ret;
	if (!(binfo.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE))
		conf.txmode.offloads &= ~RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	/* loopback is this port's (swipsec_tx_loop()) */
	conf.lpbk_mode = 0;
	return rte_eth_dev_configure(b, data->nb_rx_queues,
		data->nb_tx_queues, &conf);
}

/*
 * Which queues run the provider, from the port's configuration: as an
 * inline-IPsec NIC, RX processing with RTE_ETH_RX_OFFLOAD_SECURITY, TX
 * with RTE_ETH_TX_OFFLOAD_SECURITY. With lpbk_mode, TX queue i sends to
 * the ring of RX queue i.
 */
static void
swipsec_queues_sec_set(struct rte_eth_dev *dev)
{
	struct swipsec_private *priv = swipsec_priv(dev);
	const struct rte_eth_conf *conf = &dev->data->dev_conf;
	struct rte_security_ctx *rx = NULL, *tx = NULL;
	struct swipsec_queue *q;
	uint16_t i;

	if (conf->rxmode.offloads & SWIPSEC_OFFLOAD_RX_SEC)
		rx = priv->security_ctx;
	if (conf->txmode.offloads & SWIPSEC_OFFLOAD_TX_SEC)
		tx = priv->security_ctx;
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		q = dev->data->rx_queues[i];
		if (q != NULL) {
			q->sec = rx;
			q->lpbk = conf->lpbk_mode != 0;
		}
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		struct swipsec_queue *rq = i < dev->data->nb_rx_queues ?
			dev->data->rx_queues[i] : NULL;

		q = dev->data->tx_queues[i];
		if (q != NULL) {
			q->sec = tx;
			q->lpbk = conf->lpbk_mode != 0;
			q->loop = q->lpbk && rq != NULL ? rq->loop : NULL;
		}
	}
}

static void
swipsec_queue_states_set(struct rte_eth_dev *dev, uint8_t state)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++)
		dev->data->rx_queue_state[i] = state;
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		dev->data->tx_queue_state[i] = state;
}

static int
swipsec_link_update(struct rte_eth_dev *dev, int wait_to_complete)
{
	struct rte_eth_link link;
	int ret;
	SWIPSEC_BACKEND_OR_RET(dev, b);

	if (wait_to_complete)
		ret = rte_eth_link_get(b, &link);
	else
		ret = rte_eth_link_get_nowait(b, &link);
	if (ret != 0)
		return ret;
	return rte_eth_linkstatus_set(dev, &link);
}

static int
swipsec_dev_start(struct rte_eth_dev *dev)
{
	struct swipsec_private *priv = swipsec_priv(dev);
	int ret;
	SWIPSEC_BACKEND_OR_RET(dev, b);

	swipsec_queues_sec_set(dev);
	ret = rte_eth_dev_start(b);
	if (ret != 0)
		return ret;
	priv->backend_started = true;
	swipsec_queue_states_set(dev, RTE_ETH_QUEUE_STATE_STARTED);
	swipsec_link_update(dev, 0);
	return 0;
}

/* Free the packets looped back and not received (a stopped NIC's loop
 * keeps none), with the extension library: an opted-in pool's packets may
 * hold references.
 */
static void
swipsec_loop_drain(struct rte_ring *r)
{
	void *m;

	if (r == NULL)
		return;
	while (rte_ring_dequeue(r, &m) == 0)
		rte_mbuf_extension_pktmbuf_free(m);
}

static int
swipsec_dev_stop(struct rte_eth_dev *dev)
{
	struct swipsec_private *priv = swipsec_priv(dev);
	struct rte_eth_link down = { .link_status = RTE_ETH_LINK_DOWN };
	uint16_t i;
	int ret = 0;

	if (priv->backend_started &&
			!__atomic_load_n(&priv->backend_gone,
				__ATOMIC_ACQUIRE)) {
		ret = rte_eth_dev_stop(priv->backend_port);
		if (ret != 0)
			return ret;
		priv->backend_started = false;
	}
	swipsec_queue_states_set(dev, RTE_ETH_QUEUE_STATE_STOPPED);
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		const struct swipsec_queue *q = dev->data->rx_queues[i];

		if (q != NULL)
			swipsec_loop_drain(q->loop);
	}
	rte_eth_linkstatus_set(dev, &down);
	return 0;
}

static int
swipsec_dev_set_link_up(struct rte_eth_dev *dev)
{
	int ret;
	SWIPSEC_BACKEND_OR_RET(dev, b);

	ret = rte_eth_dev_set_link_up(b);

	if (ret == 0)
		swipsec_link_update(dev, 0);
	return ret;
}

static int
swipsec_dev_set_link_down(struct rte_eth_dev *dev)
{
	int ret;
	SWIPSEC_BACKEND_OR_RET(dev, b);

	ret = rte_eth_dev_set_link_down(b);

	if (ret == 0)
		swipsec_link_update(dev, 0);
	return ret;
}

static void
swipsec_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct swipsec_queue *q = dev->data->rx_queues[qid];
	uint16_t i;

	if (q == NULL)
		return;
	/* no TX queue may feed the ring any more */
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		struct swipsec_queue *tq = dev->data->tx_queues[i];

		if (tq != NULL && tq->loop == q->loop)
			tq->loop = NULL;
	}
	swipsec_loop_drain(q->loop);
	rte_ring_free(q->loop);
	rte_free(q);
	dev->data->rx_queues[qid] = NULL;
}

static void
swipsec_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	rte_free(dev->data->tx_queues[qid]);
	dev->data->tx_queues[qid] = NULL;
}

/*
 * A queue of the port on backend b (made before the backend's queue is
 * set up, so that a failure leaves the backend as it was).
 */
static struct swipsec_queue *
swipsec_queue_new(struct rte_eth_dev *dev, uint16_t b, uint16_t qid,
	int socket_id)
{
	struct swipsec_queue *q;

	q = rte_zmalloc_socket("swipsec_queue", sizeof(*q),
		RTE_CACHE_LINE_SIZE, socket_id);
	if (q == NULL)
		return NULL;
	q->backend_port = b;
	q->backend_queue = qid;
	q->port_id = dev->data->port_id;
	q->gone = &swipsec_priv(dev)->backend_gone;
	return q;
}

static int
swipsec_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid,
	uint16_t nb_desc, unsigned int socket_id,
	const struct rte_eth_rxconf *conf, struct rte_mempool *mp)
{
	struct rte_eth_rxconf bconf;
	struct swipsec_queue *q;
	int ret;
	SWIPSEC_BACKEND_OR_RET(dev, b);

	if (conf != NULL) {
		bconf = *conf;
		bconf.offloads &= ~SWIPSEC_OFFLOAD_RX_SEC;
		conf = &bconf;
	}
	q = swipsec_queue_new(dev, b, qid, socket_id);
	if (q == NULL)
		return -ENOMEM;
	if (dev->data->dev_conf.lpbk_mode != 0) {
		char name[RTE_RING_NAMESIZE];

		/* what TX queue qid sends, RX queue qid receives */
		snprintf(name, sizeof(name), "swipsec_lb%u_%u",
			dev->data->port_id, qid);
		q->loop = rte_ring_create(name, RTE_MAX(nb_desc, 64u),
			socket_id, RING_F_SP_ENQ | RING_F_SC_DEQ |
			RING_F_EXACT_SZ);
		if (q->loop == NULL) {
			ret = -rte_errno;
			rte_free(q);
			return ret;
		}
	}
	ret = rte_eth_rx_queue_setup(b, qid, nb_desc, socket_id, conf, mp);
	if (ret != 0) {
		rte_ring_free(q->loop);
		rte_free(q);
		return ret;
	}
	dev->data->rx_queues[qid] = q;
	return 0;
}

static int
swipsec_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid,
	uint16_t nb_desc, unsigned int socket_id,
	const struct rte_eth_txconf *conf)
{
	struct rte_eth_txconf bconf;
	struct swipsec_queue *q;
	int ret;
	SWIPSEC_BACKEND_OR_RET(dev, b);

	if (conf != NULL) {
		bconf = *conf;
		bconf.offloads &= ~SWIPSEC_OFFLOAD_TX_SEC;
		conf = &bconf;
	}
	q = swipsec_queue_new(dev, b, qid, socket_id);
	if (q == NULL)
		return -ENOMEM;
	ret = rte_eth_tx_queue_setup(b, qid, nb_desc, socket_id, conf);
	if (ret != 0) {
		rte_free(q);
		return ret;
	}
	dev->data->tx_queues[qid] = q;
	return 0;
}

static void
swipsec_rxq_info_get(struct rte_eth_dev *dev, uint16_t qid,
	struct rte_eth_rxq_info *qinfo)
{
	uint16_t b;

	/* Left as ethdev cleared it if the backend has no queue info. */
	if (swipsec_backend_get(dev, &b) == 0)
		rte_eth_rx_queue_info_get(b, qid, qinfo);
	qinfo->queue_state = dev->data->rx_queue_state[qid];
}

static void
swipsec_txq_info_get(struct rte_eth_dev *dev, uint16_t qid,
	struct rte_eth_txq_info *qinfo)
{
	uint16_t b;

	if (swipsec_backend_get(dev, &b) == 0)
		rte_eth_tx_queue_info_get(b, qid, qinfo);
	qinfo->queue_state = dev->data->tx_queue_state[qid];
}

static int
swipsec_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats)
{
	SWIPSEC_BACKEND_OR_RET(dev, b);

	return rte_eth_stats_get(b, stats);
}

static int
swipsec_stats_reset(struct rte_eth_dev *dev)
{
	SWIPSEC_BACKEND_OR_RET(dev, b);

	return rte_eth_stats_reset(b);
}

static int
swipsec_promiscuous_enable(struct rte_eth_dev *dev)
{
	SWIPSEC_BACKEND_OR_RET(dev, b);

	return rte_eth_promiscuous_enable(b);
}

static int
swipsec_promiscuous_disable(struct rte_eth_dev *dev)
{
	SWIPSEC_BACKEND_OR_RET(dev, b);

	return rte_eth_promiscuous_disable(b);
}

static int
swipsec_allmulticast_enable(struct rte_eth_dev *dev)
{
	SWIPSEC_BACKEND_OR_RET(dev, b);

	return rte_eth_allmulticast_enable(b);
}

static int
swipsec_allmulticast_disable(struct rte_eth_dev *dev)
{
	SWIPSEC_BACKEND_OR_RET(dev, b);

	return rte_eth_allmulticast_disable(b);
}

static int
swipsec_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	SWIPSEC_BACKEND_OR_RET(dev, b);

	return rte_eth_dev_set_mtu(b, mtu);
}

static int
swipsec_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *addr)
{
	SWIPSEC_BACKEND_OR_RET(dev, b);

	/* ethdev copies addr into this port's mac_addrs[0] on success. */
	return rte_eth_dev_default_mac_addr_set(b, addr);
}

/*
 * rte_flow: the rules of inline IPsec, as ipsec-secgw and DPDK's
 * inline_ipsec_autotest make them, and nothing else.
 *
 *   pattern  [ETH] / [IPV4 | IPV6] / ESP / END
 *   actions  SECURITY / END
 *
 * - With a session (the SECURITY action's conf): a live session of this
 *   port, of the rule's direction (attr.ingress or attr.egress); the ESP
 *   item's SPI (full mask) is the session's; a destination address (full
 *   mask) is the session's, if the session has one. A source address is
 *   accepted and not matched: the provider finds an ingress SA by SPI and
 *   destination, as inline-crypto NICs do.
 * - Without (conf NULL): the default rule "every ESP packet to security",
 *   ingress, with no SPI or address. The provider processes the ESP of
 *   every ingress session of the port whether or not a rule names it;
 *   rules are checked and recorded, and steer nothing (packets stay on
 *   the queue the backend chose).
 */

/* Whether len bytes at p are all 0x00 (v 0) or all 0xff (v 0xff). */
static bool
swipsec_bytes_all(const void *p, size_t len, uint8_t v)
{
	const uint8_t *b = p;

	while (len-- != 0)
		if (*b++ != v)
			return false;
	return true;
}

#define SWIPSEC_FLOW_ERR(err, code, type, obj, msg)			\
	rte_flow_error_set(err, code, RTE_FLOW_ERROR_TYPE_ ## type, obj, msg)

/* What a rule's pattern says. */
struct swipsec_flow_match {
	bool has_spi;
	uint32_t spi;        /* CPU order */
	uint8_t ip_ver;      /* 4 or 6 with a destination, else 0 */
	uint8_t dst[16];
};

static int
swipsec_flow_ip(const struct rte_flow_item *item,
	struct swipsec_flow_match *m, struct rte_flow_error *err)
{
	if (item->last != NULL)
		return SWIPSEC_FLOW_ERR(err, ENOTSUP, ITEM_LAST, item,
			"IP item: ranges not supported");
	if (item->spec == NULL)
		return 0;
	if (item->type == RTE_FLOW_ITEM_TYPE_IPV4) {
		const struct rte_flow_item_ipv4 *spec = item->spec;
		struct rte_flow_item_ipv4 mask = item->mask != NULL ?
			*(const struct rte_flow_item_ipv4 *)item->mask :
			rte_flow_item_ipv4_mask;
		bool dst = mask.hdr.dst_addr != 0;

		if (dst && mask.hdr.dst_addr != RTE_BE32(UINT32_MAX))
			return SWIPSEC_FLOW_ERR(err, ENOTSUP, ITEM_MASK, item,
				"IPv4 item: partial destination mask");
		mask.hdr.src_addr = 0;
		mask.hdr.dst_addr = 0;
		if (!swipsec_bytes_all(&mask, sizeof(mask), 0))
			return SWIPSEC_FLOW_ERR(err, ENOTSUP, ITEM_MASK, item,
				"IPv4 item: only addresses can be matched");
		if (dst) {
			m->ip_ver = 4;
			memcpy(m->dst, &spec->hdr.dst_addr, 4);
		}
	} else {
		const struct rte_flow_item_ipv6 *spec = item->spec;
		struct rte_flow_item_ipv6 mask = item->mask != NULL ?
			*(const struct rte_flow_item_ipv6 *)item->mask :
			rte_flow_item_ipv6_mask;
		bool dst = !swipsec_bytes_all(mask.hdr.dst_addr, 16, 0);

		if (dst && !swipsec_bytes_all(mask.hdr.dst_addr, 16, 0xff))
			return SWIPSEC_FLOW_ERR(err, ENOTSUP, ITEM_MASK, item,
				"IPv6 item: partial destination mask");
		memset(mask.hdr.src_addr, 0, 16);
		memset(mask.hdr.dst_addr, 0, 16);
		if (!swipsec_bytes_all(&mask, sizeof(mask), 0))
			return SWIPSEC_FLOW_ERR(err, ENOTSUP, ITEM_MASK, item,
				"IPv6 item: only addresses can be matched");
		if (dst) {
			m->ip_ver = 6;
			memcpy(m->dst, spec->hdr.dst_addr, 16);
		}
	}
	return 0;
}

static int
swipsec_flow_esp(const struct rte_flow_item *item,
	struct swipsec_flow_match *m, struct rte_flow_error *err)
{
	const struct rte_flow_item_esp *spec = item->spec;
	const struct rte_flow_item_esp *mask = item->mask != NULL ?
		item->mask : &rte_flow_item_esp_mask;

	if (item->last != NULL)
		return SWIPSEC_FLOW_ERR(err, ENOTSUP, ITEM_LAST, item,
			"ESP item: ranges not supported");
	if (spec == NULL || mask->hdr.spi == 0)
		return 0;
	if (mask->hdr.spi != RTE_BE32(UINT32_MAX) || mask->hdr.seq != 0)
		return SWIPSEC_FLOW_ERR(err, ENOTSUP, ITEM_MASK, item,
			"ESP item: only the whole SPI can be matched");
	m->has_spi = true;
	m->spi = rte_be_to_cpu_32(spec->hdr.spi);
	return 0;
}

static int
swipsec_flow_pattern(const struct rte_flow_item pattern[],
	struct swipsec_flow_match *m, struct rte_flow_error *err)
{
	const struct rte_flow_item *item = pattern;
	int stage = 0; /* 0: ETH next, 1: IP next, 2: ESP next, 3: END */
	int ret;

	memset(m, 0, sizeof(*m));
	if (pattern == NULL)
		return SWIPSEC_FLOW_ERR(err, EINVAL, ITEM_NUM, NULL,
			"NULL pattern");
	for (; item->type != RTE_FLOW_ITEM_TYPE_END; item++) {
		switch (item->type) {
		case RTE_FLOW_ITEM_TYPE_VOID:
			continue;
		case RTE_FLOW_ITEM_TYPE_ETH:
			if (stage > 0)
				break;
			if (item->spec != NULL || item->last != NULL)
				return SWIPSEC_FLOW_ERR(err, ENOTSUP, ITEM,
					item, "ETH item: no address or type"
					" can be matched (give it no spec)");
			stage = 1;
			continue;
		case RTE_FLOW_ITEM_TYPE_IPV4:
		case RTE_FLOW_ITEM_TYPE_IPV6:
			if (stage > 1)
				break;
			ret = swipsec_flow_ip(item, m, err);
			if (ret != 0)
				return ret;
			stage = 2;
			continue;
		case RTE_FLOW_ITEM_TYPE_ESP:
			if (stage > 2)
				break;
			ret = swipsec_flow_esp(item, m, err);
			if (ret != 0)
				return ret;
			stage = 3;
			continue;
		default:
			break;
		}
		return SWIPSEC_FLOW_ERR(err, ENOTSUP, ITEM, item,
			"pattern not supported: [ETH] / [IPV4 | IPV6] / ESP /"
			" END only (no UDP encapsulation)");
	}
	if (stage != 3)
		return SWIPSEC_FLOW_ERR(err, ENOTSUP, ITEM, item,
			"pattern without an ESP item");
	return 0;
}

/*
 * Check a rule; on success, its session (NULL: the default rule) in
 * *sessp.
 */
static int
swipsec_flow_check(struct rte_eth_dev *dev, const struct rte_flow_attr *attr,
	const struct rte_flow_item pattern[],
	const struct rte_flow_action actions[], struct rte_flow_error *err,
	void **sessp)
{
	struct swipsec_private *priv = swipsec_priv(dev);
	const struct rte_flow_action *act, *sec = NULL;
	struct rte_security_sw_inline_sa sa;
	struct swipsec_flow_match m;
	int ret;

	if (priv->security_ctx == NULL)
		return SWIPSEC_FLOW_ERR(err, ENOTSUP, UNSPECIFIED, NULL,
			"the port has no security context");
	if (attr == NULL)
		return SWIPSEC_FLOW_ERR(err, EINVAL, ATTR, NULL,
			"NULL attributes");
	if (attr->group != 0)
		return SWIPSEC_FLOW_ERR(err, ENOTSUP, ATTR_GROUP, attr,
			"groups not supported");
	if (attr->priority != 0)
		return SWIPSEC_FLOW_ERR(err, ENOTSUP, ATTR_PRIORITY, attr,
			"priorities not supported");
	if (attr->transfer)
		return SWIPSEC_FLOW_ERR(err, ENOTSUP, ATTR_TRANSFER, attr,
			"transfer rules not supported");
	if (attr->ingress == attr->egress)
		return SWIPSEC_FLOW_ERR(err, EINVAL, ATTR, attr,
			"a rule is ingress or egress");
	ret = swipsec_flow_pattern(pattern, &m, err);
	if (ret != 0)
		return ret;
	if (actions == NULL)
		return SWIPSEC_FLOW_ERR(err, EINVAL, ACTION_NUM, NULL,
			"NULL actions");
	for (act = actions; act->type != RTE_FLOW_ACTION_TYPE_END; act++) {
		if (act->type == RTE_FLOW_ACTION_TYPE_VOID)
			continue;
		if (act->type == RTE_FLOW_ACTION_TYPE_SECURITY &&
				sec == NULL) {
			sec = act;
			continue;
		}
		return SWIPSEC_FLOW_ERR(err, ENOTSUP, ACTION, act,
			"actions not supported: SECURITY / END only (packets"
			" stay on the queue the backend chose)");
	}
	if (sec == NULL)
		return SWIPSEC_FLOW_ERR(err, ENOTSUP, ACTION, actions,
			"no SECURITY action");
	if (sec->conf == NULL) {
		if (!attr->ingress || m.has_spi || m.ip_ver != 0)
			return SWIPSEC_FLOW_ERR(err, EINVAL, ACTION_CONF, sec,
				"SECURITY without a session: only the ingress"
				" rule of all ESP (no SPI, no address)");
		*sessp = NULL;
		return 0;
	}
	if (rte_security_sw_inline_sa_get(priv->security_ctx, sec->conf,
			&sa) != 0)
		return SWIPSEC_FLOW_ERR(err, EINVAL, ACTION_CONF, sec,
			"SECURITY: not a live session of this port");
	if ((bool)sa.egress != (bool)attr->egress)
		return SWIPSEC_FLOW_ERR(err, EINVAL, ATTR, attr,
			"the rule's direction is not its session's");
	if (!m.has_spi || m.spi != sa.spi)
		return SWIPSEC_FLOW_ERR(err, EINVAL, ITEM_SPEC, NULL,
			"ESP item: the SPI must be the session's");
	if (m.ip_ver != 0 && sa.ip_ver != 0 && (m.ip_ver != sa.ip_ver ||
			memcmp(m.dst, sa.dst, m.ip_ver == 4 ? 4 : 16) != 0))
		return SWIPSEC_FLOW_ERR(err, EINVAL, ITEM_SPEC, NULL,
			"IP item: the destination is not the session's");
	*sessp = (void *)(uintptr_t)sec->conf;
	return 0;
}

static int
swipsec_flow_validate(struct rte_eth_dev *dev,
	const struct rte_flow_attr *attr, const struct rte_flow_item pattern[],
	const struct rte_flow_action actions[], struct rte_flow_error *err)
{
	void *sess;

	return swipsec_flow_check(dev, attr, pattern, actions, err, &sess);
}

static struct rte_flow *
swipsec_flow_create(struct rte_eth_dev *dev,
	const struct rte_flow_attr *attr, const struct rte_flow_item pattern[],
	const struct rte_flow_action actions[], struct rte_flow_error *err)
{
	struct swipsec_private *priv = swipsec_priv(dev);
	struct rte_flow *flow;
	void *sess;

	if (swipsec_flow_check(dev, attr, pattern, actions, err, &sess) != 0)
		return NULL;
	flow = rte_zmalloc("swipsec_flow", sizeof(*flow), 0);
	if (flow == NULL) {
		SWIPSEC_FLOW_ERR(err, ENOMEM, HANDLE, NULL, "no memory");
		return NULL;
	}
	flow->session = sess;
	flow->egress = attr->egress;
	TAILQ_INSERT_TAIL(&priv->flows, flow, next);
	return flow;
}

static int
swipsec_flow_destroy(struct rte_eth_dev *dev, struct rte_flow *flow,
	struct rte_flow_error *err)
{
	struct swipsec_private *priv = swipsec_priv(dev);
	struct rte_flow *f;

	TAILQ_FOREACH(f, &priv->flows, next)
		if (f == flow)
			break;
	if (f == NULL)
		return SWIPSEC_FLOW_ERR(err, EINVAL, HANDLE, flow,
			"not a rule of this port");
	TAILQ_REMOVE(&priv->flows, f, next);
	rte_free(f);
	return 0;
}

static void
swipsec_flows_free(struct swipsec_private *priv)
{
	struct rte_flow *f;

	while ((f = TAILQ_FIRST(&priv->flows)) != NULL) {
		TAILQ_REMOVE(&priv->flows, f, next);
		rte_free(f);
	}
}

static int
swipsec_flow_flush(struct rte_eth_dev *dev, struct rte_flow_error *err)
{
	RTE_SET_USED(err);
	swipsec_flows_free(swipsec_priv(dev));
	return 0;
}

static const struct rte_flow_ops swipsec_flow_ops = {
	.validate = swipsec_flow_validate,
	.create = swipsec_flow_create,
	.destroy = swipsec_flow_destroy,
	.flush = swipsec_flow_flush,
};

static int
swipsec_flow_ops_get(struct rte_eth_dev *dev, const struct rte_flow_ops **ops)
{
	RTE_SET_USED(dev);
	*ops = &swipsec_flow_ops;
	return 0;
}

static void swipsec_backend_cbs_unset(struct swipsec_private *priv);

/*
 * Close: stop the backend if this port started it, free the queues and
 * give the backend back (unowned, configured as it was). The backend is
 * not closed: it was probed by its own --vdev (or bus) and is closed by
 * whoever made it. A backend that is gone (swipsec_backend_event()) is
 * not touched: its port id may be another port's now. ethdev releases the
 * port afterwards.
 */
static int
swipsec_dev_close(struct rte_eth_dev *dev)
{
	struct swipsec_private *priv = swipsec_priv(dev);
	bool gone;
	uint16_t i;
	int ret = 0;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	swipsec_backend_cbs_unset(priv);
	gone = __atomic_load_n(&priv->backend_gone, __ATOMIC_ACQUIRE);
	if (priv->backend_started && !gone)
		ret = rte_eth_dev_stop(priv->backend_port);
	priv->backend_started = false;
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		swipsec_rx_queue_release(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		swipsec_tx_queue_release(dev, i);
	if (gone)
		SWIPSEC_LOG(INFO, "%s: backend port %u gone before the close",
			dev->data->name, priv->backend_port);
	else if (!priv->backend_ok)
		; /* never resolved: nothing to give back */
	else if (rte_eth_dev_owner_unset(priv->backend_port, priv->owner_id)
			!= 0)
		SWIPSEC_LOG(ERR, "%s: cannot release backend port %u",
			dev->data->name, priv->backend_port);
	else
		SWIPSEC_LOG(INFO, "%s: released backend port %u",
			dev->data->name, priv->backend_port);
	priv->backend_ok = false;
	/*
	 * The security context (ethdev does not know it): its rules, then
	 * the provider's device. With sessions left, the device is kept for
	 * their rte_security_session_destroy() and the close says -EBUSY
	 * (ethdev releases the port all the same).
	 */
	swipsec_flows_free(priv);
	if (priv->security_ctx != NULL)
		rte_security_sw_inline_dev_event_hook_set(priv->security_ctx,
			NULL, NULL);
	if (priv->security_ctx != NULL &&
			rte_security_sw_inline_dev_destroy(priv->security_ctx)
			== -EBUSY) {
		SWIPSEC_LOG(ERR, "%s: closed with security sessions left:"
			" destroy them (their context stays valid)",
			dev->data->name);
		if (ret == 0)
			ret = -EBUSY;
	}
	priv->security_ctx = NULL;
	dev->security_ctx = NULL;
	return ret;
}

static const struct eth_dev_ops swipsec_ops = {
	.dev_configure = swipsec_dev_configure,
	.dev_start = swipsec_dev_start,
	.dev_stop = swipsec_dev_stop,
	.dev_set_link_up = swipsec_dev_set_link_up,
	.dev_set_link_down = swipsec_dev_set_link_down,
	.dev_close = swipsec_dev_close,
	.dev_infos_get = swipsec_dev_infos_get,
	.link_update = swipsec_link_update,
	.rx_queue_setup = swipsec_rx_queue_setup,
	.tx_queue_setup = swipsec_tx_queue_setup,
	.rx_queue_release = swipsec_rx_queue_release,
	.tx_queue_release = swipsec_tx_queue_release,
	.rxq_info_get = swipsec_rxq_info_get,
	.txq_info_get = swipsec_txq_info_get,
	.stats_get = swipsec_stats_get,
	.stats_reset = swipsec_stats_reset,
	.promiscuous_enable = swipsec_promiscuous_enable,
	.promiscuous_disable = swipsec_promiscuous_disable,
	.allmulticast_enable = swipsec_allmulticast_enable,
	.allmulticast_disable = swipsec_allmulticast_disable,
	.mtu_set = swipsec_mtu_set,
	.mac_addr_set = swipsec_mac_addr_set,
	.flow_ops_get = swipsec_flow_ops_get,
};

/* Probe and remove. */

/*
 * The backend's RTE_ETH_EVENT_DESTROY (its port is being released: closed,
 * or removed with rte_vdev_uninit(), also by the EAL's clean-up, which
 * removes vdevs in probe order, the backend before this port) or
 * RTE_ETH_EVENT_INTR_RMV (its device is going away): from now on the
 * backend's port id is not used any more.
 */
static int
swipsec_backend_event(uint16_t port_id, enum rte_eth_event_type event,
	void *arg, void *param)
{
	struct swipsec_private *priv = arg;

	RTE_SET_USED(param);
	/* the port id may be another port's after the backend went away */
	if (port_id != priv->backend_port ||
			__atomic_load_n(&priv->backend_gone, __ATOMIC_ACQUIRE))
		return 0;
	__atomic_store_n(&priv->backend_gone, 1, __ATOMIC_RELEASE);
	SWIPSEC_LOG(WARNING, "%s: backend port %u %s: the port does nothing"
		" more but close", priv->dev->data->name, port_id,
		event == RTE_ETH_EVENT_DESTROY ? "destroyed" : "removed");
	return 0;
}

static const enum rte_eth_event_type swipsec_backend_events[] = {
	RTE_ETH_EVENT_DESTROY, RTE_ETH_EVENT_INTR_RMV,
};

/*
 * Unregister the backend's callbacks. With RTE_ETH_ALL, since the
 * backend's port id is no valid port once it is released (ethdev keeps
 * the callbacks of a released port id).
 */
static void
swipsec_backend_cbs_unset(struct swipsec_private *priv)
{
	unsigned int i;

	if (!priv->backend_cbs)
		return;
	for (i = 0; i < RTE_DIM(swipsec_backend_events); i++)
		while (rte_eth_dev_callback_unregister(RTE_ETH_ALL,
				swipsec_backend_events[i],
				swipsec_backend_event, priv) == -EAGAIN)
			rte_pause();
	priv->backend_cbs = false;
}

static int
swipsec_backend_cbs_set(struct swipsec_private *priv, uint16_t backend)
{
	unsigned int i;
	int ret;

	priv->backend_cbs = true;
	for (i = 0; i < RTE_DIM(swipsec_backend_events); i++) {
		ret = rte_eth_dev_callback_register(backend,
			swipsec_backend_events[i], swipsec_backend_event,
			priv);
		if (ret != 0) {
			swipsec_backend_cbs_unset(priv);
			return ret;
		}
	}
	return 0;
}

/*
 * The value of port=: 0 and the port id in *port_id (a port name or a
 * port id in decimal digits); -EAGAIN if it names a device of a later
 * --vdev, not probed yet (its name in name); -EINVAL if value is empty;
 * -ENODEV if it names no port.
 */
static int
swipsec_parse_port(const char *value, uint16_t *port_id)
{
	const struct rte_devargs *da;
	unsigned long id;
	const char *c;

	if (value == NULL || value[0] == '\0')
		return -EINVAL;
	if (rte_eth_dev_get_port_by_name(value, port_id) == 0)
		return 0;
	for (c = value; *c >= '0' && *c <= '9'; c++)
		;
	if (*c == '\0' && c - value <= 5) {
		id = strtoul(value, NULL, 10);
		if (id >= RTE_MAX_ETHPORTS ||
				!rte_eth_dev_is_valid_port((uint16_t)id))
			return -ENODEV;
		*port_id = (uint16_t)id;
		return 0;
	}
	RTE_EAL_DEVARGS_FOREACH("vdev", da)
		if (strcmp(da->name, value) == 0)
			return -EAGAIN;
	return -ENODEV;
}

/*
 * The backend named by the devargs: 0 and *backend, 1 and its name in
 * late (a later --vdev), or a negative errno (logged).
 */
static int
swipsec_parse_args(const char *name, const char *args, uint16_t *backend,
	char *late, size_t late_len)
{
	struct rte_kvargs *kvlist;
	const char *value;
	int ret;

	kvlist = rte_kvargs_parse(args != NULL ? args : "",
		swipsec_valid_args);
	if (kvlist == NULL) {
		SWIPSEC_LOG(ERR, "%s: invalid arguments '%s' (valid: %s=<port"
			" name or id>)", name, args, SWIPSEC_KVARG_PORT);
		return -EINVAL;
	}
	if (rte_kvargs_count(kvlist, SWIPSEC_KVARG_PORT) != 1) {
		SWIPSEC_LOG(ERR, "%s: needs exactly one %s=<port name or id>",
			name, SWIPSEC_KVARG_PORT);
		rte_kvargs_free(kvlist);
		return -EINVAL;
	}
	value = rte_kvargs_get(kvlist, SWIPSEC_KVARG_PORT);
	if (value != NULL && strcmp(value, name) == 0) {
		SWIPSEC_LOG(ERR, "%s: cannot be its own backend", name);
		rte_kvargs_free(kvlist);
		return -EINVAL;
	}
	ret = swipsec_parse_port(value, backend);
	if (ret == -EAGAIN) {
		if (strlcpy(late, value, late_len) >= late_len)
			ret = -ENODEV;
		else
			ret = 1;
	}
	if (ret == -EINVAL)
		SWIPSEC_LOG(ERR, "%s: %s= needs a port name or id", name,
			SWIPSEC_KVARG_PORT);
	else if (ret < 0)
		SWIPSEC_LOG(ERR, "%s: backend '%s' is not a port (probe it"
			" first: its --vdev before this one, or after it with"
			" port=<its name>)", name, value);
	rte_kvargs_free(kvlist);
	return ret;
}

/* Take the backend: 0, or a negative errno (logged). */
static int
swipsec_own_backend(const char *name, uint16_t backend, uint64_t *owner_id)
{
	struct rte_eth_dev_owner owner;
	int ret;

	ret = rte_eth_dev_owner_get(backend, &owner);
	if (ret != 0)
		return ret;
	if (owner.id != RTE_ETH_DEV_NO_OWNER) {
		SWIPSEC_LOG(ERR, "%s: backend port %u is owned by '%s'",
			name, backend, owner.name);
		return -EBUSY;
	}
	ret = rte_eth_dev_owner_new(&owner.id);
	if (ret != 0)
		return ret;
	strlcpy(owner.name, name, sizeof(owner.name));
	ret = rte_eth_dev_owner_set(backend, &owner);
	if (ret != 0) {
		SWIPSEC_LOG(ERR, "%s: cannot own backend port %u: %s", name,
			backend, rte_strerror(-ret));
		return ret;
	}
	*owner_id = owner.id;
	return 0;
}

/*
 * Take backend for dev: its MAC address, link, promiscuous and
 * all-multicast state become the port's, the port owns it and hears of
 * its removal. 0, or a negative errno (logged; the backend left as it
 * was).
 */
static int
swipsec_backend_take(struct rte_eth_dev *dev, uint16_t backend)
{
	struct swipsec_private *priv = swipsec_priv(dev);
	const char *name = dev->data->name;
	int ret;

	/* Not itself, nor another net_swipsec port (a cycle of them would
	 * call itself for ever).
	 */
	if (backend == dev->data->port_id ||
			rte_eth_devices[backend].dev_ops == &swipsec_ops) {
		SWIPSEC_LOG(ERR, "%s: backend port %u is a net_swipsec port",
			name, backend);
		return -EINVAL;
	}
	ret = rte_eth_macaddr_get(backend, &dev->data->mac_addrs[0]);
	if (ret != 0)
		return ret;
	ret = swipsec_own_backend(name, backend, &priv->owner_id);
	if (ret != 0)
		return ret;
	priv->backend_port = backend;
	ret = swipsec_backend_cbs_set(priv, backend);
	if (ret != 0) {
		SWIPSEC_LOG(ERR, "%s: cannot register the events of backend"
			" port %u: %s", name, backend, rte_strerror(-ret));
		rte_eth_dev_owner_unset(backend, priv->owner_id);
		return ret;
	}
	rte_eth_link_get_nowait(backend, &dev->data->dev_link);
	dev->data->dev_link.link_status = RTE_ETH_LINK_DOWN;
	/*
	 * The backend's state, which ethdev pushes back onto it at each
	 * start (promiscuous_enable or _disable).
	 */
	dev->data->promiscuous = rte_eth_promiscuous_get(backend) == 1;
	dev->data->all_multicast = rte_eth_allmulticast_get(backend) == 1;
	priv->backend_ok = true;
	return 0;
}

/*
 * A backend declared by a later --vdev (port=<its name>), taken at the
 * port's first use (rte_eth_dev_info_get(), rte_eth_dev_configure(), ...):
 * so that the port, probed first, is port 0.
 */
static int
swipsec_backend_resolve(struct rte_eth_dev *dev)
{
	struct swipsec_private *priv = swipsec_priv(dev);
	uint16_t backend;
	int ret;

	if (priv->backend_name[0] == '\0' ||
			rte_eal_process_type() != RTE_PROC_PRIMARY)
		return -ENODEV;
	if (rte_eth_dev_get_port_by_name(priv->backend_name, &backend)
			!= 0) {
		SWIPSEC_LOG(ERR, "%s: backend '%s' is not a port (its probe"
			" failed?)", dev->data->name, priv->backend_name);
		return -ENODEV;
	}
	ret = swipsec_backend_take(dev, backend);
	if (ret != 0)
		return ret == -EBUSY ? -EBUSY : -ENODEV;
	SWIPSEC_LOG(INFO, "%s: port %u wraps port %u (%s)", dev->data->name,
		dev->data->port_id, backend, priv->backend_name);
	return 0;
}

/*
 * RTE_ETH_EVENT_IPSEC events of the provider's device (the hook of
 * rte_security_sw_inline_dev_event_hook_set()): the application's
 * callbacks of the port (rte_eth_dev_callback_register()).
 */
static int
swipsec_ipsec_event(uint16_t port_id, enum rte_eth_event_type event,
	void *arg, void *param)
{
	struct rte_eth_dev *dev = arg;

	RTE_SET_USED(port_id);
	return rte_eth_dev_callback_process(dev, event, param);
}

static int
swipsec_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	char late[RTE_ETH_NAME_MAX_LEN];
	struct swipsec_private *priv;
	struct rte_eth_dev *dev;
	uint16_t backend = 0;
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		SWIPSEC_LOG(ERR, "%s: primary process only", name);
		return -ENOTSUP;
	}
	ret = swipsec_parse_args(name, rte_vdev_device_args(vdev), &backend,
		late, sizeof(late));
	if (ret < 0)
		return ret;
	dev = rte_eth_vdev_allocate(vdev, sizeof(*priv));
	if (dev == NULL) {
		SWIPSEC_LOG(ERR, "%s: cannot allocate the port", name);
		return -ENOMEM;
	}
	priv = swipsec_priv(dev);
	priv->dev = dev;
	dev->data->mac_addrs = rte_zmalloc_socket(name,
		sizeof(struct rte_ether_addr), 0, vdev->device.numa_node);
	if (dev->data->mac_addrs == NULL) {
		ret = -ENOMEM;
		goto fail;
	}
	if (ret == 1) {
		strlcpy(priv->backend_name, late, sizeof(priv->backend_name));
	} else {
		ret = swipsec_backend_take(dev, backend);
		if (ret != 0)
			goto fail;
	}
	dev->data->dev_link.link_status = RTE_ETH_LINK_DOWN;
	dev->dev_ops = &swipsec_ops;
	dev->rx_pkt_burst = swipsec_rx_burst;
	dev->tx_pkt_burst = swipsec_tx_burst;
	dev->tx_pkt_prepare = swipsec_tx_prepare;
	TAILQ_INIT(&priv->flows);
	/*
	 * The security context, made without calling ethdev on this
	 * half-made port. Without it (no AES-NI code for this CPU) the
	 * port is a plain wrapper, saying so. Its events are the port's.
	 */
	priv->security_ctx = rte_security_sw_inline_dev_create(
		dev->data->port_id, vdev->device.numa_node, NULL);
	if (priv->security_ctx == NULL)
		SWIPSEC_LOG(WARNING, "%s: no security context (%s): no inline"
			" IPsec on this port", name, rte_strerror(rte_errno));
	else
		rte_security_sw_inline_dev_event_hook_set(priv->security_ctx,
			swipsec_ipsec_event, dev);
	dev->security_ctx = priv->security_ctx;
	rte_eth_dev_probing_finish(dev);
	if (priv->backend_ok)
		SWIPSEC_LOG(INFO, "%s: port %u wraps port %u", name,
			dev->data->port_id, backend);
	else
		SWIPSEC_LOG(INFO, "%s: port %u will wrap '%s' (a later"
			" --vdev) at its first use", name, dev->data->port_id,
			priv->backend_name);
	return 0;
fail:
	SWIPSEC_LOG(ERR, "%s: probe failed: %s", name, rte_strerror(-ret));
	/* Frees the private data and mac_addrs. */
	rte_eth_dev_release_port(dev);
	return ret;
}

static int
swipsec_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev;

	dev = rte_eth_dev_allocated(rte_vdev_device_name(vdev));
	if (dev == NULL)
		return 0; /* closed already */
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return rte_eth_dev_release_port(dev);
	if (dev->data->dev_started)
		rte_eth_dev_stop(dev->data->port_id);
	return rte_eth_dev_close(dev->data->port_id);
}

int
rte_pmd_swipsec_get_backend(uint16_t port_id, uint16_t *backend_port_id)
{
	struct rte_eth_dev *dev;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	dev = &rte_eth_devices[port_id];
	if (dev->dev_ops != &swipsec_ops || backend_port_id == NULL)
		return -EINVAL;
	return swipsec_backend_get(dev, backend_port_id);
}

static struct rte_vdev_driver swipsec_driver = {
	.probe = swipsec_probe,
	.remove = swipsec_remove,
};

RTE_PMD_REGISTER_VDEV(net_swipsec, swipsec_driver);
RTE_PMD_REGISTER_PARAM_STRING(net_swipsec, SWIPSEC_KVARG_PORT "=<string>");
