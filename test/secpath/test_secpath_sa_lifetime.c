/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * SA lifetime: an SA deleted while packets name it, slot reuse with a new
 * generation, the table limits, RCU-deferred reclamation, and a data-plane
 * reader on another lcore while the control thread adds and deletes SAs.
 * After every case the runner checks that nothing leaked
 * (test_clean_check(): no block in use, the mbuf pool as full as before);
 * the last case finishes the library.
 */

#include <stdio.h>
#include <stdlib.h>

#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_rcu_qsbr.h>

#include "secpath_test.h"

#define NB_BLOCKS 256
#define MAX_SA 16

/* sa_free callback records. */
static unsigned int nb_freed;
static uint64_t last_freed_userdata;
static void *last_freed_sess;
static rte_secpath_sa_t last_freed_sa;

static void
sa_freed(rte_secpath_sa_t sa, const struct rte_secpath_sa_params *p,
		void *arg)
{
	unsigned int *cnt = arg;

	__atomic_fetch_add(cnt, 1, __ATOMIC_RELAXED);
	last_freed_sa = sa;
	last_freed_userdata = p->userdata;
	last_freed_sess = p->sess;
}

static int
init_lib(struct rte_rcu_qsbr *v)
{
	struct rte_secpath_conf conf;

	memset(&conf, 0, sizeof(conf));
	conf.max_sa = MAX_SA;
	conf.socket_id = SOCKET_ID_ANY;
	conf.qsbr = v;
	conf.sa_free = sa_freed;
	conf.sa_free_arg = &nb_freed;
	return rte_secpath_init(&conf);
}

static int
dump_has(const struct rte_mbuf *m, const char *what)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int found;

	if (f == NULL)
		return 0;
	rte_secpath_dump(f, m);
	fclose(f);
	found = buf != NULL && strstr(buf, what) != NULL;
	free(buf);
	return found;
}

