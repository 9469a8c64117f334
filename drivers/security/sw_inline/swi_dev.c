/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Binding a port: bind, unbind, ctx_get; the queues and the ethdev
 * callbacks. The device of a port without callbacks, for its driver:
 * dev_create, dev_destroy, sa_get (rte_security_sw_inline_driver.h); bind
 * is dev_create's set-up plus the callbacks.
 */

/*
 * rte_security_dynfield_register() is internal to DPDK: a security
 * provider registers the security dynfield, as inline PMDs do.
 */
#define ALLOW_INTERNAL_API

#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_security.h>
#include <rte_security_driver.h>
#include <rte_spinlock.h>

#include <rte_secpath.h>

#include "swi_private.h"
#include "rte_security_sw_inline_driver.h"

RTE_LOG_REGISTER_DEFAULT(swi_logtype, NOTICE);

struct swi_dev *swi_ports[RTE_MAX_ETHPORTS];
rte_spinlock_t swi_ports_lock = RTE_SPINLOCK_INITIALIZER;

/*
 * Binding.
 */
static int
swi_queues(uint16_t nb_conf, uint16_t nb, const uint16_t *q, uint16_t *out,
		uint16_t *nb_out)
{
	uint16_t i;

	if (nb == 0) {
		for (i = 0; i < nb_conf; i++)
			out[i] = i;
		*nb_out = nb_conf;
		return 0;
	}
	if (q == NULL || nb > nb_conf)
		return -EINVAL;
	for (i = 0; i < nb; i++) {
		if (q[i] >= nb_conf)
			return -EINVAL;
		out[i] = q[i];
	}
	*nb_out = nb;
	return 0;
}

static void
swi_remove_callbacks(struct swi_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->nb_rxq; i++)
		if (dev->rx_cb[i] != NULL)
			rte_eth_remove_rx_callback(dev->port_id, dev->rxq[i],
				dev->rx_cb[i]);
	for (i = 0; i < dev->nb_txq; i++)
		if (dev->tx_cb[i] != NULL)
			rte_eth_remove_tx_callback(dev->port_id, dev->txq[i],
				dev->tx_cb[i]);
}

/*
 * The SA databases of a device (IPv4 and IPv6 keys), for @p n ingress
 * sessions each: SPI-only or SPI and destination, concurrent readers.
 */
static int
swi_sad_create(struct swi_dev *dev, uint16_t port_id, uint32_t n, int socket)
{
	struct rte_ipsec_sad_conf sc;
	char name[RTE_IPSEC_SAD_NAMESIZE];
	unsigned int v;

	memset(&sc, 0, sizeof(sc));
	sc.socket_id = socket;
	sc.max_sa[RTE_IPSEC_SAD_SPI_ONLY] = n;
	sc.max_sa[RTE_IPSEC_SAD_SPI_DIP] = n;
	sc.max_sa[RTE_IPSEC_SAD_SPI_DIP_SIP] = 1;
	for (v = 0; v < 2; v++) {
		sc.flags = RTE_IPSEC_SAD_FLAG_RW_CONCURRENCY |
			(v == 1 ? RTE_IPSEC_SAD_FLAG_IPV6 : 0);
		snprintf(name, sizeof(name), "swi%u_%u", v == 1 ? 6 : 4,
			port_id);
		dev->sad[v] = rte_ipsec_sad_create(name, &sc);
		if (dev->sad[v] == NULL) {
			if (rte_errno == 0)
				rte_errno = ENOMEM;
			return -1;
		}
	}
	return 0;
}

static void
swi_dev_free(struct swi_dev *dev)
{
	rte_free(dev->sess);
	if (dev->sad[0] != NULL)
		rte_ipsec_sad_destroy(dev->sad[0]);
	if (dev->sad[1] != NULL)
		rte_ipsec_sad_destroy(dev->sad[1]);
	rte_free(dev);
}

/*
 * A port's device belongs to the port's driver (net_swipsec), made by
 * rte_security_sw_inline_dev_create(): it has no callbacks, and it is not
 * unbound but destroyed by that driver. Kept in dev->flags, above the
 * RTE_SECURITY_SW_INLINE_F_* flags.
 */
