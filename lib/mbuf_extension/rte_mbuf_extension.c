/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * rte_mempool_event_callback_register() is internal to DPDK: a destroyed
 * mempool must leave the opt-in list of
 * rte_mbuf_extension_pktmbuf_pool_opt_in().
 */
#define ALLOW_INTERNAL_API

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_mempool.h>
#include <rte_memzone.h>
#include <rte_spinlock.h>
#include <rte_string_fns.h>
#include <rte_telemetry.h>

#include "rte_mbuf_extension.h"
#include "mbuf_extension_compat.h"
#include "mbuf_extension_private.h"

RTE_LOG_REGISTER_DEFAULT(mbuf_extension_logtype, INFO);

#define MBEXT_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, mbuf_extension_logtype, \
		"MBUF_EXTENSION: " fmt "\n", ##__VA_ARGS__)

#define MBEXT_MZ_NAME "rte_mbuf_extension"
#define MBEXT_POOL_PREFIX "MBUF_EXT_"
#define MBEXT_MAX_CHUNKS UINT8_MAX

struct rte_mbuf_extension_fp_data rte_mbuf_extension_fp = {
	.release_ops = -1,
};

/* A registered type, in shared memory. */
struct mbext_type {
	char name[RTE_MBUF_EXTENSION_NAMESIZE];
	uint32_t size;
	uint32_t align;
};

/* A block pool, in shared memory. */
struct mbext_pool {
	char name[RTE_MEMPOOL_NAMESIZE];
	int socket_id;
	struct rte_mempool *mp;
};

/* Slow-path counters of one lcore (the last slot: other threads). */
struct mbext_lcore_stats {
	uint64_t v[MBEXT_STAT_MAX];
} __rte_cache_aligned;

/* The registry, in a memzone shared by all processes. */
struct mbext_shared {
	rte_spinlock_t lock;
	/* Of opt_in[] only: taken by the mempool destroy callback, which
	 * rte_mempool_free() under the registry lock calls.
	 */
	rte_spinlock_t opt_lock;
	uint32_t nb_types;
	struct mbext_type types[RTE_MBUF_EXTENSION_MAX];
	/* Chunks all registered types need at worst in one block. */
	uint32_t need_chunks;
	/* Chunks a block has; 0 until the first pool exists. */
	uint32_t room_chunks;
	uint32_t block_size;
	uint32_t nb_pools;
	struct mbext_pool pools[RTE_MBUF_EXTENSION_MAX_POOLS];
	/* Mbuf pools opted in without the releasing handler. */
	uint32_t nb_opt_in;
	struct rte_mempool *opt_in[RTE_MBUF_EXTENSION_MAX_OPT_IN];
	struct mbext_lcore_stats stats[RTE_MAX_LCORE + 1];
};

static struct mbext_shared *shm;
static int mempool_cb_registered;

void
mbext_stat_inc(enum mbext_stat which)
{
	unsigned int lc = rte_lcore_id();
	uint64_t *v;

	if (shm == NULL)
		return;
	if (likely(lc < RTE_MAX_LCORE)) {
		v = &shm->stats[lc].v[which];
		__atomic_store_n(v, *v + 1, __ATOMIC_RELAXED);
	} else {
		__atomic_fetch_add(&shm->stats[RTE_MAX_LCORE].v[which], 1,
			__ATOMIC_RELAXED);
	}
}

static uint32_t
type_size_chunks(uint32_t size)
{
	return RTE_ALIGN_CEIL(size, RTE_MBUF_EXTENSION_CHUNK) /
		RTE_MBUF_EXTENSION_CHUNK;
}

static uint32_t
type_align_chunks(uint32_t align)
{
	return align <= RTE_MBUF_EXTENSION_CHUNK ? 1 :
		align / RTE_MBUF_EXTENSION_CHUNK;
}

/* Worst case room of a type: its chunks and the padding of its alignment. */
static uint32_t
type_need_chunks(const struct mbext_type *t)
{
	return type_size_chunks(t->size) + type_align_chunks(t->align) - 1;
}