static int
test_deleted_in_flight(void)
{
	struct rte_secpath_policy pol;
	struct rte_secpath_sa_params p;
	struct rte_secpath_stats s0, s1;
	rte_secpath_sa_t x, y, o;
	struct rte_mbuf *m, *c, *n, *t;
	void *sess_x, *sess_o;
	unsigned int live0 = rte_secpath_sa_count(), freed0 = nb_freed;

	sess_x = test_session(0x10, RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO,
		RTE_SECURITY_IPSEC_SA_DIR_INGRESS, 0);
	sess_o = test_session(0x20, RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO,
		RTE_SECURITY_IPSEC_SA_DIR_EGRESS, 0);
	TEST_ASSERT(sess_x != NULL && sess_o != NULL, "sessions");
	TEST_ASSERT_EQ(test_sa_add(0x10, RTE_SECPATH_DIR_IN,
		RTE_SECPATH_MODE_TUNNEL, RTE_SECPATH_KIND_INLINE_CRYPTO, 0,
		sess_x, 100, &x), 0, "add X");
	TEST_ASSERT_EQ(test_sa_add(0x20, RTE_SECPATH_DIR_OUT,
		RTE_SECPATH_MODE_TUNNEL, RTE_SECPATH_KIND_INLINE_CRYPTO,
		RTE_SECPATH_SA_F_NEED_MDATA, sess_o, 200, &o), 0, "add O");
	TEST_ASSERT_EQ(rte_secpath_sa_count(), live0 + 2, "count");

	/* Packets in flight naming X (one a clone) and O. */
	m = test_pkt(PKT_ESP4, 0x10, RTE_MBUF_F_RX_SEC_OFFLOAD);
	TEST_ASSERT(m != NULL, "alloc");
	TEST_ASSERT_EQ(rte_secpath_rx_import(m, RTE_SECPATH_RX_SPI), 1,
		"import");
	TEST_ASSERT_EQ(rte_secpath_get(m)->entry[0].sa, x, "names X");
	c = rte_mbuf_extension_pktmbuf_clone(m, test_mbuf_pool);
	TEST_ASSERT(c != NULL, "clone");
	t = test_inner_pkt(16);
	TEST_ASSERT(t != NULL, "alloc");
	TEST_ASSERT_EQ(rte_secpath_push_sa(t, o, RTE_SECPATH_RESULT_OK), 0,
		"push O");
	memset(&pol, 0, sizeof(pol));
	pol.nb_tmpl = 1;
	pol.tmpl[0].flags = RTE_SECPATH_TMPL_F_SA;
	pol.tmpl[0].sa = x;
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol), RTE_SECPATH_PASS,
		"policy before delete");
	TEST_ASSERT(!dump_has(m, "(deleted)"), "dump before delete");

	/* Delete X: callback at once (no RCU), handle dead. */
	TEST_ASSERT_EQ(rte_secpath_sa_del(x), 0, "del X");
	TEST_ASSERT_EQ(nb_freed, freed0 + 1, "sa_free calls");
	TEST_ASSERT_EQ(last_freed_sa, x, "freed handle");
	TEST_ASSERT_EQ(last_freed_userdata, 100, "freed userdata");
	TEST_ASSERT(last_freed_sess == sess_x, "freed session");
	TEST_ASSERT_EQ(rte_secpath_sa_info(x, &p), -ENOENT, "info X");
	TEST_ASSERT_EQ(rte_secpath_sa_lookup_spi(0x10), RTE_SECPATH_SA_NONE,
		"lookup X");
	TEST_ASSERT_EQ(rte_secpath_sa_count(), live0 + 1, "count");
	TEST_ASSERT_EQ(rte_secpath_sa_del(x), -ENOENT, "del X again");
	TEST_ASSERT_EQ(rte_errno, ENOENT, "rte_errno");
	/* The session may go now: nothing dereferences the entry's copy. */
	TEST_ASSERT_EQ(rte_security_session_destroy(&test_sec_ctx, sess_x), 0,
		"destroy session X");

	/* The packets still name X, which no longer protects them. */
	TEST_ASSERT_EQ(rte_secpath_get(m)->entry[0].sa, x, "entry kept");
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol), RTE_SECPATH_STALE_SA,
		"policy after delete");
	TEST_ASSERT_EQ(rte_secpath_policy_check(c, &pol), RTE_SECPATH_STALE_SA,
		"policy on clone after delete");
	pol.nb_tmpl = 0;
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol), RTE_SECPATH_STALE_SA,
		"no-template policy after delete");
	TEST_ASSERT(dump_has(m, "(deleted)"), "dump after delete");

	/* Same SPI again: same slot, new generation. */
	TEST_ASSERT_EQ(test_sa_add(0x10, RTE_SECPATH_DIR_IN,
		RTE_SECPATH_MODE_TUNNEL, RTE_SECPATH_KIND_INLINE_CRYPTO, 0,
		NULL, 101, &y), 0, "add Y");
	TEST_ASSERT_EQ((uint32_t)y, (uint32_t)x, "slot reused");
	TEST_ASSERT(y != x, "same handle after reuse");
	TEST_ASSERT_EQ(rte_secpath_sa_info(x, NULL), -ENOENT, "X after reuse");
	TEST_ASSERT_EQ(rte_secpath_sa_info(y, &p), 0, "info Y");
	TEST_ASSERT_EQ(p.userdata, 101, "Y userdata");
	pol.nb_tmpl = 1;
	pol.tmpl[0].sa = y;
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol), RTE_SECPATH_STALE_SA,
		"old packet against Y");
	n = test_pkt(PKT_ESP4, 0x10, RTE_MBUF_F_RX_SEC_OFFLOAD);
	TEST_ASSERT(n != NULL, "alloc");
	TEST_ASSERT_EQ(rte_secpath_rx_import(n, RTE_SECPATH_RX_SPI), 1,
		"import new");
	TEST_ASSERT_EQ(rte_secpath_get(n)->entry[0].sa, y, "names Y");
	TEST_ASSERT_EQ(rte_secpath_policy_check(n, &pol), RTE_SECPATH_PASS,
		"new packet against Y");
	pol.tmpl[0].sa = x;
	TEST_ASSERT_EQ(rte_secpath_policy_check(n, &pol), RTE_SECPATH_NO_MATCH,
		"new packet against X");

	/* Delete O: the TX helper refuses the packet, calls nothing. */
	rte_secpath_stats_get(&s0);
	nb_md_calls = 0;
	TEST_ASSERT_EQ(rte_secpath_sa_del(o), 0, "del O");
	TEST_ASSERT_EQ(rte_secpath_tx_prepare(t), -ENOENT, "tx stale");
	TEST_ASSERT_EQ(t->ol_flags & RTE_MBUF_F_TX_SEC_OFFLOAD, 0, "tx flag");
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_secpath_tx_prepare_burst(&t, 1), 0, "burst stale");
	TEST_ASSERT_EQ(rte_errno, ENOENT, "burst rte_errno");
	TEST_ASSERT_EQ(nb_md_calls, 0, "metadata calls");
	rte_secpath_stats_get(&s1);
	TEST_ASSERT_EQ(s1.tx_stale - s0.tx_stale, 2, "tx_stale");
	TEST_ASSERT_EQ(rte_security_session_destroy(&test_sec_ctx, sess_o), 0,
		"destroy session O");

	TEST_ASSERT_EQ(rte_secpath_sa_del(y), 0, "del Y");
	TEST_ASSERT_EQ(rte_secpath_sa_count(), live0, "count");
	rte_mbuf_extension_pktmbuf_free(c);
	rte_mbuf_extension_pktmbuf_free(m);
	rte_mbuf_extension_pktmbuf_free(n);
	rte_mbuf_extension_pktmbuf_free(t);
	return TEST_SUCCESS;
}

