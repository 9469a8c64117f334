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

struct rte_mbuf_extension_fp_data rte_mbuf_extension_fp;

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
	char *base; /* object 0; objects follow at fp.stride */
};

/* The registry, in a memzone shared by all processes. */
struct mbext_shared {
	rte_spinlock_t lock;
	uint32_t nb_types;
	struct mbext_type types[RTE_MBUF_EXTENSION_MAX];
	/* Chunks all registered types need at worst in one block. */
	uint32_t need_chunks;
	/* Chunks a block has; 0 until the first pool exists. */
	uint32_t room_chunks;
	uint32_t block_size;
	uint32_t stride;
	uint32_t nb_pools;
	struct mbext_pool pools[RTE_MBUF_EXTENSION_MAX_POOLS];
	struct rte_mbuf_extension_lcore_stats stats[RTE_MAX_LCORE + 1];
};

static struct mbext_shared *shm;

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

	fp->stats = shm->stats;
	fp->registered = 0;
	for (i = 0; i < shm->nb_types; i++) {
		fp->size_chunks[i] = type_size_chunks(shm->types[i].size);
		fp->align_chunks[i] = type_align_chunks(shm->types[i].align);
		fp->registered |= 1u << i;
	}
	memset(fp->base, 0, sizeof(fp->base));
	fp->stride = shm->stride;
	memset(fp->pool, 0, sizeof(fp->pool));
	memset(fp->socket_pool, 0, sizeof(fp->socket_pool));
	for (i = 0; i < shm->nb_pools; i++) {
		struct mbext_pool *p = &shm->pools[i];

		fp->base[i] = p->base;
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
	fp->any_pool = first;
}

/*
 * Find or create the shared registry and the dynamic fields, and fill this
 * process's fast-path data. Returns with the registry lock held on
 * success.
 */
