/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * mbuf_ext mempool handler: every mbuf that returns to the pool drops the
 * extension reference it owns (rte_mbuf_extension_release()).
 *
 * The mempool's per-lcore cache would hide most puts from the handler, so
 * the handler's alloc callback turns it off (mp->cache_size = 0, after
 * moving the pool's private data to where rte_mempool_get_priv() then looks
 * for it) and the handler keeps its own per-lcore cache of the same size,
 * with the algorithm of the DPDK 22.11 mempool cache, in front of an
 * rte_ring. Every put therefore reaches enqueue() below, and the release
 * is exact: no block stays parked in a cached free mbuf.
 *
 * The inexact design (a) of the guide, measured by bench_testpmd.sh, is
 * app/testpmd/mempool_lazy.c.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_telemetry.h>

#include <rte_mbuf_extension.h>

#include "rte_mempool_mbuf_ext.h"
#include "mbuf_ext_compat.h"

RTE_LOG_REGISTER_DEFAULT(mbuf_ext_logtype, NOTICE);

#define MBUF_EXT_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, mbuf_ext_logtype, \
		"MEMPOOL_MBUF_EXT: " fmt "\n", ##__VA_ARGS__)

#define MBUF_EXT_OPS_NAME RTE_MEMPOOL_MBUF_EXT_OPS_NAME

/* Flush threshold of a cache, as the mempool library computes it. */
#define MBUF_EXT_FLUSHTHRESH(size) ((size) * 3 / 2)

/*
 * Per-lcore object cache of the handler, laid out as the DPDK mempool
 * cache: room for a refill of cache_size objects plus the largest cached
 * get (RTE_MEMPOOL_CACHE_MAX_SIZE). Every pool has RTE_MAX_LCORE of them
 * (about 1 MB, as the mempool's own caches); without a cache their
 * flushthresh is 0, which sends every put to the ring.
 */
struct mbuf_ext_cache {
	uint32_t len;          /* Objects in objs[]. */
	uint32_t flushthresh;  /* Length above which the cache is flushed. */
	uint64_t released;     /* References dropped by this lcore. */
	/* 8 KB in all: a power of 2 makes the lcore's cache a shift away. */
	void *objs[RTE_MEMPOOL_CACHE_MAX_SIZE * 2 - 2];
} __rte_cache_aligned;

/* Largest get served through the cache: a refill must fit in objs[]. */
#define MBUF_EXT_CACHED_GET_MAX (RTE_MEMPOOL_CACHE_MAX_SIZE - 2)

/* Handler data of one pool (mp->pool_data). */
struct mbuf_ext_pool {
	struct rte_ring *ring;      /* All objects not in a cache. */
	uint32_t cache_size;        /* Refill target; 0: no cache. */
	uint64_t released_other;    /* Released by non-EAL threads. */
	struct mbuf_ext_cache cache[RTE_MAX_LCORE];
};

/* Count @p released references dropped by @p lcore. */
static __rte_noinline void
count_released(struct mbuf_ext_pool *p, unsigned int lcore,
		unsigned int released)
{
	if (lcore < RTE_MAX_LCORE)
		__atomic_store_n(&p->cache[lcore].released,
			p->cache[lcore].released + released,
			__ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&p->released_other, released,
			__ATOMIC_RELAXED);
}

/*
 * Slow path of enqueue(): a put that does not fit in the cache. As the
 * DPDK 22.11 mempool cache: a put larger than the threshold goes to the
 * ring, otherwise the cache is flushed and keeps the new objects.
 */
static __rte_noinline int
enqueue_slow(struct mbuf_ext_pool *p, unsigned int lcore,
		void * const *obj_table, unsigned int n)
{
	struct mbuf_ext_cache *c;

	if (lcore >= RTE_MAX_LCORE || n > p->cache[lcore].flushthresh) {
		/* The ring holds every object of the pool: cannot fail. */
		if (unlikely(rte_ring_enqueue_bulk(p->ring, obj_table, n,
				NULL) == 0))
			return -ENOBUFS;
		return 0;
	}
	c = &p->cache[lcore];
	rte_ring_enqueue_bulk(p->ring, c->objs, c->len, NULL);
	memcpy(c->objs, obj_table, sizeof(void *) * n);
	c->len = n;
	return 0;
}

