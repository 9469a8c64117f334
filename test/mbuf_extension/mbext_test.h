/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _MBEXT_TEST_H_
#define _MBEXT_TEST_H_

/* Helpers shared by the tests of lib/mbuf_extension. */

#include <stdio.h>
#include <string.h>

#include <rte_mbuf_extension.h>

/* An extension type a test registers. */
struct mbext_test_type {
	const char *name;
	size_t size;
	size_t align;
};

/* The registration parameters of a type. */
static inline struct rte_mbuf_extension_params
mbext_test_params(const char *name, size_t size, size_t align)
{
	struct rte_mbuf_extension_params p;

	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "%s", name);
	p.size = size;
	p.align = align;
	return p;
}

/* Register a type: rte_mbuf_extension_register()'s result. */
static inline int
mbext_test_register(const char *name, size_t size, size_t align)
{
	struct rte_mbuf_extension_params p =
		mbext_test_params(name, size, align);

	return rte_mbuf_extension_register(&p);
}

#endif /* _MBEXT_TEST_H_ */
