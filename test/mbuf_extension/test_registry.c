/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Extension type registry, block pool creation and telemetry.
 *
 * The registry is global to the process and types cannot be unregistered,
 * so the cases run in a fixed order and keep count of what is registered
 * (nb_registered, used_chunks).
 *
 * mbuf_pool is a plain pool opted in with
 * rte_mbuf_extension_pktmbuf_pool_opt_in() (its mbufs are freed with the
 * library); refused_pool is a plain pool that is not, and whose mbufs may
 * never take a reference. After every case the runner checks that nothing
 * leaked (test_clean_check()).
 */

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <rte_mbuf_extension.h>

#include "test_runner.h"
#include "test_clean.h"
#include "mbext_test.h"

#define NB_MBUFS 256
#define NB_BLOCKS 64
/* Seconds a call that takes the registry lock may run. */
#define WATCHDOG_S 10

static struct rte_mempool *mbuf_pool;
static struct rte_mempool *refused_pool;

/*
 * A call that does not return (a deadlock on the registry lock) would hang
 * the test until meson kills it, without a word. Report it and exit: with
 * the lock held nothing else can run.
 */
static volatile sig_atomic_t watched_call; /* 0: pool_free, 1: create */

static void
watchdog_fired(int sig)
{
	static const char msg_free[] = "  rte_mbuf_extension_pool_free()";
	static const char msg_create[] = "  rte_mbuf_extension_pool_create()";
	static const char msg[] = " did not return (deadlock?)\n"
		"FAIL: the case running (watchdog)\nFAILED: watchdog\n";
	ssize_t r;

	RTE_SET_USED(sig);
	if (watched_call == 0)
		r = write(STDOUT_FILENO, msg_free, sizeof(msg_free) - 1);
	else
		r = write(STDOUT_FILENO, msg_create, sizeof(msg_create) - 1);
	r = write(STDOUT_FILENO, msg, sizeof(msg) - 1);
	RTE_SET_USED(r);
	_exit(EXIT_FAILURE);
}

static int
pool_free_watched(void)
{
	int ret;

	watched_call = 0;
	signal(SIGALRM, watchdog_fired);
	alarm(WATCHDOG_S);
	ret = rte_mbuf_extension_pool_free();
	alarm(0);
	return ret;
}

static int
pool_create_watched(unsigned int n, unsigned int cache)
{
	int ret;

	watched_call = 1;
	signal(SIGALRM, watchdog_fired);
	alarm(WATCHDOG_S);
	ret = rte_mbuf_extension_pool_create(n, cache, SOCKET_ID_ANY);
	alarm(0);
	return ret;
}

/*
 * An add of type 0 to a new mbuf of pool fails with rte_errno err (what,
 * what_err: the assertions); the mbuf is then freed, with the library if
 * lib.
 */
static int
add_fails(struct rte_mempool *pool, int err, const char *what,
	const char *what_err, int lib)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	TEST_ASSERT(m != NULL, "mbuf alloc");
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_add(m, 0) == NULL, "%s", what);
	TEST_ASSERT_EQ(rte_errno, err, what_err);
	if (lib)
		rte_mbuf_extension_pktmbuf_free(m);
	else
		rte_pktmbuf_free(m);
	return 0;
}

/* Types registered so far, in id order, and the chunks they need. */
static struct rte_mbuf_extension_params registered[RTE_MBUF_EXTENSION_MAX];
static int nb_registered;
static unsigned int used_chunks;

/* Register a new type that must be accepted, with an 8-byte alignment. */
static int
register_new(const char *name, size_t size)
{
	struct rte_mbuf_extension_params p = mbext_test_params(name, size, 8);
	int id = rte_mbuf_extension_register(&p);

	if (id < 0) {
		printf("  registering %s (%zu bytes) failed: %s\n", name, size,
			rte_strerror(rte_errno));
		return -1;
	}
	if (id != nb_registered) {
		printf("  %s got id %d, expected %d\n", name, id,
			nb_registered);
		return -1;
	}
	registered[nb_registered++] = p;
	used_chunks += (size + RTE_MBUF_EXTENSION_CHUNK - 1) /
		RTE_MBUF_EXTENSION_CHUNK;
	return id;
}

/* The block pool, NULL if there is none. */
static struct rte_mempool *
block_pool(void)
{
	return rte_mbuf_extension_pool_lookup(SOCKET_ID_ANY);
}

struct obj_find {
	const void *addr;
	const void *obj;
	size_t size;
};

