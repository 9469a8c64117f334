/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * net_swipsec (drivers/net/swipsec) over net_ring backends made with
 * rte_eth_from_rings(): the port appears and owns its backend, bursts go
 * through the backend's rings unchanged (same mbufs, same bytes), queues
 * keep their index, statistics, link and control calls are the backend's,
 * close and remove give the backend back, and every bad devargs fails the
 * probe with a log line saying why and nothing left allocated.
 *
 * Suite swipsec makes its ports at run time (rte_vdev_init()); suite
 * swipsec_eal checks ports made by the EAL options
 * --vdev net_ring0 --vdev net_swipsec0,port=net_ring0.
 */

/* rte_security_dynfield_register() is internal to DPDK (swt_setup()). */
#define ALLOW_INTERNAL_API

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_ethdev.h>
#include <rte_eth_ring.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_security.h>
#include <rte_security_driver.h>

#include <ethdev_driver.h>
#include <ethdev_vdev.h>
#include <bus_vdev_driver.h>

#include "test_runner.h"
#include "test_clean.h"
#include "rte_pmd_swipsec.h"

#define SWT_NB_MBUF 1023
#define SWT_BURST 32
#define SWT_RING_SIZE 256
#define SWT_MAX_Q 2
#define SWT_MAX_PORTS 8

static struct rte_mempool *swt_mp;

/* A backend: a net_ring port on rings of its own. */
struct swt_backend {
	char name[RTE_ETH_NAME_MAX_LEN];  /* its port's name */
	struct rte_ring *rx[SWT_MAX_Q];   /* what it receives */
	struct rte_ring *tx[SWT_MAX_Q];   /* what it sends */
	uint16_t nb_q;
	uint16_t port;
	bool loop;                        /* tx[i] == rx[i] */
};

/* What the running case made, undone by its tear-down. */
static struct swt_backend swt_backends[SWT_MAX_PORTS];
static unsigned int swt_nb_backends;
static char swt_wrappers[SWT_MAX_PORTS][RTE_ETH_NAME_MAX_LEN];
static unsigned int swt_nb_wrappers;
static unsigned int swt_seq;

/* A new backend of nb_q queues; loop: what it sends, it receives. */
static struct swt_backend *
swt_backend_new(uint16_t nb_q, bool loop)
{
	struct swt_backend *b = &swt_backends[swt_nb_backends];
	char name[RTE_RING_NAMESIZE];
	unsigned int id = swt_seq++;
	uint16_t q;
	int port;

	if (swt_nb_backends == SWT_MAX_PORTS || nb_q > SWT_MAX_Q)
		return NULL;
	memset(b, 0, sizeof(*b));
	swt_nb_backends++;
	b->nb_q = nb_q;
	b->loop = loop;
	for (q = 0; q < nb_q; q++) {
		snprintf(name, sizeof(name), "swt_rx%u_%u", id, q);
		b->rx[q] = rte_ring_create(name, SWT_RING_SIZE, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (b->rx[q] == NULL)
			return NULL;
		if (loop) {
			b->tx[q] = b->rx[q];
			continue;
		}
		snprintf(name, sizeof(name), "swt_tx%u_%u", id, q);
		b->tx[q] = rte_ring_create(name, SWT_RING_SIZE, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (b->tx[q] == NULL)
			return NULL;
	}
	snprintf(name, sizeof(name), "swt%u", id);
	port = rte_eth_from_rings(name, b->rx, nb_q, b->tx, nb_q,
		rte_socket_id());
	if (port < 0)
		return NULL;
	b->port = port;
	rte_eth_dev_get_name_by_port(b->port, b->name);
	return b;
}

/* rte_vdev_init() of a wrapper, recorded for the tear-down if it worked. */
static int
swt_wrap(const char *name, const char *args)
{
	int ret = rte_vdev_init(name, args);

	if (ret == 0 && swt_nb_wrappers < SWT_MAX_PORTS)
		strlcpy(swt_wrappers[swt_nb_wrappers++], name,
			RTE_ETH_NAME_MAX_LEN);
	return ret;
}

static int
swt_port_of(const char *name, uint16_t *port)
{
	return rte_eth_dev_get_port_by_name(name, port);
}

/* Wrap backend b as name, by its port name: 0 and the new port in *port. */
static int
swt_wrap_backend(const char *name, const struct swt_backend *b,
	uint16_t *port)
{
	char args[RTE_ETH_NAME_MAX_LEN + 8];
	int ret;

	snprintf(args, sizeof(args), "port=%s", b->name);
	ret = swt_wrap(name, args);
	if (ret != 0)
		return ret;
	return swt_port_of(name, port);
}

static void
swt_case_teardown(void)
{
	unsigned int i;
	uint16_t q;

	for (i = 0; i < swt_nb_wrappers; i++)
		rte_vdev_uninit(swt_wrappers[i]);
	swt_nb_wrappers = 0;
	for (i = 0; i < swt_nb_backends; i++) {
		struct swt_backend *b = &swt_backends[i];

		if (b->name[0] != '\0')
			rte_vdev_uninit(b->name);
		for (q = 0; q < b->nb_q; q++) {
			test_clean_ring_free(b->rx[q]);
			if (!b->loop)
				test_clean_ring_free(b->tx[q]);
		}
	}
	swt_nb_backends = 0;
}

/* Configure port with nb_q queues of each kind, set them up, start it. */
static int
swt_port_start(uint16_t port, uint16_t nb_q)
{
	struct rte_eth_conf conf;
	uint16_t q;
	int ret;

	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(port, nb_q, nb_q, &conf);
	if (ret != 0)
		return ret;
	for (q = 0; q < nb_q; q++) {
		ret = rte_eth_rx_queue_setup(port, q, 128, rte_socket_id(),
			NULL, swt_mp);
		if (ret != 0)
			return ret;
		ret = rte_eth_tx_queue_setup(port, q, 128, rte_socket_id(),
			NULL);
		if (ret != 0)
			return ret;
	}
	return rte_eth_dev_start(port);
}

/* Packet i of a test: 60 + i bytes, byte j is (seed + 7 * i + j). */
static struct rte_mbuf *
swt_pkt(unsigned int i, uint8_t seed)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(swt_mp);
	uint8_t *p;
	unsigned int j, len = 60 + i;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	for (j = 0; j < len; j++)
		p[j] = (uint8_t)(seed + 7 * i + j);
	return m;
}

static int
swt_pkt_ok(const struct rte_mbuf *m, unsigned int i, uint8_t seed)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	unsigned int j, len = 60 + i;

	if (m->pkt_len != len || m->data_len != len)
		return 0;
	for (j = 0; j < len; j++)
		if (p[j] != (uint8_t)(seed + 7 * i + j))
			return 0;
	return 1;
}

static int
swt_pkts(struct rte_mbuf **pkts, unsigned int n, uint8_t seed)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		pkts[i] = swt_pkt(i, seed);
		if (pkts[i] == NULL) {
			rte_pktmbuf_free_bulk(pkts, i);
			return -ENOMEM;
		}
	}
	return 0;
}

