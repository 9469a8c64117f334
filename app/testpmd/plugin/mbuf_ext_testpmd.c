/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * mbuf_ext_testpmd: a plugin that puts an extension on every packet an
 * unmodified application (dpdk-testpmd) receives and checks it on every
 * packet it transmits. Loaded with the EAL option -d, next to the mbuf_ext
 * mempool handler:
 *
 *   dpdk-testpmd ... -d librte_mempool_mbuf_ext.so \
 *       -d librte_mbuf_ext_testpmd.so --mbuf-pool-ops-name mbuf_ext -- ...
 *
 * - RX callbacks add an extension of the type "testpmd_rx_tag" to every
 *   received packet: a per-queue sequence number, the RX port and queue,
 *   the mbuf's address and a checksum of these under a per-process key.
 * - TX callbacks, run before the PMD takes the packets, find it on every
 *   packet and check it: the checksum, the mbuf, the port (m->port), the
 *   sequence number against the RX queue's counter. testpmd's mac engine
 *   (and macswap, 5tswap, csum) rewrites ol_flags, which hides extensions
 *   from rte_mbuf_extension_find(); such tags are still owned by the mbuf,
 *   shown again with rte_mbuf_extension_restore(), checked the same way
 *   and counted as "hidden".
 * - The PMD frees the packets; only the mempool handler releases the
 *   blocks. When the last port is destroyed (testpmd closes its ports at
 *   exit; rte_eal_cleanup() removes the others) the plugin logs one line:
 *   packets tagged and checked, hidden, mismatches, missing tags, add
 *   failures and the blocks still in use. Telemetry:
 *   /mbuf_ext_testpmd/stats.
 *
 * How it gets in without any change to the application. A plugin's
 * constructor runs inside rte_eal_init(), before the memory is set up:
 * rte_malloc() fails there, and so does rte_eth_dev_callback_register(),
 * which allocates. The constructor only starts a thread. That thread
 * waits until the first port exists (the EAL heap is up then), registers
 * ethdev NEW and DESTROY event callbacks, and then polls every
 * MBUF_EXT_TPMD_POLL_MS. Once the application has created mbuf pools
 * served by the handler, it registers the type and creates the block pool
 * (see setup()). Then, for each port, it reads the configured queue
 * counts (rte_eth_dev_info_get()) and adds RX and TX callbacks to the
 * queues that have none yet (ethdev publishes a new callback with a
 * release store, for a data plane that runs meanwhile). The callbacks
 * live in ethdev's per-port lists: they stay across port stop and start
 * and across a reconfiguration; queues added by a reconfiguration get
 * theirs at the next poll. On DESTROY the plugin removes its callbacks
 * from the port.
 *
 * Packets received before a queue's callback was added carry no tag. When
 * forwarding is already running as the callbacks are added (testpmd
 * without -i starts at once), some reach TX untagged; they are counted as
 * "early", not as "missing", until every RX queue of every port has run
 * its callback once (in io and mac modes a packet is sent before its queue
 * is polled again), or one second after the first one did. Packets testpmd
 * makes itself (--tx-first, txonly) carry no tag either: "missing" once
 * the RX queues have run.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pthread_setname_np() */
#endif
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_random.h>
#include <rte_telemetry.h>

#include <rte_mbuf_extension.h>

/* The telemetry shim of the library it extends (in-tree, not installed). */
#include "mbuf_extension_compat.h"

RTE_LOG_REGISTER_DEFAULT(mbuf_ext_tpmd_logtype, INFO);

#define TPMD_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, mbuf_ext_tpmd_logtype, \
		"mbuf_ext_testpmd: " fmt "\n", ##__VA_ARGS__)

/* Name of the extension type. */
#define MBUF_EXT_TPMD_TYPE_NAME "testpmd_rx_tag"
/* Period of the thread that adds callbacks, in ms. */
#define MBUF_EXT_TPMD_POLL_MS 10
/* Untagged packets are "missing" at the latest this long after the first
 * RX callback ran, in ms (see the file comment).
 */
#define MBUF_EXT_TPMD_READY_MS 1000
/* Per-lcore cache of the block pool the plugin creates. */
#define MBUF_EXT_TPMD_BLOCK_CACHE 256
/* Smallest block pool the plugin creates. */
#define MBUF_EXT_TPMD_MIN_BLOCKS 1024

/* Environment: corrupt the tag of the packet with this sequence number on
 * the first RX queue that reaches it (a test that the check can fail).
 */
#define MBUF_EXT_TPMD_ENV_CORRUPT "MBUF_EXT_TESTPMD_CORRUPT"
/* Environment: number of blocks of the block pool. */
#define MBUF_EXT_TPMD_ENV_BLOCKS "MBUF_EXT_TESTPMD_BLOCKS"

