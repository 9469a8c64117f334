/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _RTE_MBUF_EXTENSION_H_
#define _RTE_MBUF_EXTENSION_H_

/**
 * @file
 * RTE mbuf extensions
 *
 * Optional, reference counted, copy-on-write extension blocks attached to
 * an rte_mbuf, after the Linux kernel's skb_ext design.
 *
 * Each mbuf carries two dynamic fields and one dynamic flag:
 * - a 64-bit reference: the index of the extension block and a tag of the
 *   mbuf that owns the reference (see "Ownership" below);
 * - an active-extensions byte: bit N set means extension type N is present
 *   for this mbuf;
 * - the dynamic flag RTE_MBUF_EXTENSION_DYNFLAG_NAME, set in ol_flags while
 *   the two fields are valid. rte_pktmbuf_reset() and every RX PMD rewrite
 *   ol_flags, so an mbuf recycled by code that does not know this library
 *   never shows stale extensions.
 *
 * Extension types are registered at run time by name, like dynamic fields
 * (rte_mbuf_extension_register()); at most RTE_MBUF_EXTENSION_MAX of them.
 * Blocks come from an rte_mempool created by
 * rte_mbuf_extension_pool_create(), one per NUMA socket, sized for all the
 * registered types.
 *
 * Semantics (as skb_ext):
 * - the block is released when the last mbuf holding it is freed through
 *   rte_mbuf_extension_pktmbuf_free() (or through the mbuf_ext mempool
 *   handler of drivers/mempool, for code that does not know this library);
 * - clones share it;
 * - adding to a shared block copies it first (copy on write);
 * - deleting clears a bit in the mbuf: it never allocates and never fails;
 * - dropping the last reference uses no atomic read-modify-write.
 *
 * Ownership: the reference dynfield records which mbuf owns it. DPDK's
 * rte_pktmbuf_clone() and rte_pktmbuf_copy() copy all dynamic fields into
 * the new mbuf without taking a reference; such a copy is recognised as not
 * owning the block. A clone made by rte_pktmbuf_clone() pins its direct
 * mbuf, so it may still read the direct mbuf's block (a borrowed view); a
 * copy made by rte_pktmbuf_copy() does not pin anything and sees no
 * extension. The helpers rte_mbuf_extension_pktmbuf_clone() and
 * rte_mbuf_extension_pktmbuf_copy() give the new mbuf its own reference.
 *
 * Multi-segment packets: extensions belong to the first segment.
 *
 * Threads: an mbuf is used by one thread at a time (the DPDK rule); blocks
 * shared between mbufs on several lcores are safe.
 */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_compat.h>
#include <rte_branch_prediction.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_mempool.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Maximum number of extension types (bits of the active byte). */
#define RTE_MBUF_EXTENSION_MAX 8

/** Maximum length of an extension type name, with the terminating NUL. */
#define RTE_MBUF_EXTENSION_NAMESIZE 32

/** Extension data is laid out in chunks of this many bytes. */
#define RTE_MBUF_EXTENSION_CHUNK 8

/** Largest alignment an extension type may ask for. */
#define RTE_MBUF_EXTENSION_MAX_ALIGN RTE_CACHE_LINE_SIZE

/** Largest size of one extension type, in bytes. */
#define RTE_MBUF_EXTENSION_MAX_SIZE 1024

/** Largest number of blocks in one block pool. */
#define RTE_MBUF_EXTENSION_POOL_MAX_BLOCKS (1u << 20)

/**
 * Largest number of mbufs owning a reference to one block. Sharing a block
 * with one more mbuf copies it instead.
 */
#define RTE_MBUF_EXTENSION_MAX_OWNERS 11

/** Largest number of block pools (one per NUMA socket). */
#define RTE_MBUF_EXTENSION_MAX_POOLS 8

/** Name of the 64-bit reference dynamic field. */
#define RTE_MBUF_EXTENSION_DYNFIELD_NAME "rte_mbuf_extension_ref"
/** Name of the active-extensions byte dynamic field. */
#define RTE_MBUF_EXTENSION_ACTIVE_DYNFIELD_NAME "rte_mbuf_extension_active"
/** Name of the dynamic flag marking the two fields valid. */
#define RTE_MBUF_EXTENSION_DYNFLAG_NAME "rte_mbuf_extension_valid"

/**
 * Parameters of an extension type, for rte_mbuf_extension_register().
 */
struct rte_mbuf_extension_params {
	/** Name of the type, NUL terminated. */
	char name[RTE_MBUF_EXTENSION_NAMESIZE];
	/** Size of the extension data in bytes, 1 to MAX_SIZE. */
	size_t size;
	/** Alignment of the data: a power of 2, at most MAX_ALIGN. */
	size_t align;
	/** Reserved for future use, must be 0. */
	unsigned int flags;
};

/**
 * Extension statistics, summed over all lcores.
 */
struct rte_mbuf_extension_stats {
	uint64_t in_use;     /**< Blocks taken from the pools, not returned. */
	uint64_t alloc;      /**< Blocks taken from the pools. */
	uint64_t free;       /**< Blocks returned to the pools. */
	uint64_t share;      /**< References added to an existing block. */
	uint64_t cow;        /**< Blocks copied because they were shared. */
	uint64_t release;    /**< References dropped. */
	uint64_t alloc_fail; /**< Failed block allocations (pool empty). */
};

/**
 * @internal Header of an extension block. Extension data follows it, in
 * RTE_MBUF_EXTENSION_CHUNK byte chunks.
 */
