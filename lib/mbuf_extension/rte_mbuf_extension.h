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
 * Each mbuf carries one 16-byte dynamic field and one dynamic flag:
 * - the reference: the block's address, the owner slot of the mbuf in the
 *   block, the block's lifetime and slot take count, and the
 *   active-extensions byte
 *   (bit N set: extension type N is present for this mbuf);
 * - the dynamic flag RTE_MBUF_EXTENSION_DYNFLAG_NAME, set in ol_flags while
 *   the extensions are visible. rte_pktmbuf_reset() and every RX PMD
 *   rewrite ol_flags, so a recycled mbuf never shows stale extensions.
 *
 * Extension types are registered at run time by name, like dynamic fields
 * (rte_mbuf_extension_register()); at most RTE_MBUF_EXTENSION_MAX of them.
 * Blocks come from an rte_mempool created by
 * rte_mbuf_extension_pool_create(), one per NUMA socket, sized for all the
 * registered types.
 *
 * Semantics (as skb_ext):
 * - the block is released when the last mbuf holding it goes back to its
 *   pool;
 * - clones made by rte_mbuf_extension_pktmbuf_clone() share it;
 * - adding to a shared block, or on an mbuf pinned by clones, copies the
 *   block first (copy on write);
 * - deleting clears a bit in the mbuf: it never allocates and never fails;
 * - dropping the last reference uses no atomic read-modify-write.
 *
 * Pools: an mbuf may hold a reference only if its pool releases it when
 * the mbuf comes back: a pool with the "mbuf_ext" mempool handler
 * (drivers/mempool/mbuf_ext), or a pool the application declared with
 * rte_mbuf_extension_pktmbuf_pool_opt_in(), promising to free its mbufs
 * with rte_mbuf_extension_pktmbuf_free(). Adding to an mbuf of any other
 * pool fails with ENOTSUP.
 *
 * Ownership: a block records the address of each mbuf owning a reference
 * to it. DPDK's rte_pktmbuf_clone(), rte_pktmbuf_attach() and
 * rte_pktmbuf_copy() copy the dynamic field into another mbuf without
 * taking a reference; such a copy owns nothing and can release nothing. A
 * clone made by rte_pktmbuf_clone() or rte_pktmbuf_attach() pins its
 * direct mbuf and reads the direct mbuf's block while the direct mbuf
 * still owns it in the same block lifetime (a borrowed view); a copy made
 * by rte_pktmbuf_copy() pins nothing and sees no extension. Plain
 * rte_pktmbuf_attach() must not be given an mbuf that holds a reference:
 * use rte_mbuf_extension_pktmbuf_attach().
 *
 * The design, the invariants and their proofs are in the programmer's
 * guide (doc/guides/mbuf_extension.rst).
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
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "rte_mbuf_extension_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Maximum length of an extension type name, with the terminating NUL. */
#define RTE_MBUF_EXTENSION_NAMESIZE 32

/** Largest alignment an extension type may ask for. */
#define RTE_MBUF_EXTENSION_MAX_ALIGN RTE_CACHE_LINE_SIZE

/** Largest size of one extension type, in bytes. */
#define RTE_MBUF_EXTENSION_MAX_SIZE 1024

/** Largest number of blocks in one block pool. */
#define RTE_MBUF_EXTENSION_POOL_MAX_BLOCKS (1u << 24)

/** Largest number of mbuf pools opted in without the mempool handler. */
#define RTE_MBUF_EXTENSION_MAX_OPT_IN 16

/** Name of the mempool ops that release references (drivers/mempool). */
#define RTE_MBUF_EXTENSION_RELEASE_OPS_NAME "mbuf_ext"

/** Name of the 16-byte reference dynamic field. */
#define RTE_MBUF_EXTENSION_DYNFIELD_NAME "rte_mbuf_extension_ref"
/** Name of the dynamic flag marking the extensions visible. */
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
 * Extension statistics. Blocks in use come from the pools; the other
 * counters are of the slow paths, summed over all lcores (the fast paths
 * count nothing).
 */