/** The extension every received packet gets. */
struct rx_tag {
	uint64_t seq;   /**< Sequence number on its RX queue, from 1. */
	uint64_t mbuf;  /**< Address of the mbuf it was added to. */
	uint16_t port;  /**< RX port. */
	uint16_t queue; /**< RX queue. */
	uint32_t sum;   /**< tag_sum() of the fields above. */
};

/*
 * State of one RX queue. Counters are written by the lcore polling the
 * queue only, with atomic stores so that readers never see torn values.
 * States are never freed (see port_retire()): allocated from the C heap,
 * not rte_malloc(), so that they can be read after rte_eal_cleanup().
 */
struct rxq_state {
	uint64_t seq;         /* Last sequence number given. */
	uint64_t tagged;      /* Packets given a tag. */
	uint64_t add_failed;  /* Packets left without one (add failed). */
	int last_errno;       /* rte_errno of the last failed add. */
	uint32_t armed;       /* The callback has run at least once. */
	/* Control thread only. */
	const struct rte_eth_rxtx_callback *cb; /* Installed, or NULL. */
	uint64_t failed_logged; /* add_failed when last logged. */
	uint8_t warned;       /* ethdev refused a callback, logged. */
} __rte_cache_aligned;

/* State of one TX queue; as for RX. */
struct txq_state {
	uint64_t checked;   /* Packets with a tag, checked. */
	uint64_t hidden;    /* Of these, tags ol_flags did not show. */
	uint64_t mismatch;  /* Of these, tags found wrong. */
	uint64_t missing;   /* Packets without a tag. */
	uint64_t early;     /* Same, before every RX queue ran (see top). */
	uint32_t bad_set;   /* bad and bad_mbuf hold the first mismatch. */
	struct rx_tag bad;
	uint64_t bad_mbuf;
	uint16_t bad_port;
	/* Control thread only. */
	const struct rte_eth_rxtx_callback *cb;
	uint8_t bad_logged;
	uint8_t warned;
} __rte_cache_aligned;

/*
 * What the plugin knows of one port id. The queue arrays are allocated on
 * first use and never freed; a later port with the same id reuses them.
 */
struct port_state {
	struct rxq_state **rxq; /* RTE_MAX_QUEUES_PER_PORT entries. */
	struct txq_state **txq;
	uint16_t rxq_max;       /* Entries of rxq that may be set. */
	uint16_t txq_max;
	uint16_t nb_rx_cb;      /* Configured queues with a callback. */
	uint16_t nb_tx_cb;
	uint8_t watched;        /* Alive, its queues followed. */
	/* Destroyed: not touched until a NEW event for this id. */
	uint8_t dying;
};

static struct port_state ports[RTE_MAX_ETHPORTS];

/* Read by the fast paths; set before the first callback is added. */
static int tag_id = -1;
static uint64_t tag_key;
static uint64_t corrupt_seq;  /* 0: never. */
static uint32_t corrupt_done;
static uint32_t ready;        /* Untagged packets count as missing. */

/* Control state, under ctl.lock. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	uint32_t gen;             /* A thread runs while it has this gen. */
	uint8_t running;          /* thread is to be joined. */
	uint8_t events;           /* ethdev event callbacks registered. */
	int setup;                /* 1: type and pool ready; -1: failed. */
	unsigned int pools_seen;  /* Handler pools in the previous round. */
	uint64_t waiting_ns;      /* Since when a port waits for a pool. */
	uint8_t warned_no_pool;
	uint8_t reported;         /* The final line was printed. */
	uint64_t first_armed_ns;  /* When an RX callback first ran. */
	unsigned int blocks_env;  /* MBUF_EXT_TESTPMD_BLOCKS, or 0. */
} ctl = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

/** Totals over every queue. */
struct totals {
	uint64_t tagged, add_failed, checked, hidden, mismatch, missing, early;
	unsigned int rx_queues, tx_queues, ports;
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Checksum of a tag under the process key. */
static inline uint32_t
tag_sum(const struct rx_tag *t)
{
	uint64_t h = tag_key;

	h = (h ^ t->seq) * UINT64_C(0x9e3779b97f4a7c15);
	h = (h ^ t->mbuf) * UINT64_C(0xbf58476d1ce4e5b9);
	h = (h ^ ((uint64_t)t->port << 16 | t->queue)) *
		UINT64_C(0x94d049bb133111eb);
	return (uint32_t)(h ^ (h >> 32));
}

/* Add to a counter that only the calling lcore writes. */
static inline void
counter_add(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, *c + n, __ATOMIC_RELAXED);
}