static int
test_table_limits(void)
{
	rte_secpath_sa_t sa[MAX_SA + 1], dup;
	unsigned int i, live0 = rte_secpath_sa_count();
	struct rte_secpath_sa_params p;

	TEST_ASSERT_EQ(live0, 0, "live SAs at start");
	for (i = 0; i < MAX_SA; i++)
		TEST_ASSERT_EQ(test_sa_add(0x100 + i, RTE_SECPATH_DIR_IN,
			RTE_SECPATH_MODE_TRANSPORT, RTE_SECPATH_KIND_NONE, 0,
			NULL, i, &sa[i]), 0, "add");
	TEST_ASSERT_EQ(test_sa_add(0x999, RTE_SECPATH_DIR_IN,
		RTE_SECPATH_MODE_TRANSPORT, RTE_SECPATH_KIND_NONE, 0, NULL, 0,
		&sa[MAX_SA]), -ENOSPC, "table full");
	TEST_ASSERT_EQ(rte_errno, ENOSPC, "rte_errno");
	TEST_ASSERT_EQ(rte_secpath_sa_del(sa[3]), 0, "del");
	/* Inbound SPI taken: refused, the free slot stays free. */
	TEST_ASSERT_EQ(test_sa_add(0x100, RTE_SECPATH_DIR_IN,
		RTE_SECPATH_MODE_TRANSPORT, RTE_SECPATH_KIND_NONE, 0, NULL, 0,
		&dup), -EEXIST, "duplicate SPI");
	/* Not indexed: allowed. */
	TEST_ASSERT_EQ(test_sa_add(0x100, RTE_SECPATH_DIR_IN,
		RTE_SECPATH_MODE_TRANSPORT, RTE_SECPATH_KIND_NONE,
		RTE_SECPATH_SA_F_NO_SPI_INDEX, NULL, 77, &dup), 0,
		"unindexed duplicate");
	TEST_ASSERT_EQ(rte_secpath_sa_lookup_spi(0x100), sa[0],
		"lookup finds the indexed SA");
	TEST_ASSERT_EQ(rte_secpath_sa_del(dup), 0, "del dup");
	TEST_ASSERT_EQ(rte_secpath_sa_lookup_spi(0x100), sa[0],
		"unindexed delete left the index alone");
	/* Bad parameters. */
	memset(&p, 0, sizeof(p));
	p.dir = 7;
	TEST_ASSERT_EQ(rte_secpath_sa_add(&p, &dup), -EINVAL, "bad dir");
	for (i = 0; i < MAX_SA; i++)
		if (i != 3)
			TEST_ASSERT_EQ(rte_secpath_sa_del(sa[i]), 0, "del");
	TEST_ASSERT_EQ(rte_secpath_sa_count(), 0, "count");
	return 0;
}