struct rte_mbuf_extension_stats {
	uint64_t in_use;     /**< Blocks out of the pools. */
	uint64_t share;      /**< References added to an existing block. */
	uint64_t cow;        /**< Blocks copied (copy on write, full block). */
	uint64_t alloc_fail; /**< Failed block allocations (pool empty). */
	uint64_t refused;    /**< Adds refused: the mbuf's pool (ENOTSUP). */
};

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
 * up the types it uses before using them (this also fills its fast-path
 * data: reference field, flag, block pools). A type registered by either
 * process is found by the other's lookup, with the same id; a process
 * must look it up before adding it (add fails with EINVAL until then),
 * while find, delete and free work on any type a block holds.
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
 * In a secondary process, the first call attaches the process to the
 * primary's registry; every call refreshes the process's copy of the
 * registered types, so that a type registered since (by any process) can
 * be added.
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
 * Primary process only. Create the pools before secondary processes
 * attach (their first lookup or register copies the pool list, which they
 * do not see change afterwards).
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
 * The memory of the blocks is kept (not returned to the heap) until the
 * process exits: mbufs may still carry references to freed pools, and a
 * reference must never point to memory that could become anything else
 * than a block without owner. A pool created afterwards gets new memory.
 *
 * @return
 *   0, or -EBUSY (blocks still in use), -E_RTE_SECONDARY. Not while
 *   secondary processes that use extensions run (they keep the pools).
 */
__rte_experimental
int rte_mbuf_extension_pool_free(void);

/**
 * Allow the mbufs of a pool without the "mbuf_ext" mempool handler to hold
 * extension references.
 *
 * Such a pool does not release the reference of an mbuf that comes back to
 * it. By this call the application promises that every mbuf of @p mp that
 * may hold a reference, and every clone of such an mbuf (its free may be
 * the one that returns the direct mbuf to the pool), is freed with
 * rte_mbuf_extension_pktmbuf_free() or
 * rte_mbuf_extension_pktmbuf_free_bulk(), never by rte_pktmbuf_free() or a
 * PMD. A broken promise leaks the block for good. Pools with the mempool
 * handler need no call. The pool leaves the list when it is freed
 * (rte_mempool_free()): a pool created later at the same address must opt
 * in again.
 *
 * @param mp
 *   The mbuf pool.
 * @return
 *   0 (also when already opted in), or a negative errno value (rte_errno
 *   set too): -EINVAL (NULL), -ENOSPC (RTE_MBUF_EXTENSION_MAX_OPT_IN pools
 *   opted in), -E_RTE_NO_CONFIG (nothing registered yet, in this process
 *   or, for a secondary, in the primary). The list is shared: a pool
 *   opted in by one process is opted in for all.
 */
__rte_experimental
int rte_mbuf_extension_pktmbuf_pool_opt_in(struct rte_mempool *mp);

/**
 * Add an extension to an mbuf, or get it if it is already there.
 *
 * The data of a new extension is zeroed; the data of an extension already
 * present is returned as it is. If the mbuf shares its block with other
 * owners (clones and copies made by this library, rte_mbuf_extension_share()),
 * or only reads it through its direct mbuf, the block is copied first and
 * the others see no change. A block owned by this mbuf alone is changed in
 * place only while no clone made by rte_pktmbuf_clone() pins the mbuf;
 * those clones stop seeing the block when the mbuf copies it.
 *
 * On failure the mbuf and its other extensions are unchanged.
 *
 * @param m
 *   The mbuf (the first segment of a packet).
 * @param id
 *   The type id, from rte_mbuf_extension_register().
 * @return
 *   The extension's data, or NULL with rte_errno: EINVAL (NULL mbuf, bad
 *   or unregistered id), ENOTSUP (the mbuf's pool neither has the mempool
 *   handler nor was opted in), ENOMEM (block pool empty), ENODEV (no block
 *   pool).
 */
