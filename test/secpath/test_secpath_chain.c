/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Secpath chain: entries, nested SAs, chain full, clone and copy on write,
 * block pool exhaustion, mbuf pool not allowed, policy check.
 *
 * The first case runs before rte_secpath_init(); the others set the
 * library up in their case set-up, chain_ready(), the first of them.
 * After every case the runner checks that nothing leaked
 * (test_clean_check(): no block in use, the mbuf pool as full as before).
 */

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_eal.h>

#include "secpath_test.h"

#define NB_BLOCKS 64

static rte_secpath_sa_t sa_in_tun, sa_in_trs, sa_in_tun2, sa_out;

static struct rte_secpath_entry
entry(uint32_t spi, uint8_t dir, uint8_t mode, uint8_t result,
		rte_secpath_sa_t sa)
{
	struct rte_secpath_entry e;

	memset(&e, 0, sizeof(e));
	e.spi = spi;
	e.dir = dir;
	e.mode = mode;
	e.kind = RTE_SECPATH_KIND_INLINE_CRYPTO;
	e.result = result;
	e.sa = sa;
	return e;
}

/* Before rte_secpath_init(): clean errors, nothing touched. */
static int
test_before_init(void)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(test_mbuf_pool);
	struct rte_secpath_entry e;
	rte_secpath_sa_t sa;

	TEST_ASSERT(m != NULL, "alloc");
	memset(&e, 0, sizeof(e));
	m->ol_flags = RTE_MBUF_F_RX_SEC_OFFLOAD;
	TEST_ASSERT_EQ(rte_secpath_ext_id(), -1, "ext id");
	TEST_ASSERT(rte_secpath_get(m) == NULL, "get");
	TEST_ASSERT_EQ(rte_secpath_push(m, &e), -EINVAL, "push");
	TEST_ASSERT_EQ(rte_secpath_rx_import(m, RTE_SECPATH_RX_USERDATA),
		-EINVAL, "import");
	TEST_ASSERT_EQ(rte_secpath_rx_import_burst(&m, 1, RTE_SECPATH_RX_SPI),
		0, "import burst");
	TEST_ASSERT_EQ(test_sa_add(1, 0, 0, 0, 0, NULL, 0, &sa), -EINVAL,
		"sa_add");
	TEST_ASSERT_EQ(rte_secpath_sa_info(1, NULL), -ENOENT, "sa_info");
	TEST_ASSERT_EQ(rte_secpath_fini(), -EINVAL, "fini");
	TEST_ASSERT_EQ(rte_secpath_tx_prepare(m), 0, "tx_prepare");
	rte_pktmbuf_free(m);
	return 0;
}

static int
test_sizes(void)
{
	struct rte_mbuf_extension_params p;

	TEST_ASSERT_EQ(sizeof(struct rte_secpath_entry), 24, "entry size");
	TEST_ASSERT_EQ(sizeof(struct rte_secpath), 152, "secpath size");
	TEST_ASSERT(rte_secpath_ext_id() >= 0, "no extension id");
	TEST_ASSERT_EQ(rte_mbuf_extension_lookup(RTE_SECPATH_EXT_NAME, &p),
		rte_secpath_ext_id(), "lookup id");
	TEST_ASSERT_EQ(p.size, sizeof(struct rte_secpath), "registered size");
	/* A second init is refused. */
	{
		struct rte_secpath_conf c = { .max_sa = 4 };

		TEST_ASSERT_EQ(rte_secpath_init(&c), -EALREADY, "re-init");
		TEST_ASSERT_EQ(rte_errno, EALREADY, "rte_errno");
	}
	return 0;
}