/* Put objects in the calling lcore's cache. */
static __rte_always_inline int
enqueue_common(struct mbuf_ext_pool *p, unsigned int lcore,
		void * const *obj_table, unsigned int n)
{
	struct mbuf_ext_cache *c;
	unsigned int i, len;
	void **dst;

	if (unlikely(lcore >= RTE_MAX_LCORE))
		return enqueue_slow(p, lcore, obj_table, n);
	c = &p->cache[lcore];
	len = c->len;
	if (unlikely(len + n > c->flushthresh))
		return enqueue_slow(p, lcore, obj_table, n);
	dst = &c->objs[len];
	if (likely(n == 1)) {
		/* A TX PMD frees one mbuf at a time. */
		dst[0] = obj_table[0];
	} else {
		for (i = 0; i < n; i++)
			dst[i] = obj_table[i];
	}
	c->len = len + n;
	return 0;
}

/* enqueue() once references may exist: release, then put. */
static __rte_noinline int
enqueue_release(struct rte_mempool *mp, void * const *obj_table,
		unsigned int n)
{
	struct mbuf_ext_pool *p = mp->pool_data;
	unsigned int lcore = rte_lcore_id();
	unsigned int released;

	released = rte_mbuf_extension_release_bulk(obj_table, n);
	if (unlikely(released != 0))
		count_released(p, lcore, released);
	return enqueue_common(p, lcore, obj_table, n);
}

/*
 * 1 in a secondary process, 0 in the primary, -1 until the first put while
 * the library is not set up in this process.
 */
static int mbuf_ext_secondary = -1;

/*
 * enqueue() while the library is not set up in this process. A secondary
 * that never called the library does not know the reference field, yet
 * may free mbufs that hold references (code unaware of extensions): it
 * attaches to the primary's registry first, then releases.
 */
static __rte_noinline int
enqueue_detached(struct rte_mempool *mp, void * const *obj_table,
		unsigned int n)
{
	if (mbuf_ext_secondary < 0)
		mbuf_ext_secondary =
			rte_eal_process_type() == RTE_PROC_SECONDARY;
	if (mbuf_ext_secondary && __rte_mbuf_extension_secondary_attach())
		return enqueue_release(mp, obj_table, n);
	return enqueue_common(mp->pool_data, rte_lcore_id(), obj_table, n);
}

/*
 * Every put of the pool comes here (the mempool cache is off; a PMD often
 * frees one mbuf at a time). It makes tail calls only, so that it needs
 * no stack frame.
 */
static int
mbuf_ext_enqueue(struct rte_mempool *mp, void * const *obj_table,
		unsigned int n)
{
	if (rte_mbuf_extension_enabled())
		return enqueue_release(mp, obj_table, n);
	if (unlikely(mbuf_ext_secondary != 0))
		return enqueue_detached(mp, obj_table, n);
	return enqueue_common(mp->pool_data, rte_lcore_id(), obj_table, n);
}

/*
 * Slow path of dequeue(): fill the cache from the ring (to cache_size
 * after serving @p n), or serve the request from the ring directly when
 * there is no cache or it is too large. All or nothing, as a mempool get.
 */
static __rte_noinline int
dequeue_slow(struct mbuf_ext_pool *p, unsigned int lcore,
		void **obj_table, unsigned int n)
{
	struct mbuf_ext_cache *c;
	unsigned int i, len, want;

	if (lcore >= RTE_MAX_LCORE || p->cache_size == 0 ||
			n > MBUF_EXT_CACHED_GET_MAX) {
		if (unlikely(rte_ring_dequeue_bulk(p->ring, obj_table, n,
				NULL) == 0))
			return -ENOBUFS;
		return 0;
	}
	c = &p->cache[lcore];
	len = c->len;
	want = p->cache_size + n - len;
	if (rte_ring_dequeue_bulk(p->ring, &c->objs[len], want, NULL) != 0)
		len += want;
	else if (rte_ring_dequeue_bulk(p->ring, &c->objs[len], n - len,
			NULL) != 0)
		len = n;
	else
		return -ENOBUFS; /* The cache is left as it was. */
	for (i = 0; i < n; i++)
		obj_table[i] = c->objs[len - 1 - i];
	c->len = len - n;
	return 0;
}