static void
find_obj(struct rte_mempool *mp, void *opaque, void *obj, unsigned int idx)
{
	struct obj_find *f = opaque;

	RTE_SET_USED(idx);
	if ((const char *)f->addr >= (const char *)obj &&
			(const char *)f->addr <
			(const char *)obj + mp->elt_size) {
		f->obj = obj;
		f->size = mp->elt_size;
	}
}

/*
 * Add every registered type to one mbuf, fill each with its own pattern
 * over its whole size and check that each extension lies inside the block
 * after its header, at its alignment, and that no fill overwrote another.
 */
static int
check_all_types_fit(void)
{
	struct rte_mempool *bp = block_pool();
	struct rte_mbuf *m;
	struct obj_find f;
	uint8_t *data[RTE_MBUF_EXTENSION_MAX];
	int i, j;
	size_t k;

	TEST_ASSERT(bp != NULL, "no block pool");
	m = rte_pktmbuf_alloc(mbuf_pool);
	TEST_ASSERT(m != NULL, "mbuf alloc");
	for (i = 0; i < nb_registered; i++) {
		data[i] = rte_mbuf_extension_add(m, i);
		TEST_ASSERT(data[i] != NULL, "add type %d: %s", i,
			rte_strerror(rte_errno));
		TEST_ASSERT(((uintptr_t)data[i] & (registered[i].align - 1))
			== 0, "type %d misaligned", i);
		for (k = 0; k < registered[i].size; k++)
			TEST_ASSERT(data[i][k] == 0, "type %d not zeroed", i);
		memset(data[i], 0xa0 + i, registered[i].size);
	}
	memset(&f, 0, sizeof(f));
	f.addr = data[0];
	rte_mempool_obj_iter(bp, find_obj, &f);
	TEST_ASSERT(f.obj != NULL, "extension data not in a block");
	for (i = 0; i < nb_registered; i++) {
		TEST_ASSERT(data[i] >= (const uint8_t *)f.obj +
			sizeof(struct rte_mbuf_extension_block),
			"type %d overlaps the block header", i);
		TEST_ASSERT(data[i] + registered[i].size <=
			(const uint8_t *)f.obj + f.size,
			"type %d ends past its block", i);
		TEST_ASSERT(rte_mbuf_extension_find(m, i) == data[i],
			"find type %d", i);
	}
	for (i = 0; i < nb_registered; i++)
		for (j = 0; j < (int)registered[i].size; j++)
			TEST_ASSERT(data[i][j] == 0xa0 + i,
				"type %d byte %d overwritten", i, j);
	rte_mbuf_extension_pktmbuf_free(m);
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), 0, "blocks in use");
	return 0;
}

/* Everything fails cleanly before rte_eal_init(). */
static int
test_before_eal(void)
{
	struct rte_mbuf_extension_params p = mbext_test_params("early", 8, 8);
	struct rte_mbuf_extension_stats st;

	rte_errno = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_register(&p), -1, "register");
	TEST_ASSERT_EQ(rte_errno, E_RTE_NO_CONFIG, "register rte_errno");
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_lookup("early", NULL), -1,
		"lookup");
	TEST_ASSERT_EQ(rte_errno, E_RTE_NO_CONFIG, "lookup rte_errno");
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_create(16, 0, SOCKET_ID_ANY),
		-E_RTE_NO_CONFIG, "pool_create");
	TEST_ASSERT_EQ(rte_mbuf_extension_stats_get(&st), -E_RTE_NO_CONFIG,
		"stats_get");
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), 0, "pool_in_use");
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_pool_opt_in(
		(struct rte_mempool *)&st), -E_RTE_NO_CONFIG, "opt_in");
	TEST_ASSERT_EQ(rte_errno, E_RTE_NO_CONFIG, "opt_in rte_errno");
	return 0;
}

/* After rte_eal_init(), before any registry call: nothing to opt in to. */
static int
test_opt_in_before_registry(void)
{
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_pool_opt_in(mbuf_pool),
		-E_RTE_NO_CONFIG, "opt_in");
	TEST_ASSERT_EQ(rte_errno, E_RTE_NO_CONFIG, "rte_errno");
	return 0;
}

/* A pool cannot be created before a type exists; add has no pool. */
static int
test_pool_without_types(void)
{
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_create(16, 0, SOCKET_ID_ANY),
		-EINVAL, "pool_create without types");
	TEST_ASSERT_EQ(rte_errno, EINVAL, "rte_errno");
	TEST_ASSERT(block_pool() == NULL, "a pool was created");
	return 0;
}

