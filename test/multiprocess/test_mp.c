/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Extensions across processes: a primary (suite mp_primary) and a
 * secondary (suite mp_secondary) of one EAL file prefix, run together by
 * test_mp.sh with hugepages. The primary registers the types, creates the
 * block pool, an opted-in plain mbuf pool and a pool with the mbuf_ext
 * handler, two rings and a memzone describing what the secondary must
 * find. The cases of the two suites run in step over the rings:
 *
 *   hello        the secondary looks up the types, the reference dynfield
 *                and dynflag, the block pool and the mbuf pools, and
 *                finds them as the primary describes them; the calls a
 *                secondary may not make fail with E_RTE_SECONDARY
 *   opt_in_pool  mbufs of the opted-in pool with extensions (some shared
 *                with a clone the primary keeps) go to the secondary,
 *                which checks, changes, adds, deletes and frees some of
 *                them with the library; the primary checks what comes
 *                back, and that its clones did not change
 *   handler_pool the same with the handler pool; the secondary frees with
 *                plain rte_pktmbuf_free(), the handler releases
 *   late_types   a type the primary registers after the secondary
 *                started, and one the secondary registers, are found by
 *                the other process's lookup with the same id and work on
 *                both sides (add only after the lookup there, find
 *                before); a type too large for the blocks is refused
 *   secpath      SAs of the primary resolved, looked up by SPI and
 *                imported in the secondary; a deletion in the primary
 *                seen there at once (test_mp_secpath.c)
 *   plain_secondary  a second secondary, calling nothing of the library,
 *                frees handler mbufs with rte_pktmbuf_free(): the
 *                handler attaches it and releases every block
 *   bye          both processes hold nothing: no block in use, the mbuf
 *                pools full
 *
 * Every wait is bounded (MP_WAIT_S): a process whose peer died fails its
 * case instead of hanging, and the cases after it at once. The suites have no per-case snapshot/check
 * (test_clean.h): block and mbuf counts are global to both processes and
 * change while the peer works; both check them when they are done (bye).
 */

#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_mempool.h>
#include <rte_memzone.h>
#include <rte_ring.h>

#include <rte_mbuf_extension.h>
#include <rte_mempool_mbuf_ext.h>

#include "test_runner.h"
#include "test_mp.h"

#define MP_RING_P2S "mbext_mp_p2s"
#define MP_RING_S2P "mbext_mp_s2p"
#define MP_INFO_MZ "mbext_mp_info"
#define MP_PLAIN_POOL "mbext_mp_plain"
#define MP_HANDLER_POOL "mbext_mp_handler"
#define MP_POOL_SIZE 511

#define MP_MAGIC_A UINT32_C(0x6d706131)
#define MP_MAGIC_A2 UINT32_C(0x6d706132)
#define MP_MAGIC_LATE UINT64_C(0x6c617465)

struct mp_a {
	uint32_t seq;
	uint32_t magic;
	uint64_t stamp;
};

static const struct rte_mbuf_extension_params mp_a_params = {
	.name = "mp_a", .size = sizeof(struct mp_a),
	.align = __alignof__(struct mp_a),
};
static const struct rte_mbuf_extension_params mp_b_params = {
	.name = "mp_b", .size = sizeof(uint64_t), .align = sizeof(uint64_t),
};
static const struct rte_mbuf_extension_params mp_late_params = {
	.name = "mp_late", .size = sizeof(uint64_t), .align = sizeof(uint64_t),
};
static const struct rte_mbuf_extension_params mp_sec_params = {
	.name = "mp_sec", .size = sizeof(uint64_t), .align = sizeof(uint64_t),
};
/* Larger than the room the blocks have left: ENOSPC. */
static const struct rte_mbuf_extension_params mp_big_params = {
	.name = "mp_big", .size = 1024, .align = 8,
};

struct mp_info *info;
/* Set once a wait timed out: the peer is gone, later waits fail at once. */
static int peer_lost;
static struct rte_ring *to_peer, *from_peer;
static int id_a, id_b;

int
mp_send(void *obj)
{
	uint64_t deadline = rte_get_timer_cycles() +
		MP_WAIT_S * rte_get_timer_hz();

	while (rte_ring_enqueue(to_peer, obj) != 0) {
		if (peer_lost || rte_get_timer_cycles() > deadline) {
			if (!peer_lost)
				printf("  ring %s full for %d s\n",
					to_peer->name, MP_WAIT_S);
			peer_lost = 1;
			return -1;
		}
		rte_delay_us_sleep(100);
	}
	return 0;
}