static int
registry_attach(void)
{
	static const struct rte_mbuf_dynfield ref_desc = {
		.name = RTE_MBUF_EXTENSION_DYNFIELD_NAME,
		.size = sizeof(uint64_t),
		.align = __alignof__(uint64_t),
	};
	static const struct rte_mbuf_dynfield active_desc = {
		.name = RTE_MBUF_EXTENSION_ACTIVE_DYNFIELD_NAME,
		.size = sizeof(uint8_t),
		.align = __alignof__(uint8_t),
	};
	static const struct rte_mbuf_dynflag flag_desc = {
		.name = RTE_MBUF_EXTENSION_DYNFLAG_NAME,
	};
	const struct rte_memzone *mz;
	int ref_off, active_off, bit;

	if (!eal_ready())
		return -1;

	/* The dynfield registry takes the tailq lock itself. */
	ref_off = rte_mbuf_dynfield_register(&ref_desc);
	if (ref_off < 0)
		return -1;
	active_off = rte_mbuf_dynfield_register(&active_desc);
	if (active_off < 0)
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
	rte_spinlock_lock(&shm->lock);
	rte_mbuf_extension_fp.ref_offset = ref_off;
	rte_mbuf_extension_fp.active_offset = active_off;
	fp_sync();
	/* Last: a non-zero flag makes the fields usable. */
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

struct pool_init_arg {
	char *base;
	uint32_t stride;
	uint32_t pool_no;
	uint32_t n;
	int bad;
};

static void
block_find_base(struct rte_mempool *mp, void *opaque, void *obj,
		unsigned int idx)
{
	struct pool_init_arg *arg = opaque;

	RTE_SET_USED(mp);
	RTE_SET_USED(idx);
	if (arg->base == NULL || (char *)obj < arg->base)
		arg->base = obj;
}

static void
block_init(struct rte_mempool *mp, void *opaque, void *obj, unsigned int idx)
{
	struct pool_init_arg *arg = opaque;
	struct rte_mbuf_extension_block *blk = obj;
	size_t off = (size_t)((char *)obj - arg->base);

	RTE_SET_USED(mp);
	RTE_SET_USED(idx);
	/* The reference names a block by its index: the layout must be linear. */
	if (off % arg->stride != 0 || off / arg->stride >= arg->n) {
		arg->bad = 1;
		return;
	}
	memset(blk, 0, sizeof(*blk));
	blk->index = arg->pool_no << RTE_MBUF_EXTENSION_INDEX_BITS |
		(uint32_t)(off / arg->stride);
}

static void
block_mem_free(struct rte_mempool_memhdr *memhdr, void *opaque)
{
	RTE_SET_USED(memhdr);
	rte_free(opaque);
}

/*
 * A pool whose blocks lie at fixed distances in one virtually contiguous
 * area, so that a block is found from its index by arithmetic. Blocks are
 * never given to a device: no IOVA contiguity is needed, which also keeps
 * the mempool from padding objects at page boundaries.
 */
static struct rte_mempool *
block_pool_create(const char *name, unsigned int n, uint32_t block_size,
		unsigned int cache_size, int socket_id,
		struct pool_init_arg *arg)
{
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
	arg->stride = mp->header_size + mp->elt_size + mp->trailer_size;
	len = (size_t)n * arg->stride + RTE_CACHE_LINE_SIZE;
	mem = rte_zmalloc_socket("mbuf_extension_blocks", len,
		RTE_CACHE_LINE_SIZE, socket_id);
	if (mem == NULL) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = rte_mempool_populate_iova(mp, mem, RTE_BAD_IOVA, len,
		block_mem_free, mem);
	if (ret < 0) {
		rte_free(mem);
		goto fail;
	}
	if (mp->populated_size != n || mp->nb_mem_chunks != 1) {
		ret = -ENOMEM;
		goto fail;
	}
	arg->n = n;
	arg->base = NULL;
	arg->bad = 0;
	rte_mempool_obj_iter(mp, block_find_base, arg);
	rte_mempool_obj_iter(mp, block_init, arg);
	if (arg->bad) {
		MBEXT_LOG(ERR, "block pool %s is not laid out linearly", name);
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
	struct pool_init_arg arg;
	struct mbext_pool *p;
	struct rte_mempool *mp;
	uint32_t i, block_size;
	int ret;

	RTE_BUILD_BUG_ON(sizeof(struct rte_mbuf_extension_block) !=
		2 * RTE_CACHE_LINE_MIN_SIZE);
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

	arg.pool_no = i;
	snprintf(p->name, sizeof(p->name), MBEXT_POOL_PREFIX "%d", socket_id);
	mp = block_pool_create(p->name, n, block_size, cache_size, socket_id,
		&arg);
	if (mp == NULL) {
		ret = -rte_errno;
		MBEXT_LOG(ERR, "cannot create block pool %s: %s", p->name,
			rte_strerror(rte_errno));
		goto out;
	}
	p->socket_id = socket_id;
	p->base = arg.base;
	p->mp = mp;
	shm->block_size = block_size;
	shm->stride = arg.stride;
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

		rte_mempool_free(p->mp);
		memset(p, 0, sizeof(*p));
	}
	shm->nb_pools = 0;
	shm->block_size = 0;
	shm->stride = 0;
	shm->room_chunks = 0;
	fp_sync();
	rte_spinlock_unlock(&shm->lock);
	return 0;
}

void
__rte_mbuf_extension_block_free(struct rte_mbuf_extension_block *blk)
{
	struct rte_mbuf_extension_block *parent;
	uint64_t tag;

	for (;;) {
		parent = blk->parent;
		tag = blk->parent_tag;
		blk->parent = NULL;
		__RTE_MBUF_EXTENSION_STAT_ADD(free, 1);
		__rte_mbuf_extension_block_to_pool(blk);
		if (parent == NULL)
			return;
		/* The child held its parent's reference under @p tag. */
		__RTE_MBUF_EXTENSION_STAT_ADD(release, 1);
		__rte_mbuf_extension_swap_owner(parent, tag, 0);
		if (!__rte_mbuf_extension_block_unref(parent))
			return;
		blk = parent;
	}
}

void
__rte_mbuf_extension_block_retag(struct rte_mbuf_extension_block *blk,
		uint64_t tag)
{
	struct rte_mbuf_extension_block *c;

	/* The caller still holds blk, which holds the chain. */
	for (c = blk; c->parent != NULL && c->parent_tag == tag;
			c = c->parent) {
		uint64_t ctag = (uintptr_t)c >> 6;

		__rte_mbuf_extension_swap_owner(c->parent, tag, ctag);
		c->parent_tag = ctag;
	}
}

/*
 * Drop the reference @p m owns to @p old, now replaced by @p nb. While
 * other holders of @p m may read @p old through it (its refcnt is above 1:
 * clones made by rte_pktmbuf_clone() pin it), the new block holds the
 * reference instead, so that @p old lives as long as @p m.
 */
static void
replace_owned(struct rte_mbuf *m, struct rte_mbuf_extension_block *old,
		struct rte_mbuf_extension_block *nb)
{
	if (rte_mbuf_refcnt_read(m) != 1) {
		/* old keeps m's tag among its owners until nb is freed */
		nb->parent = old;
		nb->parent_tag = __rte_mbuf_extension_tag(m);
	} else {
		__rte_mbuf_extension_block_put(old,
			__rte_mbuf_extension_tag(m));
	}
}

struct rte_mbuf_extension_block *
__rte_mbuf_extension_block_copy(const struct rte_mbuf_extension_block *blk,
		uint64_t tag)
{
	struct rte_mbuf_extension_block *nb;

	nb = __rte_mbuf_extension_block_alloc(tag);
	if (nb == NULL)
		return NULL;
	nb->chunks = blk->chunks;
	memcpy(nb->offset, blk->offset, sizeof(nb->offset));
	memcpy(RTE_PTR_ADD(nb, sizeof(*nb)), RTE_PTR_ADD(blk, sizeof(*blk)),
		(size_t)blk->chunks * RTE_MBUF_EXTENSION_CHUNK - sizeof(*blk));
	__RTE_MBUF_EXTENSION_STAT_ADD(cow, 1);
	return nb;
}

void *
__rte_mbuf_extension_add_slow(struct rte_mbuf *m, int id,
		struct rte_mbuf_extension_block *blk)
{
	struct rte_mbuf_extension_block *nb, *old;
	uint8_t *active = __rte_mbuf_extension_active(m);

	/* Ownership as it is before a new block takes m's tag. */
	old = __rte_mbuf_extension_owned(m);
	/* Shared or borrowed block: copy on write. */
	if (blk != NULL)
		nb = __rte_mbuf_extension_block_copy(blk,
			__rte_mbuf_extension_tag(m));
	else
		nb = __rte_mbuf_extension_block_alloc(
			__rte_mbuf_extension_tag(m));
	if (nb == NULL)
		return NULL;
	if (blk == NULL)
		*active = 0; /* the owned reference was invisible */
	if (old != NULL)
		replace_owned(m, old, nb);
	*__rte_mbuf_extension_ref(m) = __rte_mbuf_extension_make_ref(nb, m);
	m->ol_flags |= rte_mbuf_extension_fp.valid_flag;
	if (*active & (1u << id))
		return __rte_mbuf_extension_data(nb, id);
	*active |= (uint8_t)(1u << id);
	return __rte_mbuf_extension_place(nb, id);
}

/*
 * Detach a clone held by the caller alone, dropping the extensions of its
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

void
__rte_mbuf_extension_pktmbuf_free_slow(struct rte_mbuf *m)
{
	if (rte_mbuf_refcnt_read(m) != 1) {
		struct rte_mbuf *next = m->next;

		if (rte_mbuf_refcnt_update(m, -1) != 0) {
			/* Others hold the packet: drop our segments only. */
			rte_pktmbuf_free(next);
			return;
		}
		rte_mbuf_refcnt_set(m, 1);
	}
	rte_mbuf_extension_release(m);
	if (RTE_MBUF_CLONED(m))
		detach_release(m);
	rte_pktmbuf_free(m);
}