__rte_experimental
static __rte_always_inline void *
rte_mbuf_extension_add(struct rte_mbuf *m, int id)
{
	struct rte_mbuf_extension_ref *ref;
	struct rte_mbuf_extension_block *blk;
	uint64_t word, bit;

	if (unlikely(m == NULL || (unsigned int)id >= RTE_MBUF_EXTENSION_MAX ||
			!(rte_mbuf_extension_fp.registered & (1u << id)))) {
		rte_errno = EINVAL;
		return NULL;
	}
	bit = UINT64_C(1) << (id + RTE_MBUF_EXTENSION_ACTIVE_SHIFT);
	ref = __rte_mbuf_extension_ref(m);
	word = ref->word;
	if (likely(word == 0)) {
		/* No reference at all: a fresh block. */
		if (unlikely(!__rte_mbuf_extension_pool_ok(m)))
			return NULL;
		blk = __rte_mbuf_extension_block_alloc_first(m, id);
		if (unlikely(blk == NULL))
			return NULL;
		/* Slot 0 of a new lifetime, taken once. */
		ref->gen = blk->gen << RTE_MBUF_EXTENSION_SEQ_BITS;
		/* Its own store: a release reads it back soon, alone. */
		__atomic_store_n(&ref->word, (uintptr_t)blk | bit,
			__ATOMIC_RELAXED);
		m->ol_flags |= rte_mbuf_extension_fp.valid_flag;
		return __rte_mbuf_extension_at(blk,
			rte_mbuf_extension_fp.first_off[id]);
	}
	blk = __rte_mbuf_extension_word_block(word);
	/* A visible block this mbuf owns alone, no clone reads: in place. */
	if (likely((m->ol_flags & rte_mbuf_extension_fp.valid_flag) &&
			rte_mbuf_refcnt_read(m) == 1 &&
			__rte_mbuf_extension_owns(m, word) &&
			__atomic_load_n(&blk->refcnt, __ATOMIC_RELAXED) == 1)) {
		if ((word & bit) && likely(blk->offset[id] != 0))
			return __rte_mbuf_extension_at(blk, blk->offset[id]);
		ref->word = word | bit;
		return __rte_mbuf_extension_place(blk, id);
	}
	return __rte_mbuf_extension_add_slow(m, id);
}

/**
 * Find an extension of an mbuf.
 *
 * The pointer stays valid while the mbuf holds its reference: until the
 * mbuf is freed, or copies the block on an add, or drops its last
 * extension. For a clone made by rte_pktmbuf_clone(), which reads the
 * block of its direct mbuf, until the direct mbuf does one of these.
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
static __rte_always_inline void *
rte_mbuf_extension_find(const struct rte_mbuf *m, int id)
{
	const struct rte_mbuf_extension_block *blk;
	uint64_t word;
	unsigned int off;

	if (unlikely(m == NULL || (unsigned int)id >= RTE_MBUF_EXTENSION_MAX)) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (!(m->ol_flags & rte_mbuf_extension_fp.valid_flag))
		return NULL;
	word = __rte_mbuf_extension_ref(m)->word;
	if (!(word & (UINT64_C(1) << (id + RTE_MBUF_EXTENSION_ACTIVE_SHIFT))))
		return NULL;
	blk = __rte_mbuf_extension_word_block(word);
	if (unlikely(!__rte_mbuf_extension_owns(m, word)) &&
			__rte_mbuf_extension_borrowed(m, word) == NULL)
		return NULL;
	/* Never the header: a type the block has no room for is absent. */
	off = blk->offset[id];
	if (unlikely(off == 0))
		return NULL;
	return __rte_mbuf_extension_at(blk, off);
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
static __rte_always_inline int
rte_mbuf_extension_exists(const struct rte_mbuf *m, int id)
{
	return rte_mbuf_extension_find(m, id) != NULL;
}

/**
 * Drop the reference an mbuf owns, whatever its ol_flags say, for an mbuf
 * on its way back to its pool: a mempool handler, a custom free path.
 *
 * The caller must be the mbuf's only user (its refcnt is 1, or the mbuf is
 * already free). The mbuf is left without extensions; a bit copy of
 * another mbuf's reference is cleared and not released. The direct mbuf
 * of a clone is not touched. Cheap when the mbuf holds nothing: one load
 * of the reference dynfield.
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
	struct rte_mbuf_extension_ref *ref;
	uint64_t word;

	if (unlikely(rte_mbuf_extension_fp.valid_flag == 0))
		return 0;
	ref = __rte_mbuf_extension_ref(m);
	word = ref->word;
	if (likely(word == 0))
		return 0;
	/* A bit copy owns nothing: clear it so that the next add is fast. */
	ref->word = 0;
	m->ol_flags &= ~rte_mbuf_extension_fp.valid_flag;
	if (!__rte_mbuf_extension_owns(m, word))
		return 0;
	__rte_mbuf_extension_block_put(__rte_mbuf_extension_word_block(word),
		(unsigned int)(word & RTE_MBUF_EXTENSION_SLOT_MASK));
	return 1;
}