int
mp_send_msg(enum mp_msg msg)
{
	return mp_send((void *)(uintptr_t)msg);
}

/* The next object from the peer, NULL after MP_WAIT_S seconds. */
void *
mp_recv(void)
{
	uint64_t deadline = rte_get_timer_cycles() +
		MP_WAIT_S * rte_get_timer_hz();
	void *obj;

	while (rte_ring_dequeue(from_peer, &obj) != 0) {
		if (peer_lost || rte_get_timer_cycles() > deadline) {
			printf(peer_lost ? "  peer lost earlier\n" :
				"  nothing from the peer for %d s (dead?)\n",
				MP_WAIT_S);
			peer_lost = 1;
			return NULL;
		}
		rte_delay_us_sleep(100);
	}
	return obj;
}

int
mp_is_msg(const void *obj)
{
	return (uintptr_t)obj < MP_MSG_MAX;
}

/* Wait for control message @p msg; anything else fails. */
int
mp_expect_msg(enum mp_msg msg)
{
	void *obj = mp_recv();

	if (obj == NULL)
		return -1;
	if ((uintptr_t)obj != msg) {
		printf("  expected message %d, got %p\n", msg, obj);
		return -1;
	}
	return 0;
}

/* Receive @p n mbufs then PHASE_DONE. */
int
mp_recv_mbufs(struct rte_mbuf **m, unsigned int n, unsigned int *got)
{
	void *obj;

	*got = 0;
	for (;;) {
		obj = mp_recv();
		if (obj == NULL)
			return -1;
		if (mp_is_msg(obj))
			break;
		if (*got == n) {
			printf("  more mbufs than %u\n", n);
			rte_pktmbuf_free(obj);
			return -1;
		}
		m[(*got)++] = obj;
	}
	if ((uintptr_t)obj != MP_MSG_PHASE_DONE) {
		printf("  expected the end of the phase, got %p\n", obj);
		return -1;
	}
	return 0;
}

uint32_t
mp_seq(const struct rte_mbuf *m)
{
	return *rte_pktmbuf_mtod(m, const uint32_t *);
}

/* ---- primary ---- */

struct rte_mempool *plain, *handler;

static int
mp_primary_setup(void)
{
	const struct rte_memzone *mz;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		printf("mp_primary must run as --proc-type=primary\n");
		return TEST_FAILED;
	}
	id_a = rte_mbuf_extension_register(&mp_a_params);
	id_b = rte_mbuf_extension_register(&mp_b_params);
	if (id_a < 0 || id_b < 0 || mp_secpath_primary_setup() < 0 ||
			rte_mbuf_extension_pool_create(1024, 32,
				SOCKET_ID_ANY) < 0) {
		printf("set-up: %s\n", rte_strerror(rte_errno));
		return TEST_FAILED;
	}
	plain = rte_pktmbuf_pool_create(MP_PLAIN_POOL, MP_POOL_SIZE, 32, 0,
		256, SOCKET_ID_ANY);
	handler = rte_mbuf_extension_pktmbuf_pool_create(MP_HANDLER_POOL,
		MP_POOL_SIZE, 32, 0, 256, SOCKET_ID_ANY);
	if (plain == NULL || handler == NULL ||
			rte_mbuf_extension_pktmbuf_pool_opt_in(plain) < 0) {
		printf("mbuf pools: %s\n", rte_strerror(rte_errno));
		return TEST_FAILED;
	}
	to_peer = rte_ring_create(MP_RING_P2S, 1024, SOCKET_ID_ANY,
		RING_F_SP_ENQ | RING_F_SC_DEQ);
	from_peer = rte_ring_create(MP_RING_S2P, 1024, SOCKET_ID_ANY,
		RING_F_SP_ENQ | RING_F_SC_DEQ);
	mz = rte_memzone_reserve(MP_INFO_MZ, sizeof(*info), SOCKET_ID_ANY, 0);
	if (to_peer == NULL || from_peer == NULL || mz == NULL) {
		printf("rings, memzone: %s\n", rte_strerror(rte_errno));
		return TEST_FAILED;
	}
	info = mz->addr;
	memset(info, 0, sizeof(*info));
	info->id_a = id_a;
	info->id_b = id_b;
	info->id_late = -1;
	info->id_sec = -1;
	info->ref_offset = rte_mbuf_dynfield_lookup(
		RTE_MBUF_EXTENSION_DYNFIELD_NAME, NULL);
	info->flag_bit = rte_mbuf_dynflag_lookup(
		RTE_MBUF_EXTENSION_DYNFLAG_NAME, NULL);
	info->block_pool = rte_mbuf_extension_pool_lookup(SOCKET_ID_ANY);
	info->plain = plain;
	info->handler = handler;
	/* test_mp.sh starts the secondary on this line. */
	printf("mp_primary: ready for the secondary\n");
	fflush(stdout);
	return TEST_SUCCESS;
}