static int
expect_register_error(const struct rte_mbuf_extension_params *p, int err,
		const char *what)
{
	int ret;

	rte_errno = 0;
	ret = rte_mbuf_extension_register(p);
	if (ret != -1 || rte_errno != err) {
		printf("  %s: returned %d rte_errno %d (%s), "
			"expected -1 and %d\n",
			what, ret, rte_errno, rte_strerror(rte_errno), err);
		return -1;
	}
	return 0;
}

static int
test_bad_params(void)
{
	struct rte_mbuf_extension_params p;

	TEST_ASSERT(expect_register_error(NULL, EINVAL, "NULL") == 0, "");
	p = mbext_test_params("", 8, 8);
	TEST_ASSERT(expect_register_error(&p, EINVAL, "empty name") == 0, "");
	p = mbext_test_params("bad", 0, 8);
	TEST_ASSERT(expect_register_error(&p, EINVAL, "size 0") == 0, "");
	p = mbext_test_params("bad", RTE_MBUF_EXTENSION_MAX_SIZE + 1, 8);
	TEST_ASSERT(expect_register_error(&p, EINVAL, "size > max") == 0, "");
	p = mbext_test_params("bad", 8, 0);
	TEST_ASSERT(expect_register_error(&p, EINVAL, "align 0") == 0, "");
	p = mbext_test_params("bad", 8, 3);
	TEST_ASSERT(expect_register_error(&p, EINVAL, "align 3") == 0, "");
	p = mbext_test_params("bad", 8, 24);
	TEST_ASSERT(expect_register_error(&p, EINVAL, "align 24") == 0, "");
	p = mbext_test_params("bad", 8, RTE_MBUF_EXTENSION_MAX_ALIGN * 2);
	TEST_ASSERT(expect_register_error(&p, EINVAL, "align > max") == 0, "");
	p = mbext_test_params("bad", 8, 8);
	p.flags = 1;
	TEST_ASSERT(expect_register_error(&p, EINVAL, "flags") == 0, "");
	p = mbext_test_params("bad", 8, 8);
	memset(p.name, 'x', sizeof(p.name)); /* no NUL */
	TEST_ASSERT(expect_register_error(&p, ENAMETOOLONG, "long name") == 0,
		"");
	/* The longest name that fits is accepted later; none took an id. */
	TEST_ASSERT_EQ(rte_mbuf_extension_lookup("bad", NULL), -1,
		"a failed registration left a type");
	TEST_ASSERT_EQ(rte_errno, ENOENT, "lookup rte_errno");
	return 0;
}

static int
test_register_lookup(void)
{
	struct rte_mbuf_extension_params p, got;
	char longest[RTE_MBUF_EXTENSION_NAMESIZE];
	int a, b, c;

	a = register_new("reg_a", 8);
	TEST_ASSERT(a >= 0, "reg_a");
	b = register_new("reg_b", 20);
	TEST_ASSERT(b >= 0, "reg_b");
	memset(longest, 'n', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	c = register_new(longest, 1);
	TEST_ASSERT(c >= 0, "name of NAMESIZE - 1 characters");
	TEST_ASSERT(a != b && b != c && a != c, "ids not distinct");

	/* Same name, same layout: same id, nothing new. */
	p = mbext_test_params("reg_a", 8, 8);
	TEST_ASSERT_EQ(rte_mbuf_extension_register(&p), a, "idempotent");
	p = mbext_test_params("reg_b", 20, 8);
	TEST_ASSERT_EQ(rte_mbuf_extension_register(&p), b, "idempotent");
	/* Same name, another layout. */
	p = mbext_test_params("reg_a", 16, 8);
	TEST_ASSERT(expect_register_error(&p, EEXIST, "other size") == 0, "");
	p = mbext_test_params("reg_a", 8, 16);
	TEST_ASSERT(expect_register_error(&p, EEXIST, "other align") == 0,
		"");
	p = mbext_test_params("reg_a", 8, 8);
	TEST_ASSERT_EQ(rte_mbuf_extension_register(&p), a,
		"EEXIST changed the type");

	memset(&got, 0xff, sizeof(got));
	TEST_ASSERT_EQ(rte_mbuf_extension_lookup("reg_b", &got), b, "lookup");
	TEST_ASSERT(strcmp(got.name, "reg_b") == 0, "lookup name");
	TEST_ASSERT_EQ(got.size, 20, "lookup size");
	TEST_ASSERT_EQ(got.align, 8, "lookup align");
	TEST_ASSERT_EQ(got.flags, 0, "lookup flags");
	TEST_ASSERT_EQ(rte_mbuf_extension_lookup(longest, NULL), c,
		"lookup without params");
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_lookup("reg_none", &got), -1,
		"lookup unknown");
	TEST_ASSERT_EQ(rte_errno, ENOENT, "lookup unknown rte_errno");
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_lookup(NULL, NULL), -1,
		"lookup NULL");
	TEST_ASSERT_EQ(rte_errno, EINVAL, "lookup NULL rte_errno");
	return 0;
}