static inline uint64_t
counter_read(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

static __rte_noinline void
corrupt_once(struct rx_tag *t)
{
	if (__atomic_exchange_n(&corrupt_done, 1, __ATOMIC_RELAXED) == 0)
		t->seq ^= 1;
}

/* RX callback: tag every packet; never drops one. */
static uint16_t
rx_tag_cb(uint16_t port, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts, uint16_t max_pkts __rte_unused, void *arg)
{
	struct rxq_state *q = arg;
	uint64_t seq = q->seq;
	uint16_t i, failed = 0;
	struct rx_tag *t;

	if (unlikely(q->armed == 0))
		__atomic_store_n(&q->armed, 1, __ATOMIC_RELAXED);
	for (i = 0; i < nb_pkts; i++) {
		t = rte_mbuf_extension_add(pkts[i], tag_id);
		if (unlikely(t == NULL)) {
			failed++;
			__atomic_store_n(&q->last_errno, rte_errno,
				__ATOMIC_RELAXED);
			continue;
		}
		t->seq = ++seq;
		t->mbuf = (uintptr_t)pkts[i];
		t->port = port;
		t->queue = queue;
		t->sum = tag_sum(t);
		if (unlikely(seq == corrupt_seq))
			corrupt_once(t);
	}
	/* Before the packets can reach another lcore (seq check on TX). */
	__atomic_store_n(&q->seq, seq, __ATOMIC_RELAXED);
	if (nb_pkts != failed)
		counter_add(&q->tagged, nb_pkts - failed);
	if (unlikely(failed != 0))
		counter_add(&q->add_failed, failed);
	return nb_pkts;
}

/* State of an RX queue for the TX check, or NULL. */
static inline const struct rxq_state *
rxq_find(uint16_t port, uint16_t queue)
{
	struct rxq_state **tab;

	if (port >= RTE_MAX_ETHPORTS || queue >= RTE_MAX_QUEUES_PER_PORT)
		return NULL;
	tab = __atomic_load_n(&ports[port].rxq, __ATOMIC_ACQUIRE);
	if (tab == NULL)
		return NULL;
	return __atomic_load_n(&tab[queue], __ATOMIC_ACQUIRE);
}

/* Whether a tag is the one its RX queue gave this mbuf. */
static inline int
tag_valid(const struct rx_tag *t, const struct rte_mbuf *m)
{
	const struct rxq_state *rq;

	if (t->sum != tag_sum(t) || t->mbuf != (uintptr_t)m ||
			t->port != m->port || t->seq == 0)
		return 0;
	rq = rxq_find(t->port, t->queue);
	return rq != NULL && t->seq <= __atomic_load_n(&rq->seq,
		__ATOMIC_RELAXED);
}

static __rte_noinline void
record_bad(struct txq_state *q, const struct rx_tag *t,
		const struct rte_mbuf *m)
{
	q->bad = *t;
	q->bad_mbuf = (uintptr_t)m;
	q->bad_port = m->port;
	__atomic_store_n(&q->bad_set, 1, __ATOMIC_RELEASE);
}

/* TX callback: check every packet before the PMD takes it. */
static uint16_t
tx_check_cb(uint16_t port __rte_unused, uint16_t queue __rte_unused,
		struct rte_mbuf **pkts, uint16_t nb_pkts, void *arg)
{
	struct txq_state *q = arg;
	uint16_t i, checked = 0, hidden = 0, bad = 0, untagged = 0;
	const struct rx_tag *t;

	for (i = 0; i < nb_pkts; i++) {
		t = rte_mbuf_extension_find(pkts[i], tag_id);
		if (t == NULL) {
			/*
			 * testpmd's mac, macswap, 5tswap and csum engines
			 * assign ol_flags, which hides the extensions; the
			 * mbuf still owns its reference (the handler
			 * releases it with the mbuf): show it again.
			 */
			if (rte_mbuf_extension_restore(pkts[i]) == 1)
				t = rte_mbuf_extension_find(pkts[i], tag_id);
			if (unlikely(t == NULL)) {
				untagged++;
				continue;
			}
			hidden++;
		}
		checked++;
		if (unlikely(!tag_valid(t, pkts[i]))) {
			bad++;
			if (q->bad_set == 0)
				record_bad(q, t, pkts[i]);
		}
	}
	if (likely(checked != 0))
		counter_add(&q->checked, checked);
	if (hidden != 0)
		counter_add(&q->hidden, hidden);
	if (unlikely(bad != 0))
		counter_add(&q->mismatch, bad);
	if (unlikely(untagged != 0)) {
		if (__atomic_load_n(&ready, __ATOMIC_RELAXED))
			counter_add(&q->missing, untagged);
		else
			counter_add(&q->early, untagged);
	}
	return nb_pkts;
}

/* Control side */

static void *
state_alloc(size_t size)
{
	void *p;

	if (posix_memalign(&p, RTE_CACHE_LINE_SIZE, size) != 0)
		return NULL;
	memset(p, 0, size);
	return p;
}

/* Pools served by the mempool handler and their mbufs. */
struct pool_count {
	unsigned int pools;
	unsigned int mbufs;
};

static void
count_handler_pool(struct rte_mempool *mp, void *arg)
{
	struct pool_count *c = arg;

	if (strcmp(rte_mempool_get_ops(mp->ops_index)->name,
			RTE_MBUF_EXTENSION_RELEASE_OPS_NAME) == 0) {
		c->pools++;
		c->mbufs += mp->size;
	}
}

/*
 * Register the type and make sure a block pool exists, once the
 * application has created its mbuf pools: ports may have queues before
 * (net_null has one of each from its probe). The first round that sees
 * pools served by the handler only notes them, in case the application is
 * still creating some; the next one sizes the block pool for all their
 * mbufs. Without such pools no add could succeed: nothing is set up, and
 * a warning says why. Lock held.
 *
 * @return
 *   1 when set up, 0 not yet, -1 failed for good.
 */
static int
setup(uint16_t port)
{
	struct rte_mbuf_extension_params p = {
		.name = MBUF_EXT_TPMD_TYPE_NAME,
		.size = sizeof(struct rx_tag),
		.align = __alignof__(struct rx_tag),
	};
	struct pool_count c = { 0, 0 };
	unsigned int n;
	int id, ret, socket;

	if (ctl.setup != 0)
		return ctl.setup;
	rte_mempool_walk(count_handler_pool, &c);
	if (c.pools == 0 || c.pools != ctl.pools_seen) {
		ctl.pools_seen = c.pools;
		if (c.pools != 0 || ctl.warned_no_pool)
			return 0;
		if (ctl.waiting_ns == 0)
			ctl.waiting_ns = now_ns();
		if (now_ns() - ctl.waiting_ns >=
				(uint64_t)MBUF_EXT_TPMD_READY_MS * 1000000) {
			TPMD_LOG(WARNING, "port %u has queues but no mbuf "
				"pool uses the %s mempool handler (EAL option "
				"--mbuf-pool-ops-name %s): nothing is tagged "
				"until one does", port,
				RTE_MBUF_EXTENSION_RELEASE_OPS_NAME,
				RTE_MBUF_EXTENSION_RELEASE_OPS_NAME);
			ctl.warned_no_pool = 1;
		}
		return 0;
	}
	ctl.setup = -1;
	id = rte_mbuf_extension_register(&p);
	if (id < 0) {
		TPMD_LOG(ERR, "cannot register type %s: %s",
			MBUF_EXT_TPMD_TYPE_NAME, rte_strerror(rte_errno));
		return -1;
	}
	if (rte_mbuf_extension_pool_lookup(0) == NULL) {
		/* A block per mbuf, plus what per-lcore caches may hold. */
		n = ctl.blocks_env != 0 ? ctl.blocks_env :
			RTE_MAX(c.mbufs + rte_lcore_count() *
				MBUF_EXT_TPMD_BLOCK_CACHE * 3 / 2,
				(unsigned int)MBUF_EXT_TPMD_MIN_BLOCKS);
		socket = rte_eth_dev_socket_id(port);
		ret = rte_mbuf_extension_pool_create(n,
			MBUF_EXT_TPMD_BLOCK_CACHE,
			socket >= 0 ? socket : SOCKET_ID_ANY);
		if (ret < 0 && ret != -EEXIST) {
			TPMD_LOG(ERR, "cannot create a pool of %u blocks: %s",
				n, rte_strerror(-ret));
			return -1;
		}
		TPMD_LOG(INFO, "type %s id %d, block pool of %u blocks "
			"for %u pool(s) of %u mbufs", MBUF_EXT_TPMD_TYPE_NAME,
			id, n, c.pools, c.mbufs);
	} else {
		TPMD_LOG(INFO, "type %s id %d, block pool of the application",
			MBUF_EXT_TPMD_TYPE_NAME, id);
	}
	tag_key = rte_rand() | 1;
	tag_id = id;
	ctl.setup = 1;
	return 1;
}

/* Queue arrays of a port, allocated on first use. Lock held. */
static int
port_arrays(struct port_state *ps)
{
	struct rxq_state **rx;
	struct txq_state **tx;

	if (ps->rxq != NULL)
		return 0;
	rx = calloc(RTE_MAX_QUEUES_PER_PORT, sizeof(*rx));
	tx = calloc(RTE_MAX_QUEUES_PER_PORT, sizeof(*tx));
	if (rx == NULL || tx == NULL) {
		free(rx);
		free(tx);
		return -ENOMEM;
	}
	ps->txq = tx;
	__atomic_store_n(&ps->rxq, rx, __ATOMIC_RELEASE);
	return 0;
}

/* Add the RX callbacks a port's configured queues miss. Lock held. */
static int
port_add_rx(uint16_t port, uint16_t nb_queues)
{
	struct port_state *ps = &ports[port];
	struct rxq_state *q;
	uint16_t i, n = 0;
	int changed = 0;

	for (i = 0; i < nb_queues; i++) {
		q = ps->rxq[i];
		if (q == NULL) {
			q = state_alloc(sizeof(*q));
			if (q == NULL)
				break;
			__atomic_store_n(&ps->rxq[i], q, __ATOMIC_RELEASE);
			if (i >= ps->rxq_max)
				__atomic_store_n(&ps->rxq_max, i + 1,
					__ATOMIC_RELEASE);
		}
		if (q->cb == NULL) {
			q->cb = rte_eth_add_rx_callback(port, i, rx_tag_cb, q);
			if (q->cb == NULL) {
				/* A hairpin queue has none: tried again. */
				if (!q->warned)
					TPMD_LOG(WARNING, "port %u rx queue %u:"
						" no callback: %s", port, i,
						rte_strerror(rte_errno));
				q->warned = 1;
				continue;
			}
			changed = 1;
		}
		n += q->cb != NULL;
	}
	changed |= n != ps->nb_rx_cb;
	ps->nb_rx_cb = n;
	return changed;
}

/* Same for TX. Lock held. */
static int
port_add_tx(uint16_t port, uint16_t nb_queues)
{
	struct port_state *ps = &ports[port];
	struct txq_state *q;
	uint16_t i, n = 0;
	int changed = 0;

	for (i = 0; i < nb_queues; i++) {
		q = ps->txq[i];
		if (q == NULL) {
			q = state_alloc(sizeof(*q));
			if (q == NULL)
				break;
			ps->txq[i] = q;
			if (i >= ps->txq_max)
				__atomic_store_n(&ps->txq_max, i + 1,
					__ATOMIC_RELEASE);
		}
		if (q->cb == NULL) {
			q->cb = rte_eth_add_tx_callback(port, i, tx_check_cb,
				q);
			if (q->cb == NULL) {
				if (!q->warned)
					TPMD_LOG(WARNING, "port %u tx queue %u:"
						" no callback: %s", port, i,
						rte_strerror(rte_errno));
				q->warned = 1;
				continue;
			}
			changed = 1;
		}
		n += q->cb != NULL;
	}
	changed |= n != ps->nb_tx_cb;
	ps->nb_tx_cb = n;
	return changed;
}

/*
 * Remove a port's callbacks: it is being destroyed (stopped, or going
 * away). A callback ethdev cannot remove any more (its queue is beyond
 * the port's queue count now) stays in ethdev's list, where it survives
 * the port: its state is kept, and a later port with this id uses it
 * without adding another. Lock held.
 */
static void
port_retire(uint16_t port)
{
	struct port_state *ps = &ports[port];
	uint16_t i;

	for (i = 0; i < ps->rxq_max; i++) {
		struct rxq_state *q = ps->rxq[i];

		if (q != NULL && q->cb != NULL &&
				rte_eth_remove_rx_callback(port, i,
					q->cb) == 0) {
			/* The port is stopped: no burst runs it any more. */
			rte_free((void *)(uintptr_t)q->cb);
			q->cb = NULL;
		}
	}
	for (i = 0; i < ps->txq_max; i++) {
		struct txq_state *q = ps->txq[i];

		if (q != NULL && q->cb != NULL &&
				rte_eth_remove_tx_callback(port, i,
					q->cb) == 0) {
			rte_free((void *)(uintptr_t)q->cb);
			q->cb = NULL;
		}
	}
	ps->nb_rx_cb = 0;
	ps->nb_tx_cb = 0;
	ps->watched = 0;
}

/* Log what the fast paths saw for the first time. Lock held. */
static void
port_log_news(uint16_t port)
{
	struct port_state *ps = &ports[port];
	uint64_t n;
	uint16_t i;

	for (i = 0; i < ps->rxq_max; i++) {
		struct rxq_state *q = ps->rxq[i];

		if (q == NULL)
			continue;
		n = counter_read(&q->add_failed);
		if (n != q->failed_logged && q->failed_logged == 0)
			TPMD_LOG(WARNING, "port %u rx queue %u: add failed: "
				"%s (packets left untagged)", port, i,
				rte_strerror(__atomic_load_n(&q->last_errno,
					__ATOMIC_RELAXED)));
		q->failed_logged = n;
	}
	for (i = 0; i < ps->txq_max; i++) {
		struct txq_state *q = ps->txq[i];

		if (q == NULL || q->bad_logged ||
				!__atomic_load_n(&q->bad_set, __ATOMIC_ACQUIRE))
			continue;
		q->bad_logged = 1;
		TPMD_LOG(WARNING, "port %u tx queue %u: first mismatch: mbuf "
			"%#" PRIx64 " (port %u) shows seq %" PRIu64
			" mbuf %#" PRIx64 " rx port %u queue %u sum %#x",
			port, i, q->bad_mbuf, q->bad_port, q->bad.seq,
			q->bad.mbuf, q->bad.port, q->bad.queue, q->bad.sum);
	}
}

/*
 * Open the gate for "missing" once every RX queue with a callback ran it
 * (each port must have one), or MBUF_EXT_TPMD_READY_MS after the first
 * one did. Lock held.
 */
static void
check_ready(void)
{
	unsigned int all = 1, any = 0;
	uint16_t p, i;

	if (ready)
		return;
	for (p = 0; p < RTE_MAX_ETHPORTS; p++) {
		struct port_state *ps = &ports[p];
		unsigned int n = 0;

		if (!ps->watched)
			continue;
		for (i = 0; i < ps->rxq_max; i++) {
			struct rxq_state *q = ps->rxq[i];

			if (q == NULL || q->cb == NULL)
				continue;
			n++;
			if (__atomic_load_n(&q->armed, __ATOMIC_RELAXED))
				any = 1;
			else
				all = 0;
		}
		if (n == 0)
			all = 0;
	}
	if (!any)
		return;
	if (ctl.first_armed_ns == 0)
		ctl.first_armed_ns = now_ns();
	if (all || now_ns() - ctl.first_armed_ns >=
			(uint64_t)MBUF_EXT_TPMD_READY_MS * 1000000) {
		__atomic_store_n(&ready, 1, __ATOMIC_RELAXED);
		TPMD_LOG(INFO, "every rx queue %s: untagged packets on tx now "
			"count as missing", all ? "has run its callback" :
			"had time to run its callback");
	}
}

/* One round of the thread. Lock held. */
static void
poll_ports(void)
{
	uint16_t nb_rx[RTE_MAX_ETHPORTS], nb_tx[RTE_MAX_ETHPORTS];
	int changed[RTE_MAX_ETHPORTS] = { 0 };
	struct rte_eth_dev_info info;
	uint16_t p;

	memset(nb_rx, 0, sizeof(nb_rx));
	memset(nb_tx, 0, sizeof(nb_tx));
	RTE_ETH_FOREACH_DEV(p) {
		struct port_state *ps = &ports[p];

		/* Being released after its DESTROY event. */
		if (ps->dying || port_arrays(ps) < 0)
			continue;
		if (!ps->watched) {
			ps->watched = 1;
			TPMD_LOG(DEBUG, "port %u found", p);
		}
		if (rte_eth_dev_info_get(p, &info) != 0 ||
				(info.nb_rx_queues == 0 &&
				 info.nb_tx_queues == 0))
			continue;
		if (setup(p) != 1)
			return;
		nb_rx[p] = info.nb_rx_queues;
		nb_tx[p] = info.nb_tx_queues;
	}
	/* Every port's RX first, so that TX sees tags from the start. */
	for (p = 0; p < RTE_MAX_ETHPORTS; p++)
		if (nb_rx[p] != 0)
			changed[p] = port_add_rx(p, nb_rx[p]);
	for (p = 0; p < RTE_MAX_ETHPORTS; p++)
		if (nb_tx[p] != 0)
			changed[p] |= port_add_tx(p, nb_tx[p]);
	for (p = 0; p < RTE_MAX_ETHPORTS; p++) {
		if (changed[p])
			TPMD_LOG(INFO, "port %u: callbacks on %u rx and %u tx "
				"queues", p, ports[p].nb_rx_cb,
				ports[p].nb_tx_cb);
		if (ports[p].watched)
			port_log_news(p);
	}
	check_ready();
}

static void
totals_get(struct totals *t)
{
	uint16_t p, i, n;

	memset(t, 0, sizeof(*t));
	for (p = 0; p < RTE_MAX_ETHPORTS; p++) {
		struct port_state *ps = &ports[p];
		struct rxq_state **rx;

		rx = __atomic_load_n(&ps->rxq, __ATOMIC_ACQUIRE);
		if (rx == NULL)
			continue;
		t->ports += ps->watched;
		t->rx_queues += ps->nb_rx_cb;
		t->tx_queues += ps->nb_tx_cb;
		n = __atomic_load_n(&ps->rxq_max, __ATOMIC_ACQUIRE);
		for (i = 0; i < n; i++) {
			const struct rxq_state *q = __atomic_load_n(&rx[i],
				__ATOMIC_ACQUIRE);

			if (q == NULL)
				continue;
			t->tagged += counter_read(&q->tagged);
			t->add_failed += counter_read(&q->add_failed);
		}
		n = __atomic_load_n(&ps->txq_max, __ATOMIC_ACQUIRE);
		for (i = 0; i < n; i++) {
			const struct txq_state *q = __atomic_load_n(
				&ps->txq[i], __ATOMIC_ACQUIRE);

			if (q == NULL)
				continue;
			t->checked += counter_read(&q->checked);
			t->hidden += counter_read(&q->hidden);
			t->mismatch += counter_read(&q->mismatch);
			t->missing += counter_read(&q->missing);
			t->early += counter_read(&q->early);
		}
	}
}

/* The final line. Lock held. */
static void
report(void)
{
	struct totals t;

	totals_get(&t);
	TPMD_LOG(NOTICE, "rx tagged %" PRIu64 ", tx checked %" PRIu64
		", hidden %" PRIu64 ", mismatches %" PRIu64 ", missing %"
		PRIu64 ", early %" PRIu64 ", add failures %" PRIu64
		", blocks in use %u", t.tagged, t.checked, t.hidden,
		t.mismatch, t.missing, t.early, t.add_failed,
		rte_mbuf_extension_pool_in_use());
	ctl.reported = 1;
}

/* Wait for the next round, or to be told to stop. Lock held. */
static void
poll_wait(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += MBUF_EXT_TPMD_POLL_MS * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&ctl.cond, &ctl.lock, &ts);
}

