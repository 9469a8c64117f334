/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * secpath_bench: cycles per packet of the secpath fast paths, each against
 * the same loop without secpath, on the main lcore:
 * - RX import, burst of 32: mbufs taken from the pool, flagged as an
 *   inline device would, imported, freed; baseline: the same loop without
 *   the import, and the same loop with only the SAD lookup an inline-crypto
 *   application does today;
 * - policy check, burst of 32; baseline: the check applications do today
 *   on the security dynfield userdata;
 * - TX metadata, burst of 32; baseline: setting the flag and calling
 *   rte_security_set_pkt_metadata() with a session the caller already has.
 * A command, not a test: it exits non-zero only if a loop computed a wrong
 * result.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_esp.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_security.h>
#include <rte_security_driver.h>

#include <rte_mbuf_extension.h>
#include <rte_secpath.h>

#define BURST 32
#define SPI_IN 0x1001
#define SPI_OUT 0x2001

#define MAX_ROUNDS 101

static unsigned int nb_bursts = 20000;
static unsigned int nb_rounds = 21;
static int wrong;

/* A cheap rte_security device: metadata goes to the dynfield. */
static unsigned int
bench_sess_size(void *dev)
{
	RTE_SET_USED(dev);
	return 16;
}

static int
bench_sess_create(void *dev, struct rte_security_session_conf *conf,
		struct rte_security_session *sess)
{
	RTE_SET_USED(dev);
	RTE_SET_USED(conf);
	RTE_SET_USED(sess);
	return 0;
}

static int
bench_set_md(void *dev, struct rte_security_session *sess,
		struct rte_mbuf *m, void *params)
{
	RTE_SET_USED(dev);
	RTE_SET_USED(params);
	*rte_security_dynfield(m) = (uintptr_t)sess;
	return 0;
}

static const struct rte_security_ops bench_ops = {
	.session_create = bench_sess_create,
	.session_get_size = bench_sess_size,
	.set_pkt_metadata = bench_set_md,
};

static struct rte_security_ctx bench_ctx = { .ops = &bench_ops };

static struct rte_mempool *mbuf_pool, *sess_pool;
static void *sess_in, *sess_out;
static rte_secpath_sa_t sa_in, sa_out;
/* Held packets: inbound entry (check), outbound entry (TX). Separate:
 * the TX metadata lands in the dynfield the check baseline reads.
 */
static struct rte_mbuf *held[BURST], *held_tx[BURST];
static struct rte_secpath_policy policy;

/* Write an Ethernet/IPv4/ESP packet into every mbuf of the pool once:
 * the data stays across alloc/free, as the headers a NIC writes would.
 */
static int
prefill_pool(void)
{
	unsigned int n = rte_mempool_avail_count(mbuf_pool), i;
	struct rte_mbuf **all = calloc(n, sizeof(*all));

	if (all == NULL || rte_pktmbuf_alloc_bulk(mbuf_pool, all, n) != 0) {
		free(all);
		return -1;
	}
	for (i = 0; i < n; i++) {
		uint8_t *p = (uint8_t *)rte_pktmbuf_append(all[i], 128);
		struct rte_ether_hdr *eth = (struct rte_ether_hdr *)p;
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
		struct rte_esp_hdr *esp = (struct rte_esp_hdr *)(ip + 1);

		if (p == NULL)
			return -1;
		memset(p, 0, 128);
		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->next_proto_id = IPPROTO_ESP;
		ip->total_length = rte_cpu_to_be_16(128 - sizeof(*eth));
		esp->spi = rte_cpu_to_be_32(SPI_IN);
		esp->seq = rte_cpu_to_be_32(1);
	}
	rte_pktmbuf_free_bulk(all, n);
	free(all);
	return 0;
}

/* What an RX PMD does to a packet it delivers. */
static inline void
rx_fill(struct rte_mbuf **m)
{
	unsigned int i;

	for (i = 0; i < BURST; i++) {
		m[i]->data_len = 128;
		m[i]->pkt_len = 128;
		m[i]->ol_flags = RTE_MBUF_F_RX_SEC_OFFLOAD;
		*rte_security_dynfield(m[i]) = sa_in;
	}
}

static uint64_t
op_rx_base(void)
{
	struct rte_mbuf *m[BURST];
	uint64_t t0 = rte_rdtsc_precise();
	unsigned int b;

	for (b = 0; b < nb_bursts; b++) {
		if (rte_pktmbuf_alloc_bulk(mbuf_pool, m, BURST) != 0) {
			wrong = 1;
			break;
		}
		rx_fill(m);
		rte_mbuf_extension_pktmbuf_free_bulk(m, BURST);
	}
	return rte_rdtsc_precise() - t0;
}