static int
test_mp_hello(void)
{
	TEST_ASSERT(mp_expect_msg(MP_MSG_HELLO) == 0,
		"no hello from the secondary");
	return TEST_SUCCESS;
}

/* An mbuf of @p mp with its number in its data and extension A. */
static struct rte_mbuf *
mp_mbuf(struct rte_mempool *mp, uint32_t seq)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	struct mp_a *a;
	uint32_t *d;

	if (m == NULL)
		return NULL;
	d = (uint32_t *)rte_pktmbuf_append(m, sizeof(*d));
	*d = seq;
	a = rte_mbuf_extension_add(m, id_a);
	if (a == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	a->seq = seq;
	a->magic = MP_MAGIC_A;
	a->stamp = (uint64_t)seq << 32 | getpid();
	return m;
}

/*
 * Phase 1, opted-in pool: A on all, B (seq * 7) on even ones; every
 * fourth is cloned by the library and the clone stays here. The secondary
 * frees every eighth (seq % 8 == 7); of those it sends back, A is
 * (seq + 1000, MAGIC_A2), B is gone on even ones and seq * 3 on odd ones.
 */
static int
test_mp_opt_in_pool(void)
{
	struct rte_mbuf *clone[MP_NB] = { NULL };
	struct rte_mbuf *back[MP_NB];
	const struct mp_a *a;
	const uint64_t *b;
	unsigned int i, n;
	uint32_t seq;
	int ret = TEST_FAILED;

	for (i = 0; i < MP_NB; i++) {
		struct rte_mbuf *m = mp_mbuf(plain, i);
		uint64_t *pb;

		TEST_ASSERT(m != NULL, "mbuf %u: %s", i,
			rte_strerror(rte_errno));
		if (i % 2 == 0) {
			pb = rte_mbuf_extension_add(m, id_b);
			TEST_ASSERT(pb != NULL, "add B");
			*pb = (uint64_t)i * 7;
		}
		if (i % 4 == 0) {
			clone[i] = rte_mbuf_extension_pktmbuf_clone(m, plain);
			TEST_ASSERT(clone[i] != NULL, "clone");
		}
		TEST_ASSERT(mp_send(m) == 0, "send");
	}
	TEST_ASSERT(mp_send_msg(MP_MSG_PHASE_DONE) == 0, "send");
	if (mp_recv_mbufs(back, MP_NB, &n) < 0)
		goto out;
	if (n != MP_NB - MP_NB / 8) {
		printf("  %u mbufs back, %u expected\n", n, MP_NB - MP_NB / 8);
		goto free_back;
	}
	for (i = 0; i < n; i++) {
		seq = mp_seq(back[i]);
		a = rte_mbuf_extension_find(back[i], id_a);
		b = rte_mbuf_extension_find(back[i], id_b);
		if (a == NULL || a->seq != seq + 1000 ||
				a->magic != MP_MAGIC_A2 ||
				(seq % 2 == 0 && b != NULL) ||
				(seq % 2 == 1 && (b == NULL ||
					*b != (uint64_t)seq * 3))) {
			printf("  mbuf %u back: A %p (%u, %#x) B %p (%" PRIu64 ")\n",
				seq, a, a ? a->seq : 0, a ? a->magic : 0,
				b, b ? *b : 0);
			goto free_back;
		}
	}
	/* The clones kept the blocks as they were sent. */
	for (i = 0; i < MP_NB; i += 4) {
		a = rte_mbuf_extension_find(clone[i], id_a);
		b = rte_mbuf_extension_find(clone[i], id_b);
		if (a == NULL || a->seq != i || a->magic != MP_MAGIC_A ||
				b == NULL || *b != (uint64_t)i * 7) {
			printf("  clone %u changed\n", i);
			goto free_back;
		}
	}
	ret = TEST_SUCCESS;
free_back:
	rte_mbuf_extension_pktmbuf_free_bulk(back, n);
out:
	for (i = 0; i < MP_NB; i++)
		rte_mbuf_extension_pktmbuf_free(clone[i]);
	return ret;
}