/* Bytes allocated in the DPDK heaps of every socket. */
static size_t
swt_heap_bytes(void)
{
	struct rte_malloc_socket_stats st;
	unsigned int i;
	size_t sum = 0;

	for (i = 0; i < rte_socket_count(); i++)
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(i),
				&st) == 0)
			sum += st.heap_allocsz_bytes;
	return sum;
}

static uint64_t
swt_owner(uint16_t port, char *name)
{
	struct rte_eth_dev_owner owner;

	if (rte_eth_dev_owner_get(port, &owner) != 0)
		return UINT64_MAX;
	if (name != NULL)
		strlcpy(name, owner.name, RTE_ETH_MAX_OWNER_NAME_LEN);
	return owner.id;
}

static int
swt_visible(uint16_t port)
{
	uint16_t p;

	RTE_ETH_FOREACH_DEV(p)
		if (p == port)
			return 1;
	return 0;
}

/* The log, captured in memory while a probe is expected to fail. */
static char *swt_log;
static size_t swt_log_len;
static FILE *swt_log_f;

static void
swt_log_start(void)
{
	free(swt_log);
	swt_log = NULL;
	swt_log_f = open_memstream(&swt_log, &swt_log_len);
	if (swt_log_f != NULL)
		rte_openlog_stream(swt_log_f);
}

/* Stop capturing; the captured text ("" if none). */
static const char *
swt_log_stop(void)
{
	if (swt_log_f != NULL) {
		rte_openlog_stream(NULL);
		fclose(swt_log_f);
		swt_log_f = NULL;
	}
	return swt_log != NULL ? swt_log : "";
}

/* Cases. */

static int
test_probe_by_name(void)
{
	struct rte_eth_dev_info info, binfo;
	struct rte_ether_addr mac, bmac;
	char owner[RTE_ETH_MAX_OWNER_NAME_LEN];
	struct swt_backend *b = swt_backend_new(1, true);
	size_t heap;
	uint16_t port, backend;

	TEST_ASSERT(b != NULL, "backend");
	TEST_ASSERT(swt_visible(b->port), "backend listed before the wrap");
	heap = swt_heap_bytes();
	TEST_ASSERT_EQ(swt_wrap_backend("net_swipsec_n", b, &port), 0,
		"probe");
	TEST_ASSERT_EQ(rte_pmd_swipsec_get_backend(port, &backend), 0,
		"get_backend");
	TEST_ASSERT_EQ(backend, b->port, "backend port");
	TEST_ASSERT(swt_owner(b->port, owner) != RTE_ETH_DEV_NO_OWNER,
		"backend not owned");
	TEST_ASSERT(strcmp(owner, "net_swipsec_n") == 0, "owner '%s'", owner);
	TEST_ASSERT(swt_visible(port), "wrapper not listed");
	TEST_ASSERT(!swt_visible(b->port), "owned backend still listed");
	TEST_ASSERT_EQ(rte_pmd_swipsec_get_backend(b->port, &backend),
		-EINVAL, "get_backend of the backend");

	TEST_ASSERT_EQ(rte_eth_dev_info_get(port, &info), 0, "info");
	TEST_ASSERT_EQ(rte_eth_dev_info_get(b->port, &binfo), 0, "info");
	TEST_ASSERT(strcmp(info.driver_name, RTE_PMD_SWIPSEC_DRIVER_NAME) ==
		0, "driver %s", info.driver_name);
	TEST_ASSERT_EQ(info.max_rx_queues, binfo.max_rx_queues, "rx queues");
	TEST_ASSERT_EQ(info.max_tx_queues, binfo.max_tx_queues, "tx queues");
	/* the backend's, and inline IPsec (test_swipsec_sec.c) */
	TEST_ASSERT_EQ(info.rx_offload_capa, binfo.rx_offload_capa |
		RTE_ETH_RX_OFFLOAD_SECURITY, "rx capa");
	/* and MBUF_FAST_FREE, the application's promise, always */
	TEST_ASSERT_EQ(info.tx_offload_capa, binfo.tx_offload_capa |
		RTE_ETH_TX_OFFLOAD_SECURITY |
		RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE, "tx capa");
	TEST_ASSERT_EQ(info.max_rx_pktlen, binfo.max_rx_pktlen, "pktlen");
	TEST_ASSERT_EQ(info.max_mac_addrs, 1, "mac addrs");
	TEST_ASSERT_EQ(rte_eth_macaddr_get(port, &mac), 0, "mac");
	TEST_ASSERT_EQ(rte_eth_macaddr_get(b->port, &bmac), 0, "mac");
	TEST_ASSERT(rte_is_same_ether_addr(&mac, &bmac), "mac differs");

	/* Removed: the backend is free and listed again; nothing left. */
	TEST_ASSERT_EQ(rte_vdev_uninit("net_swipsec_n"), 0, "uninit");
	swt_nb_wrappers = 0;
	TEST_ASSERT(swt_port_of("net_swipsec_n", &port) != 0, "port left");
	TEST_ASSERT_EQ(swt_owner(b->port, NULL), RTE_ETH_DEV_NO_OWNER,
		"backend still owned");
	TEST_ASSERT(swt_visible(b->port), "backend not listed again");
	TEST_ASSERT_EQ(swt_heap_bytes(), heap, "heap bytes after remove");
	return TEST_SUCCESS;
}

static int
test_probe_by_id(void)
{
	struct swt_backend *b = swt_backend_new(1, true);
	char args[16];
	uint16_t port, backend;

	TEST_ASSERT(b != NULL, "backend");
	snprintf(args, sizeof(args), "port=%u", b->port);
	TEST_ASSERT_EQ(swt_wrap("net_swipsec_i", args), 0, "probe");
	TEST_ASSERT_EQ(swt_port_of("net_swipsec_i", &port), 0, "port");
	TEST_ASSERT_EQ(rte_pmd_swipsec_get_backend(port, &backend), 0, "get");
	TEST_ASSERT_EQ(backend, b->port, "backend port");
	TEST_ASSERT(swt_owner(b->port, NULL) != RTE_ETH_DEV_NO_OWNER,
		"backend not owned");
	return TEST_SUCCESS;
}

/* One bad devargs: the probe fails, saying what, with nothing left. */
static int
swt_probe_fails(const char *args, const char *logged, int err)
{
	uint16_t nb_ports = rte_eth_dev_count_total();
	size_t heap = swt_heap_bytes();
	uint16_t port;
	const char *log;
	int ret;

	swt_log_start();
	ret = swt_wrap("net_swipsec_bad", args);
	log = swt_log_stop();
	printf("  devargs '%s': %d (%s)\n", args, ret,
		ret < 0 ? rte_strerror(-ret) : "no error");
	TEST_ASSERT(ret < 0, "probe with '%s' succeeded", args);
	if (err != 0)
		TEST_ASSERT_EQ(-ret, err, "error of the probe");
	TEST_ASSERT(strstr(log, logged) != NULL,
		"log of '%s' does not say '%s': %s", args, logged, log);
	TEST_ASSERT(swt_port_of("net_swipsec_bad", &port) != 0, "port left");
	TEST_ASSERT_EQ(rte_eth_dev_count_total(), nb_ports, "ports");
	TEST_ASSERT_EQ(swt_heap_bytes(), heap, "heap bytes");
	return TEST_SUCCESS;
}