struct rte_mbuf_extension_block {
	uint32_t refcnt; /**< References held by mbufs (and a child). */
	uint32_t index;  /**< Pool number << 20 | object index, constant. */
	/** Block this one replaced while its owner mbuf was shared. */
	struct rte_mbuf_extension_block *parent;
	/** Owner tag under which this block holds its parent's reference. */
	uint64_t parent_tag;
	uint8_t chunks;  /**< Chunks used, header included. */
	/** Per type: data offset from the block start in chunks, 0: none. */
	uint8_t offset[RTE_MBUF_EXTENSION_MAX];
	uint8_t reserved[7]; /**< Aligns the owner tags. */
	/**
	 * Owner tags of the mbufs holding a reference (0: free slot; all 0 in
	 * a free block). An mbuf owns a reference only if its tag is here,
	 * which makes a stale reference copied into an mbuf that reuses an
	 * owner's address harmless.
	 */
	uint64_t owner[RTE_MBUF_EXTENSION_MAX_OWNERS];
};

/** @internal Chunks taken by the block header. */
#define RTE_MBUF_EXTENSION_HDR_CHUNKS \
	(sizeof(struct rte_mbuf_extension_block) / RTE_MBUF_EXTENSION_CHUNK)

/** @internal Per-lcore counters. */
struct rte_mbuf_extension_lcore_stats {
	uint64_t alloc;      /**< See rte_mbuf_extension_stats. */
	uint64_t free;       /**< See rte_mbuf_extension_stats. */
	uint64_t share;      /**< See rte_mbuf_extension_stats. */
	uint64_t cow;        /**< See rte_mbuf_extension_stats. */
	uint64_t release;    /**< See rte_mbuf_extension_stats. */
	uint64_t alloc_fail; /**< See rte_mbuf_extension_stats. */
} __rte_cache_aligned;

/**
 * @internal Process-local copy of what the inline functions need. Filled
 * by rte_mbuf_extension_register(), rte_mbuf_extension_lookup() and
 * rte_mbuf_extension_pool_create(); all zero before, which makes every
 * lookup miss.
 */
struct rte_mbuf_extension_fp_data {
	uint64_t valid_flag;        /**< Dynflag mask, 0 until registered. */
	int ref_offset;             /**< Offset of the reference dynfield. */
	int active_offset;          /**< Offset of the active byte dynfield. */
	uint8_t registered;         /**< Mask of registered type ids. */
	uint8_t size_chunks[RTE_MBUF_EXTENSION_MAX];  /**< Per type. */
	uint8_t align_chunks[RTE_MBUF_EXTENSION_MAX]; /**< Per type. */
	/** Address of object 0, per pool number: objects are contiguous. */
	char *base[RTE_MBUF_EXTENSION_MAX_POOLS];
	/** Distance between two objects of a pool, the same in all pools. */
	uint64_t stride;
	/** Pool by pool number. */
	struct rte_mempool *pool[RTE_MBUF_EXTENSION_MAX_POOLS];
	/** Pool to allocate from, per NUMA socket (falls back to another). */
	struct rte_mempool *socket_pool[RTE_MAX_NUMA_NODES];
	/** Pool for threads without a socket. */
	struct rte_mempool *any_pool;
	/** Counters: RTE_MAX_LCORE slots, then one shared by other threads. */
	struct rte_mbuf_extension_lcore_stats *stats;
};

/** @internal Fast-path data of this process. */
extern struct rte_mbuf_extension_fp_data rte_mbuf_extension_fp;

/** @internal Bits of the reference that hold the owner tag. */
#define RTE_MBUF_EXTENSION_OWNER_BITS 41
/** @internal Owner tag: the mbuf address without its low 6 bits. */
#define RTE_MBUF_EXTENSION_OWNER_MASK \
	((UINT64_C(1) << RTE_MBUF_EXTENSION_OWNER_BITS) - 1)
/** @internal Bits of an object index inside one pool. */
#define RTE_MBUF_EXTENSION_INDEX_BITS 20

/** @internal Owner tag of an mbuf. */
static __rte_always_inline uint64_t
__rte_mbuf_extension_tag(const struct rte_mbuf *m)
{
	return (uintptr_t)m >> 6;
}

/** @internal Reference dynfield of an mbuf. */
static __rte_always_inline uint64_t *
__rte_mbuf_extension_ref(const struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, rte_mbuf_extension_fp.ref_offset,
		uint64_t *);
}

/** @internal Active-extensions byte of an mbuf. */
static __rte_always_inline uint8_t *
__rte_mbuf_extension_active(const struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, rte_mbuf_extension_fp.active_offset,
		uint8_t *);
}

/** @internal Reference value naming block @p blk, owned by @p m. */
static __rte_always_inline uint64_t
__rte_mbuf_extension_make_ref(const struct rte_mbuf_extension_block *blk,
		const struct rte_mbuf *m)
{
	return ((uint64_t)blk->index << RTE_MBUF_EXTENSION_OWNER_BITS) |
		__rte_mbuf_extension_tag(m);
}

/** @internal Block named by a reference value. */
static __rte_always_inline struct rte_mbuf_extension_block *
__rte_mbuf_extension_ref_block(uint64_t ref)
{
	uint32_t index = (uint32_t)(ref >> RTE_MBUF_EXTENSION_OWNER_BITS);

	return (struct rte_mbuf_extension_block *)(rte_mbuf_extension_fp.base[
		index >> RTE_MBUF_EXTENSION_INDEX_BITS] +
		(index & ((1u << RTE_MBUF_EXTENSION_INDEX_BITS) - 1)) *
		rte_mbuf_extension_fp.stride);
}