static int
eal_ready(void)
{
	/* rte_lcore_count() is 0 until rte_eal_init() has run. */
	if (rte_lcore_count() == 0) {
		rte_errno = E_RTE_NO_CONFIG;
		return 0;
	}
	return 1;
}

/* Copy what the inline functions use into this process. Lock held. */
static void
fp_sync(void)
{
	struct rte_mbuf_extension_fp_data *fp = &rte_mbuf_extension_fp;
	struct rte_mempool *pool[RTE_MBUF_EXTENSION_MAX_POOLS];
	struct rte_mempool *socket_pool[RTE_MAX_NUMA_NODES];
	struct rte_mempool *first = NULL;
	uint32_t i, registered = 0;
	uint64_t first_offsets;

	for (i = 0; i < shm->nb_types; i++) {
		fp->size_chunks[i] = type_size_chunks(shm->types[i].size);
		fp->align_chunks[i] = type_align_chunks(shm->types[i].align);
		fp->first_off[i] = RTE_ALIGN_CEIL(RTE_MBUF_EXTENSION_HDR_CHUNKS,
			fp->align_chunks[i]);
		fp->first_chunks[i] = fp->first_off[i] + fp->size_chunks[i];
		/* Stored once: a type in use never sees it 0. */
		first_offsets = 0;
		((uint8_t *)&first_offsets)[i] = fp->first_off[i];
		fp->first_offsets[i] = first_offsets;
		registered |= 1u << i;
	}
	/* A type once registered never leaves the mask, even for a moment. */
	__atomic_store_n(&fp->registered, registered, __ATOMIC_RELEASE);
	/*
	 * Releases may run while a type is registered (the pools do not
	 * change then): build the tables aside and store each entry once,
	 * never passing through NULL.
	 */
	memset(pool, 0, sizeof(pool));
	memset(socket_pool, 0, sizeof(socket_pool));
	for (i = 0; i < shm->nb_pools; i++) {
		struct mbext_pool *p = &shm->pools[i];

		pool[i] = p->mp;
		if (p->mp == NULL)
			continue;
		if (first == NULL)
			first = p->mp;
		if (p->socket_id >= 0 && p->socket_id < RTE_MAX_NUMA_NODES)
			socket_pool[p->socket_id] = p->mp;
	}
	for (i = 0; i < RTE_MAX_NUMA_NODES; i++)
		if (socket_pool[i] == NULL)
			socket_pool[i] = first;
	for (i = 0; i < RTE_MBUF_EXTENSION_MAX_POOLS; i++)
		__atomic_store_n(&fp->pool[i], pool[i], __ATOMIC_RELAXED);
	for (i = 0; i < RTE_MAX_NUMA_NODES; i++)
		__atomic_store_n(&fp->socket_pool[i], socket_pool[i],
			__ATOMIC_RELAXED);
	fp->alloc_pool = shm->nb_pools == 1 ? fp->pool[0] : NULL;
}

/*
 * A pool being destroyed leaves the opt-in list: a pool created later at
 * the same address must opt in again.
 */
static void
mempool_event(enum rte_mempool_event event, struct rte_mempool *mp,
		void *arg __rte_unused)
{
	uint32_t i, n;

	if (event != RTE_MEMPOOL_EVENT_DESTROY || shm == NULL)
		return;
	rte_spinlock_lock(&shm->opt_lock);
	/* Emptied in place: a lock-free reader never misses another pool. */
	n = shm->nb_opt_in;
	for (i = 0; i < n; i++)
		if (shm->opt_in[i] == mp)
			__atomic_store_n(&shm->opt_in[i], NULL,
				__ATOMIC_RELAXED);
	if (rte_mbuf_extension_fp.opt_in_hint == mp)
		__atomic_store_n(&rte_mbuf_extension_fp.opt_in_hint, NULL,
			__ATOMIC_RELAXED);
	rte_spinlock_unlock(&shm->opt_lock);
}

/*
 * Find or create the shared registry and the dynamic field and flag, and
 * fill this process's fast-path data. Returns with the registry lock held
 * on success.
 */