/*
 * Phase 2, handler pool, freed with plain rte_pktmbuf_free() on both
 * sides. A on all; the secondary adds B (seq * 5), deletes A when
 * seq % 3 == 0, frees odd ones and sends even ones back.
 */
static int
test_mp_handler_pool(void)
{
	struct rte_mbuf *back[MP_NB];
	struct rte_mempool_mbuf_ext_stats st;
	const struct mp_a *a;
	const uint64_t *b;
	unsigned int i, n;
	uint32_t seq;
	int ret = TEST_FAILED;

	for (i = 0; i < MP_NB; i++) {
		struct rte_mbuf *m = mp_mbuf(handler, i);

		TEST_ASSERT(m != NULL, "mbuf %u: %s", i,
			rte_strerror(rte_errno));
		TEST_ASSERT(mp_send(m) == 0, "send");
	}
	TEST_ASSERT(mp_send_msg(MP_MSG_PHASE_DONE) == 0, "send");
	if (mp_recv_mbufs(back, MP_NB, &n) < 0)
		return TEST_FAILED;
	if (n != MP_NB / 2) {
		printf("  %u mbufs back, %u expected\n", n, MP_NB / 2);
		goto free_back;
	}
	for (i = 0; i < n; i++) {
		seq = mp_seq(back[i]);
		a = rte_mbuf_extension_find(back[i], id_a);
		b = rte_mbuf_extension_find(back[i], id_b);
		if (seq % 2 != 0 || b == NULL || *b != (uint64_t)seq * 5 ||
				(seq % 3 == 0 && a != NULL) ||
				(seq % 3 != 0 && (a == NULL ||
					a->seq != seq ||
					a->magic != MP_MAGIC_A))) {
			printf("  mbuf %u back: A %p B %p\n", seq, a, b);
			goto free_back;
		}
	}
	ret = TEST_SUCCESS;
free_back:
	for (i = 0; i < n; i++)
		rte_pktmbuf_free(back[i]);
	/* The secondary's frees and these: every reference released. */
	TEST_ASSERT(rte_mempool_mbuf_ext_stats_get(handler, &st) == 0,
		"handler stats");
	printf("  handler released %" PRIu64 " references\n", st.released);
	return ret;
}

/*
 * Phase 3: the primary registers mp_late now, after the secondary
 * started, and sends mbufs carrying it (seq | MAGIC_LATE << 32). The
 * secondary looks it up, checks it, registers mp_sec and adds it
 * (seq * 11) before sending them back.
 */
static int
test_mp_late_types(void)
{
	struct rte_mbuf *back[MP_NB];
	struct rte_mbuf *m;
	struct rte_mbuf_extension_params p;
	const uint64_t *late, *sec;
	uint64_t *v;
	int id_late, id_sec;
	unsigned int i, n;
	uint32_t seq;
	int ret = TEST_FAILED;

	id_late = rte_mbuf_extension_register(&mp_late_params);
	TEST_ASSERT(id_late >= 0, "register late: %s",
		rte_strerror(rte_errno));
	info->id_late = id_late;
	for (i = 0; i < MP_NB; i++) {
		m = mp_mbuf(plain, i);
		TEST_ASSERT(m != NULL, "mbuf");
		v = rte_mbuf_extension_add(m, id_late);
		TEST_ASSERT(v != NULL, "add late: %s",
			rte_strerror(rte_errno));
		*v = MP_MAGIC_LATE << 32 | i;
		TEST_ASSERT(mp_send(m) == 0, "send");
	}
	TEST_ASSERT(mp_send_msg(MP_MSG_PHASE_DONE) == 0, "send");
	if (mp_recv_mbufs(back, MP_NB, &n) < 0)
		return TEST_FAILED;
	/*
	 * Before this process looks the secondary's type up: find sees it,
	 * add refuses it (unknown here).
	 */
	if (n == 0 || info->id_sec < 0 ||
			rte_mbuf_extension_find(back[0], info->id_sec) == NULL ||
			rte_mbuf_extension_add(back[0], info->id_sec) != NULL ||
			rte_errno != EINVAL) {
		printf("  the secondary's type before a lookup here: find, add\n");
		goto free_back;
	}
	/* The secondary's type: same id here, found with its layout. */
	id_sec = rte_mbuf_extension_lookup(mp_sec_params.name, &p);
	if (id_sec < 0 || id_sec != info->id_sec ||
			p.size != mp_sec_params.size) {
		printf("  lookup of the secondary's type: %d (%s), secondary said %d\n",
			id_sec, rte_strerror(rte_errno), info->id_sec);
		goto free_back;
	}
	if (rte_mbuf_extension_lookup(mp_big_params.name, NULL) >= 0 ||
			rte_errno != ENOENT) {
		printf("  a refused type is registered\n");
		goto free_back;
	}
	if (n != MP_NB) {
		printf("  %u mbufs back\n", n);
		goto free_back;
	}
	for (i = 0; i < n; i++) {
		seq = mp_seq(back[i]);
		late = rte_mbuf_extension_find(back[i], id_late);
		sec = rte_mbuf_extension_find(back[i], id_sec);
		if (late == NULL || *late != (MP_MAGIC_LATE << 32 | seq) ||
				sec == NULL || *sec != (uint64_t)seq * 11) {
			printf("  mbuf %u back: late %p sec %p\n", seq, late,
				sec);
			goto free_back;
		}
	}
	/* Once looked up, the primary adds the secondary's type itself. */
	v = rte_mbuf_extension_add(back[0], id_sec);
	if (v == NULL || *v != (uint64_t)mp_seq(back[0]) * 11) {
		printf("  add of the secondary's type here: %p\n", v);
		goto free_back;
	}
	rte_mbuf_extension_del(back[0], id_sec);
	v = rte_mbuf_extension_add(back[0], id_sec);
	if (v == NULL || *v != 0) {
		printf("  add of the secondary's type here after a delete\n");
		goto free_back;
	}
	ret = TEST_SUCCESS;
free_back:
	rte_mbuf_extension_pktmbuf_free_bulk(back, n);
	return ret;
}