static int event_cb(uint16_t port, enum rte_eth_event_type event,
		void *cb_arg, void *ret_param);

static void *
poll_thread(void *arg)
{
	uint32_t gen = (uint32_t)(uintptr_t)arg;
	int ret;

	pthread_mutex_lock(&ctl.lock);
	while (ctl.gen == gen) {
		if (!ctl.events) {
			/*
			 * Registering allocates from the EAL heap, which
			 * exists once a port does. Not under the lock: a
			 * DESTROY callback may be waiting for it.
			 */
			if (rte_eth_dev_count_avail() > 0) {
				pthread_mutex_unlock(&ctl.lock);
				ret = rte_eth_dev_callback_register(RTE_ETH_ALL,
					RTE_ETH_EVENT_DESTROY, event_cb, NULL);
				if (ret == 0)
					ret = rte_eth_dev_callback_register(
						RTE_ETH_ALL, RTE_ETH_EVENT_NEW,
						event_cb, NULL);
				pthread_mutex_lock(&ctl.lock);
				if (ret == 0)
					ctl.events = 1;
				else
					TPMD_LOG(DEBUG, "event callbacks: %s",
						rte_strerror(-ret));
			}
		}
		if (ctl.events && ctl.gen == gen)
			poll_ports();
		poll_wait();
	}
	pthread_mutex_unlock(&ctl.lock);
	return NULL;
}