static uint64_t
op_rx_sad(void)
{
	union rte_ipsec_sad_key keys[BURST];
	const union rte_ipsec_sad_key *kp[BURST];
	void *v[BURST];
	struct rte_mbuf *m[BURST];
	uint64_t t0 = rte_rdtsc_precise();
	unsigned int b, i;

	for (i = 0; i < BURST; i++) {
		memset(&keys[i], 0, sizeof(keys[i]));
		kp[i] = &keys[i];
	}
	for (b = 0; b < nb_bursts; b++) {
		if (rte_pktmbuf_alloc_bulk(mbuf_pool, m, BURST) != 0) {
			wrong = 1;
			break;
		}
		rx_fill(m);
		for (i = 0; i < BURST; i++)
			keys[i].v4.spi = rte_pktmbuf_mtod_offset(m[i],
				struct rte_esp_hdr *,
				sizeof(struct rte_ether_hdr) +
				sizeof(struct rte_ipv4_hdr))->spi;
		/* The library's own SPI index (internal field). */
		if (rte_ipsec_sad_lookup(rte_secpath_fp.sad, kp, v, BURST) !=
				BURST)
			wrong = 1;
		rte_mbuf_extension_pktmbuf_free_bulk(m, BURST);
	}
	return rte_rdtsc_precise() - t0;
}

static uint64_t
rx_import(enum rte_secpath_rx_how how)
{
	struct rte_mbuf *m[BURST];
	uint64_t t0 = rte_rdtsc_precise();
	unsigned int b;

	for (b = 0; b < nb_bursts; b++) {
		if (rte_pktmbuf_alloc_bulk(mbuf_pool, m, BURST) != 0) {
			wrong = 1;
			break;
		}
		rx_fill(m);
		if (rte_secpath_rx_import_burst(m, BURST, how) != BURST ||
				rte_secpath_get(m[BURST - 1])->entry[0].sa !=
				sa_in)
			wrong = 1;
		rte_mbuf_extension_pktmbuf_free_bulk(m, BURST);
	}
	return rte_rdtsc_precise() - t0;
}

static uint64_t
op_rx_spi(void)
{
	return rx_import(RTE_SECPATH_RX_SPI);
}

static uint64_t
op_rx_userdata(void)
{
	return rx_import(RTE_SECPATH_RX_USERDATA);
}

/* Today's inbound check: SA userdata from the dynfield, offload ok. */
static uint64_t
op_check_base(void)
{
	uint64_t t0 = rte_rdtsc_precise();
	unsigned int b, i, pass;

	for (b = 0; b < nb_bursts; b++) {
		pass = 0;
		for (i = 0; i < BURST; i++) {
			struct rte_mbuf *m = held[i];

			pass += (m->ol_flags & (RTE_MBUF_F_RX_SEC_OFFLOAD |
				RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED)) ==
				RTE_MBUF_F_RX_SEC_OFFLOAD &&
				*rte_security_dynfield(m) == sa_in;
		}
		if (pass != BURST)
			wrong = 1;
	}
	return rte_rdtsc_precise() - t0;
}

static uint64_t
op_check_secpath(void)
{
	uint64_t t0 = rte_rdtsc_precise();
	unsigned int b;

	for (b = 0; b < nb_bursts; b++)
		if (rte_secpath_policy_check_burst(held, BURST, &policy,
				NULL) != BURST)
			wrong = 1;
	return rte_rdtsc_precise() - t0;
}

/* Today's TX: the caller knows the session. */
static uint64_t
op_tx_base(void)
{
	uint64_t t0 = rte_rdtsc_precise();
	unsigned int b, i;

	for (b = 0; b < nb_bursts; b++) {
		for (i = 0; i < BURST; i++) {
			struct rte_mbuf *m = held_tx[i];

			m->ol_flags &= ~RTE_MBUF_F_TX_SEC_OFFLOAD;
			m->ol_flags |= RTE_MBUF_F_TX_SEC_OFFLOAD;
			if (rte_security_set_pkt_metadata(&bench_ctx,
					sess_out, m, NULL) != 0)
				wrong = 1;
		}
	}
	return rte_rdtsc_precise() - t0;
}

static uint64_t
op_tx_secpath(void)
{
	uint64_t t0 = rte_rdtsc_precise();
	unsigned int b, i;

	for (b = 0; b < nb_bursts; b++) {
		for (i = 0; i < BURST; i++)
			held_tx[i]->ol_flags &= ~RTE_MBUF_F_TX_SEC_OFFLOAD;
		if (rte_secpath_tx_prepare_burst(held_tx, BURST) != BURST)
			wrong = 1;
	}
	if (*rte_security_dynfield(held_tx[0]) != (uintptr_t)sess_out)
		wrong = 1;
	return rte_rdtsc_precise() - t0;
}

