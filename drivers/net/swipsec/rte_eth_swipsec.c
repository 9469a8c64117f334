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
#include <rte_ethdev.h>
#include <rte_flow.h>
#include <rte_flow_driver.h>
#include <rte_kvargs.h>
#include <rte_log.h>
#include <rte_malloc.h>
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

/** A queue of the port: the backend's queue of the same index. */
struct swipsec_queue {
	uint16_t backend_port;
	uint16_t backend_queue;
	/**
	 * The provider's context while the port runs with the queue's
	 * direction of the SECURITY offload enabled (set at start), else
	 * NULL: the burst reaches it without going through the port.
	 */
	struct rte_security_ctx *sec;
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
	/** The wrapped port. */
	uint16_t backend_port;
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

static uint16_t
swipsec_backend(const struct rte_eth_dev *dev)
{
	return swipsec_priv(dev)->backend_port;
}

/*
 * Fast path: one call of the backend's burst and, with the SECURITY
 * offload of its direction enabled, the provider on the burst.
 */

static uint16_t
swipsec_rx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	const struct swipsec_queue *q = queue;
	uint16_t n;

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
static uint16_t
swipsec_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	const struct swipsec_queue *q = queue;
	uint16_t k;

	if (q->sec != NULL)
		k = rte_security_sw_inline_tx_process(q->sec, pkts, nb_pkts);
	else
		k = swipsec_tx_refuse_sec(pkts, nb_pkts);
	if (k == 0)
		return 0;
	return rte_eth_tx_burst(q->backend_port, q->backend_queue, pkts, k);
}

static uint16_t
swipsec_tx_prepare(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	const struct swipsec_queue *q = queue;

	return rte_eth_tx_prepare(q->backend_port, q->backend_queue, pkts,
		nb_pkts);
}

/* Control path: the backend's, through the ethdev API. */

static int
swipsec_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct rte_eth_dev_info own = *info;
	int ret;

	ret = rte_eth_dev_info_get(swipsec_backend(dev), info);
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
	/* inline IPsec, port-level as on inline-IPsec NICs */
	if (swipsec_priv(dev)->security_ctx != NULL) {
		info->rx_offload_capa |= SWIPSEC_OFFLOAD_RX_SEC;
		info->tx_offload_capa |= SWIPSEC_OFFLOAD_TX_SEC;
	}
	return 0;
}

/* The SECURITY offloads are this port's: the backend never sees them. */
static int
swipsec_dev_configure(struct rte_eth_dev *dev)
{
	const struct rte_eth_dev_data *data = dev->data;
	struct rte_eth_conf conf = data->dev_conf;

	conf.rxmode.offloads &= ~SWIPSEC_OFFLOAD_RX_SEC;
	conf.txmode.offloads &= ~SWIPSEC_OFFLOAD_TX_SEC;
	return rte_eth_dev_configure(swipsec_backend(dev), data->nb_rx_queues,
		data->nb_tx_queues, &conf);
}