/* Start the thread, with every signal blocked in it. Lock held. */
static int
thread_start(void)
{
	sigset_t all, old;
	int ret;

	if (ctl.running)
		return 0;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ctl.gen++;
	ret = pthread_create(&ctl.thread, NULL, poll_thread,
		(void *)(uintptr_t)ctl.gen);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret != 0) {
		TPMD_LOG(ERR, "cannot start its thread: %s", strerror(ret));
		return -ret;
	}
#ifdef __linux__
	pthread_setname_np(ctl.thread, "mbuf-ext-tpmd");
#endif
	ctl.running = 1;
	return 0;
}

/*
 * Tell the thread to stop. Lock held; the caller joins the returned
 * thread after unlocking (when the function returns 1).
 */
static int
thread_stop(pthread_t *t)
{
	if (!ctl.running || pthread_equal(ctl.thread, pthread_self()))
		return 0;
	ctl.gen++;
	ctl.running = 0;
	pthread_cond_signal(&ctl.cond);
	*t = ctl.thread;
	return 1;
}

/*
 * NEW: a port appeared, (re)start the thread if it stopped with the last
 * port. DESTROY: drop the port; with the last one, report and stop the
 * thread, before rte_eal_cleanup() frees the memory it reads.
 */
static int
event_cb(uint16_t port, enum rte_eth_event_type event,
		void *cb_arg __rte_unused, void *ret_param __rte_unused)
{
	pthread_t t;
	uint16_t p;
	int others = 0, join = 0;

	pthread_mutex_lock(&ctl.lock);
	if (event == RTE_ETH_EVENT_NEW) {
		if (port < RTE_MAX_ETHPORTS)
			ports[port].dying = 0;
		thread_start();
		pthread_mutex_unlock(&ctl.lock);
		return 0;
	}
	if (event != RTE_ETH_EVENT_DESTROY || port >= RTE_MAX_ETHPORTS) {
		pthread_mutex_unlock(&ctl.lock);
		return 0;
	}
	if (ports[port].watched) {
		port_log_news(port);
		port_retire(port);
	}
	ports[port].dying = 1;
	RTE_ETH_FOREACH_DEV(p)
		others += p != port;
	if (others == 0) {
		report();
		join = thread_stop(&t);
	}
	pthread_mutex_unlock(&ctl.lock);
	if (join)
		pthread_join(t, NULL);
	return 0;
}