struct op {
	const char *name;
	uint64_t (*fn)(void);
	int base;      /* index of the baseline, -1: is one */
	double cpp;    /* cycles per packet, median of the rounds */
};

static struct op ops[] = {
	{ "rx: no secpath (alloc+flags+free)", op_rx_base, -1, 0 },
	{ "rx: no secpath, SAD lookup only", op_rx_sad, -1, 0 },
	{ "rx: import by SPI (inline crypto)", op_rx_spi, 0, 0 },
	{ "rx: import by userdata (inl. proto)", op_rx_userdata, 0, 0 },
	{ "check: no secpath (dynfield cmp)", op_check_base, -1, 0 },
	{ "check: secpath policy check", op_check_secpath, 4, 0 },
	{ "tx: no secpath (flag+set_metadata)", op_tx_base, -1, 0 },
	{ "tx: secpath tx_prepare", op_tx_secpath, 6, 0 },
};

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
machine(void)
{
	char line[256], model[200] = "unknown";
	FILE *f = popen("lscpu 2>/dev/null", "r");

	if (f != NULL) {
		while (fgets(line, sizeof(line), f) != NULL) {
			char *v;

			if (strncmp(line, "Model name:", 11) != 0)
				continue;
			v = line + 11 + strspn(line + 11, " \t");
			v[strcspn(v, "\n")] = '\0';
			snprintf(model, sizeof(model), "%s", v);
			break;
		}
		pclose(f);
	}
	printf("machine: %s, %ld cpus, TSC %.0f MHz\n", model,
		sysconf(_SC_NPROCESSORS_ONLN), rte_get_tsc_hz() / 1e6);
}

static int
setup(void)
{
	struct rte_secpath_conf conf = { .max_sa = 1024,
		.socket_id = SOCKET_ID_ANY };
	struct rte_security_session_conf sc;
	struct rte_secpath_sa_params p;
	unsigned int i;

	if (rte_secpath_init(&conf) < 0)
		return -1;
	if (rte_mbuf_extension_pool_create(8191, 256, SOCKET_ID_ANY) < 0)
		return -1;
	mbuf_pool = rte_pktmbuf_pool_create("bench_mbufs", 8191, 256, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	sess_pool = rte_mempool_create("bench_sess", 16,
		sizeof(struct rte_security_session) + 16, 0, 0, NULL, NULL,
		NULL, NULL, SOCKET_ID_ANY, 0);
	if (mbuf_pool == NULL || sess_pool == NULL || prefill_pool() < 0)
		return -1;
	/* Packets with a secpath are freed with the library: opt in. */
	if (rte_mbuf_extension_pktmbuf_pool_opt_in(mbuf_pool) < 0)
		return -1;
	memset(&sc, 0, sizeof(sc));
	sc.action_type = RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO;
	sc.protocol = RTE_SECURITY_PROTOCOL_IPSEC;
	sess_in = rte_security_session_create(&bench_ctx, &sc, sess_pool);
	sess_out = rte_security_session_create(&bench_ctx, &sc, sess_pool);
	if (sess_in == NULL || sess_out == NULL)
		return -1;
	/* Some other SAs, so that the SAD is not trivially small. */
	memset(&p, 0, sizeof(p));
	p.dir = RTE_SECPATH_DIR_IN;
	p.mode = RTE_SECPATH_MODE_TUNNEL;
	p.kind = RTE_SECPATH_KIND_INLINE_CRYPTO;
	for (i = 0; i < 255; i++) {
		rte_secpath_sa_t h;

		p.spi = 0x10000 + i;
		if (rte_secpath_sa_add(&p, &h) < 0)
			return -1;
	}
	p.spi = SPI_IN;
	p.ctx = &bench_ctx;
	p.sess = sess_in;
	if (rte_secpath_sa_add(&p, &sa_in) < 0)
		return -1;
	p.spi = SPI_OUT;
	p.dir = RTE_SECPATH_DIR_OUT;
	p.flags = RTE_SECPATH_SA_F_NEED_MDATA;
	p.sess = sess_out;
	if (rte_secpath_sa_add(&p, &sa_out) < 0)
		return -1;
	/* Held packets: an inbound entry (check) and an outbound one (TX). */
	if (rte_pktmbuf_alloc_bulk(mbuf_pool, held, BURST) != 0)
		return -1;
	rx_fill(held);
	if (rte_secpath_rx_import_burst(held, BURST, RTE_SECPATH_RX_SPI) !=
			BURST)
		return -1;
	if (rte_pktmbuf_alloc_bulk(mbuf_pool, held_tx, BURST) != 0)
		return -1;
	for (i = 0; i < BURST; i++)
		if (rte_secpath_push_sa(held_tx[i], sa_out, 0) < 0)
			return -1;
	policy.nb_tmpl = 1;
	policy.tmpl[0].flags = RTE_SECPATH_TMPL_F_SA | RTE_SECPATH_TMPL_F_MODE;
	policy.tmpl[0].sa = sa_in;
	policy.tmpl[0].mode = RTE_SECPATH_MODE_TUNNEL;
	return 0;
}

static void
usage(const char *prog)
{
	printf("usage: %s [EAL options] -- [--bursts N] [--rounds N]\n", prog);
}

static int
parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bursts", required_argument, NULL, 'b' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	char *end;
	int opt;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (opt == 'h' || opt == '?') {
			usage(argv[0]);
			return -1;
		}
		errno = 0;
		v = strtoul(optarg, &end, 0);
		if (errno != 0 || *end != '\0' || v == 0 || v > 100000000) {
			usage(argv[0]);
			return -1;
		}
		if (opt == 'b')
			nb_bursts = (unsigned int)v;
		else
			nb_rounds = (unsigned int)RTE_MIN(v,
				(unsigned long)MAX_ROUNDS);
	}
	return 0;
}