/** @internal Tell whether owner tag @p tag holds a reference to @p blk. */
static __rte_always_inline int
__rte_mbuf_extension_has_owner(const struct rte_mbuf_extension_block *blk,
		uint64_t tag)
{
	unsigned int i;

	for (i = 0; i < RTE_MBUF_EXTENSION_MAX_OWNERS; i++)
		if (__atomic_load_n(&blk->owner[i], __ATOMIC_RELAXED) == tag)
			return 1;
	return 0;
}

/**
 * @internal Block whose reference @p m owns, whether or not the extensions
 * are visible (the dynflag may have been cleared by an ol_flags
 * assignment); NULL if @p m owns none.
 */
static __rte_always_inline struct rte_mbuf_extension_block *
__rte_mbuf_extension_owned(const struct rte_mbuf *m)
{
	struct rte_mbuf_extension_block *blk;
	uint64_t ref, tag = __rte_mbuf_extension_tag(m);

	if (unlikely(rte_mbuf_extension_fp.valid_flag == 0))
		return NULL;
	ref = *__rte_mbuf_extension_ref(m);
	if ((ref & RTE_MBUF_EXTENSION_OWNER_MASK) != tag)
		return NULL;
	blk = __rte_mbuf_extension_ref_block(ref);
	return __rte_mbuf_extension_has_owner(blk, tag) ? blk : NULL;
}

/** @internal Tell whether @p m owns the reference in its dynfield. */
static __rte_always_inline int
__rte_mbuf_extension_is_owner(const struct rte_mbuf *m)
{
	return __rte_mbuf_extension_owned(m) != NULL;
}

/**
 * @internal Block the extensions of @p m are read from: its own, or for a
 * clone made by rte_pktmbuf_clone(), the one of the direct mbuf it pins.
 * NULL if the mbuf has no valid extensions.
 */
static __rte_always_inline struct rte_mbuf_extension_block *
__rte_mbuf_extension_view(const struct rte_mbuf *m)
{
	uint64_t ref, owner;

	if (!(m->ol_flags & rte_mbuf_extension_fp.valid_flag))
		return NULL;
	ref = *__rte_mbuf_extension_ref(m);
	owner = ref & RTE_MBUF_EXTENSION_OWNER_MASK;
	if (likely(owner == __rte_mbuf_extension_tag(m)) ||
			(RTE_MBUF_CLONED(m) && owner ==
			 __rte_mbuf_extension_tag(rte_mbuf_from_indirect(
			 (struct rte_mbuf *)(uintptr_t)m)))) {
		struct rte_mbuf_extension_block *blk =
			__rte_mbuf_extension_ref_block(ref);

		if (likely(__rte_mbuf_extension_has_owner(blk, owner)))
			return blk;
	}
	return NULL;
}

/** @internal Count an event on the calling lcore. */
#define __RTE_MBUF_EXTENSION_STAT_ADD(field, n) do {			\
	unsigned int __lc = rte_lcore_id();				\
	if (likely(__lc < RTE_MAX_LCORE)) {				\
		uint64_t *__p = &rte_mbuf_extension_fp.stats[__lc].field; \
		__atomic_store_n(__p, *__p + (n), __ATOMIC_RELAXED);	\
	} else {							\
		__atomic_fetch_add(&rte_mbuf_extension_fp.stats[	\
			RTE_MAX_LCORE].field, (n), __ATOMIC_RELAXED);	\
	}								\
} while (0)

/** @internal Count two events on the calling lcore, one lcore lookup. */
#define __RTE_MBUF_EXTENSION_STAT_ADD2(field1, field2) do {		\
	unsigned int __lc = rte_lcore_id();				\
	if (likely(__lc < RTE_MAX_LCORE)) {				\
		struct rte_mbuf_extension_lcore_stats *__s =		\
			&rte_mbuf_extension_fp.stats[__lc];		\
		__atomic_store_n(&__s->field1, __s->field1 + 1,		\
			__ATOMIC_RELAXED);				\
		__atomic_store_n(&__s->field2, __s->field2 + 1,		\
			__ATOMIC_RELAXED);				\
	} else {							\
		__atomic_fetch_add(&rte_mbuf_extension_fp.stats[	\
			RTE_MAX_LCORE].field1, 1, __ATOMIC_RELAXED);	\
		__atomic_fetch_add(&rte_mbuf_extension_fp.stats[	\
			RTE_MAX_LCORE].field2, 1, __ATOMIC_RELAXED);	\
	}								\
} while (0)

/** @internal Free a block, with a parent, whose last reference was dropped. */
__rte_experimental
void __rte_mbuf_extension_block_free(struct rte_mbuf_extension_block *blk);

/**
 * @internal Owner @p tag drops its reference to @p blk, which holds a
 * parent's reference under the same tag (the owner moved on while it was
 * shared): give those parents the child block's own tag, which no mbuf
 * can have, so that the owner's address, once reused, owns nothing there.
 */
__rte_experimental
void __rte_mbuf_extension_block_retag(struct rte_mbuf_extension_block *blk,
		uint64_t tag);

/**
 * @internal Replace owner tag @p from by @p to in a block (0: free the
 * slot). Only the owner @p from writes its slot: no atomic RMW needed.
 */
static __rte_always_inline void
__rte_mbuf_extension_swap_owner(struct rte_mbuf_extension_block *blk,
		uint64_t from, uint64_t to)
{
	unsigned int i;

	for (i = 0; i < RTE_MBUF_EXTENSION_MAX_OWNERS; i++) {
		if (__atomic_load_n(&blk->owner[i], __ATOMIC_RELAXED) == from) {
			__atomic_store_n(&blk->owner[i], to, __ATOMIC_RELAXED);
			return;
		}
	}
}