static int
tel_stats(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	struct totals t;

	pthread_mutex_lock(&ctl.lock);
	totals_get(&t);
	pthread_mutex_unlock(&ctl.lock);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_uint(d, "rx_tagged", t.tagged);
	rte_tel_data_add_dict_uint(d, "rx_add_failed", t.add_failed);
	rte_tel_data_add_dict_uint(d, "tx_checked", t.checked);
	rte_tel_data_add_dict_uint(d, "tx_hidden", t.hidden);
	rte_tel_data_add_dict_uint(d, "tx_mismatch", t.mismatch);
	rte_tel_data_add_dict_uint(d, "tx_missing", t.missing);
	rte_tel_data_add_dict_uint(d, "tx_early", t.early);
	rte_tel_data_add_dict_uint(d, "blocks_in_use",
		rte_mbuf_extension_pool_in_use());
	rte_tel_data_add_dict_uint(d, "ports", t.ports);
	rte_tel_data_add_dict_uint(d, "rx_queues", t.rx_queues);
	rte_tel_data_add_dict_uint(d, "tx_queues", t.tx_queues);
	rte_tel_data_add_dict_uint(d, "ready",
		__atomic_load_n(&ready, __ATOMIC_RELAXED));
	return 0;
}

static uint64_t
env_u64(const char *name)
{
	const char *s = getenv(name);
	char *end;
	unsigned long long v;

	if (s == NULL || *s == '\0')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0') {
		TPMD_LOG(ERR, "%s=%s ignored: not a number", name, s);
		return 0;
	}
	return v;
}