static int
registry_attach(void)
{
	static const struct rte_mbuf_dynfield ref_desc = {
		.name = RTE_MBUF_EXTENSION_DYNFIELD_NAME,
		.size = sizeof(struct rte_mbuf_extension_ref),
		.align = __alignof__(struct rte_mbuf_extension_ref),
	};
	static const struct rte_mbuf_dynflag flag_desc = {
		.name = RTE_MBUF_EXTENSION_DYNFLAG_NAME,
	};
	const struct rte_memzone *mz;
	int ref_off, bit;

	if (!eal_ready())
		return -1;

	/* The dynfield registry takes the tailq lock itself. */
	ref_off = rte_mbuf_dynfield_register(&ref_desc);
	if (ref_off < 0)
		return -1;
	bit = rte_mbuf_dynflag_register(&flag_desc);
	if (bit < 0)
		return -1;

	rte_mcfg_tailq_write_lock();
	if (shm == NULL) {
		mz = rte_memzone_lookup(MBEXT_MZ_NAME);
		if (mz == NULL) {
			mz = rte_memzone_reserve_aligned(MBEXT_MZ_NAME,
				sizeof(*shm), SOCKET_ID_ANY, 0,
				RTE_CACHE_LINE_SIZE);
			if (mz != NULL) {
				memset(mz->addr, 0, sizeof(*shm));
				rte_spinlock_init(&((struct mbext_shared *)
					mz->addr)->lock);
				rte_spinlock_init(&((struct mbext_shared *)
					mz->addr)->opt_lock);
			}
		}
		if (mz == NULL) {
			rte_mcfg_tailq_write_unlock();
			MBEXT_LOG(ERR, "cannot reserve memzone %s: %s",
				MBEXT_MZ_NAME, rte_strerror(rte_errno));
			return -1;
		}
		shm = mz->addr;
	}
	rte_mcfg_tailq_write_unlock();
	if (!__atomic_exchange_n(&mempool_cb_registered, 1, __ATOMIC_ACQ_REL) &&
			rte_mempool_event_callback_register(mempool_event,
				NULL) < 0) {
		__atomic_store_n(&mempool_cb_registered, 0, __ATOMIC_RELEASE);
		MBEXT_LOG(ERR, "cannot watch mempool destruction: %s",
			rte_strerror(rte_errno));
		return -1;
	}
	rte_spinlock_lock(&shm->lock);
	rte_mbuf_extension_fp.ref_offset = ref_off;
	fp_sync();
	/* Last: a non-zero flag makes the field usable. */
	__atomic_store_n(&rte_mbuf_extension_fp.valid_flag,
		UINT64_C(1) << bit, __ATOMIC_RELEASE);
	return 0;
}

int
__rte_mbuf_extension_secondary_attach(void)
{
	if (rte_mbuf_extension_enabled())
		return 1;
	/* A primary sets the registry up itself; nothing to find yet. */
	if (rte_eal_process_type() != RTE_PROC_SECONDARY ||
			rte_memzone_lookup(MBEXT_MZ_NAME) == NULL)
		return 0;
	if (registry_attach() < 0)
		return 0;
	rte_spinlock_unlock(&shm->lock);
	return rte_mbuf_extension_enabled();
}

/*
 * A secondary that has not called the library yet attaches to the
 * primary's registry, if there is one, before a getter answers.
 */
static void
registry_find(void)
{
	if (unlikely(shm == NULL))
		__rte_mbuf_extension_secondary_attach();
}

/* SOCKET_ID_ANY as the caller's socket; socket 0 for a thread without one. */
static int
socket_resolve(int socket_id)
{
	if (socket_id != SOCKET_ID_ANY)
		return socket_id;
	socket_id = (int)rte_socket_id();
	if (socket_id < 0 || socket_id >= RTE_MAX_NUMA_NODES)
		return 0;
	return socket_id;
}

