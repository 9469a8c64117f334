/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

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
	uint64_t share;
	uint64_t cow;
	uint64_t alloc_fail;
	uint64_t refused;
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

/* Count a slow-path event on the calling lcore. */
#define MBEXT_STAT_INC(field) do {					\
	unsigned int __lc = rte_lcore_id();				\
	if (shm == NULL)						\
		break;							\
	if (likely(__lc < RTE_MAX_LCORE))				\
		__atomic_store_n(&shm->stats[__lc].field,		\
			shm->stats[__lc].field + 1, __ATOMIC_RELAXED);	\
	else								\
		__atomic_fetch_add(&shm->stats[RTE_MAX_LCORE].field, 1,	\
			__ATOMIC_RELAXED);				\
} while (0)

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
	struct rte_mempool *first = NULL;
	uint32_t i;

	fp->registered = 0;
	for (i = 0; i < shm->nb_types; i++) {
		fp->size_chunks[i] = type_size_chunks(shm->types[i].size);
		fp->align_chunks[i] = type_align_chunks(shm->types[i].align);
		fp->first_off[i] = RTE_ALIGN_CEIL(RTE_MBUF_EXTENSION_HDR_CHUNKS,
			fp->align_chunks[i]);
		fp->first_chunks[i] = fp->first_off[i] + fp->size_chunks[i];
		fp->first_offsets[i] = 0;
		((uint8_t *)&fp->first_offsets[i])[i] = fp->first_off[i];
		fp->registered |= 1u << i;
	}
	memset(fp->pool, 0, sizeof(fp->pool));
	memset(fp->socket_pool, 0, sizeof(fp->socket_pool));
	for (i = 0; i < shm->nb_pools; i++) {
		struct mbext_pool *p = &shm->pools[i];

		fp->pool[i] = p->mp;
		if (p->mp == NULL)
			continue;
		if (first == NULL)
			first = p->mp;
		if (p->socket_id >= 0 && p->socket_id < RTE_MAX_NUMA_NODES)
			fp->socket_pool[p->socket_id] = p->mp;
	}
	for (i = 0; i < RTE_MAX_NUMA_NODES; i++)
		if (fp->socket_pool[i] == NULL)
			fp->socket_pool[i] = first;
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
	if (socket_id == SOCKET_ID_ANY) {
		socket_id = (int)rte_socket_id();
		if (socket_id < 0 || socket_id >= RTE_MAX_NUMA_NODES)
			socket_id = 0;
	}
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

	for (i = 0; i < RTE_MBUF_EXTENSION_MAX_POOLS; i++)
		if (rte_mbuf_extension_fp.pool[i] != NULL)
			n += rte_mempool_in_use_count(
				rte_mbuf_extension_fp.pool[i]);
	return n;
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
__rte_mbuf_extension_pool_check(const struct rte_mbuf *m)
{
	const struct rte_mempool *mp = m->pool;
	const struct rte_mempool_ops *ops;
	uint32_t i, n;

	if (mp == NULL)
		goto refuse;
	/* The handler's ops index is the same in every process. */
	ops = rte_mempool_get_ops(mp->ops_index);
	if (strcmp(ops->name, RTE_MBUF_EXTENSION_RELEASE_OPS_NAME) == 0) {
		__atomic_store_n(&rte_mbuf_extension_fp.release_ops,
			mp->ops_index, __ATOMIC_RELAXED);
		return 0;
	}
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
	MBEXT_STAT_INC(refused);
	rte_errno = ENOTSUP;
	return -1;
}

struct rte_mbuf_extension_block *
__rte_mbuf_extension_block_alloc_slow(const struct rte_mbuf *m)
{
	struct rte_mbuf_extension_block *blk;
	struct rte_mempool *mp = rte_mbuf_extension_fp.pool[0];
	void *obj;

	/* Pools fill the slots in order: with one, it serves every socket. */
	if (rte_mbuf_extension_fp.pool[1] != NULL) {
		unsigned int socket = rte_socket_id();

		if (socket < RTE_MAX_NUMA_NODES)
			mp = rte_mbuf_extension_fp.socket_pool[socket];
	}
	if (unlikely(mp == NULL)) {
		rte_errno = ENODEV;
		return NULL;
	}
	if (unlikely(rte_mempool_get(mp, &obj) < 0)) {
		MBEXT_STAT_INC(alloc_fail);
		rte_errno = ENOMEM;
		return NULL;
	}
	blk = obj;
	__atomic_store_n(&blk->gen, blk->gen + 1, __ATOMIC_RELAXED);
	blk->refcnt = 1;
	blk->chunks = RTE_MBUF_EXTENSION_HDR_CHUNKS;
	memset(blk->offset, 0, sizeof(blk->offset));
	__atomic_store_n(&blk->owner[1], 0, __ATOMIC_RELAXED);
	__atomic_store_n(&blk->owner[2], 0, __ATOMIC_RELAXED);
	__atomic_store_n(&blk->owner[3], 0, __ATOMIC_RELAXED);
	__atomic_store_n(&blk->owner[0], (uintptr_t)m, __ATOMIC_RELEASE);
	return blk;
}

