/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _RTE_MBUF_EXTENSION_CORE_H_
#define _RTE_MBUF_EXTENSION_CORE_H_

/**
 * @file
 * RTE mbuf extensions: layouts the inline fast paths need
 *
 * Do not include this file directly: include rte_mbuf_extension.h. Nothing
 * here is API; it is visible only because find, add, and release are
 * inline.
 */

#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_mempool.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Maximum number of extension types (bits of the active byte). */
#define RTE_MBUF_EXTENSION_MAX 8

/** Extension data is laid out in chunks of this many bytes. */
#define RTE_MBUF_EXTENSION_CHUNK 8

/**
 * Largest number of mbufs owning a reference to one block at a time.
 * Sharing a block with one more mbuf gives that mbuf a copy instead.
 */
#define RTE_MBUF_EXTENSION_MAX_OWNERS 4

/** Largest number of block pools (one per NUMA socket). */
#define RTE_MBUF_EXTENSION_MAX_POOLS 8

/**
 * @internal Header of an extension block (one cache line). Extension data
 * follows it, in RTE_MBUF_EXTENSION_CHUNK byte chunks.
 */
struct rte_mbuf_extension_block {
	/**
	 * Lifetime number: increased each time the block leaves its pool.
	 * A reference records it with its slot's take count; a reference read
	 * through a clone's direct mbuf is only valid for the same take.
	 */
	uint64_t gen;
	uint32_t refcnt;  /**< Owner slots in use. */
	uint8_t pool;     /**< Number of the pool the block belongs to. */
	uint8_t chunks;   /**< Chunks used, header included. */
	uint8_t reserved[2]; /**< Zero. */
	__extension__
	union {
		/**
		 * Per owner slot: how many times it was taken in this
		 * lifetime (RTE_MBUF_EXTENSION_SEQ_MAX: not to be taken
		 * again in it).
		 */
		uint16_t seq[RTE_MBUF_EXTENSION_MAX_OWNERS];
		uint64_t seq_all; /**< The four counts, to reset at once. */
	};
	/** Per type: data offset from the block start in chunks, 0: none. */
	uint8_t offset[RTE_MBUF_EXTENSION_MAX];
	/**
	 * Address of the mbuf owning each reference; 0: never taken;
	 * RTE_MBUF_EXTENSION_SLOT_DONE: released. Only the thread using an
	 * mbuf writes its address into a slot.
	 */
	uint64_t owner[RTE_MBUF_EXTENSION_MAX_OWNERS];
};

/** @internal Chunks taken by the block header. */
#define RTE_MBUF_EXTENSION_HDR_CHUNKS \
	(sizeof(struct rte_mbuf_extension_block) / RTE_MBUF_EXTENSION_CHUNK)

/**
 * @internal The reference dynamic field (16 bytes, 8-byte aligned).
 *
 * @c word holds the block address, the owner slot in its low bits (blocks
 * are cache-line aligned) and the active-extensions byte in its top byte;
 * 0 means no reference. @c gen names the take: the block's lifetime
 * number (upper 48 bits) and the slot's take count in it (lower 16).
 */
struct rte_mbuf_extension_ref {
	uint64_t gen;  /**< Lifetime << 16 | take count of the slot. */
	uint64_t word; /**< Block address | owner slot | active << 56. */
};

/** @internal Owner slot value of a released reference. */
#define RTE_MBUF_EXTENSION_SLOT_DONE UINT64_C(1)
/** @internal Owner slot value while a slot is being taken. */
#define RTE_MBUF_EXTENSION_SLOT_BUSY UINT64_C(2)
/** @internal Bits of a reference's gen holding the slot's take count. */
#define RTE_MBUF_EXTENSION_SEQ_BITS 16
/** @internal Take count after which a slot rests until the next lifetime. */
#define RTE_MBUF_EXTENSION_SEQ_MAX UINT16_MAX

/** @internal Bits of the reference word holding the owner slot. */
#define RTE_MBUF_EXTENSION_SLOT_MASK UINT64_C(0x3)
/** @internal Shift of the active byte in the reference word. */
#define RTE_MBUF_EXTENSION_ACTIVE_SHIFT 56
/** @internal Bits of the reference word holding the block address. */
#define RTE_MBUF_EXTENSION_ADDR_MASK UINT64_C(0x00ffffffffffffc0)