static int
type_find(const char *name)
{
	uint32_t i;

	for (i = 0; i < shm->nb_types; i++)
		if (strcmp(shm->types[i].name, name) == 0)
			return (int)i;
	return -1;
}

int
rte_mbuf_extension_register(const struct rte_mbuf_extension_params *params)
{
	struct mbext_type *t;
	uint32_t need;
	int id;

	if (params == NULL || params->name[0] == '\0' || params->flags != 0 ||
			params->size == 0 ||
			params->size > RTE_MBUF_EXTENSION_MAX_SIZE ||
			params->align == 0 ||
			params->align > RTE_MBUF_EXTENSION_MAX_ALIGN ||
			!rte_is_power_of_2(params->align)) {
		rte_errno = EINVAL;
		return -1;
	}
	if (strnlen(params->name, sizeof(params->name)) ==
			sizeof(params->name)) {
		rte_errno = ENAMETOOLONG;
		return -1;
	}
	if (registry_attach() < 0)
		return -1;

	id = type_find(params->name);
	if (id >= 0) {
		t = &shm->types[id];
		if (t->size != params->size || t->align != params->align) {
			rte_spinlock_unlock(&shm->lock);
			MBEXT_LOG(ERR, "type %s exists with size %u align %u",
				t->name, t->size, t->align);
			rte_errno = EEXIST;
			return -1;
		}
		rte_spinlock_unlock(&shm->lock);
		return id;
	}
	if (shm->nb_types == RTE_MBUF_EXTENSION_MAX) {
		rte_spinlock_unlock(&shm->lock);
		MBEXT_LOG(ERR, "cannot register %s: all %d types taken",
			params->name, RTE_MBUF_EXTENSION_MAX);
		rte_errno = ENOSPC;
		return -1;
	}
	t = &shm->types[shm->nb_types];
	t->size = (uint32_t)params->size;
	t->align = (uint32_t)params->align;
	need = shm->need_chunks;
	if (need == 0)
		need = RTE_MBUF_EXTENSION_HDR_CHUNKS;
	need += type_need_chunks(t);
	if (need > MBEXT_MAX_CHUNKS ||
			(shm->room_chunks != 0 && need > shm->room_chunks)) {
		rte_spinlock_unlock(&shm->lock);
		MBEXT_LOG(ERR, "cannot register %s: blocks have %u chunks, %u needed%s",
			params->name, shm->room_chunks != 0 ?
			shm->room_chunks : MBEXT_MAX_CHUNKS, need,
			shm->room_chunks != 0 ?
			" (register types before creating the block pool)" :
			"");
		memset(t, 0, sizeof(*t));
		rte_errno = ENOSPC;
		return -1;
	}
	strlcpy(t->name, params->name, sizeof(t->name));
	shm->need_chunks = need;
	id = (int)shm->nb_types;
	__atomic_store_n(&shm->nb_types, shm->nb_types + 1, __ATOMIC_RELEASE);
	fp_sync();
	rte_spinlock_unlock(&shm->lock);
	MBEXT_LOG(DEBUG, "registered type %s id %d size %zu align %zu",
		params->name, id, params->size, params->align);
	return id;
}

int
rte_mbuf_extension_lookup(const char *name,
		struct rte_mbuf_extension_params *params)
{
	int id;

	if (name == NULL) {
		rte_errno = EINVAL;
		return -1;
	}
	if (registry_attach() < 0)
		return -1;
	id = type_find(name);
	if (id >= 0 && params != NULL) {
		memset(params, 0, sizeof(*params));
		strlcpy(params->name, shm->types[id].name, sizeof(params->name));
		params->size = shm->types[id].size;
		params->align = shm->types[id].align;
	}
	rte_spinlock_unlock(&shm->lock);
	if (id < 0)
		rte_errno = ENOENT;
	return id;
}

struct block_init_arg {
	uint8_t pool_no;
	int bad;
};