/**
 * The populate callback of a mempool handler that releases references on
 * enqueue (struct rte_mempool_ops .populate): the mempool library enqueues
 * objects while it populates the pool, before rte_pktmbuf_init() gives
 * them a header, so the handler would read leftover memory as a
 * reference. This zeroes each object's mbuf header first, then does what
 * rte_mempool_op_populate_default() does.
 *
 * @param mp
 *   The pool, of mbufs.
 * @param max_objs
 *   As for rte_mempool_op_populate_default().
 * @param vaddr
 *   As for rte_mempool_op_populate_default().
 * @param iova
 *   As for rte_mempool_op_populate_default().
 * @param len
 *   As for rte_mempool_op_populate_default().
 * @param obj_cb
 *   Called for each object, after its header is zeroed.
 * @param obj_cb_arg
 *   Its argument.
 * @return
 *   The number of objects added, or a negative errno (-EINVAL: NULL
 *   pool or callback, objects smaller than an mbuf).
 */
__rte_experimental
int rte_mbuf_extension_mempool_populate(struct rte_mempool *mp,
	unsigned int max_objs, void *vaddr, rte_iova_t iova, size_t len,
	rte_mempool_populate_obj_cb_t *obj_cb, void *obj_cb_arg);

/**
 * Tell whether any mbuf may hold an extension reference: false until the
 * library is set up in this process (the first rte_mbuf_extension_register()
 * or rte_mbuf_extension_lookup()), true from then on. A mempool handler
 * tests it once per put, before any per-mbuf work.
 *
 * @return
 *   1 if references may exist, 0 if none can.
 */
__rte_experimental
static __rte_always_inline int
rte_mbuf_extension_enabled(void)
{
	/* Acquire: the fast-path data is read after it (release store). */
	return __atomic_load_n(&rte_mbuf_extension_fp.valid_flag,
		__ATOMIC_ACQUIRE) != 0;
}

/**
 * Drop the extension references of mbufs going back to their pool: what a
 * mempool handler calls on every put (drivers/mempool/mbuf_ext). The same
 * as rte_mbuf_extension_release() on each, with one test for all of them
 * while no extension type is registered.
 *
 * @param objs
 *   The mbufs, each freed (no other user).
 * @param n
 *   How many.
 * @return
 *   The number of references dropped.
 */
