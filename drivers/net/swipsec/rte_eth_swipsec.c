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
 * Next step (issue 11): the port's security context is the sw_inline
 * provider. The places that will change are marked "Security hook".
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

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_kvargs.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_string_fns.h>

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

/** A queue of the port: the backend's queue of the same index. */
struct swipsec_queue {
	uint16_t backend_port;
	uint16_t backend_queue;
	/*
	 * Security hook: the queue's view of the security context (SA
	 * tables, per-queue crypto state) goes here, so that the bursts
	 * reach it without going through the port.
	 */
};

/** Private data of a net_swipsec port. */
struct swipsec_private {
	/** The wrapped port. */
	uint16_t backend_port;
	/** Whether this port started the backend (and must stop it). */
	bool backend_started;
	/** The owner id under which the backend is held. */
	uint64_t owner_id;
	/**
	 * Security hook: the rte_security context of the port. NULL for
	 * now; the next step sets it to the sw_inline provider's context at
	 * probe, makes eth_dev->security_ctx point to it and adds
	 * RTE_ETH_RX_OFFLOAD_SECURITY and RTE_ETH_TX_OFFLOAD_SECURITY to the
	 * capabilities in swipsec_dev_infos_get().
	 */
	void *security_ctx;
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

/* Fast path: one call of the backend's burst, nothing else. */

static uint16_t
swipsec_rx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	const struct swipsec_queue *q = queue;

	/* Security hook: inline IPsec of what the backend received. */
	return rte_eth_rx_burst(q->backend_port, q->backend_queue, pkts,
		nb_pkts);
}

static uint16_t
swipsec_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	const struct swipsec_queue *q = queue;

	/* Security hook: inline IPsec of what is sent, before the backend. */
	return rte_eth_tx_burst(q->backend_port, q->backend_queue, pkts,
		nb_pkts);
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
	/* Security hook: | RTE_ETH_{RX,TX}_OFFLOAD_SECURITY when bound. */
	return 0;
}

static int
swipsec_dev_configure(struct rte_eth_dev *dev)
{
	const struct rte_eth_dev_data *data = dev->data;

	return rte_eth_dev_configure(swipsec_backend(dev), data->nb_rx_queues,
		data->nb_tx_queues, &data->dev_conf);
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
	struct swipsec_queue *q;
	int ret;

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
	struct swipsec_queue *q;
	int ret;

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
	 * Security hook: the security context is destroyed here (ethdev
	 * does not know it).
	 */
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
	/* Security hook: dev->security_ctx = priv->security_ctx. */
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