static int
test_push_get(void)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(test_mbuf_pool);
	struct rte_secpath_entry e;
	const struct rte_secpath *sp;

	TEST_ASSERT(m != NULL, "alloc");
	TEST_ASSERT(rte_secpath_get(m) == NULL, "fresh mbuf has a secpath");
	TEST_ASSERT_EQ(rte_secpath_len(m), 0, "len");
	TEST_ASSERT_EQ(rte_secpath_push_sa(m, sa_in_tun,
		RTE_SECPATH_RESULT_OK), 0, "push_sa");
	sp = rte_secpath_get(m);
	TEST_ASSERT(sp != NULL, "no secpath after push");
	TEST_ASSERT_EQ(sp->len, 1, "len");
	TEST_ASSERT_EQ(sp->entry[0].spi, 0x100, "spi");
	TEST_ASSERT_EQ(sp->entry[0].dir, RTE_SECPATH_DIR_IN, "dir");
	TEST_ASSERT_EQ(sp->entry[0].mode, RTE_SECPATH_MODE_TUNNEL, "mode");
	TEST_ASSERT_EQ(sp->entry[0].kind, RTE_SECPATH_KIND_LOOKASIDE, "kind");
	TEST_ASSERT_EQ(sp->entry[0].result, RTE_SECPATH_RESULT_OK, "result");
	TEST_ASSERT_EQ(sp->entry[0].sa, sa_in_tun, "sa");
	/* Bad input. */
	TEST_ASSERT_EQ(rte_secpath_push(m, NULL), -EINVAL, "NULL entry");
	TEST_ASSERT_EQ(rte_secpath_push_sa(m, RTE_SECPATH_SA_NONE, 0), -ENOENT,
		"push_sa none");
	TEST_ASSERT_EQ(rte_errno, ENOENT, "rte_errno");
	TEST_ASSERT_EQ(rte_secpath_push_sa(m,
		sa_in_tun + (UINT64_C(2) << 32), 0), -ENOENT,
		"push_sa bad generation");
	TEST_ASSERT_EQ(rte_secpath_len(m), 1, "len after failures");
	/* Clear: gone, block back. */
	rte_secpath_clear(m);
	TEST_ASSERT(rte_secpath_get(m) == NULL, "secpath after clear");
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), 0, "blocks");
	e = entry(7, RTE_SECPATH_DIR_IN, RTE_SECPATH_MODE_TRANSPORT,
		RTE_SECPATH_RESULT_OK, RTE_SECPATH_SA_NONE);
	TEST_ASSERT_EQ(rte_secpath_push(m, &e), 0, "push after clear");
	TEST_ASSERT_EQ(rte_secpath_len(m), 1, "len");
	/* ol_flags rewritten (as RX or reset does): no stale secpath. */
	rte_pktmbuf_reset(m);
	TEST_ASSERT(rte_secpath_get(m) == NULL, "secpath after reset");
	TEST_ASSERT_EQ(rte_secpath_push(m, &e), 0, "push after reset");
	TEST_ASSERT_EQ(rte_secpath_len(m), 1, "len after reset+push");
	rte_mbuf_extension_pktmbuf_free(m);
	return TEST_SUCCESS;
}