/**
 * @internal Drop one count of a block's refcnt; tell whether it was the
 * last. The last count is dropped without atomic read-modify-write.
 */
static __rte_always_inline int
__rte_mbuf_extension_block_unref(struct rte_mbuf_extension_block *blk)
{
	return likely(__atomic_load_n(&blk->refcnt, __ATOMIC_ACQUIRE) == 1) ||
		__atomic_sub_fetch(&blk->refcnt, 1, __ATOMIC_ACQ_REL) == 0;
}

/** @internal Return a block with no reference left to its pool. */
static __rte_always_inline void
__rte_mbuf_extension_block_to_pool(struct rte_mbuf_extension_block *blk)
{
	/* With one pool (slots fill in order), no need to read which pool
	 * the block is from.
	 */
	rte_mempool_put(likely(rte_mbuf_extension_fp.pool[1] == NULL) ?
		rte_mbuf_extension_fp.pool[0] :
		rte_mbuf_extension_fp.pool[blk->index >>
		RTE_MBUF_EXTENSION_INDEX_BITS], blk);
}

/**
 * @internal Drop the reference of owner @p tag to a block. When it was the
 * only one, the block goes back to its pool without any atomic
 * read-modify-write.
 */
static __rte_always_inline void
__rte_mbuf_extension_block_put(struct rte_mbuf_extension_block *blk,
		uint64_t tag)
{
	__rte_mbuf_extension_swap_owner(blk, tag, 0);
	if (unlikely(blk->parent != NULL))
		__rte_mbuf_extension_block_retag(blk, tag);
	if (__rte_mbuf_extension_block_unref(blk)) {
		if (unlikely(blk->parent != NULL)) {
			__RTE_MBUF_EXTENSION_STAT_ADD(release, 1);
			__rte_mbuf_extension_block_free(blk);
			return;
		}
		__RTE_MBUF_EXTENSION_STAT_ADD2(release, free);
		__rte_mbuf_extension_block_to_pool(blk);
		return;
	}
	__RTE_MBUF_EXTENSION_STAT_ADD(release, 1);
}

/**
 * @internal Take one more reference to a block for owner @p tag. The caller
 * holds or reads the block through a reference that stays valid meanwhile.
 * Returns 0, or -1 if the block has RTE_MBUF_EXTENSION_MAX_OWNERS owners.
 */
static __rte_always_inline int
__rte_mbuf_extension_block_get(struct rte_mbuf_extension_block *blk,
		uint64_t tag)
{
	unsigned int i;
	uint64_t expected;

	for (i = 0; i < RTE_MBUF_EXTENSION_MAX_OWNERS; i++) {
		expected = 0;
		if (__atomic_load_n(&blk->owner[i], __ATOMIC_RELAXED) == 0 &&
				__atomic_compare_exchange_n(&blk->owner[i],
					&expected, tag, 0, __ATOMIC_RELAXED,
					__ATOMIC_RELAXED)) {
			__atomic_fetch_add(&blk->refcnt, 1, __ATOMIC_RELAXED);
			__RTE_MBUF_EXTENSION_STAT_ADD(share, 1);
			return 0;
		}
	}
	return -1;
}

/** @internal A block from the pool of the caller's socket; rte_errno set
 * and NULL when the pool is empty or missing.
 */
static __rte_always_inline struct rte_mbuf_extension_block *
__rte_mbuf_extension_block_alloc(uint64_t tag)
{
	struct rte_mbuf_extension_block *blk;
	struct rte_mempool *mp = rte_mbuf_extension_fp.any_pool;

	/* Pools fill the slots in order: one pool serves every socket. */
	if (unlikely(rte_mbuf_extension_fp.pool[1] != NULL)) {
		unsigned int socket = rte_socket_id();

		if (likely(socket < RTE_MAX_NUMA_NODES))
			mp = rte_mbuf_extension_fp.socket_pool[socket];
	}

	if (unlikely(mp == NULL)) {
		rte_errno = ENODEV;
		return NULL;
	}
	if (unlikely(rte_mempool_get(mp, (void **)&blk) < 0)) {
		__RTE_MBUF_EXTENSION_STAT_ADD(alloc_fail, 1);
		rte_errno = ENOMEM;
		return NULL;
	}
	__RTE_MBUF_EXTENSION_STAT_ADD(alloc, 1);
	blk->refcnt = 1;
	blk->parent = NULL;
	/* The other owner slots of a free block are all 0. */
	blk->owner[0] = tag;
	blk->chunks = RTE_MBUF_EXTENSION_HDR_CHUNKS;
	memset(blk->offset, 0, sizeof(blk->offset));
	return blk;
}

/** @internal Data of type @p id in a block, which must hold it. */
static __rte_always_inline void *
__rte_mbuf_extension_data(const struct rte_mbuf_extension_block *blk, int id)
{
	return RTE_PTR_ADD(blk, (size_t)blk->offset[id] *
		RTE_MBUF_EXTENSION_CHUNK);
}

/**
 * @internal Zero @p n chunks of extension data. The usual sizes get a
 * memset() of constant size, which the compiler turns into a few stores
 * instead of a library call.
 */