static int
test_mp_bye(void)
{
	TEST_ASSERT(mp_send_msg(MP_MSG_BYE) == 0, "send");
	TEST_ASSERT(mp_expect_msg(MP_MSG_BYE) == 0, "no bye from the secondary");
	/* Both processes freed everything. */
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), 0, "blocks in use");
	TEST_ASSERT(rte_mempool_full(plain), "plain pool: %u in use",
		rte_mempool_in_use_count(plain));
	TEST_ASSERT(rte_mempool_full(handler), "handler pool: %u in use",
		rte_mempool_in_use_count(handler));
	return TEST_SUCCESS;
}

/*
 * A second secondary, mp_secondary_plain, that calls nothing of the
 * library: it frees mbufs of the handler pool with rte_pktmbuf_free(), as
 * a PMD or an application unaware of extensions would. The handler in
 * that process must release their blocks all the same.
 */
static int
test_mp_plain_secondary(void)
{
	unsigned int i;

	for (i = 0; i < MP_NB; i++) {
		struct rte_mbuf *m = mp_mbuf(handler, i);

		TEST_ASSERT(m != NULL, "mbuf %u: %s", i,
			rte_strerror(rte_errno));
		TEST_ASSERT(mp_send(m) == 0, "send");
	}
	TEST_ASSERT(mp_send_msg(MP_MSG_PHASE_DONE) == 0, "send");
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), MP_NB,
		"blocks in use");
	/* test_mp.sh starts mp_secondary_plain on this line. */
	printf("mp_primary: ready for the plain secondary\n");
	fflush(stdout);
	TEST_ASSERT(mp_expect_msg(MP_MSG_BYE) == 0,
		"no bye from the plain secondary");
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), 0,
		"blocks in use after the plain secondary freed its mbufs");
	TEST_ASSERT(rte_mempool_full(handler), "handler pool: %u in use",
		rte_mempool_in_use_count(handler));
	return TEST_SUCCESS;
}

static struct unit_test_suite mp_primary_suite = {
	.name = "mp_primary",
	.setup = mp_primary_setup,
	.cases = {
		TEST_CASE(test_mp_hello),
		TEST_CASE(test_mp_opt_in_pool),
		TEST_CASE(test_mp_handler_pool),
		TEST_CASE(test_mp_late_types),
		TEST_CASE(test_mp_secpath),
		TEST_CASE(test_mp_bye),
		TEST_CASE(test_mp_plain_secondary),
		TEST_CASES_END(),
	},
};

REGISTER_TEST_SUITE(mp_primary_suite);

/* ---- secondary ---- */

/*
 * The primary's objects, found by name, and what a secondary may and may
 * not do before and after looking types up.
 */