/* At load, inside rte_eal_init(): the telemetry command and the thread. */
RTE_INIT(mbuf_ext_tpmd_init)
{
	pthread_condattr_t attr;

	corrupt_seq = env_u64(MBUF_EXT_TPMD_ENV_CORRUPT);
	ctl.blocks_env = (unsigned int)RTE_MIN(
		env_u64(MBUF_EXT_TPMD_ENV_BLOCKS),
		(uint64_t)RTE_MBUF_EXTENSION_POOL_MAX_BLOCKS);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&ctl.cond, &attr);
	pthread_condattr_destroy(&attr);
	rte_telemetry_register_cmd("/mbuf_ext_testpmd/stats", tel_stats,
		"Packets tagged on RX and checked on TX by the mbuf_ext "
		"testpmd plugin, and blocks in use. Takes no parameters");
	pthread_mutex_lock(&ctl.lock);
	thread_start();
	pthread_mutex_unlock(&ctl.lock);
}

/*
 * At exit: stop the thread if no DESTROY did (the application neither
 * closed its ports nor called rte_eal_cleanup()), and print the counters
 * if no DESTROY did. The blocks in use cannot be read here: the EAL may be
 * gone.
 */
RTE_FINI(mbuf_ext_tpmd_fini)
{
	struct totals t;
	pthread_t th;
	int join;

	pthread_mutex_lock(&ctl.lock);
	join = thread_stop(&th);
	pthread_mutex_unlock(&ctl.lock);
	if (join)
		pthread_join(th, NULL);
	if (ctl.reported || ctl.setup != 1)
		return;
	totals_get(&t);
	fprintf(stderr, "mbuf_ext_testpmd: rx tagged %" PRIu64
		", tx checked %" PRIu64 ", hidden %" PRIu64 ", mismatches %"
		PRIu64 ", missing %" PRIu64 ", early %" PRIu64
		", add failures %" PRIu64 ", blocks in use unknown (ports "
		"never closed)\n", t.tagged, t.checked, t.hidden,
		t.mismatch, t.missing, t.early, t.add_failed);
}