static int
test_probe_errors(void)
{
	struct swt_backend *b = swt_backend_new(1, true);
	char owner[RTE_ETH_MAX_OWNER_NAME_LEN];
	char args[2 * RTE_ETH_NAME_MAX_LEN + 16];
	uint16_t port;

	TEST_ASSERT(b != NULL, "backend");
	if (swt_probe_fails("", "needs exactly one port=", EINVAL) ||
	    swt_probe_fails("port=", "port= needs a port name", EINVAL) ||
	    swt_probe_fails("port=net_ring_nosuch", "is not a port", ENODEV) ||
	    swt_probe_fails("port=1000", "is not a port", ENODEV) ||
	    swt_probe_fails("port=-1", "is not a port", ENODEV) ||
	    swt_probe_fails("prot=0", "invalid arguments", EINVAL) ||
	    swt_probe_fails("port=net_swipsec_bad",
			"cannot be its own backend", EINVAL))
		return TEST_FAILED;
	snprintf(args, sizeof(args), "port=%s,port=%s", b->name, b->name);
	if (swt_probe_fails(args, "needs exactly one port=", EINVAL))
		return TEST_FAILED;
	/* Nothing above took the backend. */
	TEST_ASSERT_EQ(swt_owner(b->port, NULL), RTE_ETH_DEV_NO_OWNER,
		"backend owned after failed probes");

	/* A backend already owned (here by another wrapper). */
	TEST_ASSERT_EQ(swt_wrap_backend("net_swipsec_first", b, &port), 0,
		"first wrapper");
	snprintf(args, sizeof(args), "port=%s", b->name);
	if (swt_probe_fails(args, "is owned by 'net_swipsec_first'", EBUSY))
		return TEST_FAILED;
	TEST_ASSERT(swt_owner(b->port, owner) != RTE_ETH_DEV_NO_OWNER &&
		strcmp(owner, "net_swipsec_first") == 0,
		"the first wrapper lost its backend");
	/* A wrapper of a wrapper (a cycle of them would recurse). */
	if (swt_probe_fails("port=net_swipsec_first", "is a net_swipsec port",
			EINVAL))
		return TEST_FAILED;
	return TEST_SUCCESS;
}

static int
test_forward(void)
{
	struct swt_backend *b = swt_backend_new(1, false);
	struct rte_mbuf *pkts[SWT_BURST], *out[SWT_BURST];
	struct rte_eth_stats st, bst;
	struct rte_eth_link link, blink;
	unsigned int i;
	uint16_t port;

	TEST_ASSERT(b != NULL, "backend");
	TEST_ASSERT_EQ(swt_wrap_backend("net_swipsec_f", b, &port), 0,
		"probe");
	TEST_ASSERT_EQ(swt_port_start(port, 1), 0, "start");
	TEST_ASSERT_EQ(rte_eth_link_get_nowait(port, &link), 0, "link");
	TEST_ASSERT_EQ(rte_eth_link_get_nowait(b->port, &blink), 0, "link");
	TEST_ASSERT_EQ(link.link_status, RTE_ETH_LINK_UP, "link status");
	TEST_ASSERT_EQ(link.link_speed, blink.link_speed, "link speed");

	/* TX on the wrapper: the same mbufs, unchanged, on the backend's
	 * TX ring.
	 */
	TEST_ASSERT_EQ(swt_pkts(pkts, SWT_BURST, 1), 0, "packets");
	memcpy(out, pkts, sizeof(pkts));
	TEST_ASSERT_EQ(rte_eth_tx_burst(port, 0, pkts, SWT_BURST), SWT_BURST,
		"tx burst");
	TEST_ASSERT_EQ(rte_ring_count(b->tx[0]), SWT_BURST, "backend tx");
	TEST_ASSERT_EQ(rte_ring_dequeue_burst(b->tx[0], (void **)pkts,
		SWT_BURST, NULL), SWT_BURST, "dequeue");
	for (i = 0; i < SWT_BURST; i++) {
		TEST_ASSERT(pkts[i] == out[i], "packet %u is another mbuf", i);
		TEST_ASSERT(swt_pkt_ok(pkts[i], i, 1), "packet %u changed", i);
	}
	/* RX: what the backend receives, as it received it. */
	TEST_ASSERT_EQ(rte_ring_enqueue_burst(b->rx[0], (void **)pkts,
		SWT_BURST, NULL), SWT_BURST, "enqueue");
	TEST_ASSERT_EQ(rte_eth_rx_burst(port, 0, out, SWT_BURST), SWT_BURST,
		"rx burst");
	for (i = 0; i < SWT_BURST; i++) {
		TEST_ASSERT(out[i] == pkts[i], "packet %u is another mbuf", i);
		TEST_ASSERT(swt_pkt_ok(out[i], i, 1), "packet %u changed", i);
	}
	rte_pktmbuf_free_bulk(out, SWT_BURST);

	/* Statistics: the backend's. */
	TEST_ASSERT_EQ(rte_eth_stats_get(port, &st), 0, "stats");
	TEST_ASSERT_EQ(rte_eth_stats_get(b->port, &bst), 0, "stats");
	TEST_ASSERT_EQ(st.opackets, SWT_BURST, "opackets");
	TEST_ASSERT_EQ(st.ipackets, SWT_BURST, "ipackets");
	/* net_ring counts packets, not bytes: those must just agree. */
	TEST_ASSERT_EQ(st.opackets, bst.opackets, "opackets of the backend");
	TEST_ASSERT_EQ(st.ipackets, bst.ipackets, "ipackets of the backend");
	TEST_ASSERT_EQ(st.obytes, bst.obytes, "obytes of the backend");
	TEST_ASSERT_EQ(st.ibytes, bst.ibytes, "ibytes of the backend");
	TEST_ASSERT_EQ(st.q_opackets[0], bst.q_opackets[0], "queue 0 out");
	TEST_ASSERT_EQ(rte_eth_stats_reset(port), 0, "reset");
	TEST_ASSERT_EQ(rte_eth_stats_get(b->port, &bst), 0, "stats");
	TEST_ASSERT_EQ(bst.opackets + bst.ipackets, 0, "backend not reset");

	/* Stop: both down. Close: the backend is free and usable. */
	TEST_ASSERT_EQ(rte_eth_dev_stop(port), 0, "stop");
	TEST_ASSERT_EQ(rte_eth_link_get_nowait(port, &link), 0, "link");
	TEST_ASSERT_EQ(rte_eth_link_get_nowait(b->port, &blink), 0, "link");
	TEST_ASSERT_EQ(link.link_status, RTE_ETH_LINK_DOWN, "link after stop");
	TEST_ASSERT_EQ(blink.link_status, RTE_ETH_LINK_DOWN,
		"backend link after stop");
	TEST_ASSERT_EQ(rte_eth_dev_close(port), 0, "close");
	TEST_ASSERT(!rte_eth_dev_is_valid_port(port), "wrapper still there");
	TEST_ASSERT_EQ(swt_owner(b->port, NULL), RTE_ETH_DEV_NO_OWNER,
		"backend owned after close");
	TEST_ASSERT(swt_visible(b->port), "backend not listed after close");
	TEST_ASSERT_EQ(rte_eth_dev_start(b->port), 0, "backend start");
	TEST_ASSERT_EQ(rte_eth_dev_stop(b->port), 0, "backend stop");
	/* Removing a closed wrapper is a no-op. */
	TEST_ASSERT_EQ(rte_vdev_uninit("net_swipsec_f"), 0, "uninit");
	swt_nb_wrappers = 0;
	return TEST_SUCCESS;
}