static int
mp_secondary_setup(void)
{
	const struct rte_memzone *mz;

	if (rte_eal_process_type() != RTE_PROC_SECONDARY) {
		printf("mp_secondary must run as --proc-type=secondary\n");
		return TEST_FAILED;
	}
	mz = rte_memzone_lookup(MP_INFO_MZ);
	to_peer = rte_ring_lookup(MP_RING_S2P);
	from_peer = rte_ring_lookup(MP_RING_P2S);
	if (mz == NULL || to_peer == NULL || from_peer == NULL) {
		printf("the primary's rings and memzone: not found\n");
		return TEST_FAILED;
	}
	info = mz->addr;
	plain = rte_mempool_lookup(MP_PLAIN_POOL);
	handler = rte_mempool_lookup(MP_HANDLER_POOL);
	if (plain != info->plain || handler != info->handler) {
		printf("mbuf pools not found\n");
		return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

static int
test_mp_sec_hello(void)
{
	struct rte_mbuf_extension_params p;
	struct rte_mbuf_extension_stats st;

	/*
	 * Before any type is looked up: the pool getters and the statistics
	 * already see the primary's registry.
	 */
	TEST_ASSERT(rte_mbuf_extension_pool_lookup(SOCKET_ID_ANY) ==
		info->block_pool, "block pool before a lookup: %p (%s)",
		rte_mbuf_extension_pool_lookup(SOCKET_ID_ANY),
		rte_strerror(rte_errno));
	TEST_ASSERT(rte_mbuf_extension_stats_get(&st) == 0,
		"stats before a lookup: %s", rte_strerror(rte_errno));
	TEST_ASSERT_EQ(st.in_use, 0, "blocks in use");
	/* Types, dynfield, dynflag and block pool as the primary has them. */
	id_a = rte_mbuf_extension_lookup(mp_a_params.name, &p);
	TEST_ASSERT_EQ(id_a, info->id_a, "id of mp_a");
	TEST_ASSERT_EQ(p.size, mp_a_params.size, "size of mp_a");
	TEST_ASSERT_EQ(p.align, mp_a_params.align, "align of mp_a");
	/* Registering the same layout is a lookup. */
	id_b = rte_mbuf_extension_register(&mp_b_params);
	TEST_ASSERT_EQ(id_b, info->id_b, "id of mp_b");
	TEST_ASSERT(rte_mbuf_extension_lookup("mp_none", NULL) < 0 &&
		rte_errno == ENOENT, "unknown type found");
	TEST_ASSERT(rte_mbuf_extension_lookup(mp_late_params.name, NULL) < 0,
		"mp_late exists before the primary registers it");
	TEST_ASSERT_EQ(rte_mbuf_dynfield_lookup(
		RTE_MBUF_EXTENSION_DYNFIELD_NAME, NULL), info->ref_offset,
		"reference dynfield offset");
	TEST_ASSERT_EQ(rte_mbuf_dynflag_lookup(
		RTE_MBUF_EXTENSION_DYNFLAG_NAME, NULL), info->flag_bit,
		"dynflag bit");
	TEST_ASSERT(rte_mbuf_extension_enabled(), "not enabled");
	TEST_ASSERT(rte_mbuf_extension_pool_lookup(SOCKET_ID_ANY) ==
		info->block_pool, "block pool %p, primary's %p",
		rte_mbuf_extension_pool_lookup(SOCKET_ID_ANY),
		info->block_pool);
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), 0, "blocks in use");
	TEST_ASSERT(rte_mbuf_extension_stats_get(&st) == 0, "stats: %s",
		rte_strerror(rte_errno));
	/* The primary's pools are the primary's to create and free. */
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_create(64, 0, SOCKET_ID_ANY),
		-E_RTE_SECONDARY, "pool_create in a secondary");
	TEST_ASSERT_EQ(rte_errno, E_RTE_SECONDARY, "rte_errno");
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_free(), -E_RTE_SECONDARY,
		"pool_free in a secondary");
	TEST_ASSERT(rte_mbuf_extension_pool_lookup(SOCKET_ID_ANY) ==
		info->block_pool, "block pool gone");
	/* Opting in a pool the primary opted in already is harmless. */
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_pool_opt_in(plain), 0,
		"opt-in");
	TEST_ASSERT(mp_send_msg(MP_MSG_HELLO) == 0, "send");
	return TEST_SUCCESS;
}