static void
block_init(struct rte_mempool *mp, void *opaque, void *obj, unsigned int idx)
{
	struct block_init_arg *arg = opaque;
	struct rte_mbuf_extension_block *blk = obj;

	RTE_SET_USED(mp);
	RTE_SET_USED(idx);
	/* The reference word keeps the address in bits 6 to 55. */
	if (((uintptr_t)obj & ~RTE_MBUF_EXTENSION_ADDR_MASK) != 0) {
		arg->bad = 1;
		return;
	}
	memset(blk, 0, sizeof(*blk));
	blk->pool = arg->pool_no;
}

/*
 * A pool of blocks in memory that is never given back to the heap, even
 * when the pool is freed: an mbuf may keep a bit copy of a reference for
 * as long as it lives, and a block address must never come to name
 * anything but a block. Blocks never reach a device: no IOVA contiguity.
 */
static struct rte_mempool *
block_pool_create(const char *name, unsigned int n, uint32_t block_size,
		unsigned int cache_size, int socket_id, uint8_t pool_no)
{
	struct block_init_arg arg = { .pool_no = pool_no, .bad = 0 };
	struct rte_mempool *mp;
	size_t len;
	void *mem;
	int ret;

	mp = rte_mempool_create_empty(name, n, block_size, cache_size, 0,
		socket_id, RTE_MEMPOOL_F_NO_IOVA_CONTIG);
	if (mp == NULL)
		return NULL;
	ret = rte_mempool_set_ops_byname(mp, "ring_mp_mc", NULL);
	if (ret != 0)
		goto fail;
	len = (size_t)n * (mp->header_size + mp->elt_size + mp->trailer_size) +
		RTE_CACHE_LINE_SIZE;
	mem = rte_zmalloc_socket("mbuf_extension_blocks", len,
		RTE_CACHE_LINE_SIZE, socket_id);
	if (mem == NULL) {
		ret = -ENOMEM;
		goto fail;
	}
	/* No free callback: the memory outlives the pool (see above). */
	ret = rte_mempool_populate_iova(mp, mem, RTE_BAD_IOVA, len, NULL,
		NULL);
	if (ret < 0 || mp->populated_size != n) {
		rte_free(mem);
		ret = ret < 0 ? ret : -ENOMEM;
		goto fail;
	}
	rte_mempool_obj_iter(mp, block_init, &arg);
	if (arg.bad) {
		MBEXT_LOG(ERR, "block pool %s: address above 2^56", name);
		rte_free(mem);
		ret = -EINVAL;
		goto fail;
	}
	return mp;
fail:
	rte_mempool_free(mp);
	rte_errno = -ret;
	return NULL;
}