/* Each queue is the backend's queue of the same index. */
static int
test_queues(void)
{
	struct swt_backend *b = swt_backend_new(2, true);
	struct rte_mbuf *pkts[SWT_BURST];
	uint16_t port, q, other, n, i;

	TEST_ASSERT(b != NULL, "backend");
	TEST_ASSERT_EQ(swt_wrap_backend("net_swipsec_q", b, &port), 0,
		"probe");
	TEST_ASSERT_EQ(swt_port_start(port, 2), 0, "start");
	for (q = 0; q < 2; q++) {
		other = 1 - q;
		TEST_ASSERT_EQ(swt_pkts(pkts, 8, (uint8_t)(q + 10)), 0, "pkts");
		TEST_ASSERT_EQ(rte_eth_tx_burst(port, q, pkts, 8), 8, "tx");
		TEST_ASSERT_EQ(rte_ring_count(b->tx[q]), 8, "backend queue");
		TEST_ASSERT_EQ(rte_eth_rx_burst(port, other, pkts, SWT_BURST),
			0, "packets on the other queue");
		n = rte_eth_rx_burst(port, q, pkts, SWT_BURST);
		TEST_ASSERT_EQ(n, 8, "rx");
		for (i = 0; i < n; i++)
			TEST_ASSERT(swt_pkt_ok(pkts[i], i, (uint8_t)(q + 10)),
				"queue %u packet %u", q, i);
		rte_pktmbuf_free_bulk(pkts, n);
	}
	/* Removed while started: stopped and closed, backend given back. */
	TEST_ASSERT_EQ(rte_vdev_uninit("net_swipsec_q"), 0, "uninit");
	swt_nb_wrappers = 0;
	TEST_ASSERT_EQ(swt_owner(b->port, NULL), RTE_ETH_DEV_NO_OWNER,
		"backend owned after remove");
	TEST_ASSERT_EQ(rte_eth_dev_start(b->port), 0, "backend start");
	TEST_ASSERT_EQ(rte_eth_dev_stop(b->port), 0, "backend stop");
	return TEST_SUCCESS;
}

/* Promiscuous, all-multicast, link, MTU and MAC go to the backend. */
static int
test_control(void)
{
	struct swt_backend *b = swt_backend_new(1, true);
	struct rte_ether_addr a = {{ 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 }};
	struct rte_ether_addr mac, bmac;
	struct rte_eth_link link, blink;
	uint16_t port, mtu, bmtu0, bmtu;
	int ret;

	TEST_ASSERT(b != NULL, "backend");
	TEST_ASSERT_EQ(swt_wrap_backend("net_swipsec_c", b, &port), 0,
		"probe");
	TEST_ASSERT_EQ(swt_port_start(port, 1), 0, "start");

	TEST_ASSERT_EQ(rte_eth_promiscuous_disable(port), 0, "promisc off");
	TEST_ASSERT_EQ(rte_eth_promiscuous_get(b->port), 0, "backend promisc");
	TEST_ASSERT_EQ(rte_eth_promiscuous_enable(port), 0, "promisc on");
	TEST_ASSERT_EQ(rte_eth_promiscuous_get(b->port), 1, "backend promisc");
	TEST_ASSERT_EQ(rte_eth_allmulticast_enable(port), 0, "allmulti on");
	TEST_ASSERT_EQ(rte_eth_allmulticast_get(b->port), 1, "backend allmu");
	TEST_ASSERT_EQ(rte_eth_allmulticast_disable(port), 0, "allmulti off");
	TEST_ASSERT_EQ(rte_eth_allmulticast_get(b->port), 0, "backend allmu");

	TEST_ASSERT_EQ(rte_eth_dev_set_link_down(port), 0, "link down");
	rte_eth_link_get_nowait(port, &link);
	rte_eth_link_get_nowait(b->port, &blink);
	TEST_ASSERT_EQ(blink.link_status, RTE_ETH_LINK_DOWN, "backend link");
	TEST_ASSERT_EQ(link.link_status, RTE_ETH_LINK_DOWN, "link");
	TEST_ASSERT_EQ(rte_eth_dev_set_link_up(port), 0, "link up");
	rte_eth_link_get_nowait(port, &link);
	TEST_ASSERT_EQ(link.link_status, RTE_ETH_LINK_UP, "link up");

	/* MTU and MAC: whatever the backend does, the wrapper shows. */
	rte_eth_dev_get_mtu(b->port, &bmtu0);
	ret = rte_eth_dev_set_mtu(port, 1400);
	rte_eth_dev_get_mtu(b->port, &bmtu);
	rte_eth_dev_get_mtu(port, &mtu);
	printf("  set_mtu 1400: %d, backend mtu %u, wrapper mtu %u\n", ret,
		bmtu, mtu);
	if (ret == 0)
		TEST_ASSERT(bmtu == 1400 && mtu == 1400, "mtu not forwarded");
	else
		TEST_ASSERT(ret == -ENOTSUP && bmtu == bmtu0,
			"mtu: %d, backend %u", ret, bmtu);
	ret = rte_eth_dev_default_mac_addr_set(port, &a);
	rte_eth_macaddr_get(port, &mac);
	rte_eth_macaddr_get(b->port, &bmac);
	printf("  mac_addr_set: %d\n", ret);
	TEST_ASSERT(ret == 0 || ret == -ENOTSUP, "mac_addr_set: %d", ret);
	TEST_ASSERT(rte_is_same_ether_addr(&mac, &bmac),
		"wrapper and backend MAC differ");
	if (ret == 0)
		TEST_ASSERT(rte_is_same_ether_addr(&mac, &a), "MAC not set");
	TEST_ASSERT_EQ(rte_eth_dev_stop(port), 0, "stop");
	return TEST_SUCCESS;
}