/* Nested tunnels: outer tunnel SA then inner transport SA. */
static int
test_nested(void)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(test_mbuf_pool);
	const struct rte_secpath *sp;
	struct rte_secpath_policy pol;

	TEST_ASSERT(m != NULL, "alloc");
	TEST_ASSERT_EQ(rte_secpath_push_sa(m, sa_in_tun,
		RTE_SECPATH_RESULT_OK), 0, "push outer");
	TEST_ASSERT_EQ(rte_secpath_push_sa(m, sa_in_trs,
		RTE_SECPATH_RESULT_OK), 0, "push inner");
	sp = rte_secpath_get(m);
	TEST_ASSERT_EQ(sp->len, 2, "len");
	TEST_ASSERT_EQ(sp->entry[0].sa, sa_in_tun, "order 0");
	TEST_ASSERT_EQ(sp->entry[1].sa, sa_in_trs, "order 1");

	/* Policy naming both SAs in order: pass. */
	memset(&pol, 0, sizeof(pol));
	pol.nb_tmpl = 2;
	pol.tmpl[0].flags = RTE_SECPATH_TMPL_F_SA | RTE_SECPATH_TMPL_F_MODE;
	pol.tmpl[0].sa = sa_in_tun;
	pol.tmpl[0].mode = RTE_SECPATH_MODE_TUNNEL;
	pol.tmpl[1].flags = RTE_SECPATH_TMPL_F_SPI;
	pol.tmpl[1].spi = 0x200;
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol), RTE_SECPATH_PASS,
		"2-SA policy");
	/* Wrong order: the tunnel SA cannot be skipped. */
	pol.tmpl[0].flags = RTE_SECPATH_TMPL_F_SPI;
	pol.tmpl[0].spi = 0x200;
	pol.tmpl[1].flags = RTE_SECPATH_TMPL_F_SA;
	pol.tmpl[1].sa = sa_in_tun;
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol), RTE_SECPATH_NO_MATCH,
		"reversed policy");
	/* Only the tunnel required: the extra transport SA is allowed. */
	pol.nb_tmpl = 1;
	pol.tmpl[0].flags = RTE_SECPATH_TMPL_F_SA;
	pol.tmpl[0].sa = sa_in_tun;
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol), RTE_SECPATH_PASS,
		"outer only");
	/* Only the transport required: the tunnel SA is extra: reject. */
	pol.tmpl[0].sa = sa_in_trs;
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol), RTE_SECPATH_NO_MATCH,
		"inner only");
	/* Mode mismatch. */
	pol.tmpl[0].flags = RTE_SECPATH_TMPL_F_SA | RTE_SECPATH_TMPL_F_MODE;
	pol.tmpl[0].sa = sa_in_tun;
	pol.tmpl[0].mode = RTE_SECPATH_MODE_TRANSPORT;
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol), RTE_SECPATH_NO_MATCH,
		"mode mismatch");
	/* Optional missing template, then the required ones. */
	pol.nb_tmpl = 3;
	pol.tmpl[0].flags = RTE_SECPATH_TMPL_F_SPI |
		RTE_SECPATH_TMPL_F_OPTIONAL;
	pol.tmpl[0].spi = 0x999;
	pol.tmpl[1].flags = RTE_SECPATH_TMPL_F_SA;
	pol.tmpl[1].sa = sa_in_tun;
	pol.tmpl[2].flags = RTE_SECPATH_TMPL_F_SA;
	pol.tmpl[2].sa = sa_in_trs;
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol), RTE_SECPATH_PASS,
		"optional template");
	/* No template: tunnel entry outside any policy is rejected. */
	pol.nb_tmpl = 0;
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol),
		RTE_SECPATH_EXTRA_TUNNEL, "no template, tunnel entry");
	rte_mbuf_extension_pktmbuf_free(m);
	return TEST_SUCCESS;
}

static int
test_policy_basic(void)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(test_mbuf_pool);
	struct rte_secpath_policy pol, none;
	struct rte_secpath_stats s0, s1;
	struct rte_secpath_entry e;

	TEST_ASSERT(m != NULL, "alloc");
	memset(&none, 0, sizeof(none));
	memset(&pol, 0, sizeof(pol));
	pol.nb_tmpl = 1;
	pol.tmpl[0].flags = RTE_SECPATH_TMPL_F_SA;
	pol.tmpl[0].sa = sa_in_tun;
	rte_secpath_stats_get(&s0);
	/* No secpath: passes "none", fails a protecting policy. */
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &none), RTE_SECPATH_PASS,
		"no protection needed");
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol),
		RTE_SECPATH_NO_SECPATH, "protection needed");
	/* An outbound entry only: still no inbound protection. */
	e = entry(0x300, RTE_SECPATH_DIR_OUT, RTE_SECPATH_MODE_TUNNEL,
		RTE_SECPATH_RESULT_OK, sa_out);
	TEST_ASSERT_EQ(rte_secpath_push(m, &e), 0, "push out");
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol),
		RTE_SECPATH_NO_SECPATH, "outbound only");
	/* Another SA: no match. */
	TEST_ASSERT_EQ(rte_secpath_push_sa(m, sa_in_tun2,
		RTE_SECPATH_RESULT_OK), 0, "push other");
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol), RTE_SECPATH_NO_MATCH,
		"other SA");
	rte_secpath_clear(m);
	/* The right SA but failed: rejected whatever the policy. */
	TEST_ASSERT_EQ(rte_secpath_push_sa(m, sa_in_tun,
		RTE_SECPATH_RESULT_FAILED), 0, "push failed");
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol),
		RTE_SECPATH_FAILED_ENTRY, "failed entry");
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &none),
		RTE_SECPATH_FAILED_ENTRY, "failed entry, no policy");
	rte_secpath_clear(m);
	TEST_ASSERT_EQ(rte_secpath_push_sa(m, sa_in_tun,
		RTE_SECPATH_RESULT_OK), 0, "push ok");
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol), RTE_SECPATH_PASS,
		"pass");
	rte_secpath_stats_get(&s1);
	TEST_ASSERT_EQ(s1.check_pass - s0.check_pass, 2, "check_pass");
	TEST_ASSERT_EQ(s1.check_fail - s0.check_fail, 5, "check_fail");
	rte_mbuf_extension_pktmbuf_free(m);
	return TEST_SUCCESS;
}