/*
 * Opt-in of plain mbuf pools: up to RTE_MBUF_EXTENSION_MAX_OPT_IN, again
 * is a no-op; a pool freed leaves the list (its slot is taken again, and a
 * pool created later at its address must opt in again). A pool not opted
 * in is refused with ENOTSUP.
 */
#define OPT_IN_EXTRA RTE_MBUF_EXTENSION_MAX_OPT_IN

static int
test_opt_in(void)
{
	struct rte_mempool *extra[OPT_IN_EXTRA], *p1, *p2;
	struct rte_mbuf_extension_stats s0, s1;
	char name[RTE_MEMPOOL_NAMESIZE];
	struct rte_mbuf *m;
	int i;

	rte_errno = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_pool_opt_in(NULL), -EINVAL,
		"NULL");
	TEST_ASSERT_EQ(rte_errno, EINVAL, "rte_errno");
	/* Not opted in: refused before the block pool is even looked at. */
	m = rte_pktmbuf_alloc(refused_pool);
	TEST_ASSERT(m != NULL, "mbuf alloc");
	TEST_ASSERT_EQ(rte_mbuf_extension_stats_get(&s0), 0, "stats_get");
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_add(m, 0) == NULL, "add");
	TEST_ASSERT_EQ(rte_errno, ENOTSUP, "rte_errno");
	TEST_ASSERT_EQ(rte_mbuf_extension_stats_get(&s1), 0, "stats_get");
	TEST_ASSERT_EQ(s1.refused - s0.refused, 1, "refused");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 0, "mask");
	rte_pktmbuf_free(m); /* it holds nothing */

	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_pool_opt_in(mbuf_pool), 0,
		"opt_in");
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_pool_opt_in(mbuf_pool), 0,
		"opt_in again");
	/* Fill the list: mbuf_pool and OPT_IN_EXTRA - 1 others. */
	for (i = 0; i < OPT_IN_EXTRA; i++) {
		snprintf(name, sizeof(name), "reg_opt_%d", i);
		extra[i] = rte_mempool_create_empty(name, 16, 64, 0, 0,
			SOCKET_ID_ANY, 0);
		TEST_ASSERT(extra[i] != NULL, "pool %d", i);
	}
	for (i = 0; i < OPT_IN_EXTRA - 1; i++)
		TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_pool_opt_in(
			extra[i]), 0, "opt_in");
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_pool_opt_in(
		extra[OPT_IN_EXTRA - 1]), -ENOSPC, "one more");
	TEST_ASSERT_EQ(rte_errno, ENOSPC, "rte_errno");
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_pool_opt_in(extra[0]), 0,
		"opt_in again when full");
	/* A freed pool leaves the list: its slot is free again. */
	rte_mempool_free(extra[0]);
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_pool_opt_in(
		extra[OPT_IN_EXTRA - 1]), 0, "slot of a freed pool");
	for (i = 1; i < OPT_IN_EXTRA; i++)
		rte_mempool_free(extra[i]);

	/*
	 * A pool created at a freed opted-in pool's address is not in, even
	 * if the freed pool was the last one checked.
	 */
	p1 = rte_pktmbuf_pool_create("reg_opt_p1", 8, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	TEST_ASSERT(p1 != NULL, "pool");
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_pool_opt_in(p1), 0,
		"opt_in");
	/* Accepted: it fails further, for want of a block pool. */
	TEST_ASSERT(add_fails(p1, ENODEV, "add", "opted-in pool refused",
		1) == 0, "add");
	rte_mempool_free(p1);
	p2 = rte_pktmbuf_pool_create("reg_opt_p2", 8, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	TEST_ASSERT(p2 != NULL, "pool");
	TEST_ASSERT(p2 == p1, "not the freed pool's address: not exercised");
	TEST_ASSERT(add_fails(p2, ENOTSUP,
		"a new pool at a freed opted-in pool's address is opted in",
		"rte_errno", 0) == 0, "add");
	rte_mempool_free(p2);
	return 0;
}

/* Types exist but no pool: add fails with ENODEV and changes nothing. */
static int
test_add_without_pool(void)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mbuf_pool);

	TEST_ASSERT(m != NULL, "mbuf alloc");
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_add(m, 0) == NULL, "add without pool");
	TEST_ASSERT_EQ(rte_errno, ENODEV, "rte_errno");
	TEST_ASSERT(rte_mbuf_extension_find(m, 0) == NULL, "find");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 0, "mask");
	rte_mbuf_extension_pktmbuf_free(m);
	return 0;
}