/* Receive a phase's mbufs, checking A of each. */
static int
mp_sec_recv(struct rte_mbuf **m, unsigned int *n, int check_a)
{
	const struct mp_a *a;
	unsigned int i;

	if (mp_recv_mbufs(m, MP_NB, n) < 0 || *n != MP_NB) {
		printf("  %u mbufs received\n", *n);
		return -1;
	}
	for (i = 0; i < *n; i++) {
		uint32_t seq = mp_seq(m[i]);

		a = rte_mbuf_extension_find(m[i], id_a);
		if (check_a && (seq != i || a == NULL || a->seq != seq ||
				a->magic != MP_MAGIC_A ||
				a->stamp >> 32 != seq)) {
			printf("  mbuf %u: A %p\n", i, a);
			return -1;
		}
	}
	return 0;
}

/* rte_pktmbuf_free() (inline) as a function to pass. */
static void
free_plain(struct rte_mbuf *m)
{
	rte_pktmbuf_free(m);
}

/*
 * The end of a secondary's phase, @p ret its result so far: on success
 * every mbuf goes back to the primary but those whose index is period - 1
 * modulo @p period (0: none), which are freed with @p free_fn, as are all
 * of them on failure; then the end of the phase is sent.
 */
static int
mp_sec_end(struct rte_mbuf **m, unsigned int n, int ret, unsigned int period,
		void (*free_fn)(struct rte_mbuf *))
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (ret == TEST_SUCCESS &&
				(period == 0 || i % period != period - 1)) {
			if (mp_send(m[i]) < 0)
				ret = TEST_FAILED;
		} else {
			free_fn(m[i]);
		}
	}
	if (mp_send_msg(MP_MSG_PHASE_DONE) < 0)
		ret = TEST_FAILED;
	return ret;
}

static int
test_mp_sec_opt_in_pool(void)
{
	struct rte_mbuf *m[MP_NB];
	struct mp_a *a;
	uint64_t *b;
	unsigned int i, n;
	int ret = TEST_FAILED;

	if (mp_sec_recv(m, &n, 1) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		b = rte_mbuf_extension_find(m[i], id_b);
		if ((i % 2 == 0) != (b != NULL) ||
				(b != NULL && *b != (uint64_t)i * 7)) {
			printf("  mbuf %u: B %p\n", i, b);
			goto out;
		}
		/* Present: returned as it is (copied if shared). */
		a = rte_mbuf_extension_add(m[i], id_a);
		if (a == NULL || a->seq != i || a->magic != MP_MAGIC_A) {
			printf("  mbuf %u: add of A present: %p\n", i, a);
			goto out;
		}
		a->seq = i + 1000;
		a->magic = MP_MAGIC_A2;
		if (i % 2 == 0) {
			rte_mbuf_extension_del(m[i], id_b);
			if (rte_mbuf_extension_find(m[i], id_b) != NULL) {
				printf("  mbuf %u: B after delete\n", i);
				goto out;
			}
		} else {
			b = rte_mbuf_extension_add(m[i], id_b);
			if (b == NULL || *b != 0) {
				printf("  mbuf %u: new B %p\n", i, b);
				goto out;
			}
			*b = (uint64_t)i * 3;
		}
		/* A clone made here shares the block, then goes. */
		if (i % 8 == 3) {
			struct rte_mbuf *c =
				rte_mbuf_extension_pktmbuf_clone(m[i], plain);
			const struct mp_a *ca;

			ca = c != NULL ? rte_mbuf_extension_find(c, id_a) :
				NULL;
			if (ca == NULL || ca->seq != i + 1000) {
				printf("  mbuf %u: clone %p, A %p\n", i, c, ca);
				rte_mbuf_extension_pktmbuf_free(c);
				goto out;
			}
			rte_mbuf_extension_pktmbuf_free(c);
		}
	}
	ret = TEST_SUCCESS;
out:
	return mp_sec_end(m, n, ret, 8, rte_mbuf_extension_pktmbuf_free);
}

static int
test_mp_sec_handler_pool(void)
{
	struct rte_mbuf *m[MP_NB];
	uint64_t *b;
	unsigned int i, n;
	int ret = TEST_FAILED;

	if (mp_sec_recv(m, &n, 1) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		b = rte_mbuf_extension_add(m[i], id_b);
		if (b == NULL || *b != 0) {
			printf("  mbuf %u: add B: %p (%s)\n", i, b,
				rte_strerror(rte_errno));
			goto out;
		}
		*b = (uint64_t)i * 5;
		if (i % 3 == 0)
			rte_mbuf_extension_del(m[i], id_a);
	}
	ret = TEST_SUCCESS;
out:
	/* Plain frees: the handler releases here. */
	return mp_sec_end(m, n, ret, 2, free_plain);
}