static int
test_chain_full(void)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(test_mbuf_pool);
	struct rte_mbuf *c;
	struct rte_secpath before;
	struct rte_secpath_stats s0, s1;
	struct rte_mbuf_extension_stats x0, x1;
	struct rte_secpath_entry e;
	unsigned int i;

	TEST_ASSERT(m != NULL, "alloc");
	for (i = 0; i < RTE_SECPATH_MAX_DEPTH; i++) {
		e = entry(0x1000 + i, RTE_SECPATH_DIR_IN,
			RTE_SECPATH_MODE_TRANSPORT, RTE_SECPATH_RESULT_OK,
			RTE_SECPATH_SA_NONE);
		TEST_ASSERT_EQ(rte_secpath_push(m, &e), 0, "push");
		TEST_ASSERT_EQ(rte_secpath_len(m), i + 1, "len");
	}
	memcpy(&before, rte_secpath_get(m), sizeof(before));
	rte_secpath_stats_get(&s0);
	e = entry(0x2000, RTE_SECPATH_DIR_IN, RTE_SECPATH_MODE_TRANSPORT,
		RTE_SECPATH_RESULT_OK, RTE_SECPATH_SA_NONE);
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_secpath_push(m, &e), -ENOSPC, "7th push");
	TEST_ASSERT_EQ(rte_errno, ENOSPC, "rte_errno");
	TEST_ASSERT(memcmp(&before, rte_secpath_get(m), sizeof(before)) == 0,
		"secpath changed by a refused push");
	rte_secpath_stats_get(&s1);
	TEST_ASSERT_EQ(s1.push_full - s0.push_full, 1, "push_full");
	TEST_ASSERT_EQ(s1.push - s0.push, 0, "push");

	/* Full and shared: refused without copying the block. */
	c = rte_mbuf_extension_pktmbuf_clone(m, test_mbuf_pool);
	TEST_ASSERT(c != NULL, "clone");
	rte_mbuf_extension_stats_get(&x0);
	TEST_ASSERT_EQ(rte_secpath_push(c, &e), -ENOSPC, "7th push, clone");
	rte_mbuf_extension_stats_get(&x1);
	TEST_ASSERT_EQ(x1.cow - x0.cow, 0, "cow on a refused push");
	TEST_ASSERT_EQ(x1.in_use, x0.in_use, "block taken by a refused push");
	TEST_ASSERT(rte_secpath_get(c) == rte_secpath_get(m), "still shared");
	rte_mbuf_extension_pktmbuf_free(c);
	rte_mbuf_extension_pktmbuf_free(m);
	return TEST_SUCCESS;
}