void
rte_mbuf_extension_pktmbuf_free_bulk(struct rte_mbuf **mbufs,
		unsigned int count)
{
	struct rte_mbuf *batch[64];
	unsigned int i, n = 0;

	if (mbufs == NULL)
		return;
	for (i = 0; i < count; i++) {
		struct rte_mbuf *m = mbufs[i];

		if (m == NULL)
			continue;
		if (unlikely(rte_mbuf_refcnt_read(m) != 1 ||
				RTE_MBUF_CLONED(m))) {
			__rte_mbuf_extension_pktmbuf_free_slow(m);
			continue;
		}
		rte_mbuf_extension_release(m);
		batch[n++] = m;
		if (n == RTE_DIM(batch)) {
			rte_pktmbuf_free_bulk(batch, n);
			n = 0;
		}
	}
	if (n != 0)
		rte_pktmbuf_free_bulk(batch, n);
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
	const struct rte_mbuf_extension_lcore_stats *s;
	unsigned int i;

	if (stats == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	memset(stats, 0, sizeof(*stats));
	s = rte_mbuf_extension_fp.stats;
	if (s == NULL) {
		rte_errno = E_RTE_NO_CONFIG;
		return -E_RTE_NO_CONFIG;
	}
	for (i = 0; i <= RTE_MAX_LCORE; i++) {
		stats->alloc += __atomic_load_n(&s[i].alloc, __ATOMIC_RELAXED);
		stats->free += __atomic_load_n(&s[i].free, __ATOMIC_RELAXED);
		stats->share += __atomic_load_n(&s[i].share, __ATOMIC_RELAXED);
		stats->cow += __atomic_load_n(&s[i].cow, __ATOMIC_RELAXED);
		stats->release += __atomic_load_n(&s[i].release,
			__ATOMIC_RELAXED);
		stats->alloc_fail += __atomic_load_n(&s[i].alloc_fail,
			__ATOMIC_RELAXED);
	}
	stats->in_use = stats->alloc - stats->free;
	return 0;
}

void
rte_mbuf_extension_dump(FILE *f, const struct rte_mbuf *m)
{
	struct rte_mbuf_extension_block *blk;
	uint32_t i;

	if (f == NULL)
		return;
	if (m == NULL) {
		if (shm == NULL) {
			fprintf(f, "mbuf_extension: not initialised\n");
			return;
		}
		fprintf(f, "mbuf_extension: %u types, block %u bytes, %u pools\n",
			shm->nb_types, shm->block_size, shm->nb_pools);
		for (i = 0; i < shm->nb_types; i++)
			fprintf(f, "  type %u: %s size %u align %u\n", i,
				shm->types[i].name, shm->types[i].size,
				shm->types[i].align);
		return;
	}
	blk = __rte_mbuf_extension_view(m);
	if (blk == NULL) {
		fprintf(f, "mbuf %p: no extension\n", (const void *)m);
		return;
	}
	fprintf(f, "mbuf %p: active 0x%02x block %p refcnt %u %s chunks %u\n",
		(const void *)m, *__rte_mbuf_extension_active(m), (void *)blk,
		__atomic_load_n(&blk->refcnt, __ATOMIC_RELAXED),
		__rte_mbuf_extension_is_owner(m) ? "owned" : "borrowed",
		blk->chunks);
	for (i = 0; i < RTE_MBUF_EXTENSION_MAX; i++)
		if (*__rte_mbuf_extension_active(m) & (1u << i))
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
	rte_tel_data_add_dict_u64(d, "pool_in_use",
		rte_mbuf_extension_pool_in_use());
	rte_tel_data_add_dict_u64(d, "alloc", st.alloc);
	rte_tel_data_add_dict_u64(d, "free", st.free);
	rte_tel_data_add_dict_u64(d, "share", st.share);
	rte_tel_data_add_dict_u64(d, "cow", st.cow);
	rte_tel_data_add_dict_u64(d, "release", st.release);
	rte_tel_data_add_dict_u64(d, "alloc_fail", st.alloc_fail);
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