/*
 * A backend made by this test (driver net_swt_fake): it says it offers
 * VLAN filters, MACsec and inline IPsec, and shows which of its RX queues
 * are set up.
 */
static int
swt_fake_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	RTE_SET_USED(dev);
	info->max_rx_queues = 4;
	info->max_tx_queues = 4;
	info->max_rx_pktlen = 9000;
	info->max_mac_addrs = 1;
	info->rx_offload_capa = RTE_ETH_RX_OFFLOAD_VLAN_FILTER |
		RTE_ETH_RX_OFFLOAD_MACSEC_STRIP | RTE_ETH_RX_OFFLOAD_SECURITY |
		RTE_ETH_RX_OFFLOAD_CHECKSUM | RTE_ETH_RX_OFFLOAD_SCATTER;
	info->rx_queue_offload_capa = RTE_ETH_RX_OFFLOAD_VLAN_FILTER;
	info->tx_offload_capa = RTE_ETH_TX_OFFLOAD_MACSEC_INSERT |
		RTE_ETH_TX_OFFLOAD_SECURITY | RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->tx_queue_offload_capa = RTE_ETH_TX_OFFLOAD_MACSEC_INSERT;
	return 0;
}

static int
swt_fake_ok(struct rte_eth_dev *dev)
{
	RTE_SET_USED(dev);
	return 0;
}

static int
swt_fake_link(struct rte_eth_dev *dev, int wait)
{
	RTE_SET_USED(dev);
	RTE_SET_USED(wait);
	return 0;
}

static int swt_fake_q;

static int
swt_fake_rxq_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	unsigned int socket, const struct rte_eth_rxconf *conf,
	struct rte_mempool *mp)
{
	RTE_SET_USED(nb_desc);
	RTE_SET_USED(socket);
	RTE_SET_USED(conf);
	RTE_SET_USED(mp);
	dev->data->rx_queues[qid] = &swt_fake_q;
	return 0;
}

static int
swt_fake_txq_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	unsigned int socket, const struct rte_eth_txconf *conf)
{
	RTE_SET_USED(nb_desc);
	RTE_SET_USED(socket);
	RTE_SET_USED(conf);
	dev->data->tx_queues[qid] = &swt_fake_q;
	return 0;
}

static void
swt_fake_rxq_release(struct rte_eth_dev *dev, uint16_t qid)
{
	dev->data->rx_queues[qid] = NULL;
}

static void
swt_fake_txq_release(struct rte_eth_dev *dev, uint16_t qid)
{
	dev->data->tx_queues[qid] = NULL;
}

static const struct eth_dev_ops swt_fake_ops = {
	.dev_infos_get = swt_fake_infos_get,
	.dev_configure = swt_fake_ok,
	.dev_start = swt_fake_ok,
	.dev_stop = swt_fake_ok,
	.dev_close = swt_fake_ok,
	.link_update = swt_fake_link,
	.rx_queue_setup = swt_fake_rxq_setup,
	.tx_queue_setup = swt_fake_txq_setup,
	.rx_queue_release = swt_fake_rxq_release,
	.tx_queue_release = swt_fake_txq_release,
};

static int
swt_fake_probe(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev;
	static struct rte_ether_addr mac;

	dev = rte_eth_vdev_allocate(vdev, 0);
	if (dev == NULL)
		return -ENOMEM;
	dev->data->mac_addrs = rte_zmalloc(NULL, sizeof(mac), 0);
	if (dev->data->mac_addrs == NULL) {
		rte_eth_dev_release_port(dev);
		return -ENOMEM;
	}
	dev->dev_ops = &swt_fake_ops;
	rte_eth_dev_probing_finish(dev);
	return 0;
}

static int
swt_fake_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev;

	dev = rte_eth_dev_allocated(rte_vdev_device_name(vdev));
	if (dev == NULL)
		return 0;
	return rte_eth_dev_close(dev->data->port_id);
}

static struct rte_vdev_driver swt_fake_driver = {
	.probe = swt_fake_probe,
	.remove = swt_fake_remove,
};

RTE_PMD_REGISTER_VDEV(net_swt_fake, swt_fake_driver);

/* The backend is removed: the port id it had is never used again. */
static int
test_backend_gone(void)
{
	struct swt_backend *b = swt_backend_new(1, false), *b2;
	struct rte_mbuf *pkts[8];
	struct rte_eth_stats st;
	uint16_t port, gone;
	const char *log;
	int ret;

	TEST_ASSERT(b != NULL, "backend");
	TEST_ASSERT_EQ(swt_wrap_backend("net_swipsec_g", b, &port), 0,
		"probe");
	TEST_ASSERT_EQ(swt_port_start(port, 1), 0, "start");
	gone = b->port;
	swt_log_start();
	ret = rte_vdev_uninit(b->name);
	log = swt_log_stop();
	TEST_ASSERT_EQ(ret, 0, "backend uninit");
	TEST_ASSERT(strstr(log, "destroyed") != NULL, "not heard: %s", log);
	b->name[0] = '\0';
	/* Another port takes the id. */
	b2 = swt_backend_new(1, false);
	TEST_ASSERT(b2 != NULL, "second backend");
	TEST_ASSERT_EQ(b2->port, gone, "port id not reused");
	TEST_ASSERT_EQ(swt_port_start(b2->port, 1), 0, "start b2");

	TEST_ASSERT_EQ(swt_pkts(pkts, 8, 5), 0, "packets");
	TEST_ASSERT_EQ(rte_eth_tx_burst(port, 0, pkts, 8), 0, "tx on gone");
	TEST_ASSERT_EQ(rte_ring_count(b2->tx[0]), 0, "sent to the new port");
	TEST_ASSERT_EQ(rte_ring_enqueue_burst(b2->rx[0], (void **)pkts, 8,
		NULL), 8, "enqueue");
	TEST_ASSERT_EQ(rte_eth_rx_burst(port, 0, pkts, 8), 0, "rx on gone");
	TEST_ASSERT_EQ(rte_eth_stats_get(port, &st), -ENODEV, "stats");
	TEST_ASSERT_EQ(rte_eth_dev_set_mtu(port, 1400), -ENODEV, "mtu");
	TEST_ASSERT_EQ(rte_eth_dev_set_link_down(port), -ENODEV, "link");
	TEST_ASSERT_EQ(rte_eth_dev_stop(port), 0, "stop");
	swt_log_start();
	ret = rte_eth_dev_close(port);
	log = swt_log_stop();
	TEST_ASSERT_EQ(ret, 0, "close");
	TEST_ASSERT(strstr(log, "cannot release") == NULL, "close: %s", log);
	swt_nb_wrappers = 0;
	/* The new port: started, unowned, its packets where they were. */
	TEST_ASSERT_EQ(swt_owner(b2->port, NULL), RTE_ETH_DEV_NO_OWNER,
		"new port owned");
	TEST_ASSERT_EQ(rte_eth_dev_rx_queue_stop(b2->port, 0), -ENOTSUP,
		"new port's queue");
	TEST_ASSERT_EQ(rte_eth_rx_burst(b2->port, 0, pkts, 8), 8,
		"new port stopped");
	rte_pktmbuf_free_bulk(pkts, 8);
	TEST_ASSERT_EQ(rte_eth_dev_stop(b2->port), 0, "stop b2");
	return TEST_SUCCESS;
}