static __rte_always_inline void
__rte_mbuf_extension_zero(void *data, unsigned int n)
{
	switch (n) {
	case 1:
		memset(data, 0, 1 * RTE_MBUF_EXTENSION_CHUNK);
		break;
	case 2:
		memset(data, 0, 2 * RTE_MBUF_EXTENSION_CHUNK);
		break;
	case 3:
		memset(data, 0, 3 * RTE_MBUF_EXTENSION_CHUNK);
		break;
	case 4:
		memset(data, 0, 4 * RTE_MBUF_EXTENSION_CHUNK);
		break;
	default:
		memset(data, 0, (size_t)n * RTE_MBUF_EXTENSION_CHUNK);
	}
}

/**
 * @internal Give type @p id room in a block owned by one mbuf only, zero
 * its data and return it.
 */
static __rte_always_inline void *
__rte_mbuf_extension_place(struct rte_mbuf_extension_block *blk, int id)
{
	void *data;

	if (blk->offset[id] == 0) {
		unsigned int a = rte_mbuf_extension_fp.align_chunks[id];
		unsigned int off = RTE_ALIGN_CEIL(blk->chunks, a);

		blk->offset[id] = (uint8_t)off;
		blk->chunks = (uint8_t)(off +
			rte_mbuf_extension_fp.size_chunks[id]);
	}
	data = __rte_mbuf_extension_data(blk, id);
	__rte_mbuf_extension_zero(data, rte_mbuf_extension_fp.size_chunks[id]);
	return data;
}

/**
 * @internal Place type @p id first in a block just allocated, zero its
 * data and return it. Same layout as __rte_mbuf_extension_place().
 */
static __rte_always_inline void *
__rte_mbuf_extension_place_first(struct rte_mbuf_extension_block *blk,
		int id)
{
	unsigned int off = RTE_ALIGN_CEIL(RTE_MBUF_EXTENSION_HDR_CHUNKS,
		rte_mbuf_extension_fp.align_chunks[id]);
	void *data = RTE_PTR_ADD(blk, off * RTE_MBUF_EXTENSION_CHUNK);

	blk->offset[id] = (uint8_t)off;
	blk->chunks = (uint8_t)(off + rte_mbuf_extension_fp.size_chunks[id]);
	__rte_mbuf_extension_zero(data, rte_mbuf_extension_fp.size_chunks[id]);
	return data;
}

/**
 * @internal A copy of @p blk owned by @p tag alone; NULL with rte_errno
 * ENOMEM (or ENODEV) if no block is free.
 */
__rte_experimental
struct rte_mbuf_extension_block *
__rte_mbuf_extension_block_copy(const struct rte_mbuf_extension_block *blk,
		uint64_t tag);

/**
 * @internal A reference to @p blk for mbuf @p m: the block shared, or a
 * private copy when it has no free owner slot. NULL with rte_errno set if
 * that copy cannot be allocated.
 */
static __rte_always_inline struct rte_mbuf_extension_block *
__rte_mbuf_extension_ref_for(struct rte_mbuf_extension_block *blk,
		const struct rte_mbuf *m)
{
	uint64_t tag = __rte_mbuf_extension_tag(m);

	if (likely(__rte_mbuf_extension_block_get(blk, tag) == 0))
		return blk;
	return __rte_mbuf_extension_block_copy(blk, tag);
}

/** @internal Slow paths of rte_mbuf_extension_add(). */
__rte_experimental
void *__rte_mbuf_extension_add_slow(struct rte_mbuf *m, int id,
		struct rte_mbuf_extension_block *blk);

/** @internal Slow path of rte_mbuf_extension_pktmbuf_free(). */
__rte_experimental
void __rte_mbuf_extension_pktmbuf_free_slow(struct rte_mbuf *m);

/**
 * Register an extension type.
 *
 * Registering the same name again with the same size and alignment returns
 * the same id (so that several components may register a type they share).
 * Types should be registered before rte_mbuf_extension_pool_create(): a
 * type registered after it is accepted only if it fits in the room left in
 * the blocks.
 *
 * A secondary process sees the types of the primary; it registers or looks
 * up the types it uses before using them.
 *
 * @param params
 *   Name, size and alignment of the type.
 * @return
 *   The type id (0 to RTE_MBUF_EXTENSION_MAX - 1), or -1 with rte_errno:
 *   - EINVAL: NULL params, empty name, size 0 or above
 *     RTE_MBUF_EXTENSION_MAX_SIZE, alignment not a power of 2 or above
 *     RTE_MBUF_EXTENSION_MAX_ALIGN, non-zero flags;
 *   - ENAMETOOLONG: name not NUL terminated within
 *     RTE_MBUF_EXTENSION_NAMESIZE;
 *   - EEXIST: the name is registered with another size or alignment;
 *   - ENOSPC: all RTE_MBUF_EXTENSION_MAX ids are taken, or the blocks
 *     already created have no room for it;
 *   - E_RTE_NO_CONFIG: the EAL is not initialised;
 *   - ENOMEM or another value from the dynfield registration.
 */
__rte_experimental
int rte_mbuf_extension_register(const struct rte_mbuf_extension_params *params);

/**
 * Look up an extension type by name.
 *
 * @param name
 *   The name of the type.
 * @param params
 *   If not NULL, filled with the type's parameters.
 * @return
 *   The type id, or -1 with rte_errno ENOENT (unknown name), EINVAL (NULL
 *   name) or E_RTE_NO_CONFIG (EAL not initialised).
 */
__rte_experimental
int rte_mbuf_extension_lookup(const char *name,
		struct rte_mbuf_extension_params *params);