__rte_experimental
static __rte_always_inline unsigned int
rte_mbuf_extension_release_bulk(void * const *objs, unsigned int n)
{
	unsigned int i, released = 0;

	/* Nothing can own a block before the library is set up. */
	if (!rte_mbuf_extension_enabled())
		return 0;
	for (i = 0; i < n; i++)
		released += rte_mbuf_extension_release(
			(struct rte_mbuf *)objs[i]);
	return released;
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
uint8_t rte_mbuf_extension_active_mask(const struct rte_mbuf *m);

/**
 * Delete an extension from an mbuf.
 *
 * Only this mbuf's bit is cleared: other mbufs sharing the block keep the
 * extension. This never allocates and never fails. When the last extension
 * of the mbuf is deleted, it is reset as by rte_mbuf_extension_reset().
 *
 * @param m
 *   The mbuf; NULL is ignored.
 * @param id
 *   The type id; out of range ids are ignored.
 */
__rte_experimental
void rte_mbuf_extension_del(struct rte_mbuf *m, int id);

/**
 * Remove all the extensions of an mbuf and drop its reference.
 *
 * If clones made by rte_pktmbuf_clone() may read the block through this
 * mbuf (its mbuf refcnt is above 1), the extensions are only hidden and
 * the reference is dropped when the mbuf is freed.
 *
 * @param m
 *   The mbuf; NULL is ignored.
 */
__rte_experimental
void rte_mbuf_extension_reset(struct rte_mbuf *m);

/**
 * Show again the extensions of an mbuf whose ol_flags were overwritten.
 *
 * An mbuf shows its extensions while a dynamic flag of its ol_flags is
 * set. Code that assigns ol_flags instead of setting bits in it (testpmd's
 * mac and csum engines, many TX paths) clears that flag: find() then sees
 * nothing, and the reference stays owned and is released as usual with the
 * mbuf. This sets the flag again, with at least one extension active,
 * when the mbuf borrows its direct mbuf's reference (a clone made by
 * rte_pktmbuf_clone()), or holds its own reference and comes from a pool
 * with the mbuf_ext handler. In an opted-in pool an mbuf's own reference
 * is not restored: such a pool cannot tell an mbuf that kept its
 * reference from one freed without the library and allocated again.
 * What rte_mbuf_extension_del() and rte_mbuf_extension_reset() removed,
 * shown or hidden, stays removed.
 *
 * @param m
 *   The mbuf.
 * @return
 *   1 if the mbuf shows extensions after the call, 0 if it has none to
 *   show, -EINVAL if @p m is NULL (rte_errno set to EINVAL).
 */
__rte_experimental
int rte_mbuf_extension_restore(struct rte_mbuf *m);

/**
 * Make @p dst share the extensions of @p src.
 *
 * The extensions @p dst had are dropped. Both mbufs then own a reference
 * to one block (or @p dst a copy, when the block has
 * RTE_MBUF_EXTENSION_MAX_OWNERS owners, or when
 * @p src only reads it through its direct mbuf); the first to add copies
 * it.
 *
 * @param dst
 *   The mbuf that gets the extensions.
 * @param src
 *   The mbuf that has them.
 * @return
 *   0, or a negative errno value (rte_errno set too): -EINVAL (NULL mbuf),
 *   -EBUSY (@p dst owns a reference that clones of it may read, see
 *   rte_mbuf_extension_reset()), -ENOTSUP (the pool of @p dst, see
 *   rte_mbuf_extension_add()), -ENOMEM (a copy was needed and no block is
 *   free). Nothing changed on error.
 */
__rte_experimental
int rte_mbuf_extension_share(struct rte_mbuf *dst, const struct rte_mbuf *src);

/**
 * rte_pktmbuf_clone() whose clone owns a reference to the extensions of
 * @p md (the kernel's skb_clone()).
 *
 * @param md
 *   The packet to clone.
 * @param mp
 *   The pool of the clone's mbufs.
 * @return
 *   The clone, or NULL: rte_pktmbuf_clone() failed, or rte_errno ENOTSUP
 *   (@p md has extensions and @p mp may not hold references, see
 *   rte_mbuf_extension_add()) or ENOMEM (a copy was needed and no block
 *   is free).
 */
__rte_experimental
struct rte_mbuf *
rte_mbuf_extension_pktmbuf_clone(struct rte_mbuf *md, struct rte_mempool *mp);

/**
 * rte_pktmbuf_copy() whose copy owns a reference to the extensions of
 * @p m.
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
 *   The copy, or NULL: rte_pktmbuf_copy() failed, or rte_errno ENOTSUP or
 *   ENOMEM as for rte_mbuf_extension_pktmbuf_clone().
 */
__rte_experimental
struct rte_mbuf *
rte_mbuf_extension_pktmbuf_copy(const struct rte_mbuf *m,
		struct rte_mempool *mp, uint32_t offset, uint32_t length);

/**
 * rte_pktmbuf_attach() for an mbuf that may hold extensions: @p mi drops
 * its own reference first, is attached to @p m, and then owns a reference
 * to the extensions of @p m, as a clone made by
 * rte_mbuf_extension_pktmbuf_clone().
 *
 * Plain rte_pktmbuf_attach() overwrites the reference of @p mi without
 * releasing it: the block leaks, and a bit copy of that reference made
 * earlier could later show it again in an mbuf at the address of @p mi.
 * Never give it an mbuf that holds extensions.
 *
 * @param mi
 *   The mbuf to attach: direct, refcnt 1, as for rte_pktmbuf_attach().
 * @param m
 *   The packet to attach to.
 * @return
 *   0, or a negative errno value (rte_errno set too): -EINVAL (NULL,
 *   @p mi not direct or shared), -ENOTSUP or -ENOMEM as for
 *   rte_mbuf_extension_pktmbuf_clone(): @p mi is attached then, without
 *   extensions.
 */
__rte_experimental
int rte_mbuf_extension_pktmbuf_attach(struct rte_mbuf *mi,
		struct rte_mbuf *m);

/**
 * rte_pktmbuf_free() that also drops the reference of every segment that
 * goes back to its pool, including the direct mbuf a clone releases. The
 * free path for pools opted in with rte_mbuf_extension_pktmbuf_pool_opt_in();
 * in a pool with the mempool handler it does what rte_pktmbuf_free() does.
 *
 * @param m
 *   The packet; NULL is ignored.
 */
__rte_experimental
void rte_mbuf_extension_pktmbuf_free(struct rte_mbuf *m);

/**
 * rte_mbuf_extension_pktmbuf_free() for each packet of an array, in order.
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
 *   0, or -EINVAL (NULL), -EOVERFLOW (as rte_pktmbuf_chain(); nothing
 *   changed).
 */
__rte_experimental
int rte_mbuf_extension_pktmbuf_chain(struct rte_mbuf *head,
		struct rte_mbuf *tail);

/**
 * Read the statistics.
 *
 * @param stats
 *   Filled on success.
 * @return
 *   0, or -EINVAL (NULL stats) or -E_RTE_NO_CONFIG (nothing registered).
 *   The counters are shared by all processes; a secondary reads the
 *   primary's before any lookup.
 */
__rte_experimental
int rte_mbuf_extension_stats_get(struct rte_mbuf_extension_stats *stats);

/**
 * Number of blocks out of all block pools, as the pools count them
 * (rte_mempool_in_use_count(), per-lcore caches included), by all
 * processes.
 *
 * @return
 *   The count; 0 if no pool exists.
 */
__rte_experimental
unsigned int rte_mbuf_extension_pool_in_use(void);

/**
 * The block pool serving a NUMA socket.
 *
 * For inspection (its size, rte_mempool_obj_iter(), ...): blocks are taken
 * from it and given back by the library only.
 *
 * @param socket_id
 *   A socket, or SOCKET_ID_ANY for the caller's.
 * @return
 *   The pool (that of another socket when the socket has none), or NULL
 *   with rte_errno set: ENOENT (no block pool yet), EINVAL (bad socket).
 */
__rte_experimental
struct rte_mempool *rte_mbuf_extension_pool_lookup(int socket_id);

/**
 * What an mbuf's extensions are made of: the block it shows and how it
 * holds it. For tests, debugging and tools; the fast paths never need it.
 */
struct rte_mbuf_extension_info {
	const void *block;   /**< The block the mbuf shows. */
	size_t block_size;   /**< Bytes in a block, header included. */
	uint64_t gen;        /**< The block's lifetime number. */
	uint64_t ref_gen;    /**< The take the mbuf's reference names. */
	uint32_t refcnt;     /**< Owner slots of the block in use. */
	uint32_t chunks;     /**< Chunks in use, header included. */
	uint8_t active;      /**< Active-extensions mask of the mbuf. */
	/** 1: the mbuf owns a reference; 0: it borrows its direct mbuf's. */
	uint8_t owned;
	uint8_t slot;        /**< Owner slot of the reference. */
	/** Per owner slot: times it was taken in this lifetime. */
	uint16_t takes[RTE_MBUF_EXTENSION_MAX_OWNERS];
	/** Per type: byte offset of its data in the block; -1: not active. */
	int16_t offset[RTE_MBUF_EXTENSION_MAX];
};

/**
 * Describe the block an mbuf shows.
 *
 * @param m
 *   The mbuf.
 * @param info
 *   Filled on success.
 * @return
 *   0; -ENOENT if the mbuf shows no extension, -EINVAL if an argument is
 *   NULL (rte_errno set to the same).
 */
__rte_experimental
int rte_mbuf_extension_info_get(const struct rte_mbuf *m,
	struct rte_mbuf_extension_info *info);

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