static struct rte_rcu_qsbr *qv;

static int
test_rcu_deferred(void)
{
	rte_secpath_sa_t a, b;
	unsigned int freed0;
	size_t sz;

	/* fini deletes what is left; then init again with RCU. */
	TEST_ASSERT_EQ(rte_secpath_fini(), 0, "fini");
	sz = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);
	qv = rte_zmalloc("secpath_qsbr", sz, RTE_CACHE_LINE_SIZE);
	TEST_ASSERT(qv != NULL, "qsbr alloc");
	TEST_ASSERT_EQ(rte_rcu_qsbr_init(qv, RTE_MAX_LCORE), 0, "qsbr init");
	TEST_ASSERT_EQ(init_lib(qv), 0, "init with RCU");
	/* This lcore plays a data-plane thread. */
	TEST_ASSERT_EQ(rte_rcu_qsbr_thread_register(qv, 0), 0, "register");
	rte_rcu_qsbr_thread_online(qv, 0);

	freed0 = nb_freed;
	TEST_ASSERT_EQ(test_sa_add(0x30, RTE_SECPATH_DIR_IN,
		RTE_SECPATH_MODE_TUNNEL, RTE_SECPATH_KIND_NONE, 0, NULL, 300,
		&a), 0, "add A");
	TEST_ASSERT_EQ(rte_secpath_sa_del(a), 0, "del A");
	/* Dead at once, freed only after a grace period. */
	TEST_ASSERT_EQ(rte_secpath_sa_info(a, NULL), -ENOENT, "info A");
	TEST_ASSERT_EQ(nb_freed, freed0, "freed before grace period");
	TEST_ASSERT_EQ(rte_secpath_sa_reclaim(), 1, "pending");
	TEST_ASSERT_EQ(test_sa_add(0x31, RTE_SECPATH_DIR_IN,
		RTE_SECPATH_MODE_TUNNEL, RTE_SECPATH_KIND_NONE, 0, NULL, 301,
		&b), 0, "add B");
	TEST_ASSERT((uint32_t)b != (uint32_t)a, "slot reused before grace");
	TEST_ASSERT_EQ(rte_secpath_fini(), -EAGAIN, "fini before grace");
	TEST_ASSERT_EQ(rte_secpath_sa_info(b, NULL), -ENOENT,
		"B after failed fini");
	TEST_ASSERT_EQ(nb_freed, freed0, "freed before grace period");
	rte_rcu_qsbr_quiescent(qv, 0);
	TEST_ASSERT_EQ(rte_secpath_sa_reclaim(), 0, "pending after QS");
	TEST_ASSERT_EQ(nb_freed, freed0 + 2, "freed after grace period");
	TEST_ASSERT_EQ(rte_secpath_fini(), 0, "fini after grace");
	TEST_ASSERT_EQ(init_lib(qv), 0, "init with RCU again");
	rte_rcu_qsbr_thread_offline(qv, 0);
	TEST_ASSERT_EQ(rte_rcu_qsbr_thread_unregister(qv, 0), 0,
		"unregister");
	return 0;
}

/* Reader on lcore 1 against add/delete on lcore 0. */
#define NB_SLOTS 8
#define ROUNDS 20000

static rte_secpath_sa_t published[NB_SLOTS];
static volatile int reader_stop;
static uint64_t reader_hits, reader_misses, reader_bad;