/**
 * Create the extension block pool of a NUMA socket.
 *
 * The block size is fixed here, from the registered types. Call it once
 * per socket that adds extensions, after registering the types. Threads on
 * a socket without a pool allocate from another socket's pool.
 *
 * @param n
 *   Number of blocks, 1 to RTE_MBUF_EXTENSION_POOL_MAX_BLOCKS.
 * @param cache_size
 *   Per-lcore cache size, as for rte_mempool_create().
 * @param socket_id
 *   The socket, or SOCKET_ID_ANY for the caller's.
 * @return
 *   0 on success, a negative errno value on failure (rte_errno set too):
 *   -EINVAL (bad size or socket, no type registered), -EEXIST (the socket
 *   has a pool), -ENOSPC (all pools created), -ENOMEM,
 *   -E_RTE_NO_CONFIG (EAL not initialised), -E_RTE_SECONDARY.
 */
__rte_experimental
int rte_mbuf_extension_pool_create(unsigned int n, unsigned int cache_size,
		int socket_id);

/**
 * Free the block pools, which must have no block in use.
 *
 * @return
 *   0, or -EBUSY (blocks still in use), -E_RTE_SECONDARY.
 */
__rte_experimental
int rte_mbuf_extension_pool_free(void);

/**
 * Add an extension to an mbuf, or get it if it is already there.
 *
 * The data of a new extension is zeroed; the data of an extension already
 * present is returned as it is. If the mbuf shares its block with other
 * mbufs (clones, copies made by the helpers, a block still read by clones
 * that pin this mbuf), the block is copied first and the other holders see
 * no change.
 *
 * On failure the mbuf and its other extensions are unchanged.
 *
 * @param m
 *   The mbuf (the first segment of a packet).
 * @param id
 *   The type id, from rte_mbuf_extension_register().
 * @return
 *   The extension's data, or NULL with rte_errno: EINVAL (NULL mbuf, bad
 *   or unregistered id), ENOMEM (block pool empty), ENODEV (no block pool).
 */
__rte_experimental
static __rte_always_inline void *
rte_mbuf_extension_add(struct rte_mbuf *m, int id)
{
	struct rte_mbuf_extension_block *blk;
	uint8_t *active;

	if (unlikely(m == NULL || (unsigned int)id >= RTE_MBUF_EXTENSION_MAX ||
			!(rte_mbuf_extension_fp.registered & (1u << id)))) {
		rte_errno = EINVAL;
		return NULL;
	}
	blk = __rte_mbuf_extension_view(m);
	if (likely(blk == NULL)) {
		struct rte_mbuf_extension_block *old =
			__rte_mbuf_extension_owned(m);

		if (unlikely(old != NULL))
			return __rte_mbuf_extension_add_slow(m, id, NULL);
		blk = __rte_mbuf_extension_block_alloc(
			__rte_mbuf_extension_tag(m));
		if (unlikely(blk == NULL))
			return NULL;
		*__rte_mbuf_extension_ref(m) =
			__rte_mbuf_extension_make_ref(blk, m);
		*__rte_mbuf_extension_active(m) = (uint8_t)(1u << id);
		m->ol_flags |= rte_mbuf_extension_fp.valid_flag;
		return __rte_mbuf_extension_place_first(blk, id);
	}
	active = __rte_mbuf_extension_active(m);
	if (unlikely(__atomic_load_n(&blk->refcnt, __ATOMIC_RELAXED) != 1 ||
			rte_mbuf_refcnt_read(m) != 1 ||
			/* borrowed: the visible tag is not m's own */
			(*__rte_mbuf_extension_ref(m) &
			 RTE_MBUF_EXTENSION_OWNER_MASK) !=
			__rte_mbuf_extension_tag(m)))
		return __rte_mbuf_extension_add_slow(m, id, blk);
	if (*active & (1u << id))
		return __rte_mbuf_extension_data(blk, id);
	*active |= (uint8_t)(1u << id);
	return __rte_mbuf_extension_place(blk, id);
}

/**
 * Find an extension of an mbuf.
 *
 * @param m
 *   The mbuf (the first segment of a packet).
 * @param id
 *   The type id.
 * @return
 *   The extension's data, or NULL if the mbuf does not have it (rte_errno
 *   is not changed then), or NULL with rte_errno EINVAL (NULL mbuf, id out
 *   of range).
 */
__rte_experimental
static inline void *
rte_mbuf_extension_find(const struct rte_mbuf *m, int id)
{
	struct rte_mbuf_extension_block *blk;

	if (unlikely(m == NULL || (unsigned int)id >= RTE_MBUF_EXTENSION_MAX)) {
		rte_errno = EINVAL;
		return NULL;
	}
	blk = __rte_mbuf_extension_view(m);
	if (blk == NULL || !(*__rte_mbuf_extension_active(m) & (1u << id)))
		return NULL;
	return __rte_mbuf_extension_data(blk, id);
}

/**
 * Tell whether an mbuf has an extension.
 *
 * @param m
 *   The mbuf.
 * @param id
 *   The type id.
 * @return
 *   1 if present, 0 if not or on bad input.
 */
__rte_experimental
static inline int
rte_mbuf_extension_exists(const struct rte_mbuf *m, int id)
{
	return rte_mbuf_extension_find(m, id) != NULL;
}

/**
 * Mask of the extensions an mbuf has (bit N: type id N).
 *
 * @param m
 *   The mbuf.
 * @return
 *   The mask; 0 if none or @p m is NULL.
 */
__rte_experimental
static inline uint8_t
rte_mbuf_extension_active_mask(const struct rte_mbuf *m)
{
	if (m == NULL || __rte_mbuf_extension_view(m) == NULL)
		return 0;
	return *__rte_mbuf_extension_active(m);
}