static int
test_pool_create(void)
{
	struct rte_mbuf_extension_stats st;
	struct rte_mbuf *m;

	TEST_ASSERT_EQ(rte_mbuf_extension_pool_create(0, 0, SOCKET_ID_ANY),
		-EINVAL, "0 blocks");
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_create(
		RTE_MBUF_EXTENSION_POOL_MAX_BLOCKS + 1, 0, SOCKET_ID_ANY),
		-EINVAL, "too many blocks");
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_create(16,
		RTE_MEMPOOL_CACHE_MAX_SIZE + 1, SOCKET_ID_ANY), -EINVAL,
		"cache too large");
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_create(16, 0,
		RTE_MAX_NUMA_NODES), -EINVAL, "bad socket");
	TEST_ASSERT(block_pool() == NULL, "a failed create left a pool");

	TEST_ASSERT_EQ(rte_mbuf_extension_pool_create(NB_BLOCKS, 8,
		SOCKET_ID_ANY), 0, "pool_create");
	TEST_ASSERT(block_pool() != NULL, "no pool");
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_create(NB_BLOCKS, 8,
		SOCKET_ID_ANY), -EEXIST, "second pool on the same socket");
	TEST_ASSERT_EQ(rte_errno, EEXIST, "rte_errno");
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_create(NB_BLOCKS, 8,
		(int)rte_socket_id()), -EEXIST, "same socket by number");

	/* A pool with a block in use cannot be freed. */
	m = rte_pktmbuf_alloc(mbuf_pool);
	TEST_ASSERT(m != NULL, "mbuf alloc");
	TEST_ASSERT(rte_mbuf_extension_add(m, 0) != NULL, "add");
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), 1, "pool_in_use");
	TEST_ASSERT_EQ(rte_mbuf_extension_stats_get(&st), 0, "stats_get");
	TEST_ASSERT_EQ(st.in_use, 1, "stats in_use");
	TEST_ASSERT_EQ(pool_free_watched(), -EBUSY,
		"pool_free busy");
	TEST_ASSERT(block_pool() != NULL, "busy pool freed");
	TEST_ASSERT(rte_mbuf_extension_find(m, 0) != NULL,
		"extension lost by pool_free");
	rte_mbuf_extension_pktmbuf_free(m);
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), 0, "pool_in_use");
	TEST_ASSERT_EQ(rte_mbuf_extension_stats_get(NULL), -EINVAL,
		"stats_get(NULL)");
	TEST_ASSERT(check_all_types_fit() == 0, "types do not fit");
	return 0;
}

/*
 * After the pool exists, a new type is accepted only if it fits in the
 * room the blocks have; the first refused registration takes no id.
 */
static int
test_register_after_pool(void)
{
	struct rte_mempool *bp = block_pool();
	struct rte_mbuf_extension_params p;
	unsigned int room, free_chunks;
	size_t size;
	int id;

	TEST_ASSERT(bp != NULL, "no pool");
	room = bp->elt_size / RTE_MBUF_EXTENSION_CHUNK;
	TEST_ASSERT(room >= RTE_MBUF_EXTENSION_HDR_CHUNKS + used_chunks,
		"block of %u chunks too small for the types (%u)", room,
		used_chunks);
	free_chunks = room - RTE_MBUF_EXTENSION_HDR_CHUNKS - used_chunks;
	printf("  block %u bytes, %u chunks free\n", bp->elt_size,
		free_chunks);
	if (free_chunks > 0) {
		/* Exactly the room left: fits. */
		size = RTE_MIN((size_t)free_chunks * RTE_MBUF_EXTENSION_CHUNK,
			(size_t)RTE_MBUF_EXTENSION_MAX_SIZE);
		id = register_new("late_fits", size);
		TEST_ASSERT(id >= 0, "late type that fits refused");
		free_chunks -= size / RTE_MBUF_EXTENSION_CHUNK;
	}
	if (free_chunks == 0) {
		/* One byte more does not. */
		p = mbext_test_params("late_too_big", 1, 8);
		TEST_ASSERT(expect_register_error(&p, ENOSPC, "late, no room")
			== 0, "");
		TEST_ASSERT_EQ(rte_mbuf_extension_lookup("late_too_big",
			NULL), -1, "refused type registered");
	}
	/* Bigger than the whole block. */
	p = mbext_test_params("late_huge", RTE_MIN((size_t)bp->elt_size,
		(size_t)RTE_MBUF_EXTENSION_MAX_SIZE), 8);
	TEST_ASSERT(expect_register_error(&p, ENOSPC, "late, huge") == 0, "");
	TEST_ASSERT_EQ(rte_mbuf_extension_lookup("late_huge", NULL), -1,
		"refused type registered");
	/* Already registered types are still idempotent. */
	p = registered[0];
	TEST_ASSERT_EQ(rte_mbuf_extension_register(&p), 0, "idempotent");
	/* The accepted type works with all the others on one block. */
	TEST_ASSERT(check_all_types_fit() == 0, "types do not fit");
	return 0;
}

