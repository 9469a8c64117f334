/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * References: what an mbuf shows and owns, and every operation that
 * takes, copies or drops one (the slow paths of the inline functions and
 * the functions that are not inline). The identity rules they follow are
 * in doc/guides/mbuf_extension.rst, "Identity".
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "rte_mbuf_extension.h"
#include "mbuf_extension_private.h"

struct rte_mbuf_extension_block *
__rte_mbuf_extension_block_alloc(const struct rte_mbuf *m)
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
		mbext_stat_inc(MBEXT_STAT_ALLOC_FAIL);
		rte_errno = ENOMEM;
		return NULL;
	}
	blk = obj;
	__rte_mbuf_extension_block_init(blk, m, RTE_MBUF_EXTENSION_HDR_CHUNKS,
		0);
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
	 * The owner first, then the lifetime and take count: a slot freed
	 * and taken again by the same direct mbuf in between shows a new
	 * take.
	 */
	if (__atomic_load_n(&blk->owner[word & RTE_MBUF_EXTENSION_SLOT_MASK],
			__ATOMIC_ACQUIRE) != (uintptr_t)md)
		return NULL;
	if (__rte_mbuf_extension_ref_gen(blk,
			(unsigned int)(word & RTE_MBUF_EXTENSION_SLOT_MASK)) !=
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
	struct rte_mbuf_extension_block *blk;
	uint64_t w;

	*kind = VIEW_NONE;
	if (rte_mbuf_extension_fp.valid_flag == 0 ||
			!(m->ol_flags & rte_mbuf_extension_fp.valid_flag))
		return NULL;
	w = __rte_mbuf_extension_ref(m)->word;
	if (w == 0)
		return NULL;
	*word = w;
	if (__rte_mbuf_extension_owns(m, w)) {
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
	uint64_t w;

	if (rte_mbuf_extension_fp.valid_flag == 0)
		return NULL;
	w = __rte_mbuf_extension_ref(m)->word;
	if (w == 0 || !__rte_mbuf_extension_owns(m, w))
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

	ref->gen = __rte_mbuf_extension_ref_gen(blk, slot);
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
	uint64_t o;

	for (i = 0; i < RTE_MBUF_EXTENSION_MAX_OWNERS; i++) {
		o = __atomic_load_n(&blk->owner[i], __ATOMIC_RELAXED);
		if ((o != 0 && o != RTE_MBUF_EXTENSION_SLOT_DONE) ||
				!__atomic_compare_exchange_n(&blk->owner[i], &o,
					RTE_MBUF_EXTENSION_SLOT_BUSY, 0,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			continue;
		/*
		 * The slot is ours while busy: its take count cannot change
		 * under this test (tested before the compare-and-swap, another
		 * lcore's take and release in between could wrap it).
		 */
		if (blk->seq[i] == RTE_MBUF_EXTENSION_SEQ_MAX) {
			__atomic_store_n(&blk->owner[i], o, __ATOMIC_RELEASE);
			continue;
		}
		/* A new take count before the owner (see the borrowed check). */
		__atomic_store_n(&blk->seq[i], blk->seq[i] + 1,
			__ATOMIC_RELAXED);
		__atomic_store_n(&blk->owner[i], (uintptr_t)m, __ATOMIC_RELEASE);
		__atomic_fetch_add(&blk->refcnt, 1, __ATOMIC_RELAXED);
		mbext_stat_inc(MBEXT_STAT_SHARE);
		return (int)i;
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
	mbext_stat_inc(MBEXT_STAT_COW);
	return nb;
}

/*
 * A copy, for @p m, of the block @p src reads without a reference (its
 * direct mbuf's). The block may be released meanwhile by the direct mbuf's
 * thread: it is read, then the view is checked again. While the view
 * holds, the block cannot change (its owner, pinned by @p src, copies
 * before writing) and cannot come back under the same take. NULL with
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
 * are held or when @p src only borrows it. Drops the
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
		/*
		 * Clones may read it through m: keep it until m is freed,
		 * hidden and with no type active, so that
		 * rte_mbuf_extension_restore() finds nothing to show.
		 */
		__rte_mbuf_extension_ref(m)->word = word &
			~((uint64_t)UINT8_MAX << RTE_MBUF_EXTENSION_ACTIVE_SHIFT);
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
	uint64_t word, bit;

	if (m == NULL || (unsigned int)id >= RTE_MBUF_EXTENSION_MAX ||
			rte_mbuf_extension_fp.valid_flag == 0)
		return;
	/*
	 * The mbuf's own word, shown or hidden (ol_flags overwritten): a
	 * type deleted while hidden must not come back with
	 * rte_mbuf_extension_restore(). Only this mbuf's field is written.
	 */
	ref = __rte_mbuf_extension_ref(m);
	word = ref->word;
	bit = UINT64_C(1) << (id + RTE_MBUF_EXTENSION_ACTIVE_SHIFT);
	if (!(word & bit))
		return;
	ref->word = word & ~bit;
	if (word_active(ref->word) == 0)
		rte_mbuf_extension_reset(m);
}

int
rte_mbuf_extension_restore(struct rte_mbuf *m)
{
	uint64_t word;

	if (m == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	if (rte_mbuf_extension_fp.valid_flag == 0)
		return 0;
	if (m->ol_flags & rte_mbuf_extension_fp.valid_flag)
		return rte_mbuf_extension_active_mask(m) != 0;
	word = __rte_mbuf_extension_ref(m)->word;
	if (word_active(word) == 0)
		return 0;
	/*
	 * Only a reference that is still its own, or its direct mbuf's. Its
	 * own only in a handler pool, which clears the word of every mbuf
	 * that comes back: in an opted-in pool an mbuf freed without the
	 * library (a broken promise) would come back owning its previous
	 * packet's block, which must stay hidden.
	 */
	if (__rte_mbuf_extension_owns(m, word)) {
		if (!mbext_pool_releases(m->pool))
			return 0;
	} else if (__rte_mbuf_extension_borrowed(m, word) == NULL) {
		return 0;
	}
	m->ol_flags |= rte_mbuf_extension_fp.valid_flag;
	return 1;
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

/*
 * @p mc, just made from @p src by rte_pktmbuf_clone() or _copy(), with a
 * reference of its own; NULL (rte_errno kept) and @p mc freed if it
 * cannot have one.
 */
static struct rte_mbuf *
adopt_or_free(struct rte_mbuf *mc, const struct rte_mbuf *src)
{
	int err;

	if (mc == NULL || adopt(mc, src) == 0)
		return mc;
	err = rte_errno;
	rte_pktmbuf_free(mc);
	rte_errno = err;
	return NULL;
}

struct rte_mbuf *
rte_mbuf_extension_pktmbuf_clone(struct rte_mbuf *md, struct rte_mempool *mp)
{
	if (md == NULL || mp == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	return adopt_or_free(rte_pktmbuf_clone(md, mp), md);
}

struct rte_mbuf *
rte_mbuf_extension_pktmbuf_copy(const struct rte_mbuf *m,
		struct rte_mempool *mp, uint32_t offset, uint32_t length)
{
	if (m == NULL || mp == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	return adopt_or_free(rte_pktmbuf_copy(m, mp, offset, length), m);
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

/* The extensions of one mbuf, for rte_mbuf_extension_dump(). */
void
mbext_dump_mbuf(FILE *f, const struct rte_mbuf *m)
{
	struct rte_mbuf_extension_block *blk;
	enum view_kind kind;
	uint64_t word = 0;
	uint32_t i;

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

int
rte_mbuf_extension_info_get(const struct rte_mbuf *m,
		struct rte_mbuf_extension_info *info)
{
	struct rte_mbuf_extension_block *blk;
	enum view_kind kind;
	uint64_t word = 0;
	uint32_t i;

	if (m == NULL || info == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	memset(info, 0, sizeof(*info));
	memset(info->offset, 0xff, sizeof(info->offset));
	blk = view(m, &word, &kind);
	if (blk == NULL) {
		rte_errno = ENOENT;
		return -ENOENT;
	}
	info->block = blk;
	info->block_size = rte_mbuf_extension_fp.pool[blk->pool]->elt_size;
	info->gen = blk->gen;
	info->ref_gen = __rte_mbuf_extension_ref(m)->gen;
	info->active = word_active(word);
	info->owned = kind == VIEW_OWNED;
	info->slot = word_slot(word);
	info->refcnt = __atomic_load_n(&blk->refcnt, __ATOMIC_RELAXED);
	info->chunks = blk->chunks;
	for (i = 0; i < RTE_MBUF_EXTENSION_MAX_OWNERS; i++)
		info->takes[i] = __atomic_load_n(&blk->seq[i],
			__ATOMIC_RELAXED);
	for (i = 0; i < RTE_MBUF_EXTENSION_MAX; i++)
		if (info->active & (1u << i))
			info->offset[i] = (int16_t)(blk->offset[i] *
				RTE_MBUF_EXTENSION_CHUNK);
	return 0;
}