/**
 * @internal Process-local copy of what the inline functions need. Filled
 * by rte_mbuf_extension_register(), rte_mbuf_extension_lookup() and
 * rte_mbuf_extension_pool_create(); all zero before, which makes every
 * lookup miss.
 */
struct rte_mbuf_extension_fp_data {
	uint64_t valid_flag;        /**< Dynflag mask, 0 until registered. */
	int ref_offset;             /**< Offset of the reference dynfield. */
	/** Ops index of the mempool handler that releases, -1: not known. */
	int32_t release_ops;
	/** The opted-in mbuf pool last checked (any opted-in pool will do). */
	const struct rte_mempool *opt_in_hint;
	uint8_t registered;         /**< Mask of registered type ids. */
	uint8_t size_chunks[RTE_MBUF_EXTENSION_MAX];  /**< Per type. */
	uint8_t align_chunks[RTE_MBUF_EXTENSION_MAX]; /**< Per type. */
	/** Per type: data offset in chunks when first in a block. */
	uint8_t first_off[RTE_MBUF_EXTENSION_MAX];
	/** Per type: chunks used when it is first (and alone) in a block. */
	uint8_t first_chunks[RTE_MBUF_EXTENSION_MAX];
	/** Per type: the offset[] array of a block holding it first. */
	uint64_t first_offsets[RTE_MBUF_EXTENSION_MAX];
	/** The only block pool; NULL when there are none or several. */
	struct rte_mempool *alloc_pool;
	/** Pool by pool number. */
	struct rte_mempool *pool[RTE_MBUF_EXTENSION_MAX_POOLS];
	/** Pool to allocate from, per NUMA socket (falls back to another). */
	struct rte_mempool *socket_pool[RTE_MAX_NUMA_NODES];
};

/** @internal Fast-path data of this process. */
extern struct rte_mbuf_extension_fp_data rte_mbuf_extension_fp;

/** @internal Reference dynfield of an mbuf. */
static __rte_always_inline struct rte_mbuf_extension_ref *
__rte_mbuf_extension_ref(const struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, rte_mbuf_extension_fp.ref_offset,
		struct rte_mbuf_extension_ref *);
}

/** @internal Block named by a non-zero reference word. */
static __rte_always_inline struct rte_mbuf_extension_block *
__rte_mbuf_extension_word_block(uint64_t word)
{
	return (struct rte_mbuf_extension_block *)(uintptr_t)
		(word & RTE_MBUF_EXTENSION_ADDR_MASK);
}

/**
 * @internal Tell whether mbuf @p m owns the non-zero reference word
 * @p word it carries: the owner slot the word names holds m's address.
 * Only the thread using an mbuf writes its address into a slot, and it
 * marks the slot released before that mbuf can go back to its pool: a bit
 * copy of the reference in another mbuf, or in a later mbuf at the same
 * address, never passes. (The reference's gen is not read: only a misuse
 * of rte_pktmbuf_attach() could make it differ.)
 */
static __rte_always_inline int
__rte_mbuf_extension_owns(const struct rte_mbuf *m, uint64_t word)
{
	const struct rte_mbuf_extension_block *blk =
		__rte_mbuf_extension_word_block(word);

	return __atomic_load_n(&blk->owner[word & RTE_MBUF_EXTENSION_SLOT_MASK],
		__ATOMIC_RELAXED) == (uintptr_t)m;
}

/**
 * @internal The gen a reference to slot @p slot of @p blk records: the
 * block's lifetime and how many times the slot was taken in it.
 */
static __rte_always_inline uint64_t
__rte_mbuf_extension_ref_gen(const struct rte_mbuf_extension_block *blk,
		unsigned int slot)
{
	/*
	 * The take count first: the allocator writes the lifetime, then
	 * the counts (release). A count of a new lifetime is thus never
	 * paired with the lifetime before.
	 */
	uint64_t seq = __atomic_load_n(&blk->seq[slot], __ATOMIC_ACQUIRE);

	return __atomic_load_n(&blk->gen, __ATOMIC_RELAXED) <<
		RTE_MBUF_EXTENSION_SEQ_BITS | seq;
}