#define SWI_F_DRIVER (1u << 31)

/*
 * The device of a port, set up but not registered: sessions, SA table,
 * context. No ethdev call. NULL with rte_errno on failure.
 */
static struct swi_dev *
swi_dev_new(uint16_t port_id, int socket,
		const struct rte_security_sw_inline_conf *conf)
{
	const uint32_t known = RTE_SECURITY_SW_INLINE_F_NO_RX |
		RTE_SECURITY_SW_INLINE_F_NO_TX |
		RTE_SECURITY_SW_INLINE_F_SECPATH;
	struct swi_dev *dev;
	uint32_t nsess;
	int ret;

	nsess = conf->max_sessions != 0 ? conf->max_sessions :
		RTE_SECURITY_SW_INLINE_DEFAULT_SESSIONS;
	if ((conf->flags & ~known) != 0 ||
			nsess > RTE_SECURITY_SW_INLINE_MAX_SESSIONS) {
		rte_errno = EINVAL;
		return NULL;
	}
	ret = swi_crypto_init();
	if (ret != 0) {
		rte_errno = -ret;
		return NULL;
	}
	if (rte_security_dynfield_register() < 0) {
		rte_errno = ENOMEM;
		return NULL;
	}
	if ((conf->flags & RTE_SECURITY_SW_INLINE_F_SECPATH) &&
			rte_secpath_ext_id() < 0) {
		rte_errno = EINVAL; /* rte_secpath_init() not called */
		return NULL;
	}
	if (socket < 0)
		socket = SOCKET_ID_ANY;
	dev = rte_zmalloc_socket("sw_inline", sizeof(*dev),
		RTE_CACHE_LINE_SIZE, socket);
	if (dev == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	dev->sess = rte_zmalloc_socket("sw_inline_sess",
		nsess * sizeof(dev->sess[0]), RTE_CACHE_LINE_SIZE, socket);
	if (dev->sess == NULL || swi_sad_create(dev, port_id, nsess,
			socket) < 0) {
		ret = rte_errno;
		swi_dev_free(dev);
		rte_errno = ret;
		return NULL;
	}
	dev->max_sess = nsess;
	dev->port_id = port_id;
	dev->flags = conf->flags;
	rte_spinlock_init(&dev->lock);
	dev->ctx.device = dev;
	dev->ctx.ops = &swi_ops;
	dev->ctx.flags = RTE_SEC_CTX_F_FAST_SET_MDATA;
	return dev;
}

struct rte_security_ctx *
rte_security_sw_inline_dev_create(uint16_t port_id, int socket_id,
		const struct rte_security_sw_inline_conf *conf)
{
	static const struct rte_security_sw_inline_conf defconf;
	struct swi_dev *dev;

	if (conf == NULL)
		conf = &defconf;
	/* the port may be half made (its driver's probe): no ethdev call */
	if (port_id >= RTE_MAX_ETHPORTS) {
		rte_errno = ENODEV;
		return NULL;
	}
	/* no callbacks: the driver processes its bursts itself */
	if ((conf->flags & (RTE_SECURITY_SW_INLINE_F_NO_RX |
			RTE_SECURITY_SW_INLINE_F_NO_TX)) != 0 ||
			conf->nb_rx_queues != 0 || conf->nb_tx_queues != 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	dev = swi_dev_new(port_id, socket_id, conf);
	if (dev == NULL)
		return NULL;
	dev->flags |= SWI_F_DRIVER;
	rte_spinlock_lock(&swi_ports_lock);
	if (swi_ports[port_id] != NULL) {
		rte_spinlock_unlock(&swi_ports_lock);
		swi_dev_free(dev);
		rte_errno = EEXIST;
		return NULL;
	}
	swi_ports[port_id] = dev;
	rte_spinlock_unlock(&swi_ports_lock);
	SWI_LOG(INFO, "device of port %u made by its driver, %u sessions",
		port_id, dev->max_sess);
	return &dev->ctx;
}

int
rte_security_sw_inline_dev_destroy(struct rte_security_ctx *ctx)
{
	struct swi_dev *dev;
	uint16_t port_id;

	if (ctx == NULL || ctx->ops != &swi_ops) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	dev = ctx->device;
	port_id = dev->port_id;
	rte_spinlock_lock(&swi_ports_lock);
	if (!(dev->flags & SWI_F_DRIVER) || swi_ports[port_id] != dev) {
		rte_spinlock_unlock(&swi_ports_lock);
		rte_errno = EINVAL;
		return -EINVAL;
	}
	swi_ports[port_id] = NULL;
	rte_spinlock_unlock(&swi_ports_lock);
	if (ctx->sess_cnt != 0) {
		/* kept for the application's rte_security_session_destroy() */
		SWI_LOG(ERR, "port %u: %u sessions remain: their context is"
			" detached from the port and not freed", port_id,
			(unsigned int)ctx->sess_cnt);
		rte_errno = EBUSY;
		return -EBUSY;
	}
	swi_dev_free(dev);
	SWI_LOG(INFO, "device of port %u destroyed", port_id);
	return 0;
}

int
rte_security_sw_inline_sa_get(struct rte_security_ctx *ctx,
		const void *sess, struct rte_security_sw_inline_sa *sa)
{
	const struct swi_sess *s = NULL;
	struct swi_dev *dev;
	uint32_t i;

	if (ctx == NULL || ctx->ops != &swi_ops || sess == NULL ||
			sa == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	dev = ctx->device;
	/* by the table, not through the pointer: any pointer may be given */
	rte_spinlock_lock(&dev->lock);
	for (i = 0; i < dev->max_sess; i++)
		if (dev->sess[i] != NULL && dev->sess[i]->sess == sess) {
			s = dev->sess[i];
			break;
		}
	if (s != NULL) {
		memset(sa, 0, sizeof(*sa));
		sa->spi = rte_be_to_cpu_32(s->spi);
		sa->egress = s->egress;
		sa->ip_ver = s->ip_ver;
		memcpy(sa->dst, s->dst, sizeof(sa->dst));
	}
	rte_spinlock_unlock(&dev->lock);
	if (s == NULL) {
		rte_errno = ENOENT;
		return -ENOENT;
	}
	return 0;
}

struct rte_security_ctx *
rte_security_sw_inline_bind(uint16_t port_id,
		const struct rte_security_sw_inline_conf *conf)
{
	static const struct rte_security_sw_inline_conf defconf;
	struct rte_eth_dev_info info;
	struct swi_dev *dev;
	uint16_t i;
	int ret;

	if (conf == NULL)
		conf = &defconf;
	if (!rte_eth_dev_is_valid_port(port_id)) {
		rte_errno = ENODEV;
		return NULL;
	}
	ret = rte_eth_dev_info_get(port_id, &info);
	if (ret != 0) {
		rte_errno = -ret;
		return NULL;
	}
	dev = swi_dev_new(port_id, rte_eth_dev_socket_id(port_id), conf);
	if (dev == NULL)
		return NULL;
	if (!(conf->flags & RTE_SECURITY_SW_INLINE_F_NO_RX) &&
			swi_queues(info.nb_rx_queues, conf->nb_rx_queues,
				conf->rx_queues, dev->rxq, &dev->nb_rxq) != 0)
		goto einval;
	if (!(conf->flags & RTE_SECURITY_SW_INLINE_F_NO_TX) &&
			swi_queues(info.nb_tx_queues, conf->nb_tx_queues,
				conf->tx_queues, dev->txq, &dev->nb_txq) != 0)
		goto einval;

	rte_spinlock_lock(&swi_ports_lock);
	if (swi_ports[port_id] != NULL) {
		rte_spinlock_unlock(&swi_ports_lock);
		swi_dev_free(dev);
		rte_errno = EEXIST;
		return NULL;
	}
	for (i = 0; i < dev->nb_rxq; i++) {
		dev->rx_cb[i] = rte_eth_add_rx_callback(port_id, dev->rxq[i],
			swi_rx_cb, dev);
		if (dev->rx_cb[i] == NULL)
			goto cb_fail;
	}
	for (i = 0; i < dev->nb_txq; i++) {
		dev->tx_cb[i] = rte_eth_add_tx_callback(port_id, dev->txq[i],
			swi_tx_cb, dev);
		if (dev->tx_cb[i] == NULL)
			goto cb_fail;
	}
	swi_ports[port_id] = dev;
	rte_spinlock_unlock(&swi_ports_lock);
	SWI_LOG(INFO, "bound to port %u: %u RX, %u TX queues, %u sessions",
		port_id, dev->nb_rxq, dev->nb_txq, dev->max_sess);
	return &dev->ctx;

cb_fail:
	ret = rte_errno != 0 ? rte_errno : ENOTSUP;
	swi_remove_callbacks(dev);
	rte_spinlock_unlock(&swi_ports_lock);
	/* the callbacks' memory is ethdev's; ours goes */
	swi_dev_free(dev);
	rte_errno = ret;
	return NULL;
einval:
	swi_dev_free(dev);
	rte_errno = EINVAL;
	return NULL;
}

int
rte_security_sw_inline_unbind(uint16_t port_id)
{
	struct swi_dev *dev;

	rte_spinlock_lock(&swi_ports_lock);
	dev = swi_dev_get(port_id);
	if (dev == NULL) {
		rte_spinlock_unlock(&swi_ports_lock);
		rte_errno = ENODEV;
		return -ENODEV;
	}
	if (dev->flags & SWI_F_DRIVER) {
		/* its driver destroys it when the port closes */
		rte_spinlock_unlock(&swi_ports_lock);
		rte_errno = EINVAL;
		return -EINVAL;
	}
	if (dev->ctx.sess_cnt != 0) {
		rte_spinlock_unlock(&swi_ports_lock);
		rte_errno = EBUSY;
		return -EBUSY;
	}
	swi_remove_callbacks(dev);
	swi_ports[port_id] = NULL;
	rte_spinlock_unlock(&swi_ports_lock);
	swi_dev_free(dev);
	SWI_LOG(INFO, "unbound from port %u", port_id);
	return 0;
}

int
rte_security_sw_inline_dev_event_hook_set(struct rte_security_ctx *ctx,
		rte_eth_dev_cb_fn fn, void *arg)
{
	struct swi_dev *dev;

	if (ctx == NULL || ctx->ops != &swi_ops) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	dev = ctx->device;
	if (!(dev->flags & SWI_F_DRIVER)) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	rte_spinlock_lock(&swi_ports_lock);
	__atomic_store_n(&dev->hook_fn, NULL, __ATOMIC_RELEASE);
	/* the argument first: the data path loads the function */
	dev->hook_arg = arg;
	if (fn != NULL)
		__atomic_store_n(&dev->hook_fn, fn, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&swi_ports_lock);
	return 0;
}

struct rte_security_ctx *
rte_security_sw_inline_ctx_get(uint16_t port_id)
{
	struct swi_dev *dev = swi_dev_get(port_id);

	if (dev == NULL) {
		rte_errno = ENODEV;
		return NULL;
	}
	return &dev->ctx;
}

int
rte_security_sw_inline_event_callback_register(uint16_t port_id,
		rte_eth_dev_cb_fn cb_fn, void *cb_arg)
{
	struct swi_dev *dev;
	int ret = 0;

	rte_spinlock_lock(&swi_ports_lock);
	dev = swi_dev_get(port_id);
	if (dev == NULL) {
		ret = -ENODEV;
	} else if (cb_fn == NULL) {
		__atomic_store_n(&dev->ev_fn, NULL, __ATOMIC_RELEASE);
	} else if (dev->ev_fn != NULL) {
		ret = -EEXIST;
	} else {
		/* the argument first: the data path loads the function */
		dev->ev_arg = cb_arg;
		__atomic_store_n(&dev->ev_fn, cb_fn, __ATOMIC_RELEASE);
	}
	rte_spinlock_unlock(&swi_ports_lock);
	if (ret != 0)
		rte_errno = -ret;
	return ret;
}
