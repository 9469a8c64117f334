/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Crypto: intel-ipsec-mb's direct AES-GCM API. Its functions are reached
 * through the function pointers of an IMB_MGR, which the direct API does
 * not otherwise use (the state lives in the caller's gcm_context_data): one
 * manager, set up once, serves all lcores.
 */

#include <errno.h>

#include <intel-ipsec-mb.h>

#include "swi_private.h"
#include "sw_inline_compat.h"

static IMB_MGR *swi_mgr;
struct swi_gcm_ops swi_gcm128, swi_gcm256;

int
swi_crypto_init(void)
{
	IMB_MGR *mgr;

	if (__atomic_load_n(&swi_mgr, __ATOMIC_ACQUIRE) != NULL)
		return 0;
	mgr = alloc_mb_mgr(0);
	if (mgr == NULL)
		return -ENOMEM;
	init_mb_mgr_auto(mgr, NULL);
	if (imb_get_errno(mgr) != 0 ||
			!SWI_IMB_ARCH_USABLE(mgr->used_arch)) {
		SWI_LOG(ERR, "intel-ipsec-mb: no usable AES-NI code (%s)",
			imb_get_strerror(imb_get_errno(mgr)));
		free_mb_mgr(mgr);
		return -ENOTSUP;
	}
	swi_gcm128 = (struct swi_gcm_ops){
		.enc = mgr->gcm128_enc, .dec = mgr->gcm128_dec,
		.init = mgr->gcm128_init_var_iv,
		.enc_update = mgr->gcm128_enc_update,
		.dec_update = mgr->gcm128_dec_update,
		.enc_final = mgr->gcm128_enc_finalize,
		.dec_final = mgr->gcm128_dec_finalize,
		.pre = mgr->gcm128_pre,
	};
	swi_gcm256 = (struct swi_gcm_ops){
		.enc = mgr->gcm256_enc, .dec = mgr->gcm256_dec,
		.init = mgr->gcm256_init_var_iv,
		.enc_update = mgr->gcm256_enc_update,
		.dec_update = mgr->gcm256_dec_update,
		.enc_final = mgr->gcm256_enc_finalize,
		.dec_final = mgr->gcm256_dec_finalize,
		.pre = mgr->gcm256_pre,
	};
	__atomic_store_n(&swi_mgr, mgr, __ATOMIC_RELEASE);
	SWI_LOG(INFO, "intel-ipsec-mb %s, arch %d", imb_get_version_str(),
		(int)mgr->used_arch);
	return 0;
}