/* Offloads that need operations the port does not forward are hidden. */
static int
test_offloads_masked(void)
{
	struct rte_eth_dev_info info;
	uint16_t port, fake;
	uint64_t rx_hidden = RTE_ETH_RX_OFFLOAD_VLAN_FILTER |
		RTE_ETH_RX_OFFLOAD_MACSEC_STRIP;

	TEST_ASSERT_EQ(rte_vdev_init("net_swt_fake0", NULL), 0, "fake");
	TEST_ASSERT_EQ(swt_port_of("net_swt_fake0", &fake), 0, "fake port");
	TEST_ASSERT_EQ(swt_wrap("net_swipsec_o", "port=net_swt_fake0"), 0,
		"probe");
	TEST_ASSERT_EQ(swt_port_of("net_swipsec_o", &port), 0, "port");
	TEST_ASSERT_EQ(rte_eth_dev_info_get(port, &info), 0, "info");
	printf("  rx 0x%" PRIx64 " tx 0x%" PRIx64 "\n", info.rx_offload_capa,
		info.tx_offload_capa);
	TEST_ASSERT_EQ(info.rx_offload_capa & rx_hidden, 0, "rx capa");
	TEST_ASSERT_EQ(info.rx_queue_offload_capa & rx_hidden, 0, "rxq capa");
	TEST_ASSERT_EQ(info.tx_offload_capa &
		RTE_ETH_TX_OFFLOAD_MACSEC_INSERT, 0, "tx capa");
	TEST_ASSERT_EQ(info.tx_queue_offload_capa &
		RTE_ETH_TX_OFFLOAD_MACSEC_INSERT, 0, "txq capa");
	TEST_ASSERT(info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_CHECKSUM,
		"checksum offload lost");
	TEST_ASSERT(info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE,
		"fast free is the port's");
	TEST_ASSERT_EQ(rte_vdev_uninit("net_swipsec_o"), 0, "uninit");
	swt_nb_wrappers = 0;
	TEST_ASSERT_EQ(rte_vdev_uninit("net_swt_fake0"), 0, "uninit fake");
	return TEST_SUCCESS;
}

/*
 * Take every byte of the DPDK heaps (blocks of halving sizes, chained
 * through their first bytes); the chain, for swt_heap_give().
 */
static void *
swt_heap_take(void)
{
	void *chain = NULL, *p;
	size_t sz;

	for (sz = (size_t)1 << 30; sz >= 64; sz /= 2)
		while ((p = rte_malloc(NULL, sz, 0)) != NULL) {
			*(void **)p = chain;
			chain = p;
		}
	return chain;
}

static void
swt_heap_give(void *chain)
{
	while (chain != NULL) {
		void *next = *(void **)chain;

		rte_free(chain);
		chain = next;
	}
}

/* A queue that cannot be made leaves the backend's queue as it was. */
static int
test_queue_setup_fail(void)
{
	const struct rte_eth_dev_data *bd;
	struct rte_eth_conf conf;
	uint16_t port, fake;
	void *heap;
	int rx, tx;

	TEST_ASSERT_EQ(rte_vdev_init("net_swt_fake1", NULL), 0, "fake");
	TEST_ASSERT_EQ(swt_port_of("net_swt_fake1", &fake), 0, "fake port");
	bd = rte_eth_devices[fake].data;
	TEST_ASSERT_EQ(swt_wrap("net_swipsec_qf", "port=net_swt_fake1"), 0,
		"probe");
	TEST_ASSERT_EQ(swt_port_of("net_swipsec_qf", &port), 0, "port");
	memset(&conf, 0, sizeof(conf));
	TEST_ASSERT_EQ(rte_eth_dev_configure(port, 1, 1, &conf), 0, "conf");
	/* no memory left: the port's queues cannot be made */
	heap = swt_heap_take();
	rx = rte_eth_rx_queue_setup(port, 0, 128, SOCKET_ID_ANY, NULL,
		swt_mp);
	tx = rte_eth_tx_queue_setup(port, 0, 128, SOCKET_ID_ANY, NULL);
	swt_heap_give(heap);
	TEST_ASSERT_EQ(rx, -ENOMEM, "rx queue without memory");
	TEST_ASSERT(bd->rx_queues[0] == NULL, "backend rx queue set up");
	TEST_ASSERT_EQ(tx, -ENOMEM, "tx queue without memory");
	TEST_ASSERT(bd->tx_queues[0] == NULL, "backend tx queue set up");
	TEST_ASSERT_EQ(rte_eth_rx_queue_setup(port, 0, 128, SOCKET_ID_ANY,
		NULL, swt_mp), 0, "rx queue");
	TEST_ASSERT(bd->rx_queues[0] != NULL, "backend rx queue");
	TEST_ASSERT_EQ(rte_vdev_uninit("net_swipsec_qf"), 0, "uninit");
	swt_nb_wrappers = 0;
	TEST_ASSERT_EQ(rte_vdev_uninit("net_swt_fake1"), 0, "uninit fake");
	return TEST_SUCCESS;
}

/* port= takes a port name or decimal digits, nothing else. */
static int
test_probe_port_digits(void)
{
	struct swt_backend *b = swt_backend_new(1, true);
	char args[32];

	TEST_ASSERT(b != NULL, "backend");
	snprintf(args, sizeof(args), "port= %u", b->port);
	if (swt_probe_fails(args, "is not a port", ENODEV))
		return TEST_FAILED;
	snprintf(args, sizeof(args), "port=+%u", b->port);
	if (swt_probe_fails(args, "is not a port", ENODEV))
		return TEST_FAILED;
	snprintf(args, sizeof(args), "port=%ux", b->port);
	if (swt_probe_fails(args, "is not a port", ENODEV))
		return TEST_FAILED;
	return TEST_SUCCESS;
}