/**
 * Drop the mbuf's reference to its block and remove all its extensions.
 *
 * If other mbufs may still read the block through this mbuf (it is shared:
 * its mbuf refcnt is above 1, for example because of clones made by
 * rte_pktmbuf_clone()), the extensions are only hidden and the reference is
 * dropped when the mbuf is freed.
 *
 * @param m
 *   The mbuf; NULL is ignored.
 */
__rte_experimental
static inline void
rte_mbuf_extension_reset(struct rte_mbuf *m)
{
	struct rte_mbuf_extension_block *blk;

	if (unlikely(m == NULL))
		return;
	blk = __rte_mbuf_extension_owned(m);
	if (blk != NULL && likely(rte_mbuf_refcnt_read(m) == 1)) {
		*__rte_mbuf_extension_ref(m) = 0;
		__rte_mbuf_extension_block_put(blk,
			__rte_mbuf_extension_tag(m));
	}
	m->ol_flags &= ~rte_mbuf_extension_fp.valid_flag;
	if (rte_mbuf_extension_fp.valid_flag != 0)
		*__rte_mbuf_extension_active(m) = 0;
}

/**
 * Drop the reference an mbuf owns, whatever its ol_flags say, for an mbuf
 * on its way back to its pool: a mempool handler, a custom free path.
 *
 * The caller must be the mbuf's only user (its refcnt is 1, or the mbuf is
 * already free). The direct mbuf of a clone is not touched. Cheap when the
 * mbuf owns nothing: one load of the reference dynfield.
 *
 * @param m
 *   The mbuf (not NULL).
 * @return
 *   1 if a reference was dropped, 0 if the mbuf owned none.
 */
__rte_experimental
static __rte_always_inline int
rte_mbuf_extension_release(struct rte_mbuf *m)
{
	struct rte_mbuf_extension_block *blk = __rte_mbuf_extension_owned(m);

	if (blk == NULL)
		return 0;
	*__rte_mbuf_extension_ref(m) = 0;
	m->ol_flags &= ~rte_mbuf_extension_fp.valid_flag;
	__rte_mbuf_extension_block_put(blk, __rte_mbuf_extension_tag(m));
	return 1;
}

/**
 * Delete an extension from an mbuf.
 *
 * Only this mbuf's bit is cleared: other mbufs sharing the block keep the
 * extension. This never allocates and never fails. When the last extension
 * of the mbuf is deleted, its reference is dropped as by
 * rte_mbuf_extension_reset().
 *
 * @param m
 *   The mbuf; NULL is ignored.
 * @param id
 *   The type id; out of range ids are ignored.
 */
__rte_experimental
static inline void
rte_mbuf_extension_del(struct rte_mbuf *m, int id)
{
	uint8_t *active;

	if (unlikely(m == NULL || (unsigned int)id >= RTE_MBUF_EXTENSION_MAX ||
			__rte_mbuf_extension_view(m) == NULL))
		return;
	active = __rte_mbuf_extension_active(m);
	*active &= (uint8_t)~(1u << id);
	if (*active == 0)
		rte_mbuf_extension_reset(m);
}

/**
 * Make @p dst share the extensions of @p src.
 *
 * The extensions @p dst had are dropped first. Both mbufs then hold a
 * reference to one block; the first to add an extension copies it.
 *
 * @param dst
 *   The mbuf that gets the extensions.
 * @param src
 *   The mbuf that has them.
 * @return
 *   0, or a negative errno value (rte_errno set too): -EINVAL (NULL mbuf),
 *   -EBUSY (@p dst is shared, see rte_mbuf_extension_reset(), and holds a
 *   reference it cannot drop yet), -ENOMEM (the block has
 *   RTE_MBUF_EXTENSION_MAX_OWNERS owners and no block is free for a
 *   copy). Nothing changed on error.
 */
__rte_experimental
static inline int
rte_mbuf_extension_share(struct rte_mbuf *dst, const struct rte_mbuf *src)
{
	struct rte_mbuf_extension_block *blk, *old;

	if (unlikely(dst == NULL || src == NULL)) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	if (unlikely(dst == src))
		return 0;
	/* Before taking the new reference: dst's field may name the same
	 * block with dst's tag (a stale copy), which the new slot would make
	 * look owned.
	 */
	old = __rte_mbuf_extension_owned(dst);
	if (unlikely(old != NULL && rte_mbuf_refcnt_read(dst) != 1)) {
		rte_errno = EBUSY;
		return -EBUSY;
	}
	blk = __rte_mbuf_extension_view(src);
	if (blk == NULL) {
		rte_mbuf_extension_reset(dst);
		return 0;
	}
	blk = __rte_mbuf_extension_ref_for(blk, dst);
	if (unlikely(blk == NULL))
		return -rte_errno;
	if (old != NULL)
		__rte_mbuf_extension_block_put(old,
			__rte_mbuf_extension_tag(dst));
	*__rte_mbuf_extension_ref(dst) = __rte_mbuf_extension_make_ref(blk,
		dst);
	*__rte_mbuf_extension_active(dst) = *__rte_mbuf_extension_active(src);
	dst->ol_flags |= rte_mbuf_extension_fp.valid_flag;
	return 0;
}

/**
 * @internal Give a clone or copy of @p src, which holds a copy of its
 * dynamic fields and no reference, a reference of its own. Returns 0, or
 * -1 with rte_errno ENOMEM (the new mbuf then has no extension).
 */