static int
reader(void *arg)
{
	unsigned int id = rte_lcore_id(), i = 0;
	struct rte_secpath_sa_params p;
	uint64_t hits = 0, misses = 0, bad = 0;

	RTE_SET_USED(arg);
	rte_rcu_qsbr_thread_register(qv, id);
	rte_rcu_qsbr_thread_online(qv, id);
	while (!reader_stop) {
		rte_secpath_sa_t h = __atomic_load_n(&published[i % NB_SLOTS],
			__ATOMIC_ACQUIRE);
		rte_secpath_sa_t l;

		if (rte_secpath_sa_info(h, &p) == 0) {
			hits++;
			/* Each SA: userdata = spi * 3; a torn or reused
			 * slot would break it.
			 */
			if (p.userdata != (uint64_t)p.spi * 3)
				bad++;
			l = rte_secpath_sa_lookup_spi(p.spi);
			/* SPIs are never reused: h or nothing. */
			if (l != RTE_SECPATH_SA_NONE && l != h)
				bad++;
		} else {
			misses++;
		}
		i++;
		rte_rcu_qsbr_quiescent(qv, id);
	}
	rte_rcu_qsbr_thread_offline(qv, id);
	rte_rcu_qsbr_thread_unregister(qv, id);
	reader_hits = hits;
	reader_misses = misses;
	reader_bad = bad;
	return 0;
}

static int
test_concurrent(void)
{
	unsigned int lcore = rte_get_next_lcore(-1, 1, 0);
	unsigned int r, freed0 = nb_freed, dead_ok = 0;
	uint32_t spi = 0x1000;
	rte_secpath_sa_t h, old;
	int ret;

	if (lcore >= RTE_MAX_LCORE)
		TEST_SKIP("no second lcore (-l 0-1)");
	memset(published, 0, sizeof(published));
	reader_stop = 0;
	TEST_ASSERT_EQ(rte_eal_remote_launch(reader, NULL, lcore), 0,
		"launch");
	for (r = 0; r < ROUNDS; r++) {
		spi++;
		do {
			ret = test_sa_add(spi, RTE_SECPATH_DIR_IN,
				RTE_SECPATH_MODE_TUNNEL, RTE_SECPATH_KIND_NONE,
				0, NULL, (uint64_t)spi * 3, &h);
			if (ret == -ENOSPC)
				rte_pause();
		} while (ret == -ENOSPC);
		TEST_ASSERT_EQ(ret, 0, "add");
		old = __atomic_exchange_n(&published[r % NB_SLOTS], h,
			__ATOMIC_ACQ_REL);
		if (old != RTE_SECPATH_SA_NONE) {
			TEST_ASSERT_EQ(rte_secpath_sa_del(old), 0, "del");
			dead_ok += rte_secpath_sa_info(old, NULL) == -ENOENT;
		}
	}
	reader_stop = 1;
	rte_eal_wait_lcore(lcore);
	TEST_ASSERT_EQ(dead_ok, ROUNDS - NB_SLOTS, "handles dead after del");
	TEST_ASSERT_EQ(reader_bad, 0, "inconsistent reads");
	TEST_ASSERT(reader_hits > 0, "reader saw no SA (%" PRIu64
		" misses)", reader_misses);
	for (r = 0; r < NB_SLOTS; r++)
		TEST_ASSERT_EQ(rte_secpath_sa_del(published[r]), 0, "del");
	TEST_ASSERT_EQ(rte_secpath_sa_reclaim(), 0, "pending");
	TEST_ASSERT_EQ(nb_freed - freed0, ROUNDS, "sa_free calls");
	TEST_ASSERT_EQ(rte_secpath_sa_count(), 0, "count");
	printf("  reader: %" PRIu64 " hits, %" PRIu64 " misses\n",
		reader_hits, reader_misses);
	return 0;
}

/* Last: the library finishes; no deleted SA waits for a grace period. */
static int
test_fini(void)
{
	TEST_ASSERT_EQ(rte_secpath_fini(), 0, "fini");
	return TEST_SUCCESS;
}

/* A table of @p n slots, no RCU, no callback. */
static int
init_n(uint32_t n)
{
	struct rte_secpath_conf conf;

	memset(&conf, 0, sizeof(conf));
	conf.max_sa = n;
	conf.socket_id = SOCKET_ID_ANY;
	return rte_secpath_init(&conf);
}

/*
 * A handle taken before rte_secpath_fini() never names an SA of the next
 * table, though that SA takes the same slot (the first one free).
 */