static double
median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	return v[n / 2];
}

int
main(int argc, char **argv)
{
	static double cyc[RTE_DIM(ops)][MAX_ROUNDS];
	double tmp[MAX_ROUNDS], ratio[RTE_DIM(ops)];
	double sad_ratio;
	unsigned int i, r;
	int ret = rte_eal_init(argc, argv);

	if (ret < 0)
		return EXIT_FAILURE;
	if (parse_args(argc - ret, argv + ret) < 0)
		return EXIT_FAILURE;
	if (setup() < 0) {
		printf("setup failed: %s\n", rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	machine();
	printf("secpath_bench: lcore %u, burst %u, %u bursts per op a round, "
		"%u rounds (ops interleaved; medians; ratios taken per round); "
		"secpath %zu bytes\n", rte_lcore_id(), BURST, nb_bursts,
		nb_rounds, sizeof(struct rte_secpath));
	for (i = 0; i < RTE_DIM(ops); i++)
		ops[i].fn(); /* warm up */
	/* Interleaved rounds: a loop and its baseline see the same load. */
	for (r = 0; r < nb_rounds; r++)
		for (i = 0; i < RTE_DIM(ops); i++)
			cyc[i][r] = (double)ops[i].fn() /
				((double)nb_bursts * BURST);
	for (i = 0; i < RTE_DIM(ops); i++) {
		int b = ops[i].base;

		if (b >= 0) {
			for (r = 0; r < nb_rounds; r++)
				tmp[r] = cyc[i][r] / cyc[b][r];
			ratio[i] = median(tmp, nb_rounds);
		}
		memcpy(tmp, cyc[i], sizeof(tmp[0]) * nb_rounds);
		ops[i].cpp = median(tmp, nb_rounds);
	}
	for (r = 0; r < nb_rounds; r++)
		tmp[r] = cyc[2][r] / cyc[1][r];
	sad_ratio = median(tmp, nb_rounds);

	printf("%-38s %9s %8s %8s  %s\n", "operation", "cyc/pkt", "ns/pkt",
		"Mpps", "vs baseline");
	for (i = 0; i < RTE_DIM(ops); i++) {
		double ns = ops[i].cpp * 1e9 / rte_get_tsc_hz();

		printf("%-38s %9.1f %8.2f %8.1f  ", ops[i].name, ops[i].cpp,
			ns, 1e3 / ns);
		if (ops[i].base < 0)
			printf("baseline\n");
		else
			printf("x%.2f (%+.1f cyc/pkt)\n", ratio[i],
				ops[i].cpp - ops[ops[i].base].cpp);
	}
	printf("%-38s %9s %8s %8s  x%.2f (%+.1f cyc/pkt)\n",
		"rx: import by SPI vs SAD lookup only", "", "", "", sad_ratio,
		ops[2].cpp - ops[1].cpp);
	rte_mbuf_extension_pktmbuf_free_bulk(held, BURST);
	rte_mbuf_extension_pktmbuf_free_bulk(held_tx, BURST);
	if (wrong)
		printf("ERROR: a loop computed a wrong result\n");
	rte_secpath_fini();
	rte_eal_cleanup();
	return wrong ? EXIT_FAILURE : EXIT_SUCCESS;
}