/* The port starts with the backend's promiscuous state, not 0. */
static int
test_promisc_initial(void)
{
	struct swt_backend *b = swt_backend_new(1, true);
	uint16_t port;

	TEST_ASSERT(b != NULL, "backend");
	TEST_ASSERT_EQ(rte_eth_promiscuous_enable(b->port), 0, "promisc");
	TEST_ASSERT_EQ(rte_eth_allmulticast_enable(b->port), 0, "allmulti");
	TEST_ASSERT_EQ(swt_wrap_backend("net_swipsec_p", b, &port), 0,
		"probe");
	TEST_ASSERT_EQ(rte_eth_promiscuous_get(port), 1, "port promisc");
	TEST_ASSERT_EQ(rte_eth_allmulticast_get(port), 1, "port allmulti");
	TEST_ASSERT_EQ(swt_port_start(port, 1), 0, "start");
	TEST_ASSERT_EQ(rte_eth_promiscuous_get(b->port), 1,
		"the start turned the backend's promiscuous mode off");
	TEST_ASSERT_EQ(rte_eth_allmulticast_get(b->port), 1,
		"the start turned the backend's all-multicast off");
	TEST_ASSERT_EQ(rte_eth_dev_stop(port), 0, "stop");
	return TEST_SUCCESS;
}