static int
test_clone_cow(void)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(test_mbuf_pool);
	struct rte_mbuf *c, *pc, *cp;
	const struct rte_secpath *sm, *sc;

	TEST_ASSERT(m != NULL, "alloc");
	/* rte_pktmbuf_copy() wants data. */
	TEST_ASSERT(rte_pktmbuf_append(m, 64) != NULL, "append");
	TEST_ASSERT_EQ(rte_secpath_push_sa(m, sa_in_tun,
		RTE_SECPATH_RESULT_OK), 0, "push");
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), 1, "1 block");

	/* Clone made by the helper: shares the secpath. */
	c = rte_mbuf_extension_pktmbuf_clone(m, test_mbuf_pool);
	TEST_ASSERT(c != NULL, "clone");
	TEST_ASSERT(rte_secpath_get(c) == rte_secpath_get(m), "not shared");
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), 1, "1 block");
	/* Push on the clone: copy first, original unchanged. */
	TEST_ASSERT_EQ(rte_secpath_push_sa(c, sa_in_trs,
		RTE_SECPATH_RESULT_OK), 0, "push on clone");
	sm = rte_secpath_get(m);
	sc = rte_secpath_get(c);
	TEST_ASSERT(sm != sc, "still shared after push");
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), 2, "2 blocks");
	TEST_ASSERT_EQ(sm->len, 1, "original len");
	TEST_ASSERT_EQ(sm->entry[0].sa, sa_in_tun, "original entry");
	TEST_ASSERT_EQ(sc->len, 2, "clone len");
	TEST_ASSERT_EQ(sc->entry[0].sa, sa_in_tun, "clone entry 0");
	TEST_ASSERT_EQ(sc->entry[1].sa, sa_in_trs, "clone entry 1");
	/* Push on the original now: no effect on the clone. */
	TEST_ASSERT_EQ(rte_secpath_push_sa(m, sa_in_tun2,
		RTE_SECPATH_RESULT_FAILED), 0, "push on original");
	sm = rte_secpath_get(m);
	TEST_ASSERT_EQ(sm->len, 2, "original len");
	TEST_ASSERT_EQ(sm->entry[1].sa, sa_in_tun2, "original entry 1");
	TEST_ASSERT_EQ(rte_secpath_get(c)->entry[1].sa, sa_in_trs,
		"clone entry 1 after push on original");

	/* Plain rte_pktmbuf_clone(): a borrowed view of the direct mbuf. */
	pc = rte_pktmbuf_clone(m, test_mbuf_pool);
	TEST_ASSERT(pc != NULL, "plain clone");
	TEST_ASSERT(rte_secpath_get(pc) == rte_secpath_get(m),
		"plain clone does not see the secpath");
	TEST_ASSERT_EQ(rte_secpath_push_sa(pc, sa_in_trs,
		RTE_SECPATH_RESULT_OK), 0, "push on plain clone");
	TEST_ASSERT_EQ(rte_secpath_len(pc), 3, "plain clone len");
	TEST_ASSERT_EQ(rte_secpath_len(m), 2, "original len after COW");
	TEST_ASSERT_EQ(rte_secpath_get(m)->entry[1].sa, sa_in_tun2,
		"original entry after COW");

	/* Copy made by the helper: own reference, same content. */
	cp = rte_mbuf_extension_pktmbuf_copy(m, test_mbuf_pool, 0, UINT32_MAX);
	TEST_ASSERT(cp != NULL, "copy");
	TEST_ASSERT_EQ(rte_secpath_len(cp), 2, "copy len");
	TEST_ASSERT_EQ(rte_secpath_get(cp)->entry[1].sa, sa_in_tun2,
		"copy entry");

	rte_mbuf_extension_pktmbuf_free(pc);
	rte_mbuf_extension_pktmbuf_free(c);
	rte_mbuf_extension_pktmbuf_free(m);
	TEST_ASSERT_EQ(rte_secpath_len(cp), 2, "copy outlives original");
	rte_mbuf_extension_pktmbuf_free(cp);
	return TEST_SUCCESS;
}

/* Block pool empty: -ENOMEM, packet unchanged. */
static int
test_nomem(void)
{
	struct rte_mbuf *m[NB_BLOCKS + 1];
	struct rte_secpath_entry e;
	struct rte_mbuf *c;
	unsigned int i;

	e = entry(0x42, RTE_SECPATH_DIR_IN, RTE_SECPATH_MODE_TRANSPORT,
		RTE_SECPATH_RESULT_OK, RTE_SECPATH_SA_NONE);
	for (i = 0; i < NB_BLOCKS; i++) {
		m[i] = rte_pktmbuf_alloc(test_mbuf_pool);
		TEST_ASSERT(m[i] != NULL, "alloc");
		TEST_ASSERT_EQ(rte_secpath_push(m[i], &e), 0, "push");
	}
	m[NB_BLOCKS] = rte_pktmbuf_alloc(test_mbuf_pool);
	TEST_ASSERT(m[NB_BLOCKS] != NULL, "alloc");
	TEST_ASSERT_EQ(rte_secpath_push(m[NB_BLOCKS], &e), -ENOMEM,
		"push with no block");
	TEST_ASSERT_EQ(rte_errno, ENOMEM, "rte_errno");
	TEST_ASSERT(rte_secpath_get(m[NB_BLOCKS]) == NULL, "secpath appeared");
	/* COW impossible too: the shared secpath stays as it was. */
	c = rte_mbuf_extension_pktmbuf_clone(m[0], test_mbuf_pool);
	TEST_ASSERT(c != NULL, "clone");
	TEST_ASSERT_EQ(rte_secpath_push(c, &e), -ENOMEM, "COW with no block");
	TEST_ASSERT_EQ(rte_secpath_len(c), 1, "clone len");
	TEST_ASSERT_EQ(rte_secpath_len(m[0]), 1, "original len");
	rte_mbuf_extension_pktmbuf_free(c);
	rte_mbuf_extension_pktmbuf_free_bulk(m, NB_BLOCKS + 1);
	return TEST_SUCCESS;
}