/** @internal Return a block with no owner left to its pool. */
static __rte_always_inline void
__rte_mbuf_extension_block_to_pool(struct rte_mbuf_extension_block *blk)
{
	struct rte_mempool *mp = rte_mbuf_extension_fp.alloc_pool;

	/* With one pool, no need to read which (nor to wait for the load). */
	if (unlikely(mp == NULL))
		mp = rte_mbuf_extension_fp.pool[blk->pool];
	rte_mempool_put(mp, blk);
}

/**
 * @internal Release owner slot @p slot of a block and drop its count. The
 * last count is dropped without atomic read-modify-write.
 */
static __rte_always_inline void
__rte_mbuf_extension_block_put(struct rte_mbuf_extension_block *blk,
		unsigned int slot)
{
	__atomic_store_n(&blk->owner[slot], RTE_MBUF_EXTENSION_SLOT_DONE,
		__ATOMIC_RELEASE);
	if (likely(__atomic_load_n(&blk->refcnt, __ATOMIC_ACQUIRE) == 1) ||
			__atomic_sub_fetch(&blk->refcnt, 1,
				__ATOMIC_ACQ_REL) == 0)
		__rte_mbuf_extension_block_to_pool(blk);
}

/**
 * @internal A block from the pool of the caller's socket, owned by @p m in
 * slot 0, or NULL with rte_errno ENOMEM (pool empty) or ENODEV (no pool).
 */
__rte_experimental
struct rte_mbuf_extension_block *
__rte_mbuf_extension_block_alloc(const struct rte_mbuf *m);

/**
 * @internal Start a new lifetime of block @p blk, just taken from its
 * pool, for @p m in slot 0, with @p chunks used and the offsets @p offsets
 * (an 8-byte image of the offset array).
 */
static __rte_always_inline void
__rte_mbuf_extension_block_init(struct rte_mbuf_extension_block *blk,
		const struct rte_mbuf *m, unsigned int chunks, uint64_t offsets)
{
	/*
	 * A new lifetime and take counts first, then the owner (see the
	 * borrowed check). The other slots are released or never taken.
	 */
	__atomic_store_n(&blk->gen, blk->gen + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&blk->seq_all, 0, __ATOMIC_RELEASE);
	blk->refcnt = 1;
	blk->chunks = (uint8_t)chunks;
	memcpy(blk->offset, &offsets, sizeof(blk->offset));
	__atomic_store_n(&blk->owner[0], (uintptr_t)m, __ATOMIC_RELEASE);
}

/** @internal Data of type @p id in a block, at @p off chunks. */
static __rte_always_inline void *
__rte_mbuf_extension_at(const struct rte_mbuf_extension_block *blk,
		unsigned int off)
{
	return RTE_PTR_ADD(blk, (size_t)off * RTE_MBUF_EXTENSION_CHUNK);
}

/**
 * @internal Zero @p n chunks of extension data.
 */