static int
swt_setup(void)
{
	swt_mp = rte_pktmbuf_pool_create("swt_pool", SWT_NB_MBUF, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (swt_mp == NULL)
		return TEST_FAILED;
	/*
	 * The security dynfield: the first net_swipsec port of a process
	 * registers it (its security context), once, as inline PMDs do;
	 * here before the cases, whose heap counts are those of a port.
	 */
	if (rte_security_dynfield_register() < 0)
		return TEST_FAILED;
	return test_clean_watch(swt_mp) == 0 ? TEST_SUCCESS : TEST_FAILED;
}

static void
swt_teardown(void)
{
	test_clean_unwatch_all();
	rte_mempool_free(swt_mp);
	swt_mp = NULL;
	free(swt_log);
	swt_log = NULL;
}

static struct unit_test_suite swipsec_suite = {
	.name = "swipsec",
	.setup = swt_setup,
	.teardown = swt_teardown,
	.snapshot = test_clean_snapshot,
	.check = test_clean_check,
	.cases = {
		TEST_CASE_ST(NULL, swt_case_teardown, test_probe_by_name),
		TEST_CASE_ST(NULL, swt_case_teardown, test_probe_by_id),
		TEST_CASE_ST(NULL, swt_case_teardown, test_probe_errors),
		TEST_CASE_ST(NULL, swt_case_teardown, test_forward),
		TEST_CASE_ST(NULL, swt_case_teardown, test_queues),
		TEST_CASE_ST(NULL, swt_case_teardown, test_control),
		TEST_CASE_ST(NULL, swt_case_teardown, test_backend_gone),
		TEST_CASE_ST(NULL, swt_case_teardown, test_offloads_masked),
		TEST_CASE_ST(NULL, swt_case_teardown, test_queue_setup_fail),
		TEST_CASE_ST(NULL, swt_case_teardown, test_probe_port_digits),
		TEST_CASE_ST(NULL, swt_case_teardown, test_promisc_initial),
		TEST_CASES_END()
	}
};

REGISTER_TEST_SUITE(swipsec_suite);

/*
 * Suite swipsec_eal: --vdev net_ring0 --vdev net_swipsec0,port=net_ring0
 * on the command line. net_ring0 made without arguments receives what it
 * sends: packets sent on net_swipsec0 come back on it.
 */

static int
test_eal_probed(void)
{
	char owner[RTE_ETH_MAX_OWNER_NAME_LEN];
	uint16_t port, ring, backend, p, n = 0;

	TEST_ASSERT_EQ(swt_port_of("net_swipsec0", &port), 0,
		"no net_swipsec0");
	TEST_ASSERT_EQ(swt_port_of("net_ring0", &ring), 0, "no net_ring0");
	TEST_ASSERT_EQ(rte_pmd_swipsec_get_backend(port, &backend), 0, "get");
	TEST_ASSERT_EQ(backend, ring, "backend");
	TEST_ASSERT(swt_owner(ring, owner) != RTE_ETH_DEV_NO_OWNER &&
		strcmp(owner, "net_swipsec0") == 0, "net_ring0 not owned");
	RTE_ETH_FOREACH_DEV(p) {
		TEST_ASSERT(p != ring, "net_ring0 listed");
		n++;
	}
	TEST_ASSERT_EQ(n, 1, "ports listed");
	return TEST_SUCCESS;
}

static int
test_eal_loop(void)
{
	struct rte_mbuf *pkts[SWT_BURST];
	struct rte_eth_stats st;
	uint16_t port, n, i;

	TEST_ASSERT_EQ(swt_port_of("net_swipsec0", &port), 0, "port");
	TEST_ASSERT_EQ(swt_port_start(port, 1), 0, "start");
	TEST_ASSERT_EQ(rte_eth_stats_reset(port), 0, "reset");
	TEST_ASSERT_EQ(swt_pkts(pkts, 16, 3), 0, "packets");
	TEST_ASSERT_EQ(rte_eth_tx_burst(port, 0, pkts, 16), 16, "tx");
	n = rte_eth_rx_burst(port, 0, pkts, SWT_BURST);
	TEST_ASSERT_EQ(n, 16, "rx");
	for (i = 0; i < n; i++)
		TEST_ASSERT(swt_pkt_ok(pkts[i], i, 3), "packet %u", i);
	rte_pktmbuf_free_bulk(pkts, n);
	TEST_ASSERT_EQ(rte_eth_stats_get(port, &st), 0, "stats");
	TEST_ASSERT_EQ(st.opackets, 16, "opackets");
	TEST_ASSERT_EQ(st.ipackets, 16, "ipackets");
	TEST_ASSERT_EQ(rte_eth_dev_stop(port), 0, "stop");
	return TEST_SUCCESS;
}

/*
 * What the EAL's clean-up does (the vdev bus removes its devices in probe
 * order: the backend first): the port hears of it and its close leaves
 * the backend's port id alone ("cannot release backend port" before).
 */
static int
test_eal_cleanup_order(void)
{
	const char *log;
	uint16_t port;
	int r1, r2;

	swt_log_start();
	r1 = rte_vdev_uninit("net_ring0");
	r2 = rte_vdev_uninit("net_swipsec0");
	log = swt_log_stop();
	printf("%s", log);
	TEST_ASSERT_EQ(r1, 0, "uninit net_ring0");
	TEST_ASSERT_EQ(r2, 0, "uninit net_swipsec0");
	TEST_ASSERT(strstr(log, "cannot release") == NULL, "log: %s", log);
	TEST_ASSERT(swt_port_of("net_swipsec0", &port) != 0, "port left");
	TEST_ASSERT(swt_port_of("net_ring0", &port) != 0, "backend left");
	return TEST_SUCCESS;
}

static struct unit_test_suite swipsec_eal_suite = {
	.name = "swipsec_eal",
	.setup = swt_setup,
	.teardown = swt_teardown,
	.snapshot = test_clean_snapshot,
	.check = test_clean_check,
	.cases = {
		TEST_CASE(test_eal_probed),
		TEST_CASE(test_eal_loop),
		TEST_CASE(test_eal_cleanup_order),
		TEST_CASES_END()
	}
};

REGISTER_TEST_SUITE(swipsec_eal_suite);

/*
 * Suite swipsec_eal_late: --vdev net_swipsec0,port=net_ring0 --vdev
 * net_ring0: the port is probed first (port 0, as DPDK's
 * inline_ipsec_autotest wants it) and takes its backend at first use.
 */

static int
test_late_probed(void)
{
	struct rte_eth_dev_info info;
	uint16_t port, ring, backend, p, n = 0;

	TEST_ASSERT_EQ(swt_port_of("net_swipsec0", &port), 0, "port");
	TEST_ASSERT_EQ(port, 0, "net_swipsec0 is not port 0");
	TEST_ASSERT_EQ(swt_port_of("net_ring0", &ring), 0, "no net_ring0");
	TEST_ASSERT(rte_eth_dev_get_sec_ctx(port) != NULL, "security ctx");
	/* first use: the backend is taken */
	TEST_ASSERT_EQ(rte_eth_dev_info_get(port, &info), 0, "info");
	TEST_ASSERT_EQ(rte_pmd_swipsec_get_backend(port, &backend), 0, "get");
	TEST_ASSERT_EQ(backend, ring, "backend");
	TEST_ASSERT(swt_owner(ring, NULL) != RTE_ETH_DEV_NO_OWNER,
		"net_ring0 not owned");
	RTE_ETH_FOREACH_DEV(p)
		n++;
	TEST_ASSERT_EQ(n, 1, "ports listed");
	return TEST_SUCCESS;
}

/* Port @p port started in loopback (lpbk_mode 1), one queue each way. */
static int
swt_lpbk_start(uint16_t port)
{
	struct rte_eth_conf conf;

	memset(&conf, 0, sizeof(conf));
	conf.lpbk_mode = 1;
	TEST_ASSERT_EQ(rte_eth_dev_configure(port, 1, 1, &conf), 0, "conf");
	TEST_ASSERT_EQ(rte_eth_rx_queue_setup(port, 0, 128, rte_socket_id(),
		NULL, swt_mp), 0, "rx queue");
	TEST_ASSERT_EQ(rte_eth_tx_queue_setup(port, 0, 128, rte_socket_id(),
		NULL), 0, "tx queue");
	TEST_ASSERT_EQ(rte_eth_dev_start(port), 0, "start");
	return 0;
}

/*
 * lpbk_mode 1: what TX queue 0 sends comes back on RX queue 0 without
 * reaching the backend (net_ring0 would loop it too: its counters show
 * it did not).
 */
static int
test_late_lpbk(void)
{
	struct rte_mbuf *pkts[SWT_BURST];
	struct rte_eth_stats bst;
	uint16_t port, ring, n, i;

	TEST_ASSERT_EQ(swt_port_of("net_swipsec0", &port), 0, "port");
	TEST_ASSERT_EQ(swt_port_of("net_ring0", &ring), 0, "no net_ring0");
	TEST_ASSERT_EQ(swt_lpbk_start(port), 0, "start in loopback");
	TEST_ASSERT_EQ(rte_eth_stats_reset(ring), 0, "reset");
	TEST_ASSERT_EQ(swt_pkts(pkts, 16, 4), 0, "packets");
	for (i = 0; i < 16; i++)
		pkts[i]->ol_flags |= RTE_MBUF_F_TX_IP_CKSUM;
	TEST_ASSERT_EQ(rte_eth_tx_burst(port, 0, pkts, 16), 16, "tx");
	n = rte_eth_rx_burst(port, 0, pkts, SWT_BURST);
	TEST_ASSERT_EQ(n, 16, "rx");
	for (i = 0; i < n; i++) {
		TEST_ASSERT(swt_pkt_ok(pkts[i], i, 4), "packet %u", i);
		TEST_ASSERT_EQ(pkts[i]->port, port, "mbuf port");
		TEST_ASSERT_EQ(pkts[i]->ol_flags, 0, "TX flags left");
	}
	rte_pktmbuf_free_bulk(pkts, n);
	TEST_ASSERT_EQ(rte_eth_stats_get(ring, &bst), 0, "stats");
	TEST_ASSERT_EQ(bst.opackets + bst.ipackets, 0, "through the backend");
	TEST_ASSERT_EQ(rte_eth_dev_stop(port), 0, "stop");
	/* lpbk_mode 0 again (swt_port_start()): the backend's queues */
	TEST_ASSERT_EQ(swt_port_start(port, 1), 0, "start");
	TEST_ASSERT_EQ(swt_pkts(pkts, 4, 6), 0, "packets");
	TEST_ASSERT_EQ(rte_eth_tx_burst(port, 0, pkts, 4), 4, "tx");
	TEST_ASSERT_EQ(rte_eth_rx_burst(port, 0, pkts, SWT_BURST), 4, "rx");
	rte_pktmbuf_free_bulk(pkts, 4);
	TEST_ASSERT_EQ(rte_eth_stats_get(ring, &bst), 0, "stats");
	TEST_ASSERT_EQ(bst.opackets, 4, "backend opackets");
	TEST_ASSERT_EQ(rte_eth_dev_stop(port), 0, "stop");
	return TEST_SUCCESS;
}

/*
 * Packets looped back and not received when the port stops are freed
 * (found by a review: the RX queue's release freed the ring with them).
 */
static int
test_late_lpbk_leak(void)
{
	struct rte_mbuf *pkts[SWT_BURST];
	unsigned int before;
	uint16_t port;

	TEST_ASSERT_EQ(swt_port_of("net_swipsec0", &port), 0, "port");
	TEST_ASSERT_EQ(swt_lpbk_start(port), 0, "start in loopback");
	before = rte_mempool_avail_count(swt_mp);
	TEST_ASSERT_EQ(swt_pkts(pkts, 16, 4), 0, "packets");
	TEST_ASSERT_EQ(rte_eth_tx_burst(port, 0, pkts, 16), 16, "tx");
	TEST_ASSERT_EQ(rte_eth_dev_stop(port), 0, "stop");
	/* re-setup of RX queue 0: ethdev releases the old queue (its ring) */
	TEST_ASSERT_EQ(rte_eth_rx_queue_setup(port, 0, 128, rte_socket_id(),
		NULL, swt_mp), 0, "rx queue again");
	TEST_ASSERT_EQ(rte_mempool_avail_count(swt_mp), before,
		"mbufs leaked in the loopback ring");
	return TEST_SUCCESS;
}

static struct unit_test_suite swipsec_eal_late_suite = {
	.name = "swipsec_eal_late",
	.setup = swt_setup,
	.teardown = swt_teardown,
	.snapshot = test_clean_snapshot,
	.check = test_clean_check,
	.cases = {
		TEST_CASE(test_late_probed),
		TEST_CASE(test_late_lpbk),
		TEST_CASE(test_late_lpbk_leak),
		TEST_CASE(test_eal_cleanup_order),
		TEST_CASES_END()
	}
};

REGISTER_TEST_SUITE(swipsec_eal_late_suite);