static int
mbuf_ext_dequeue(struct rte_mempool *mp, void **obj_table, unsigned int n)
{
	struct mbuf_ext_pool *p = mp->pool_data;
	unsigned int lcore = rte_lcore_id();
	struct mbuf_ext_cache *c;
	unsigned int i, len;
	void **src;

	if (unlikely(lcore >= RTE_MAX_LCORE))
		return dequeue_slow(p, lcore, obj_table, n);
	c = &p->cache[lcore];
	len = c->len;
	if (unlikely(len < n))
		return dequeue_slow(p, lcore, obj_table, n);
	/* Hottest objects first, as the mempool cache does. */
	src = &c->objs[len - 1];
	for (i = 0; i < n; i++)
		obj_table[i] = *(src - i);
	c->len = len - n;
	return 0;
}

static unsigned int
mbuf_ext_get_count(const struct rte_mempool *mp)
{
	const struct mbuf_ext_pool *p = mp->pool_data;
	unsigned int lcore, count;

	count = rte_ring_count(p->ring);
	for (lcore = 0; lcore < RTE_MAX_LCORE; lcore++)
		count += __atomic_load_n(&p->cache[lcore].len,
			__ATOMIC_RELAXED);
	/* Caches are read without a lock: clamp, as the mempool does. */
	return RTE_MIN(count, mp->size);
}

/*
 * Turn the mempool cache off so that every put reaches the handler. This
 * is the handler's one dependency on mempool internals (the same in DPDK
 * 22.11 and 24.11; test/mempool's test_pool_basics checks it on both):
 * rte_mempool_get_priv() finds the private data (struct
 * rte_pktmbuf_pool_private) right after the per-lcore caches while
 * mp->cache_size is not 0 and right after the header when it is 0, so the
 * data moves first. The memzone was sized for the caches: both places are
 * inside it. Called from alloc, before the pool is populated or used.
 */
static void
mempool_cache_off(struct rte_mempool *mp)
{
	memmove(RTE_PTR_ADD(mp, RTE_MEMPOOL_HEADER_SIZE(mp, 0)),
		RTE_PTR_ADD(mp, RTE_MEMPOOL_HEADER_SIZE(mp, mp->cache_size)),
		mp->private_data_size);
	mp->cache_size = 0;
}

static int
mbuf_ext_alloc(struct rte_mempool *mp)
{
	char name[RTE_RING_NAMESIZE];
	struct mbuf_ext_pool *p;
	unsigned int ring_flags = 0, lcore;
	uint32_t cache_size;
	int ret;

	RTE_BUILD_BUG_ON(!RTE_IS_POWER_OF_2(sizeof(struct mbuf_ext_cache)));
	if (mp->elt_size < sizeof(struct rte_mbuf)) {
		MBUF_EXT_LOG(ERR, "pool %s: objects of %u bytes are not mbufs",
			mp->name, mp->elt_size);
		rte_errno = EINVAL;
		return -EINVAL;
	}
	cache_size = mp->cache_size;
	p = rte_zmalloc_socket("mbuf_ext_pool", sizeof(*p),
		RTE_CACHE_LINE_SIZE, mp->socket_id);
	if (p == NULL) {
		rte_errno = ENOMEM;
		return -ENOMEM;
	}
	ret = snprintf(name, sizeof(name), RTE_MEMPOOL_MZ_FORMAT, mp->name);
	if (ret < 0 || ret >= (int)sizeof(name)) {
		rte_free(p);
		rte_errno = ENAMETOOLONG;
		return -ENAMETOOLONG;
	}
	if (mp->flags & RTE_MEMPOOL_F_SP_PUT)
		ring_flags |= RING_F_SP_ENQ;
	if (mp->flags & RTE_MEMPOOL_F_SC_GET)
		ring_flags |= RING_F_SC_DEQ;
	p->ring = rte_ring_create(name, rte_align32pow2(mp->size + 1),
		mp->socket_id, ring_flags);
	if (p->ring == NULL) {
		ret = -rte_errno;
		rte_free(p);
		return ret;
	}
	p->cache_size = cache_size;
	for (lcore = 0; lcore < RTE_MAX_LCORE; lcore++)
		p->cache[lcore].flushthresh = MBUF_EXT_FLUSHTHRESH(cache_size);
	if (cache_size != 0)
		mempool_cache_off(mp);
	mp->pool_data = p;
	MBUF_EXT_LOG(DEBUG, "pool %s: %u objects, handler cache %u",
		mp->name, mp->size, cache_size);
	return 0;
}

