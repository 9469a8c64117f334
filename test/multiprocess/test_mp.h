/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * What the multi-process suites share (test_mp.c, test_mp_secpath.c):
 * the messages, the description of the primary's set-up and the helpers
 * that exchange objects with the peer process over two rings.
 */

#ifndef TEST_MP_H
#define TEST_MP_H

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#define MP_NB 64
#define MP_WAIT_S 20

/* Control messages on the rings: small numbers, never mbuf addresses. */
enum mp_msg {
	MP_MSG_HELLO = 1,
	MP_MSG_PHASE_DONE,
	MP_MSG_LATE,
	MP_MSG_BYE,
	MP_MSG_SP_CHECKED,   /* the secondary checked the SAs, keeps mbufs */
	MP_MSG_SP_CHANGED,   /* the primary deleted and added SAs */
	MP_MSG_MAX = 4096,
};

/* What the primary set up, in a memzone for the secondary to compare. */
struct mp_info {
	int id_a, id_b, id_late;
	int id_sec;          /* Written by the secondary. */
	int ref_offset;      /* Reference dynfield. */
	int flag_bit;        /* Validity dynflag. */
	struct rte_mempool *block_pool;
	struct rte_mempool *plain;
	struct rte_mempool *handler;
	/* Secpath SA handles (rte_secpath_sa_t), by the primary. */
	uint64_t sa_a, sa_b, sa_out, sa_d;
};

extern struct mp_info *info;
extern struct rte_mempool *plain, *handler;

/* Send an object to the peer; -1 if the ring stays full MP_WAIT_S. */
int mp_send(void *obj);
/* Send a control message. */
int mp_send_msg(enum mp_msg msg);
/* The next object from the peer, NULL after MP_WAIT_S seconds. */
void *mp_recv(void);
/* Whether an object received is a control message. */
int mp_is_msg(const void *obj);
/* Wait for control message @p msg; anything else fails. */
int mp_expect_msg(enum mp_msg msg);
/* Receive at most @p n mbufs then PHASE_DONE. */
int mp_recv_mbufs(struct rte_mbuf **m, unsigned int n, unsigned int *got);
/* The number an mbuf carries in its first data bytes. */
uint32_t mp_seq(const struct rte_mbuf *m);

/* Secpath phase (test_mp_secpath.c). */
int mp_secpath_primary_setup(void);
int test_mp_secpath(void);
int test_mp_sec_secpath(void);

#endif /* TEST_MP_H */