static int
test_mp_sec_late_types(void)
{
	struct rte_mbuf *m[MP_NB];
	const uint64_t *late;
	uint64_t *sec;
	int id_late, id_sec;
	unsigned int i, n;
	int ret = TEST_FAILED;

	if (mp_sec_recv(m, &n, 1) < 0)
		goto out;
	/* Registered by the primary after this process started. */
	id_late = rte_mbuf_extension_lookup(mp_late_params.name, NULL);
	if (id_late < 0 || id_late != info->id_late) {
		printf("  lookup of mp_late: %d, primary's %d\n", id_late,
			info->id_late);
		goto out;
	}
	/* Registered here; the primary finds it by name. */
	id_sec = rte_mbuf_extension_register(&mp_sec_params);
	if (id_sec < 0) {
		printf("  register in the secondary: %s\n",
			rte_strerror(rte_errno));
		goto out;
	}
	info->id_sec = id_sec;
	/* As in the primary: no room left in the blocks. */
	if (rte_mbuf_extension_register(&mp_big_params) >= 0 ||
			rte_errno != ENOSPC) {
		printf("  a type larger than the blocks: not ENOSPC\n");
		goto out;
	}
	for (i = 0; i < n; i++) {
		late = rte_mbuf_extension_find(m[i], id_late);
		if (late == NULL || *late != (MP_MAGIC_LATE << 32 | i)) {
			printf("  mbuf %u: late %p\n", i, late);
			goto out;
		}
		sec = rte_mbuf_extension_add(m[i], id_sec);
		if (sec == NULL) {
			printf("  mbuf %u: add sec: %s\n", i,
				rte_strerror(rte_errno));
			goto out;
		}
		*sec = (uint64_t)i * 11;
	}
	ret = TEST_SUCCESS;
out:
	return mp_sec_end(m, n, ret, 0, rte_mbuf_extension_pktmbuf_free);
}

static int
test_mp_sec_bye(void)
{
	TEST_ASSERT(mp_expect_msg(MP_MSG_BYE) == 0, "no bye from the primary");
	/* The primary freed all it got back before its bye. */
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), 0, "blocks in use");
	TEST_ASSERT(rte_mempool_full(plain), "plain pool not full");
	TEST_ASSERT(rte_mempool_full(handler), "handler pool not full");
	TEST_ASSERT(mp_send_msg(MP_MSG_BYE) == 0, "send");
	return TEST_SUCCESS;
}

static struct unit_test_suite mp_secondary_suite = {
	.name = "mp_secondary",
	.setup = mp_secondary_setup,
	.cases = {
		TEST_CASE(test_mp_sec_hello),
		TEST_CASE(test_mp_sec_opt_in_pool),
		TEST_CASE(test_mp_sec_handler_pool),
		TEST_CASE(test_mp_sec_late_types),
		TEST_CASE(test_mp_sec_secpath),
		TEST_CASE(test_mp_sec_bye),
		TEST_CASES_END(),
	},
};

REGISTER_TEST_SUITE(mp_secondary_suite);

/* ---- a secondary unaware of extensions ---- */

static int
mp_secondary_plain_setup(void)
{
	if (rte_eal_process_type() != RTE_PROC_SECONDARY) {
		printf("mp_secondary_plain must run as --proc-type=secondary\n");
		return TEST_FAILED;
	}
	to_peer = rte_ring_lookup(MP_RING_S2P);
	from_peer = rte_ring_lookup(MP_RING_P2S);
	if (to_peer == NULL || from_peer == NULL) {
		printf("the primary's rings: not found\n");
		return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

/* No call to the library here: only DPDK's own free. */
static int
test_mp_plain_free(void)
{
	struct rte_mbuf *m[MP_NB];
	unsigned int i, n;

	TEST_ASSERT(mp_recv_mbufs(m, MP_NB, &n) == 0, "receive");
	for (i = 0; i < n; i++)
		rte_pktmbuf_free(m[i]);
	TEST_ASSERT_EQ(n, MP_NB, "mbufs received");
	TEST_ASSERT(mp_send_msg(MP_MSG_BYE) == 0, "send");
	return TEST_SUCCESS;
}

static struct unit_test_suite mp_secondary_plain_suite = {
	.name = "mp_secondary_plain",
	.setup = mp_secondary_plain_setup,
	.cases = {
		TEST_CASE(test_mp_plain_free),
		TEST_CASES_END(),
	},
};

REGISTER_TEST_SUITE(mp_secondary_plain_suite);