/*
 * With the pool freed, new types may be registered again: up to 8, the
 * 9th is refused with ENOSPC; the block (255 chunks at most, byte offsets)
 * cannot grow without limit either.
 */
static int
test_max_types(void)
{
	struct rte_mbuf_extension_params p;
	char name[RTE_MBUF_EXTENSION_NAMESIZE];
	char pool_name[RTE_MEMPOOL_NAMESIZE];
	struct rte_mbuf *m;
	int i, big;

	TEST_ASSERT(block_pool() != NULL, "no pool");
	snprintf(pool_name, sizeof(pool_name), "%s", block_pool()->name);
	TEST_ASSERT_EQ(pool_free_watched(), 0, "pool_free");
	TEST_ASSERT(block_pool() == NULL, "pool still there");
	TEST_ASSERT(rte_mempool_lookup(pool_name) == NULL,
		"mempool %s not freed", pool_name);
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), 0, "pool_in_use");
	TEST_ASSERT(add_fails(mbuf_pool, ENODEV, "add without pool",
		"rte_errno", 1) == 0, "add");

	TEST_ASSERT(nb_registered < RTE_MBUF_EXTENSION_MAX - 1,
		"too many types already");
	big = register_new("big", RTE_MBUF_EXTENSION_MAX_SIZE);
	TEST_ASSERT(big >= 0, "type of MAX_SIZE refused");
	/* A second one would need more than 255 chunks: refused. */
	TEST_ASSERT(RTE_MBUF_EXTENSION_HDR_CHUNKS + used_chunks +
		RTE_MBUF_EXTENSION_MAX_SIZE / RTE_MBUF_EXTENSION_CHUNK >
		UINT8_MAX, "test assumption");
	p = mbext_test_params("big2", RTE_MBUF_EXTENSION_MAX_SIZE, 8);
	TEST_ASSERT(expect_register_error(&p, ENOSPC, "block too large") == 0,
		"");
	for (i = nb_registered; i < RTE_MBUF_EXTENSION_MAX; i++) {
		snprintf(name, sizeof(name), "fill_%d", i);
		TEST_ASSERT(register_new(name, 8 * (i + 1)) == i,
			"type %d refused", i);
	}
	p = mbext_test_params("ninth", 8, 8);
	TEST_ASSERT(expect_register_error(&p, ENOSPC, "9th type") == 0, "");
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_lookup("ninth", NULL), -1, "lookup");
	TEST_ASSERT_EQ(rte_errno, ENOENT, "lookup rte_errno");
	/* A registered name still gets its id when all are taken. */
	p = registered[RTE_MBUF_EXTENSION_MAX - 1];
	TEST_ASSERT_EQ(rte_mbuf_extension_register(&p),
		RTE_MBUF_EXTENSION_MAX - 1, "idempotent when full");
	p = registered[big];
	TEST_ASSERT_EQ(rte_mbuf_extension_register(&p), big, "idempotent");

	/* A new pool has room for all 8 types at once. */
	TEST_ASSERT_EQ(pool_create_watched(NB_BLOCKS, 0), 0, "pool_create");
	TEST_ASSERT(check_all_types_fit() == 0, "types do not fit");
	/* Out of range ids. */
	m = rte_pktmbuf_alloc(mbuf_pool);
	TEST_ASSERT(m != NULL, "mbuf alloc");
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_add(m, RTE_MBUF_EXTENSION_MAX) == NULL,
		"add id 8");
	TEST_ASSERT_EQ(rte_errno, EINVAL, "rte_errno");
	rte_mbuf_extension_pktmbuf_free(m);
	return 0;
}

/*
 * A block pool that cannot get its memory: -ENOMEM, no pool left, and a
 * pool can be created afterwards (the failure path frees the mempool it
 * created while holding the registry lock: it must not deadlock).
 */