static __rte_always_inline void
__rte_mbuf_extension_zero(void *data, unsigned int n)
{
	/*
	 * Small types (the usual case): a memset() of constant size, which
	 * the compiler makes a few stores. Four cases at most, so that the
	 * switch stays a chain of compares rather than a jump table.
	 */
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
 * @internal Give type @p id room in a block owned by one mbuf only (the
 * room it had stays), zero its data and return it.
 */
static __rte_always_inline void *
__rte_mbuf_extension_place(struct rte_mbuf_extension_block *blk, int id)
{
	unsigned int off = blk->offset[id];
	void *data;

	if (off == 0) {
		off = RTE_ALIGN_CEIL(blk->chunks,
			rte_mbuf_extension_fp.align_chunks[id]);
		blk->offset[id] = (uint8_t)off;
		blk->chunks = (uint8_t)(off +
			rte_mbuf_extension_fp.size_chunks[id]);
	}
	data = __rte_mbuf_extension_at(blk, off);
	__rte_mbuf_extension_zero(data, rte_mbuf_extension_fp.size_chunks[id]);
	return data;
}

/** @internal Place type @p id first in a block just allocated. */
static __rte_always_inline void *
__rte_mbuf_extension_place_first(struct rte_mbuf_extension_block *blk,
		int id)
{
	unsigned int off = rte_mbuf_extension_fp.first_off[id];
	unsigned int size = rte_mbuf_extension_fp.size_chunks[id];
	void *data = __rte_mbuf_extension_at(blk, off);

	blk->offset[id] = (uint8_t)off;
	blk->chunks = (uint8_t)(off + size);
	__rte_mbuf_extension_zero(data, size);
	return data;
}

/**
 * @internal A block from the pool, owned by @p m in slot 0 and laid out
 * for type @p id first, with its data zeroed: the fresh add in one go.
 * NULL with rte_errno as __rte_mbuf_extension_block_alloc().
 */
static __rte_always_inline struct rte_mbuf_extension_block *
__rte_mbuf_extension_block_alloc_first(const struct rte_mbuf *m, int id)
{
	struct rte_mbuf_extension_block *blk;
	void *obj;

	if (unlikely(rte_mbuf_extension_fp.alloc_pool == NULL ||
			rte_mempool_get(rte_mbuf_extension_fp.alloc_pool,
				&obj) < 0)) {
		blk = __rte_mbuf_extension_block_alloc(m);
		if (blk != NULL)
			__rte_mbuf_extension_place_first(blk, id);
		return blk;
	}
	blk = (struct rte_mbuf_extension_block *)obj;
	__rte_mbuf_extension_block_init(blk, m,
		rte_mbuf_extension_fp.first_chunks[id],
		rte_mbuf_extension_fp.first_offsets[id]);
	__rte_mbuf_extension_zero(__rte_mbuf_extension_at(blk,
		rte_mbuf_extension_fp.first_off[id]),
		rte_mbuf_extension_fp.size_chunks[id]);
	return blk;
}

/**
 * @internal Block of the non-zero word @p word that @p m, which does not
 * own it, may read: the reference is the one @p m's direct mbuf owns (a
 * clone made by rte_pktmbuf_clone() or rte_pktmbuf_attach()). NULL
 * otherwise.
 */
__rte_experimental
struct rte_mbuf_extension_block *
__rte_mbuf_extension_borrowed(const struct rte_mbuf *m, uint64_t word);

/**
 * @internal Tell whether the pool of @p m may hold extension references:
 * it has the releasing mempool handler, or the application opted in. 0, or
 * -1 with rte_errno ENOTSUP.
 */
__rte_experimental
int __rte_mbuf_extension_pool_check(const struct rte_mbuf *m);

/**
 * @internal Tell whether the pool of @p m may hold references: 1, or 0
 * with rte_errno ENOTSUP. Two loads and compares when it may.
 */
static __rte_always_inline int
__rte_mbuf_extension_pool_ok(const struct rte_mbuf *m)
{
	const struct rte_mempool *mp = m->pool;

	return likely(mp->ops_index == rte_mbuf_extension_fp.release_ops ||
		mp == rte_mbuf_extension_fp.opt_in_hint) ||
		__rte_mbuf_extension_pool_check(m) == 0;
}

/**
 * @internal In a secondary process, attach to the registry the primary set
 * up, as rte_mbuf_extension_lookup() does, if it exists: what the mempool
 * handler calls on a put while rte_mbuf_extension_enabled() is false, so
 * that a secondary that never called the library still releases the
 * references of the mbufs it frees. Costs a memzone lookup while there is
 * no registry.
 *
 * @return
 *   1 if extension references may exist (this process is attached), 0 if
 *   none can (a primary not set up, or no registry yet).
 */
__rte_experimental
int __rte_mbuf_extension_secondary_attach(void);

/** @internal Every case of rte_mbuf_extension_add() but the two fast ones. */
__rte_experimental
void *__rte_mbuf_extension_add_slow(struct rte_mbuf *m, int id);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_MBUF_EXTENSION_CORE_H_ */