int
rte_mbuf_extension_pool_create(unsigned int n, unsigned int cache_size,
		int socket_id)
{
	struct mbext_pool *p;
	struct rte_mempool *mp;
	uint32_t i, block_size;
	int ret;

	RTE_BUILD_BUG_ON(sizeof(struct rte_mbuf_extension_block) !=
		RTE_CACHE_LINE_MIN_SIZE);
	RTE_BUILD_BUG_ON(RTE_MBUF_EXTENSION_MAX_OWNERS - 1 >
		RTE_MBUF_EXTENSION_SLOT_MASK);
	if (n == 0 || n > RTE_MBUF_EXTENSION_POOL_MAX_BLOCKS ||
			cache_size > RTE_MEMPOOL_CACHE_MAX_SIZE ||
			(socket_id != SOCKET_ID_ANY &&
			 (socket_id < 0 || socket_id >= RTE_MAX_NUMA_NODES))) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		rte_errno = E_RTE_SECONDARY;
		return -E_RTE_SECONDARY;
	}
	socket_id = socket_resolve(socket_id);
	if (registry_attach() < 0)
		return -rte_errno;
	if (shm->nb_types == 0) {
		ret = -EINVAL;
		MBEXT_LOG(ERR, "no extension type registered");
		goto out;
	}
	for (i = 0; i < shm->nb_pools; i++) {
		if (shm->pools[i].mp != NULL &&
				shm->pools[i].socket_id == socket_id) {
			ret = -EEXIST;
			goto out;
		}
	}
	for (i = 0; i < RTE_MBUF_EXTENSION_MAX_POOLS; i++)
		if (shm->pools[i].mp == NULL)
			break;
	if (i == RTE_MBUF_EXTENSION_MAX_POOLS) {
		ret = -ENOSPC;
		goto out;
	}
	p = &shm->pools[i];

	/* Frozen by the first pool; later pools use the same size. */
	block_size = shm->block_size;
	if (block_size == 0)
		block_size = RTE_MIN(RTE_ALIGN_CEIL(shm->need_chunks *
			RTE_MBUF_EXTENSION_CHUNK, RTE_CACHE_LINE_SIZE),
			(uint32_t)MBEXT_MAX_CHUNKS * RTE_MBUF_EXTENSION_CHUNK);

	snprintf(p->name, sizeof(p->name), MBEXT_POOL_PREFIX "%d", socket_id);
	mp = block_pool_create(p->name, n, block_size, cache_size, socket_id,
		(uint8_t)i);
	if (mp == NULL) {
		ret = -rte_errno;
		MBEXT_LOG(ERR, "cannot create block pool %s: %s", p->name,
			rte_strerror(rte_errno));
		goto out;
	}
	p->socket_id = socket_id;
	p->mp = mp;
	shm->block_size = block_size;
	shm->room_chunks = block_size / RTE_MBUF_EXTENSION_CHUNK;
	if (i >= shm->nb_pools)
		shm->nb_pools = i + 1;
	fp_sync();
	rte_spinlock_unlock(&shm->lock);
	MBEXT_LOG(INFO, "block pool %s: %u blocks of %u bytes, cache %u, socket %d",
		p->name, n, block_size, cache_size, socket_id);
	return 0;
out:
	rte_spinlock_unlock(&shm->lock);
	rte_errno = -ret;
	return ret;
}

unsigned int
rte_mbuf_extension_pool_in_use(void)
{
	unsigned int i, n = 0;

	registry_find();
	for (i = 0; i < RTE_MBUF_EXTENSION_MAX_POOLS; i++)
		if (rte_mbuf_extension_fp.pool[i] != NULL)
			n += rte_mempool_in_use_count(
				rte_mbuf_extension_fp.pool[i]);
	return n;
}

struct populate_arg {
	rte_mempool_populate_obj_cb_t *obj_cb;
	void *obj_cb_arg;
};

/* Zero the mbuf header, then what the mempool library asked for. */
static void
populate_obj(struct rte_mempool *mp, void *opaque, void *obj, rte_iova_t iova)
{
	struct populate_arg *arg = opaque;

	memset(obj, 0, sizeof(struct rte_mbuf));
	arg->obj_cb(mp, arg->obj_cb_arg, obj, iova);
}

int
rte_mbuf_extension_mempool_populate(struct rte_mempool *mp,
		unsigned int max_objs, void *vaddr, rte_iova_t iova, size_t len,
		rte_mempool_populate_obj_cb_t *obj_cb, void *obj_cb_arg)
{
	struct populate_arg arg = {
		.obj_cb = obj_cb,
		.obj_cb_arg = obj_cb_arg,
	};

	if (mp == NULL || obj_cb == NULL ||
			mp->elt_size < sizeof(struct rte_mbuf))
		return -EINVAL;
	return rte_mempool_op_populate_default(mp, max_objs, vaddr, iova, len,
		populate_obj, &arg);
}

struct rte_mempool *
rte_mbuf_extension_pool_lookup(int socket_id)
{
	struct rte_mempool *mp;

	if (socket_id != SOCKET_ID_ANY &&
			(socket_id < 0 || socket_id >= RTE_MAX_NUMA_NODES)) {
		rte_errno = EINVAL;
		return NULL;
	}
	socket_id = socket_resolve(socket_id);
	registry_find();
	mp = rte_mbuf_extension_fp.socket_pool[socket_id];
	if (mp == NULL)
		rte_errno = ENOENT;
	return mp;
}