static int
test_pool_create_nomem(void)
{
	struct rte_mbuf *m;

	TEST_ASSERT_EQ(pool_free_watched(), 0, "pool_free");
	rte_errno = 0;
	TEST_ASSERT_EQ(pool_create_watched(RTE_MBUF_EXTENSION_POOL_MAX_BLOCKS,
		0), -ENOMEM, "pool of 2^24 blocks in 512 MB");
	TEST_ASSERT_EQ(rte_errno, ENOMEM, "rte_errno");
	TEST_ASSERT(block_pool() == NULL, "a failed create left a pool");
	TEST_ASSERT_EQ(pool_create_watched(NB_BLOCKS, 0), 0, "pool_create");
	m = rte_pktmbuf_alloc(mbuf_pool);
	TEST_ASSERT(m != NULL, "mbuf alloc");
	TEST_ASSERT(rte_mbuf_extension_add(m, 0) != NULL, "add");
	rte_mbuf_extension_pktmbuf_free(m);
	return 0;
}

/* Telemetry: the commands answer over the v2 socket with the C values. */

static long long json_u64(const char *json, const char *key);

/*
 * Connect to this process's telemetry socket. Another process using the
 * same file prefix (the same test run from another build directory) may
 * own the plain name; the next instances get a ":N" suffix. The server's
 * first message gives its pid.
 */
static int
tel_connect_one(const char *path)
{
	struct sockaddr_un sun;
	struct timeval tv = { .tv_sec = 5 };
	char buf[1024];
	ssize_t n;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		close(fd);
		return -1;
	}
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0) {
		close(fd);
		return -1;
	}
	buf[n] = '\0';
	if (json_u64(buf, "pid") != (long long)getpid()) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
tel_connect(void)
{
	char path[sizeof(((struct sockaddr_un *)NULL)->sun_path)];
	int fd, tries, i;

	/* The listening thread starts with the EAL; give it a moment. */
	for (tries = 0; tries < 50; tries++) {
		for (i = 0; i < 16; i++) {
			if (i == 0)
				snprintf(path, sizeof(path),
					"%s/dpdk_telemetry.v2",
					rte_eal_get_runtime_dir());
			else
				snprintf(path, sizeof(path),
					"%s/dpdk_telemetry.v2:%d",
					rte_eal_get_runtime_dir(), i);
			fd = tel_connect_one(path);
			if (fd >= 0)
				return fd;
		}
		usleep(100 * 1000);
	}
	printf("  no telemetry socket of pid %d in %s\n", (int)getpid(),
		rte_eal_get_runtime_dir());
	return -1;
}

static int
tel_query(int fd, const char *cmd, char *out, size_t len)
{
	ssize_t n;

	if (send(fd, cmd, strlen(cmd), 0) < 0)
		return -1;
	n = recv(fd, out, len - 1, 0);
	if (n <= 0)
		return -1;
	out[n] = '\0';
	return 0;
}

/* Unsigned value of "key" in a JSON text, or -1. */
static long long
json_u64(const char *json, const char *key)
{
	char pat[80];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(json, pat);
	if (p == NULL)
		return -1;
	p += strlen(pat);
	while (*p == ' ')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	return strtoll(p, NULL, 10);
}

static int
count_char(const char *s, char c)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += *s == c;
	return n;
}