/*
 * A packet of a pool that may not hold extensions (neither the mbuf_ext
 * mempool handler nor opted in): -ENOTSUP, packet unchanged.
 */
static int
test_pool_not_allowed(void)
{
	struct rte_mbuf_extension_stats x0, x1;
	struct rte_secpath_stats s0, s1;
	struct rte_secpath_entry e;
	struct rte_mempool *mp;
	struct rte_mbuf *m;

	mp = rte_pktmbuf_pool_create("secpath_plain", 7, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	TEST_ASSERT(mp != NULL, "pool");
	m = rte_pktmbuf_alloc(mp);
	TEST_ASSERT(m != NULL, "alloc");
	e = entry(0x43, RTE_SECPATH_DIR_IN, RTE_SECPATH_MODE_TRANSPORT,
		RTE_SECPATH_RESULT_OK, RTE_SECPATH_SA_NONE);
	rte_secpath_stats_get(&s0);
	TEST_ASSERT_EQ(rte_mbuf_extension_stats_get(&x0), 0, "ext stats");
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_secpath_push(m, &e), -ENOTSUP, "push");
	TEST_ASSERT_EQ(rte_errno, ENOTSUP, "rte_errno");
	TEST_ASSERT(rte_secpath_get(m) == NULL, "secpath appeared");
	rte_secpath_stats_get(&s1);
	TEST_ASSERT_EQ(rte_mbuf_extension_stats_get(&x1), 0, "ext stats");
	TEST_ASSERT_EQ(s1.push_nomem - s0.push_nomem, 1, "push_nomem");
	TEST_ASSERT_EQ(s1.push - s0.push, 0, "push");
	TEST_ASSERT_EQ(x1.refused - x0.refused, 1, "refused");
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), 0, "blocks");
	rte_pktmbuf_free(m);
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

/* Send one telemetry command to this process; the reply in @p buf. */
static int
tel_query(const char *cmd, char *buf, size_t len)
{
	struct sockaddr_un sun;
	char pid[32];
	ssize_t n;
	int fd;

	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (fd < 0)
		return -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/dpdk_telemetry.v2",
		rte_eal_get_runtime_dir());
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		close(fd);
		return -1;
	}
	/* The greeting names the process: another one (same file prefix
	 * in another build directory) may own the socket.
	 */
	n = recv(fd, buf, len - 1, 0);
	if (n <= 0) {
		close(fd);
		return -1;
	}
	buf[n] = '\0';
	snprintf(pid, sizeof(pid), "\"pid\":%d,", (int)getpid());
	if (strstr(buf, pid) == NULL) {
		close(fd);
		return 1;
	}
	if (send(fd, cmd, strlen(cmd), 0) < 0) {
		close(fd);
		return -1;
	}
	n = recv(fd, buf, len - 1, 0);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static int