struct rte_mbuf_extension_block *
__rte_mbuf_extension_borrowed(const struct rte_mbuf *m, uint64_t word)
{
	struct rte_mbuf_extension_block *blk =
		__rte_mbuf_extension_word_block(word);
	const struct rte_mbuf *md;

	/* Only a clone pins the mbuf whose block it reads. */
	if (!RTE_MBUF_CLONED(m))
		return NULL;
	md = rte_mbuf_from_indirect((struct rte_mbuf *)(uintptr_t)m);
	/*
	 * The owner first, then the lifetime: a block freed and taken again
	 * by the same direct mbuf in between shows a new lifetime (a slot is
	 * taken once per lifetime, so md cannot take it again in this one).
	 */
	if (__atomic_load_n(&blk->owner[word & RTE_MBUF_EXTENSION_SLOT_MASK],
			__ATOMIC_ACQUIRE) != (uintptr_t)md)
		return NULL;
	if (__atomic_load_n(&blk->gen, __ATOMIC_RELAXED) !=
			__rte_mbuf_extension_ref(m)->gen)
		return NULL;
	return blk;
}

/* How an mbuf shows a block. */
enum view_kind {
	VIEW_NONE,
	VIEW_OWNED,    /* its own reference */
	VIEW_BORROWED, /* its direct mbuf's, read without a reference */
};

/*
 * The block whose extensions @p m shows, with its word in @p word and how
 * in @p kind; NULL if none is visible.
 */
static struct rte_mbuf_extension_block *
view(const struct rte_mbuf *m, uint64_t *word, enum view_kind *kind)
{
	const struct rte_mbuf_extension_ref *ref;
	struct rte_mbuf_extension_block *blk;
	uint64_t w;

	*kind = VIEW_NONE;
	if (rte_mbuf_extension_fp.valid_flag == 0 ||
			!(m->ol_flags & rte_mbuf_extension_fp.valid_flag))
		return NULL;
	ref = __rte_mbuf_extension_ref(m);
	w = ref->word;
	if (w == 0)
		return NULL;
	*word = w;
	if (__rte_mbuf_extension_owns(m, ref, w)) {
		*kind = VIEW_OWNED;
		return __rte_mbuf_extension_word_block(w);
	}
	blk = __rte_mbuf_extension_borrowed(m, w);
	if (blk != NULL)
		*kind = VIEW_BORROWED;
	return blk;
}

/* The block @p m owns, visible or not, with its word; NULL if none. */
static struct rte_mbuf_extension_block *
owned(const struct rte_mbuf *m, uint64_t *word)
{
	const struct rte_mbuf_extension_ref *ref;
	uint64_t w;

	if (rte_mbuf_extension_fp.valid_flag == 0)
		return NULL;
	ref = __rte_mbuf_extension_ref(m);
	w = ref->word;
	if (w == 0 || !__rte_mbuf_extension_owns(m, ref, w))
		return NULL;
	*word = w;
	return __rte_mbuf_extension_word_block(w);
}

static uint8_t
word_active(uint64_t word)
{
	return (uint8_t)(word >> RTE_MBUF_EXTENSION_ACTIVE_SHIFT);
}

static unsigned int
word_slot(uint64_t word)
{
	return (unsigned int)(word & RTE_MBUF_EXTENSION_SLOT_MASK);
}

