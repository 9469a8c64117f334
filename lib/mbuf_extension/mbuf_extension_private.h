/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _MBUF_EXTENSION_PRIVATE_H_
#define _MBUF_EXTENSION_PRIVATE_H_

/* Shared by the registry (rte_mbuf_extension.c) and the reference
 * operations (rte_mbuf_extension_ref.c); not installed.
 */

#include <stdio.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

/* Slow-path counters, per lcore. */
enum mbext_stat {
	MBEXT_STAT_SHARE,
	MBEXT_STAT_COW,
	MBEXT_STAT_ALLOC_FAIL,
	MBEXT_STAT_REFUSED,
	MBEXT_STAT_MAX,
};

/* Count one event on the calling lcore. */
void mbext_stat_inc(enum mbext_stat which);

/* 1 if @p mp is served by the mbuf_ext handler (it releases on put). */
int mbext_pool_releases(const struct rte_mempool *mp);

/* Print the extensions of @p m (rte_mbuf_extension_dump()). */
void mbext_dump_mbuf(FILE *f, const struct rte_mbuf *m);

#endif /* _MBUF_EXTENSION_PRIVATE_H_ */