static int
test_telemetry(void)
{
	struct rte_mbuf_extension_stats st;
	struct rte_mbuf *m[3], *c;
	char out[16384], cmd[128], quoted[64];
	int fd, i, ret = -1;

	for (i = 0; i < 3; i++) {
		m[i] = rte_pktmbuf_alloc(mbuf_pool);
		TEST_ASSERT(m[i] != NULL, "mbuf alloc");
		TEST_ASSERT(rte_mbuf_extension_add(m[i], i) != NULL, "add");
	}
	c = rte_mbuf_extension_pktmbuf_clone(m[0], mbuf_pool);
	TEST_ASSERT(c != NULL, "clone");
	TEST_ASSERT_EQ(rte_mbuf_extension_stats_get(&st), 0, "stats_get");
	TEST_ASSERT_EQ(st.in_use, 3, "in_use");
	TEST_ASSERT(st.share >= 1, "share not counted");
	TEST_ASSERT(st.refused >= 1, "refused not counted");

	fd = tel_connect();
	TEST_ASSERT(fd >= 0, "telemetry socket: %s", strerror(errno));

	if (tel_query(fd, "/", out, sizeof(out)) < 0)
		goto out;
	for (i = 0; i < 4; i++) {
		static const char * const cmds[] = {
			"\"/mbuf_extension/stats\"",
			"\"/mbuf_extension/types\"",
			"\"/mbuf_extension/type\"", "\"/mbuf_extension/pools\"",
		};
		if (strstr(out, cmds[i]) == NULL) {
			printf("  %s not listed: %s\n", cmds[i], out);
			goto out;
		}
	}

	if (tel_query(fd, "/mbuf_extension/stats", out, sizeof(out)) < 0)
		goto out;
	printf("  %s\n", out);
	if (json_u64(out, "in_use") != (long long)st.in_use ||
			json_u64(out, "in_use") != 3 ||
			json_u64(out, "share") != (long long)st.share ||
			json_u64(out, "cow") != (long long)st.cow ||
			json_u64(out, "alloc_fail") !=
			(long long)st.alloc_fail ||
			json_u64(out, "refused") != (long long)st.refused ||
			strstr(out, "\"alloc\"") != NULL ||
			strstr(out, "\"release\"") != NULL) {
		printf("  stats differ from the C API\n");
		goto out;
	}

	if (tel_query(fd, "/mbuf_extension/types", out, sizeof(out)) < 0)
		goto out;
	printf("  %.200s...\n", out);
	for (i = 0; i < nb_registered; i++) {
		snprintf(quoted, sizeof(quoted), "\"%.*s\"",
			RTE_MBUF_EXTENSION_NAMESIZE, registered[i].name);
		if (strstr(out, quoted) == NULL) {
			printf("  type %s missing\n", registered[i].name);
			goto out;
		}
	}
	/* One quoted command name plus one quoted name per type. */
	if (count_char(out, '"') != 2 * (1 + nb_registered)) {
		printf("  not %d types\n", nb_registered);
		goto out;
	}

	snprintf(cmd, sizeof(cmd), "/mbuf_extension/type,%s",
		registered[1].name);
	if (tel_query(fd, cmd, out, sizeof(out)) < 0)
		goto out;
	printf("  %s\n", out);
	if (json_u64(out, "id") != 1 ||
			json_u64(out, "size") !=
			(long long)registered[1].size ||
			json_u64(out, "align") !=
			(long long)registered[1].align ||
			strstr(out, registered[1].name) == NULL) {
		printf("  wrong type\n");
		goto out;
	}
	if (tel_query(fd, "/mbuf_extension/type,no_such_type", out,
			sizeof(out)) < 0)
		goto out;
	printf("  %s\n", out);
	if (json_u64(out, "id") != -1 || json_u64(out, "size") != -1) {
		printf("  unknown type answered\n");
		goto out;
	}

	if (tel_query(fd, "/mbuf_extension/pools", out, sizeof(out)) < 0)
		goto out;
	printf("  %s\n", out);
	if (json_u64(out, "block_size") != block_pool()->elt_size ||
			json_u64(out, "types") != nb_registered ||
			json_u64(out, block_pool()->name) != 3) {
		printf("  wrong pools\n");
		goto out;
	}
	ret = 0;
out:
	close(fd);
	TEST_ASSERT(ret == 0, "telemetry");
	for (i = 0; i < 3; i++)
		rte_mbuf_extension_pktmbuf_free(m[i]);
	rte_mbuf_extension_pktmbuf_free(c);
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), 0, "pool_in_use");
	TEST_ASSERT_EQ(rte_mbuf_extension_stats_get(&st), 0, "stats_get");
	TEST_ASSERT_EQ(st.in_use, 0, "in_use");
	return 0;
}

static int
registry_setup(void)
{
	mbuf_pool = rte_pktmbuf_pool_create("reg_mbufs", NB_MBUFS, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	refused_pool = rte_pktmbuf_pool_create("reg_refused", 16, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	TEST_ASSERT(mbuf_pool != NULL && refused_pool != NULL,
		"mbuf pools: %s", rte_strerror(rte_errno));
	TEST_ASSERT(test_clean_watch(mbuf_pool) == 0 &&
		test_clean_watch(refused_pool) == 0, "watch");
	return TEST_SUCCESS;
}

static struct unit_test_suite registry_suite = {
	.name = "mbuf_extension_registry",
	.pre_eal = TEST_CASE(test_before_eal),
	.setup = registry_setup,
	.snapshot = test_clean_snapshot,
	.check = test_clean_check,
	.cases = {
		TEST_CASE(test_opt_in_before_registry),
		TEST_CASE(test_pool_without_types),
		TEST_CASE(test_bad_params),
		TEST_CASE(test_register_lookup),
		TEST_CASE(test_opt_in),
		TEST_CASE(test_add_without_pool),
		TEST_CASE(test_pool_create),
		TEST_CASE(test_register_after_pool),
		/* Before test_max_types, which frees the block pool. */
		TEST_CASE(test_telemetry),
		TEST_CASE(test_max_types),
		TEST_CASE(test_pool_create_nomem),
		TEST_CASES_END()
	}
};

REGISTER_TEST_SUITE(registry_suite);