/*
 * Which queues run the provider, from the port's configuration: as an
 * inline-IPsec NIC, RX processing with RTE_ETH_RX_OFFLOAD_SECURITY, TX
 * with RTE_ETH_TX_OFFLOAD_SECURITY.
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
		if (q != NULL)
			q->sec = rx;
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		q = dev->data->tx_queues[i];
		if (q != NULL)
			q->sec = tx;
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

	if (wait_to_complete)
		ret = rte_eth_link_get(swipsec_backend(dev), &link);
	else
		ret = rte_eth_link_get_nowait(swipsec_backend(dev), &link);
	if (ret != 0)
		return ret;
	return rte_eth_linkstatus_set(dev, &link);
}

static int
swipsec_dev_start(struct rte_eth_dev *dev)
{
	struct swipsec_private *priv = swipsec_priv(dev);
	int ret;

	swipsec_queues_sec_set(dev);
	ret = rte_eth_dev_start(priv->backend_port);
	if (ret != 0)
		return ret;
	priv->backend_started = true;
	swipsec_queue_states_set(dev, RTE_ETH_QUEUE_STATE_STARTED);
	swipsec_link_update(dev, 0);
	return 0;
}

static int
swipsec_dev_stop(struct rte_eth_dev *dev)
{
	struct swipsec_private *priv = swipsec_priv(dev);
	struct rte_eth_link down = { .link_status = RTE_ETH_LINK_DOWN };
	int ret = 0;

	if (priv->backend_started) {
		ret = rte_eth_dev_stop(priv->backend_port);
		if (ret != 0)
			return ret;
		priv->backend_started = false;
	}
	swipsec_queue_states_set(dev, RTE_ETH_QUEUE_STATE_STOPPED);
	rte_eth_linkstatus_set(dev, &down);
	return 0;
}

static int
swipsec_dev_set_link_up(struct rte_eth_dev *dev)
{
	int ret = rte_eth_dev_set_link_up(swipsec_backend(dev));

	if (ret == 0)
		swipsec_link_update(dev, 0);
	return ret;
}

static int
swipsec_dev_set_link_down(struct rte_eth_dev *dev)
{
	int ret = rte_eth_dev_set_link_down(swipsec_backend(dev));

	if (ret == 0)
		swipsec_link_update(dev, 0);
	return ret;
}

static void
swipsec_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	rte_free(dev->data->rx_queues[qid]);
	dev->data->rx_queues[qid] = NULL;
}

static void
swipsec_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	rte_free(dev->data->tx_queues[qid]);
	dev->data->tx_queues[qid] = NULL;
}

static struct swipsec_queue *
swipsec_queue_new(struct rte_eth_dev *dev, uint16_t qid, int socket_id)
{
	struct swipsec_queue *q;

	q = rte_zmalloc_socket("swipsec_queue", sizeof(*q),
		RTE_CACHE_LINE_SIZE, socket_id);
	if (q == NULL)
		return NULL;
	q->backend_port = swipsec_backend(dev);
	q->backend_queue = qid;
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

	if (conf != NULL) {
		bconf = *conf;
		bconf.offloads &= ~SWIPSEC_OFFLOAD_RX_SEC;
		conf = &bconf;
	}
	ret = rte_eth_rx_queue_setup(swipsec_backend(dev), qid, nb_desc,
		socket_id, conf, mp);
	if (ret != 0)
		return ret;
	q = swipsec_queue_new(dev, qid, socket_id);
	if (q == NULL)
		return -ENOMEM;
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

	if (conf != NULL) {
		bconf = *conf;
		bconf.offloads &= ~SWIPSEC_OFFLOAD_TX_SEC;
		conf = &bconf;
	}
	ret = rte_eth_tx_queue_setup(swipsec_backend(dev), qid, nb_desc,
		socket_id, conf);
	if (ret != 0)
		return ret;
	q = swipsec_queue_new(dev, qid, socket_id);
	if (q == NULL)
		return -ENOMEM;
	dev->data->tx_queues[qid] = q;
	return 0;
}

static void
swipsec_rxq_info_get(struct rte_eth_dev *dev, uint16_t qid,
	struct rte_eth_rxq_info *qinfo)
{
	/* Left as ethdev cleared it if the backend has no queue info. */
	rte_eth_rx_queue_info_get(swipsec_backend(dev), qid, qinfo);
	qinfo->queue_state = dev->data->rx_queue_state[qid];
}

static void
swipsec_txq_info_get(struct rte_eth_dev *dev, uint16_t qid,
	struct rte_eth_txq_info *qinfo)
{
	rte_eth_tx_queue_info_get(swipsec_backend(dev), qid, qinfo);
	qinfo->queue_state = dev->data->tx_queue_state[qid];
}

static int
swipsec_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats)
{
	return rte_eth_stats_get(swipsec_backend(dev), stats);
}

static int
swipsec_stats_reset(struct rte_eth_dev *dev)
{
	return rte_eth_stats_reset(swipsec_backend(dev));
}

static int
swipsec_promiscuous_enable(struct rte_eth_dev *dev)
{
	return rte_eth_promiscuous_enable(swipsec_backend(dev));
}

static int
swipsec_promiscuous_disable(struct rte_eth_dev *dev)
{
	return rte_eth_promiscuous_disable(swipsec_backend(dev));
}

static int
swipsec_allmulticast_enable(struct rte_eth_dev *dev)
{
	return rte_eth_allmulticast_enable(swipsec_backend(dev));
}

static int
swipsec_allmulticast_disable(struct rte_eth_dev *dev)
{
	return rte_eth_allmulticast_disable(swipsec_backend(dev));
}

static int
swipsec_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	return rte_eth_dev_set_mtu(swipsec_backend(dev), mtu);
}