int
rte_mbuf_extension_pool_free(void)
{
	uint32_t i;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		rte_errno = E_RTE_SECONDARY;
		return -E_RTE_SECONDARY;
	}
	if (shm == NULL)
		return 0;
	rte_spinlock_lock(&shm->lock);
	if (rte_mbuf_extension_pool_in_use() != 0) {
		rte_spinlock_unlock(&shm->lock);
		rte_errno = EBUSY;
		return -EBUSY;
	}
	for (i = 0; i < shm->nb_pools; i++) {
		struct mbext_pool *p = &shm->pools[i];

		/* The blocks' memory stays: populated without a free callback. */
		rte_mempool_free(p->mp);
		memset(p, 0, sizeof(*p));
	}
	shm->nb_pools = 0;
	shm->block_size = 0;
	shm->room_chunks = 0;
	fp_sync();
	rte_spinlock_unlock(&shm->lock);
	return 0;
}

int
rte_mbuf_extension_pktmbuf_pool_opt_in(struct rte_mempool *mp)
{
	uint32_t i;

	if (mp == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	registry_find();
	if (shm == NULL) {
		rte_errno = E_RTE_NO_CONFIG;
		return -E_RTE_NO_CONFIG;
	}
	rte_spinlock_lock(&shm->opt_lock);
	for (i = 0; i < shm->nb_opt_in; i++)
		if (shm->opt_in[i] == mp)
			break;
	if (i == shm->nb_opt_in) {
		/* A slot freed by a destroyed pool, or a new one. */
		for (i = 0; i < shm->nb_opt_in; i++)
			if (shm->opt_in[i] == NULL)
				break;
		if (i == RTE_MBUF_EXTENSION_MAX_OPT_IN) {
			rte_spinlock_unlock(&shm->opt_lock);
			rte_errno = ENOSPC;
			return -ENOSPC;
		}
		__atomic_store_n(&shm->opt_in[i], mp, __ATOMIC_RELEASE);
		if (i == shm->nb_opt_in)
			__atomic_store_n(&shm->nb_opt_in, i + 1,
				__ATOMIC_RELEASE);
	}
	rte_spinlock_unlock(&shm->opt_lock);
	MBEXT_LOG(DEBUG, "mbuf pool %s opted in", mp->name);
	return 0;
}

int
mbext_pool_releases(const struct rte_mempool *mp)
{
	int32_t idx = __atomic_load_n(&rte_mbuf_extension_fp.release_ops,
		__ATOMIC_RELAXED);

	/*
	 * The handler's ops index is the same in every process; once known,
	 * another index is another handler.
	 */
	if (idx >= 0)
		return mp->ops_index == idx;
	if (strcmp(rte_mempool_get_ops(mp->ops_index)->name,
			RTE_MBUF_EXTENSION_RELEASE_OPS_NAME) != 0)
		return 0;
	__atomic_store_n(&rte_mbuf_extension_fp.release_ops, mp->ops_index,
		__ATOMIC_RELAXED);
	return 1;
}

int
__rte_mbuf_extension_pool_check(const struct rte_mbuf *m)
{
	const struct rte_mempool *mp = m->pool;
	uint32_t i, n;

	if (mp == NULL)
		goto refuse;
	if (mbext_pool_releases(mp))
		return 0;
	if (shm != NULL) {
		n = __atomic_load_n(&shm->nb_opt_in, __ATOMIC_ACQUIRE);
		for (i = 0; i < n; i++) {
			if (__atomic_load_n(&shm->opt_in[i],
					__ATOMIC_ACQUIRE) == mp) {
				rte_mbuf_extension_fp.opt_in_hint = mp;
				return 0;
			}
		}
	}
refuse:
	mbext_stat_inc(MBEXT_STAT_REFUSED);
	rte_errno = ENOTSUP;
	return -1;
}

int
rte_mbuf_extension_stats_get(struct rte_mbuf_extension_stats *stats)
{
	const struct mbext_lcore_stats *s;
	unsigned int i;

	if (stats == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	memset(stats, 0, sizeof(*stats));
	registry_find();
	if (shm == NULL) {
		rte_errno = E_RTE_NO_CONFIG;
		return -E_RTE_NO_CONFIG;
	}
	for (i = 0; i <= RTE_MAX_LCORE; i++) {
		s = &shm->stats[i];
		stats->share += __atomic_load_n(&s->v[MBEXT_STAT_SHARE],
			__ATOMIC_RELAXED);
		stats->cow += __atomic_load_n(&s->v[MBEXT_STAT_COW],
			__ATOMIC_RELAXED);
		stats->alloc_fail += __atomic_load_n(
			&s->v[MBEXT_STAT_ALLOC_FAIL], __ATOMIC_RELAXED);
		stats->refused += __atomic_load_n(&s->v[MBEXT_STAT_REFUSED],
			__ATOMIC_RELAXED);
	}
	stats->in_use = rte_mbuf_extension_pool_in_use();
	return 0;
}

void
rte_mbuf_extension_dump(FILE *f, const struct rte_mbuf *m)
{
	uint32_t i;

	if (f == NULL)
		return;
	if (m != NULL) {
		mbext_dump_mbuf(f, m);
		return;
	}
	if (shm == NULL) {
		fprintf(f, "mbuf_extension: not initialised\n");
		return;
	}
	fprintf(f, "mbuf_extension: %u types, block %u bytes, %u pools, %u opted-in mbuf pools\n",
		shm->nb_types, shm->block_size, shm->nb_pools,
		shm->nb_opt_in);
	for (i = 0; i < shm->nb_types; i++)
		fprintf(f, "  type %u: %s size %u align %u\n", i,
			shm->types[i].name, shm->types[i].size,
			shm->types[i].align);
}

/* Telemetry */

static int
tel_stats(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	struct rte_mbuf_extension_stats st;

	if (rte_mbuf_extension_stats_get(&st) < 0)
		memset(&st, 0, sizeof(st));
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_uint(d, "in_use", st.in_use);
	rte_tel_data_add_dict_uint(d, "share", st.share);
	rte_tel_data_add_dict_uint(d, "cow", st.cow);
	rte_tel_data_add_dict_uint(d, "alloc_fail", st.alloc_fail);
	rte_tel_data_add_dict_uint(d, "refused", st.refused);
	return 0;
}

static int
tel_types(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	uint32_t i;

	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	if (shm == NULL)
		return 0;
	for (i = 0; i < shm->nb_types; i++)
		rte_tel_data_add_array_string(d, shm->types[i].name);
	return 0;
}

static int
tel_type(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	int id;

	if (params == NULL || shm == NULL)
		return -EINVAL;
	id = type_find(params);
	if (id < 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "name", shm->types[id].name);
	rte_tel_data_add_dict_int(d, "id", id);
	rte_tel_data_add_dict_uint(d, "size", shm->types[id].size);
	rte_tel_data_add_dict_uint(d, "align", shm->types[id].align);
	return 0;
}

static int
tel_pools(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	uint32_t i;

	rte_tel_data_start_dict(d);
	if (shm == NULL)
		return 0;
	rte_tel_data_add_dict_uint(d, "block_size", shm->block_size);
	rte_tel_data_add_dict_uint(d, "types", shm->nb_types);
	for (i = 0; i < shm->nb_pools; i++) {
		struct rte_mempool *mp = shm->pools[i].mp;

		if (mp == NULL)
			continue;
		rte_tel_data_add_dict_uint(d, mp->name,
			rte_mempool_in_use_count(mp));
	}
	return 0;
}

RTE_INIT(mbuf_extension_telemetry)
{
	rte_telemetry_register_cmd("/mbuf_extension/stats", tel_stats,
		"Extension block counters. Takes no parameters");
	rte_telemetry_register_cmd("/mbuf_extension/types", tel_types,
		"Names of the registered extension types. Takes no parameters");
	rte_telemetry_register_cmd("/mbuf_extension/type", tel_type,
		"One extension type. Parameters: name");
	rte_telemetry_register_cmd("/mbuf_extension/pools", tel_pools,
		"Block size and blocks in use per pool. Takes no parameters");
}