test_telemetry(void)
{
	struct rte_secpath_stats st;
	char buf[4096], want[128];
	int r;

	TEST_ASSERT_EQ(rte_secpath_stats_get(&st), 0, "stats");
	TEST_ASSERT(st.push > 0, "no push counted");
	r = tel_query("/secpath/stats", buf, sizeof(buf));
	if (r == 1)
		TEST_SKIP("telemetry socket owned by another process");
	TEST_ASSERT_EQ(r, 0, "query stats");
	snprintf(want, sizeof(want), "\"push\":%" PRIu64 ",", st.push);
	TEST_ASSERT(strstr(buf, want) != NULL, "%s not in %s", want, buf);
	snprintf(want, sizeof(want), "\"push_full\":%" PRIu64 ",",
		st.push_full);
	TEST_ASSERT(strstr(buf, want) != NULL, "%s not in %s", want, buf);
	TEST_ASSERT_EQ(tel_query("/secpath/info", buf, sizeof(buf)), 0,
		"query info");
	TEST_ASSERT(strstr(buf, "\"secpath_size\":152") != NULL, "%s", buf);
	snprintf(want, sizeof(want), "\"live_sa\":%u",
		rte_secpath_sa_count());
	TEST_ASSERT(strstr(buf, want) != NULL, "%s not in %s", want, buf);
	TEST_ASSERT_EQ(tel_query("/secpath/sa_list", buf, sizeof(buf)), 0,
		"query sa_list");
	snprintf(want, sizeof(want), "%" PRIu64, sa_in_trs);
	TEST_ASSERT(strstr(buf, want) != NULL, "%s not in %s", want, buf);
	snprintf(want, sizeof(want), "/secpath/sa,%" PRIu64, sa_in_trs);
	TEST_ASSERT_EQ(tel_query(want, buf, sizeof(buf)), 0, "query sa");
	TEST_ASSERT(strstr(buf, "\"spi\":512,") != NULL, "%s", buf);
	TEST_ASSERT(strstr(buf, "\"mode\":\"transport\"") != NULL, "%s",
		buf);
	return 0;
}

static int
chain_setup(void)
{
	TEST_ASSERT(test_pools_create(1023) == 0, "pools: %s",
		rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

/* The library, the block pool and the SAs the cases use. */
static int
chain_init(void)
{
	struct rte_secpath_conf conf = { .max_sa = 16,
		.socket_id = SOCKET_ID_ANY };

	TEST_ASSERT(rte_secpath_init(&conf) == 0 &&
		test_mbuf_pool_opt_in() == 0 &&
		rte_mbuf_extension_pool_create(NB_BLOCKS, 0,
			SOCKET_ID_ANY) == 0,
		"setup: %s", rte_strerror(rte_errno));
	TEST_ASSERT(test_sa_add(0x100, RTE_SECPATH_DIR_IN,
			RTE_SECPATH_MODE_TUNNEL, RTE_SECPATH_KIND_LOOKASIDE, 0,
			NULL, 1, &sa_in_tun) == 0 &&
		test_sa_add(0x200, RTE_SECPATH_DIR_IN,
			RTE_SECPATH_MODE_TRANSPORT,
			RTE_SECPATH_KIND_LOOKASIDE, 0, NULL, 2,
			&sa_in_trs) == 0 &&
		test_sa_add(0x101, RTE_SECPATH_DIR_IN,
			RTE_SECPATH_MODE_TUNNEL, RTE_SECPATH_KIND_LOOKASIDE,
			0, NULL, 3, &sa_in_tun2) == 0 &&
		test_sa_add(0x300, RTE_SECPATH_DIR_OUT,
			RTE_SECPATH_MODE_TUNNEL, RTE_SECPATH_KIND_LOOKASIDE,
			0, NULL, 4, &sa_out) == 0, "SA setup");
	return TEST_SUCCESS;
}

/*
 * Case set-up of the cases after test_before_init(): what chain_init()
 * makes, made by the first of them (sa_out is its last SA).
 */
static int
chain_ready(void)
{
	if (sa_out != RTE_SECPATH_SA_NONE)
		return TEST_SUCCESS;
	return chain_init();
}

static void
chain_teardown(void)
{
	rte_secpath_fini();
	test_pools_free();
}

static struct unit_test_suite chain_suite = {
	.name = "secpath_chain",
	.setup = chain_setup,
	.teardown = chain_teardown,
	.snapshot = test_clean_snapshot,
	.check = test_clean_check,
	.cases = {
		TEST_CASE(test_before_init),
		TEST_CASE_ST(chain_ready, NULL, test_sizes),
		TEST_CASE_ST(chain_ready, NULL, test_push_get),
		TEST_CASE_ST(chain_ready, NULL, test_nested),
		TEST_CASE_ST(chain_ready, NULL, test_policy_basic),
		TEST_CASE_ST(chain_ready, NULL, test_chain_full),
		TEST_CASE_ST(chain_ready, NULL, test_clone_cow),
		TEST_CASE_ST(chain_ready, NULL, test_nomem),
		TEST_CASE_ST(chain_ready, NULL, test_pool_not_allowed),
		TEST_CASE_ST(chain_ready, NULL, test_telemetry),
		TEST_CASES_END()
	}
};

REGISTER_TEST_SUITE(chain_suite);