static int
swipsec_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *addr)
{
	/* ethdev copies addr into this port's mac_addrs[0] on success. */
	return rte_eth_dev_default_mac_addr_set(swipsec_backend(dev), addr);
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

/*
 * Close: stop the backend if this port started it, free the queues and
 * give the backend back (unowned, configured as it was). The backend is
 * not closed: it was probed by its own --vdev (or bus) and is closed by
 * whoever made it. ethdev releases the port afterwards.
 */
static int
swipsec_dev_close(struct rte_eth_dev *dev)
{
	struct swipsec_private *priv = swipsec_priv(dev);
	uint16_t i;
	int ret = 0;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	if (priv->backend_started) {
		ret = rte_eth_dev_stop(priv->backend_port);
		priv->backend_started = false;
	}
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		swipsec_rx_queue_release(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		swipsec_tx_queue_release(dev, i);
	if (rte_eth_dev_owner_unset(priv->backend_port, priv->owner_id) != 0)
		SWIPSEC_LOG(ERR, "%s: cannot release backend port %u",
			dev->data->name, priv->backend_port);
	else
		SWIPSEC_LOG(INFO, "%s: released backend port %u",
			dev->data->name, priv->backend_port);
	/*
	 * The security context (ethdev does not know it): its rules, then
	 * the provider's device. With sessions left, the device is kept for
	 * their rte_security_session_destroy() and the close says -EBUSY
	 * (ethdev releases the port all the same).
	 */
	swipsec_flows_free(priv);
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
 * The port named by port=<name> or port=<id>: 0 and its id in *port_id,
 * -EINVAL if value is empty, -ENODEV if it names no port.
 */
static int
swipsec_parse_port(const char *value, uint16_t *port_id)
{
	unsigned long id;
	char *end;

	if (value == NULL || value[0] == '\0')
		return -EINVAL;
	if (rte_eth_dev_get_port_by_name(value, port_id) == 0)
		return 0;
	errno = 0;
	id = strtoul(value, &end, 10);
	if (errno != 0 || *end != '\0' || value[0] == '-' ||
			id >= RTE_MAX_ETHPORTS ||
			!rte_eth_dev_is_valid_port((uint16_t)id))
		return -ENODEV;
	*port_id = (uint16_t)id;
	return 0;
}

/* The backend named by the devargs: 0, or a negative errno (logged). */
static int
swipsec_parse_args(const char *name, const char *args, uint16_t *backend)
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
	ret = swipsec_parse_port(value, backend);
	if (ret == -EINVAL)
		SWIPSEC_LOG(ERR, "%s: %s= needs a port name or id", name,
			SWIPSEC_KVARG_PORT);
	else if (ret != 0)
		SWIPSEC_LOG(ERR, "%s: backend '%s' is not a port (probe it"
			" first: its --vdev before this one)", name, value);
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

static int
swipsec_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct swipsec_private *priv;
	struct rte_eth_dev *dev;
	uint16_t backend;
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		SWIPSEC_LOG(ERR, "%s: primary process only", name);
		return -ENOTSUP;
	}
	ret = swipsec_parse_args(name, rte_vdev_device_args(vdev), &backend);
	if (ret != 0)
		return ret;
	dev = rte_eth_vdev_allocate(vdev, sizeof(*priv));
	if (dev == NULL) {
		SWIPSEC_LOG(ERR, "%s: cannot allocate the port", name);
		return -ENOMEM;
	}
	priv = swipsec_priv(dev);
	priv->backend_port = backend;
	dev->data->mac_addrs = rte_zmalloc_socket(name,
		sizeof(struct rte_ether_addr), 0, vdev->device.numa_node);
	if (dev->data->mac_addrs == NULL) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = rte_eth_macaddr_get(backend, &dev->data->mac_addrs[0]);
	if (ret != 0)
		goto fail;
	ret = swipsec_own_backend(name, backend, &priv->owner_id);
	if (ret != 0)
		goto fail;
	rte_eth_link_get_nowait(backend, &dev->data->dev_link);
	dev->data->dev_link.link_status = RTE_ETH_LINK_DOWN;
	dev->dev_ops = &swipsec_ops;
	dev->rx_pkt_burst = swipsec_rx_burst;
	dev->tx_pkt_burst = swipsec_tx_burst;
	dev->tx_pkt_prepare = swipsec_tx_prepare;
	TAILQ_INIT(&priv->flows);
	/*
	 * The security context, made without calling ethdev on this
	 * half-made port. Without it (no AES-NI code for this CPU) the
	 * port is a plain wrapper, saying so.
	 */
	priv->security_ctx = rte_security_sw_inline_dev_create(
		dev->data->port_id, vdev->device.numa_node, NULL);
	if (priv->security_ctx == NULL)
		SWIPSEC_LOG(WARNING, "%s: no security context (%s): no inline"
			" IPsec on this port", name, rte_strerror(rte_errno));
	dev->security_ctx = priv->security_ctx;
	rte_eth_dev_probing_finish(dev);
	SWIPSEC_LOG(INFO, "%s: port %u wraps port %u", name,
		dev->data->port_id, backend);
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
	const struct rte_eth_dev *dev;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	dev = &rte_eth_devices[port_id];
	if (dev->dev_ops != &swipsec_ops || backend_port_id == NULL)
		return -EINVAL;
	*backend_port_id = swipsec_backend(dev);
	return 0;
}

static struct rte_vdev_driver swipsec_driver = {
	.probe = swipsec_probe,
	.remove = swipsec_remove,
};

RTE_PMD_REGISTER_VDEV(net_swipsec, swipsec_driver);
RTE_PMD_REGISTER_PARAM_STRING(net_swipsec, SWIPSEC_KVARG_PORT "=<string>");
