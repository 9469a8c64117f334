/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * For the benchmark only (bench_gw.py), loaded into DPDK's unmodified
 * ipsec-secgw with LD_PRELOAD. ipsec-secgw 22.11 asks every port for the
 * RX checksum offloads (RTE_ETH_RX_OFFLOAD_CHECKSUM, in its default port
 * configuration) and exits when a port lacks them; the in-memory ports of
 * the benchmark (net_pcap, net_null) have none. This shim shows the three
 * offloads to the application in rte_eth_dev_info_get() and takes them
 * out of what it asks rte_eth_dev_configure() and
 * rte_eth_rx_queue_setup() for: the ports run without them, and
 * ipsec-secgw's lookaside data path never reads their results.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>

#include <rte_ethdev.h>

#define SHIM_RX_CKSUM (RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | \
	RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM)

int
rte_eth_dev_info_get(uint16_t port_id, struct rte_eth_dev_info *info)
{
	static int (*real)(uint16_t, struct rte_eth_dev_info *);
	int ret;

	if (real == NULL)
		real = (int (*)(uint16_t, struct rte_eth_dev_info *))
			dlsym(RTLD_NEXT, "rte_eth_dev_info_get");
	ret = real(port_id, info);
	if (ret == 0)
		info->rx_offload_capa |= SHIM_RX_CKSUM;
	return ret;
}

int
rte_eth_dev_configure(uint16_t port_id, uint16_t nb_rx_q, uint16_t nb_tx_q,
		const struct rte_eth_conf *conf)
{
	static int (*real)(uint16_t, uint16_t, uint16_t,
		const struct rte_eth_conf *);
	struct rte_eth_conf c = *conf;

	if (real == NULL)
		real = (int (*)(uint16_t, uint16_t, uint16_t,
			const struct rte_eth_conf *))
			dlsym(RTLD_NEXT, "rte_eth_dev_configure");
	c.rxmode.offloads &= ~SHIM_RX_CKSUM;
	return real(port_id, nb_rx_q, nb_tx_q, &c);
}

int
rte_eth_rx_queue_setup(uint16_t port_id, uint16_t queue_id,
		uint16_t nb_desc, unsigned int socket_id,
		const struct rte_eth_rxconf *rx_conf, struct rte_mempool *mp)
{
	static int (*real)(uint16_t, uint16_t, uint16_t, unsigned int,
		const struct rte_eth_rxconf *, struct rte_mempool *);
	struct rte_eth_rxconf c;

	if (real == NULL)
		real = (int (*)(uint16_t, uint16_t, uint16_t, unsigned int,
			const struct rte_eth_rxconf *, struct rte_mempool *))
			dlsym(RTLD_NEXT, "rte_eth_rx_queue_setup");
	if (rx_conf == NULL)
		return real(port_id, queue_id, nb_desc, socket_id, NULL, mp);
	c = *rx_conf;
	c.offloads &= ~SHIM_RX_CKSUM;
	return real(port_id, queue_id, nb_desc, socket_id, &c, mp);
}