static int
test_handle_across_reinit(void)
{
	rte_secpath_sa_t x, y;
	int i;

	TEST_ASSERT_EQ(init_n(16), 0, "init");
	for (i = 0; i < 3; i++) {
		TEST_ASSERT_EQ(test_sa_add(0x111, RTE_SECPATH_DIR_IN,
			RTE_SECPATH_MODE_TUNNEL, RTE_SECPATH_KIND_NONE, 0,
			NULL, 0xaa, &x), 0, "add X");
		TEST_ASSERT_EQ(rte_secpath_fini(), 0, "fini");
		TEST_ASSERT_EQ(init_n(16), 0, "init again");
		TEST_ASSERT_EQ(test_sa_add(0x222, RTE_SECPATH_DIR_IN,
			RTE_SECPATH_MODE_TUNNEL, RTE_SECPATH_KIND_NONE, 0,
			NULL, 0xbb, &y), 0, "add Y");
		TEST_ASSERT((uint32_t)x == (uint32_t)y && x != y,
			"X %#" PRIx64 " and Y %#" PRIx64 ": not one slot",
			x, y);
		TEST_ASSERT_EQ(rte_secpath_sa_info(x, NULL), -ENOENT,
			"X, from before fini, names Y");
		TEST_ASSERT_EQ(rte_secpath_sa_info(y, NULL), 0, "Y");
		TEST_ASSERT_EQ(rte_secpath_sa_lookup_spi(0x111),
			RTE_SECPATH_SA_NONE, "X's SPI found");
		TEST_ASSERT_EQ(rte_secpath_sa_del(y), 0, "delete Y");
	}
	TEST_ASSERT_EQ(rte_secpath_fini(), 0, "fini");
	return TEST_SUCCESS;
}

/* The SPI index holds as many inbound SAs as the table has slots. */
static int
test_spi_index_capacity(void)
{
	static const uint32_t sizes[] = { 16, 1024, 4096, 65536 };
	unsigned int s;

	for (s = 0; s < RTE_DIM(sizes); s++) {
		uint32_t n = sizes[s], i;
		rte_secpath_sa_t h;

		TEST_ASSERT(init_n(n) == 0, "init %u", n);
		for (i = 0; i < n; i++) {
			/* Distinct SPIs spread over the whole range. */
			uint32_t spi = (i * UINT32_C(2654435761)) | 0x100;
			int ret = test_sa_add(spi, RTE_SECPATH_DIR_IN,
				RTE_SECPATH_MODE_TUNNEL, RTE_SECPATH_KIND_NONE,
				0, NULL, i, &h);

			if (ret != 0) {
				printf("  max_sa %u: SA %u refused: %s\n", n,
					i, rte_strerror(-ret));
				rte_secpath_fini();
				return TEST_FAILED;
			}
		}
		TEST_ASSERT_EQ(rte_secpath_sa_count(), n, "SAs");
		TEST_ASSERT_EQ(rte_secpath_sa_lookup_spi(
			((n - 1) * UINT32_C(2654435761)) | 0x100), h,
			"last SA by SPI");
		TEST_ASSERT_EQ(rte_secpath_fini(), 0, "fini");
	}
	return TEST_SUCCESS;
}

static int
lifetime_setup(void)
{
	TEST_ASSERT(init_lib(NULL) == 0 &&
		rte_mbuf_extension_pool_create(NB_BLOCKS, 0,
			SOCKET_ID_ANY) == 0 &&
		test_pools_create(511) == 0,
		"setup: %s", rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

/* What test_fini() did not finish; qv only once the library let it go. */
static void
lifetime_teardown(void)
{
	if (rte_secpath_fini() != -EAGAIN)
		rte_free(qv);
	test_pools_free();
}

static struct unit_test_suite lifetime_suite = {
	.name = "secpath_sa_lifetime",
	.setup = lifetime_setup,
	.teardown = lifetime_teardown,
	.snapshot = test_clean_snapshot,
	.check = test_clean_check,
	.cases = {
		TEST_CASE(test_deleted_in_flight),
		TEST_CASE(test_table_limits),
		TEST_CASE(test_rcu_deferred),
		TEST_CASE(test_concurrent),
		TEST_CASE(test_fini),
		TEST_CASE(test_handle_across_reinit),
		TEST_CASE(test_spi_index_capacity),
		TEST_CASES_END()
	}
};

REGISTER_TEST_SUITE(lifetime_suite);
