/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * An application built against the installed libraries with pkg-config
 * only (test_install.sh): it uses the fast path (inline) and slow-path
 * API of each library.
 */

#include <stdio.h>
#include <string.h>

#include <rte_mbuf_extension.h>
#include <rte_secpath.h>
#include <rte_mempool_mbuf_ext.h>
#include <rte_security_sw_inline.h>

int
main(void)
{
	struct rte_mbuf m;

	memset(&m, 0, sizeof(m));
	/* Before rte_eal_init(): nothing registered, nothing found. */
	printf("%d %p %u\n", rte_mbuf_extension_lookup("x", NULL),
		rte_mbuf_extension_find(&m, 0), rte_secpath_len(&m));
	return rte_mbuf_extension_find(&m, 0) == NULL ? 0 : 1;
}