static __rte_always_inline int
__rte_mbuf_extension_adopt(struct rte_mbuf *mc, const struct rte_mbuf *src)
{
	struct rte_mbuf_extension_block *blk = __rte_mbuf_extension_view(src);

	/* The copied reference is not mc's, even if its owner tag names
	 * mc's address (a freed mbuf that mc now reuses).
	 */
	*__rte_mbuf_extension_ref(mc) = 0;
	if (blk == NULL) {
		mc->ol_flags &= ~rte_mbuf_extension_fp.valid_flag;
		return 0;
	}
	blk = __rte_mbuf_extension_ref_for(blk, mc);
	if (unlikely(blk == NULL)) {
		mc->ol_flags &= ~rte_mbuf_extension_fp.valid_flag;
		return -1;
	}
	*__rte_mbuf_extension_ref(mc) = __rte_mbuf_extension_make_ref(blk, mc);
	*__rte_mbuf_extension_active(mc) = *__rte_mbuf_extension_active(src);
	mc->ol_flags |= rte_mbuf_extension_fp.valid_flag;
	return 0;
}

/**
 * rte_pktmbuf_clone() whose clone holds its own reference to the
 * extensions of @p md.
 *
 * @param md
 *   The packet to clone.
 * @param mp
 *   The pool of the clone's mbufs.
 * @return
 *   The clone, or NULL: rte_pktmbuf_clone() failed, or rte_errno ENOMEM
 *   (the block has RTE_MBUF_EXTENSION_MAX_OWNERS owners and no block is
 *   free for a copy).
 */
__rte_experimental
static inline struct rte_mbuf *
rte_mbuf_extension_pktmbuf_clone(struct rte_mbuf *md, struct rte_mempool *mp)
{
	struct rte_mbuf *mc = rte_pktmbuf_clone(md, mp);

	if (mc != NULL && unlikely(__rte_mbuf_extension_adopt(mc, md) < 0)) {
		rte_pktmbuf_free(mc);
		return NULL;
	}
	return mc;
}

/**
 * rte_pktmbuf_copy() whose copy holds its own reference to the extensions
 * of @p m.
 *
 * @param m
 *   The packet to copy.
 * @param mp
 *   The pool of the copy's mbufs.
 * @param offset
 *   Offset of the data to copy.
 * @param length
 *   Length of the data to copy (UINT32_MAX: to the end).
 * @return
 *   The copy, or NULL: rte_pktmbuf_copy() failed, or rte_errno ENOMEM as
 *   for rte_mbuf_extension_pktmbuf_clone().
 */
__rte_experimental
static inline struct rte_mbuf *
rte_mbuf_extension_pktmbuf_copy(const struct rte_mbuf *m,
		struct rte_mempool *mp, uint32_t offset, uint32_t length)
{
	struct rte_mbuf *mc = rte_pktmbuf_copy(m, mp, offset, length);

	if (mc != NULL && unlikely(__rte_mbuf_extension_adopt(mc, m) < 0)) {
		rte_pktmbuf_free(mc);
		return NULL;
	}
	return mc;
}

/**
 * rte_pktmbuf_free() that also drops the packet's reference to its
 * extensions when the packet is really freed (its refcnt reaches 0),
 * including the reference of the direct mbuf a clone releases.
 *
 * @param m
 *   The packet; NULL is ignored.
 */
__rte_experimental
static inline void
rte_mbuf_extension_pktmbuf_free(struct rte_mbuf *m)
{
	if (unlikely(m == NULL))
		return;
	if (unlikely(rte_mbuf_refcnt_read(m) != 1 || RTE_MBUF_CLONED(m))) {
		__rte_mbuf_extension_pktmbuf_free_slow(m);
		return;
	}
	rte_mbuf_extension_release(m);
	rte_pktmbuf_free(m);
}

/**
 * rte_mbuf_extension_pktmbuf_free() for an array of packets.
 *
 * @param mbufs
 *   The packets; NULL entries are ignored.
 * @param count
 *   Number of packets.
 */
__rte_experimental
void rte_mbuf_extension_pktmbuf_free_bulk(struct rte_mbuf **mbufs,
		unsigned int count);

/**
 * rte_pktmbuf_chain() that first drops the extensions of @p tail, whose
 * first segment stops being a packet's first segment.
 *
 * @param head
 *   The packet to append to.
 * @param tail
 *   The packet appended.
 * @return
 *   0, or -EOVERFLOW (as rte_pktmbuf_chain(); nothing changed).
 */
__rte_experimental
int rte_mbuf_extension_pktmbuf_chain(struct rte_mbuf *head,
		struct rte_mbuf *tail);

/**
 * Read the statistics, summed over all lcores.
 *
 * @param stats
 *   Filled on success.
 * @return
 *   0, or -EINVAL (NULL stats) or -E_RTE_NO_CONFIG (nothing registered).
 */
__rte_experimental
int rte_mbuf_extension_stats_get(struct rte_mbuf_extension_stats *stats);

/**
 * Number of blocks out of all block pools, as the pools count them
 * (rte_mempool_in_use_count(), per-lcore caches included).
 *
 * @return
 *   The count; 0 if no pool exists.
 */
__rte_experimental
unsigned int rte_mbuf_extension_pool_in_use(void);

/**
 * Dump the extensions of an mbuf, or the registry if @p m is NULL.
 *
 * @param f
 *   The output stream.
 * @param m
 *   The mbuf, or NULL.
 */
__rte_experimental
void rte_mbuf_extension_dump(FILE *f, const struct rte_mbuf *m);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_MBUF_EXTENSION_H_ */