static void
mbuf_ext_free(struct rte_mempool *mp)
{
	struct mbuf_ext_pool *p = mp->pool_data;

	if (p == NULL)
		return;
	rte_ring_free(p->ring);
	rte_free(p);
	mp->pool_data = NULL;
}

static struct rte_mempool_ops mbuf_ext_ops = {
	.name = MBUF_EXT_OPS_NAME,
	.alloc = mbuf_ext_alloc,
	.free = mbuf_ext_free,
	.enqueue = mbuf_ext_enqueue,
	.dequeue = mbuf_ext_dequeue,
	.get_count = mbuf_ext_get_count,
	/* Mbuf headers zeroed before they are enqueued. */
	.populate = rte_mbuf_extension_mempool_populate,
};

RTE_MEMPOOL_REGISTER_OPS(mbuf_ext_ops);

static int
is_mbuf_ext_pool(const struct rte_mempool *mp)
{
	return mp != NULL && mp->pool_data != NULL &&
		rte_mempool_get_ops(mp->ops_index)->enqueue ==
		mbuf_ext_enqueue;
}

int
rte_mempool_mbuf_ext_stats_get(const struct rte_mempool *mp,
		struct rte_mempool_mbuf_ext_stats *stats)
{
	const struct mbuf_ext_pool *p;
	unsigned int lcore;

	if (stats == NULL || !is_mbuf_ext_pool(mp)) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	p = mp->pool_data;
	memset(stats, 0, sizeof(*stats));
	stats->released = __atomic_load_n(&p->released_other,
		__ATOMIC_RELAXED);
	stats->ring = rte_ring_count(p->ring);
	stats->cache_size = p->cache_size;
	for (lcore = 0; lcore < RTE_MAX_LCORE; lcore++) {
		const struct mbuf_ext_cache *c = &p->cache[lcore];

		stats->released += __atomic_load_n(&c->released,
			__ATOMIC_RELAXED);
		stats->cached += __atomic_load_n(&c->len, __ATOMIC_RELAXED);
	}
	return 0;
}

struct rte_mempool *
rte_mbuf_extension_pktmbuf_pool_create(const char *name, unsigned int n,
		unsigned int cache_size, uint16_t priv_size,
		uint16_t data_room_size, int socket_id)
{
	return rte_pktmbuf_pool_create_by_ops(name, n, cache_size, priv_size,
		data_room_size, socket_id, MBUF_EXT_OPS_NAME);
}

/* Telemetry */

static void
tel_list_cb(struct rte_mempool *mp, void *arg)
{
	if (is_mbuf_ext_pool(mp))
		rte_tel_data_add_array_string(arg, mp->name);
}

static int
tel_list(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	rte_mempool_walk(tel_list_cb, d);
	return 0;
}

static int
tel_info(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	struct rte_mempool_mbuf_ext_stats st;
	struct rte_mempool *mp;

	if (params == NULL || params[0] == '\0')
		return -EINVAL;
	mp = rte_mempool_lookup(params);
	if (mp == NULL || rte_mempool_mbuf_ext_stats_get(mp, &st) < 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "name", mp->name);
	rte_tel_data_add_dict_uint(d, "size", mp->size);
	rte_tel_data_add_dict_uint(d, "cache_size", st.cache_size);
	rte_tel_data_add_dict_uint(d, "avail", rte_mempool_avail_count(mp));
	rte_tel_data_add_dict_uint(d, "in_use", rte_mempool_in_use_count(mp));
	rte_tel_data_add_dict_uint(d, "cached", st.cached);
	rte_tel_data_add_dict_uint(d, "ring", st.ring);
	rte_tel_data_add_dict_uint(d, "released", st.released);
	return 0;
}

RTE_INIT(mbuf_ext_telemetry)
{
	rte_telemetry_register_cmd("/mempool_mbuf_ext/list", tel_list,
		"Names of the pools served by the mbuf_ext handler. Takes no parameters");
	rte_telemetry_register_cmd("/mempool_mbuf_ext/info", tel_info,
		"Handler counters of one pool. Parameters: pool name");
}