/* Point @p m at slot @p slot of @p blk, with active mask @p active. */
static void
set_ref(struct rte_mbuf *m, struct rte_mbuf_extension_block *blk,
		unsigned int slot, uint8_t active)
{
	struct rte_mbuf_extension_ref *ref = __rte_mbuf_extension_ref(m);

	ref->gen = __atomic_load_n(&blk->gen, __ATOMIC_RELAXED);
	ref->word = (uintptr_t)blk | slot |
		(uint64_t)active << RTE_MBUF_EXTENSION_ACTIVE_SHIFT;
	m->ol_flags |= rte_mbuf_extension_fp.valid_flag;
}

/* Forget what @p m shows, without touching any block. */
static void
clear_ref(struct rte_mbuf *m)
{
	__rte_mbuf_extension_ref(m)->word = 0;
	m->ol_flags &= ~rte_mbuf_extension_fp.valid_flag;
}

/*
 * Take a free owner slot of @p blk for @p m; -1 if all are taken. The
 * caller reads @p blk through a reference that keeps it alive.
 */
static int
slot_take(struct rte_mbuf_extension_block *blk, const struct rte_mbuf *m)
{
	unsigned int i;
	uint64_t expected;

	for (i = 0; i < RTE_MBUF_EXTENSION_MAX_OWNERS; i++) {
		expected = 0;
		if (__atomic_load_n(&blk->owner[i], __ATOMIC_RELAXED) == 0 &&
				__atomic_compare_exchange_n(&blk->owner[i],
					&expected, (uintptr_t)m, 0,
					__ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
			__atomic_fetch_add(&blk->refcnt, 1, __ATOMIC_RELAXED);
			MBEXT_STAT_INC(share);
			return (int)i;
		}
	}
	return -1;
}

/* A copy of @p blk owned by @p m alone in slot 0, or NULL (rte_errno). */
static struct rte_mbuf_extension_block *
block_copy(const struct rte_mbuf_extension_block *blk,
		const struct rte_mbuf *m)
{
	struct rte_mbuf_extension_block *nb;
	unsigned int chunks;

	nb = __rte_mbuf_extension_block_alloc(m);
	if (nb == NULL)
		return NULL;
	chunks = __atomic_load_n(&blk->chunks, __ATOMIC_RELAXED);
	if (chunks < RTE_MBUF_EXTENSION_HDR_CHUNKS)
		chunks = RTE_MBUF_EXTENSION_HDR_CHUNKS;
	nb->chunks = (uint8_t)chunks;
	memcpy(nb->offset, blk->offset, sizeof(nb->offset));
	memcpy(RTE_PTR_ADD(nb, sizeof(*nb)), RTE_PTR_ADD(blk, sizeof(*blk)),
		(size_t)chunks * RTE_MBUF_EXTENSION_CHUNK - sizeof(*blk));
	MBEXT_STAT_INC(cow);
	return nb;
}

/*
 * A copy, for @p m, of the block @p src reads without a reference (its
 * direct mbuf's). The block may be released meanwhile by the direct mbuf's
 * thread: it is read, then the view is checked again. While the view
 * holds, the block cannot change (its owner, pinned by @p src, copies
 * before writing) and cannot come back in this lifetime. NULL with
 * rte_errno ENOMEM if no block is free, or with rte_errno 0 if the view
 * vanished.
 */
static struct rte_mbuf_extension_block *
block_copy_borrowed(const struct rte_mbuf_extension_block *blk,
		const struct rte_mbuf *src, uint64_t word,
		const struct rte_mbuf *m)
{
	struct rte_mbuf_extension_block *nb = block_copy(blk, m);

	if (nb == NULL)
		return NULL;
	rte_atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (__rte_mbuf_extension_borrowed(src, word) == blk)
		return nb;
	__rte_mbuf_extension_block_put(nb, 0);
	rte_errno = 0;
	return NULL;
}

/*
 * Give @p m a reference of its own to what @p src shows (@p blk, word
 * @p word, seen as @p kind): a slot in @p blk, or a copy when all slots
 * were taken in this lifetime or when @p src only borrows it. Drops the
 * reference @p m owned before, if any. 0, or -1 with rte_errno (0: the
 * borrowed view vanished, @p m is unchanged).
 */
static int
ref_take(struct rte_mbuf *m, const struct rte_mbuf *src,
		struct rte_mbuf_extension_block *blk, uint64_t word,
		enum view_kind kind)
{
	struct rte_mbuf_extension_block *old, *nb = blk;
	uint8_t active = word_active(word);
	uint64_t old_word = 0;
	int slot = -1;

	if (!__rte_mbuf_extension_pool_ok(m))
		return -1;
	old = owned(m, &old_word);
	if (old == blk && kind == VIEW_OWNED) {
		set_ref(m, blk, word_slot(old_word), active);
		return 0;
	}
	if (kind == VIEW_OWNED)
		slot = slot_take(blk, m);
	if (slot < 0) {
		nb = kind == VIEW_OWNED ? block_copy(blk, m) :
			block_copy_borrowed(blk, src, word, m);
		if (nb == NULL)
			return -1;
		slot = 0;
	}
	if (old != NULL)
		__rte_mbuf_extension_block_put(old, word_slot(old_word));
	set_ref(m, nb, (unsigned int)slot, active);
	return 0;
}

void *
__rte_mbuf_extension_add_slow(struct rte_mbuf *m, int id)
{
	struct rte_mbuf_extension_block *blk, *old, *nb = NULL;
	uint64_t word = 0, old_word = 0;
	enum view_kind kind;
	uint8_t active = 0;
	/* Clones made by rte_pktmbuf_clone() may read m's block. */
	int alone = rte_mbuf_refcnt_read(m) == 1;

	blk = view(m, &word, &kind);
	old = owned(m, &old_word);
	if (kind == VIEW_OWNED && alone &&
			__atomic_load_n(&blk->refcnt, __ATOMIC_RELAXED) == 1) {
		/* Owned alone (the fast path's cases, a type without room). */
		active = word_active(word);
	} else if (blk == NULL && old != NULL && alone &&
			__atomic_load_n(&old->refcnt, __ATOMIC_RELAXED) == 1) {
		/* Owned alone but hidden by an ol_flags write: start anew. */
		blk = old;
		word = old_word;
	} else {
		/* Shared, borrowed, read by clones, or nothing at all. */
		if (!__rte_mbuf_extension_pool_ok(m))
			return NULL;
		if (kind == VIEW_OWNED) {
			nb = block_copy(blk, m);
			if (nb == NULL)
				return NULL;
		} else if (kind == VIEW_BORROWED) {
			nb = block_copy_borrowed(blk, m, word, m);
			if (nb == NULL && rte_errno != 0)
				return NULL;
		}
		if (nb != NULL)
			active = word_active(word);
		else
			nb = __rte_mbuf_extension_block_alloc(m);
		if (nb == NULL)
			return NULL;
		if (old != NULL)
			__rte_mbuf_extension_block_put(old,
				word_slot(old_word));
		blk = nb;
		word = (uintptr_t)nb;
	}
	if ((active & (1u << id)) && blk->offset[id] != 0) {
		set_ref(m, blk, word_slot(word), active);
		return __rte_mbuf_extension_at(blk, blk->offset[id]);
	}
	set_ref(m, blk, word_slot(word), (uint8_t)(active | (1u << id)));
	return __rte_mbuf_extension_place(blk, id);
}

uint8_t
rte_mbuf_extension_active_mask(const struct rte_mbuf *m)
{
	enum view_kind kind;
	uint64_t word;

	if (m == NULL || view(m, &word, &kind) == NULL)
		return 0;
	return word_active(word);
}

void
rte_mbuf_extension_reset(struct rte_mbuf *m)
{
	struct rte_mbuf_extension_block *blk;
	uint64_t word;

	if (m == NULL || rte_mbuf_extension_fp.valid_flag == 0)
		return;
	blk = owned(m, &word);
	if (blk != NULL && rte_mbuf_refcnt_read(m) != 1) {
		/* Clones may read it through m: keep it until m is freed. */
		m->ol_flags &= ~rte_mbuf_extension_fp.valid_flag;
		return;
	}
	clear_ref(m);
	if (blk != NULL)
		__rte_mbuf_extension_block_put(blk, word_slot(word));
}

void
rte_mbuf_extension_del(struct rte_mbuf *m, int id)
{
	struct rte_mbuf_extension_ref *ref;
	enum view_kind kind;
	uint64_t word;

	if (m == NULL || (unsigned int)id >= RTE_MBUF_EXTENSION_MAX ||
			view(m, &word, &kind) == NULL)
		return;
	ref = __rte_mbuf_extension_ref(m);
	ref->word = word & ~(UINT64_C(1) <<
		(id + RTE_MBUF_EXTENSION_ACTIVE_SHIFT));
	if (word_active(ref->word) == 0)
		rte_mbuf_extension_reset(m);
}

int
rte_mbuf_extension_share(struct rte_mbuf *dst, const struct rte_mbuf *src)
{
	struct rte_mbuf_extension_block *blk, *old;
	uint64_t word, old_word;
	enum view_kind kind;

	if (dst == NULL || src == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	if (dst == src)
		return 0;
	old = owned(dst, &old_word);
	if (old != NULL && rte_mbuf_refcnt_read(dst) != 1) {
		rte_errno = EBUSY;
		return -EBUSY;
	}
	blk = view(src, &word, &kind);
	if (blk != NULL && ref_take(dst, src, blk, word, kind) == 0)
		return 0;
	if (blk != NULL && rte_errno != 0)
		return -rte_errno;
	/* Nothing to share, or the borrowed view vanished. */
	rte_mbuf_extension_reset(dst);
	return 0;
}

/*
 * Give @p mc, a clone or copy of @p src that holds a bit copy of its
 * reference, a reference of its own. 0, or -1 with rte_errno.
 */
static int
adopt(struct rte_mbuf *mc, const struct rte_mbuf *src)
{
	struct rte_mbuf_extension_block *blk;
	enum view_kind kind;
	uint64_t word;

	blk = view(src, &word, &kind);
	/* mc is new: what its field holds is a copy of src's. */
	clear_ref(mc);
	if (blk == NULL || ref_take(mc, src, blk, word, kind) == 0)
		return 0;
	return rte_errno != 0 ? -1 : 0;
}

struct rte_mbuf *
rte_mbuf_extension_pktmbuf_clone(struct rte_mbuf *md, struct rte_mempool *mp)
{
	struct rte_mbuf *mc;

	if (md == NULL || mp == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	mc = rte_pktmbuf_clone(md, mp);
	if (mc != NULL && adopt(mc, md) < 0) {
		int err = rte_errno;

		rte_pktmbuf_free(mc);
		rte_errno = err;
		return NULL;
	}
	return mc;
}

struct rte_mbuf *
rte_mbuf_extension_pktmbuf_copy(const struct rte_mbuf *m,
		struct rte_mempool *mp, uint32_t offset, uint32_t length)
{
	struct rte_mbuf *mc;

	if (m == NULL || mp == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	mc = rte_pktmbuf_copy(m, mp, offset, length);
	if (mc != NULL && adopt(mc, m) < 0) {
		int err = rte_errno;

		rte_pktmbuf_free(mc);
		rte_errno = err;
		return NULL;
	}
	return mc;
}

int
rte_mbuf_extension_pktmbuf_attach(struct rte_mbuf *mi, struct rte_mbuf *m)
{
	if (mi == NULL || m == NULL || mi == m || !RTE_MBUF_DIRECT(mi) ||
			rte_mbuf_refcnt_read(mi) != 1) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	rte_mbuf_extension_reset(mi);
	rte_pktmbuf_attach(mi, m);
	if (adopt(mi, m) < 0)
		return -rte_errno;
	return 0;
}

/*
 * Detach a clone held by the caller alone, dropping the reference of its
 * direct mbuf if the clone was the direct mbuf's last holder. This is
 * rte_pktmbuf_detach() with the release added where the direct mbuf's
 * refcnt reaches 0, which rte_pktmbuf_detach() does not let a caller see.
 */
static void
detach_release(struct rte_mbuf *m)
{
	struct rte_mbuf *md = rte_mbuf_from_indirect(m);
	struct rte_mempool *mp = m->pool;
	uint32_t mbuf_size, buf_len;
	uint16_t priv_size;

	if (rte_mbuf_refcnt_update(md, -1) == 0) {
		rte_mbuf_extension_release(md);
		md->next = NULL;
		md->nb_segs = 1;
		rte_mbuf_refcnt_set(md, 1);
		rte_mbuf_raw_free(md);
	}
	priv_size = rte_pktmbuf_priv_size(mp);
	mbuf_size = (uint32_t)(sizeof(struct rte_mbuf) + priv_size);
	buf_len = rte_pktmbuf_data_room_size(mp);
	m->priv_size = priv_size;
	m->buf_addr = (char *)m + mbuf_size;
	rte_mbuf_iova_set(m, rte_mempool_virt2iova(m) + mbuf_size);
	m->buf_len = (uint16_t)buf_len;
	rte_pktmbuf_reset_headroom(m);
	m->data_len = 0;
	m->ol_flags = 0;
}

/* rte_pktmbuf_free_seg() with the releases it cannot make. */
static void
free_seg(struct rte_mbuf *m)
{
	if (rte_mbuf_refcnt_read(m) != 1) {
		if (rte_mbuf_refcnt_update(m, -1) != 0)
			return;
		rte_mbuf_refcnt_set(m, 1);
	}
	rte_mbuf_extension_release(m);
	if (RTE_MBUF_CLONED(m))
		detach_release(m);
	rte_pktmbuf_free_seg(m);
}

void
rte_mbuf_extension_pktmbuf_free(struct rte_mbuf *m)
{
	struct rte_mbuf *next;

	for (; m != NULL; m = next) {
		next = m->next;
		free_seg(m);
	}
}

void
rte_mbuf_extension_pktmbuf_free_bulk(struct rte_mbuf **mbufs,
		unsigned int count)
{
	unsigned int i;

	if (mbufs == NULL)
		return;
	for (i = 0; i < count; i++)
		rte_mbuf_extension_pktmbuf_free(mbufs[i]);
}

int
rte_mbuf_extension_pktmbuf_chain(struct rte_mbuf *head, struct rte_mbuf *tail)
{
	if (head == NULL || tail == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	if (head->nb_segs + tail->nb_segs > RTE_MBUF_MAX_NB_SEGS) {
		rte_errno = EOVERFLOW;
		return -EOVERFLOW;
	}
	rte_mbuf_extension_reset(tail);
	return rte_pktmbuf_chain(head, tail);
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
	if (shm == NULL) {
		rte_errno = E_RTE_NO_CONFIG;
		return -E_RTE_NO_CONFIG;
	}
	for (i = 0; i <= RTE_MAX_LCORE; i++) {
		s = &shm->stats[i];
		stats->share += __atomic_load_n(&s->share, __ATOMIC_RELAXED);
		stats->cow += __atomic_load_n(&s->cow, __ATOMIC_RELAXED);
		stats->alloc_fail += __atomic_load_n(&s->alloc_fail,
			__ATOMIC_RELAXED);
		stats->refused += __atomic_load_n(&s->refused,
			__ATOMIC_RELAXED);
	}
	stats->in_use = rte_mbuf_extension_pool_in_use();
	return 0;
}

void
rte_mbuf_extension_dump(FILE *f, const struct rte_mbuf *m)
{
	struct rte_mbuf_extension_block *blk;
	enum view_kind kind;
	uint64_t word = 0;
	uint32_t i;

	if (f == NULL)
		return;
	if (m == NULL) {
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
		return;
	}
	blk = view(m, &word, &kind);
	if (blk == NULL) {
		fprintf(f, "mbuf %p: no extension\n", (const void *)m);
		return;
	}
	fprintf(f, "mbuf %p: active 0x%02x block %p gen %" PRIu64
		" slot %u refcnt %u %s chunks %u\n",
		(const void *)m, word_active(word), (void *)blk,
		__rte_mbuf_extension_ref(m)->gen, word_slot(word),
		__atomic_load_n(&blk->refcnt, __ATOMIC_RELAXED),
		kind == VIEW_OWNED ? "owned" : "borrowed",
		blk->chunks);
	for (i = 0; i < RTE_MBUF_EXTENSION_MAX; i++)
		if (word_active(word) & (1u << i))
			fprintf(f, "  type %u at chunk %u\n", i,
				blk->offset[i]);
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
	rte_tel_data_add_dict_u64(d, "in_use", st.in_use);
	rte_tel_data_add_dict_u64(d, "share", st.share);
	rte_tel_data_add_dict_u64(d, "cow", st.cow);
	rte_tel_data_add_dict_u64(d, "alloc_fail", st.alloc_fail);
	rte_tel_data_add_dict_u64(d, "refused", st.refused);
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
	rte_tel_data_add_dict_u64(d, "size", shm->types[id].size);
	rte_tel_data_add_dict_u64(d, "align", shm->types[id].align);
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
	rte_tel_data_add_dict_u64(d, "block_size", shm->block_size);
	rte_tel_data_add_dict_u64(d, "types", shm->nb_types);
	for (i = 0; i < shm->nb_pools; i++) {
		struct rte_mempool *mp = shm->pools[i].mp;

		if (mp == NULL)
			continue;
		rte_tel_data_add_dict_u64(d, mp->name,
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
