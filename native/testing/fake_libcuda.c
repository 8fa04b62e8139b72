/* SPDX-License-Identifier: MIT */
/*
 * fake_libcuda.c - TEST DOUBLE of the CUDA driver library, built as native/build/testing/
 * libcuda.so.1 (soname libcuda.so.1). TEST-ONLY: never installed, never shipped; see
 * native/testing/README.md.
 *
 * It implements every entry point of gpupredict/cuda_api.def on host memory, so that tests run
 * real programs (and the LD_PRELOAD interposer over them) on machines without a GPU. This file is
 * the export layer, generated from that one list: for each entry a hidden function that counts the
 * call and runs the implementation (gp_fake_<name>, in the other fake_*.c files), exported under
 * the entry's own name as an alias. cuGetProcAddress hands out the hidden functions, not the
 * exported symbols, so that a preloaded interposer defining the same names never gets its own
 * hooks back as the "real" driver functions (the real libcuda behaves the same way).
 *
 * Also here: the introspection API of fake_cuda.h. The double never prints anything and has no
 * constructors; its state starts zeroed and lives until the process exits.
 */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fake_internal.h"

static _Atomic uint64_t gp_fake_calls[GP_FAKE_CUDA_API_COUNT];

#define GP_CUDA_API(name, params, args)                                                            \
	static CUresult gp_fake_entry_##name params                                                \
	{                                                                                          \
		atomic_fetch_add_explicit(&gp_fake_calls[GP_FAKE_CUDA_API_##name], 1,              \
					  memory_order_relaxed);                                   \
		return gp_fake_##name args;                                                        \
	}                                                                                          \
	extern __typeof__(gp_fake_entry_##name) name                                               \
	    __attribute__((alias("gp_fake_entry_" #name), visibility("default")));
#include "gpupredict/cuda_api.def"
#undef GP_CUDA_API

struct gp_fake_proc {
	const char *name;
	void *fn;
};

static const struct gp_fake_proc gp_fake_procs[GP_FAKE_CUDA_API_COUNT] = {
#define GP_CUDA_API(name, params, args) {#name, (void *)gp_fake_entry_##name},
#include "gpupredict/cuda_api.def"
#undef GP_CUDA_API
};

/*
 * The CUDA version that introduced a versioned export whose predecessor is in the list too: a
 * caller built for an older CUDA gets the predecessor (its signature differs).
 */
static int proc_since(const char *name)
{
	return strcmp(name, "cuGetProcAddress_v2") ? 0 : 12000;
}

static const struct gp_fake_proc *proc_exact(const char *name, int cuda_version)
{
	for (size_t i = 0; i < GP_FAKE_CUDA_API_COUNT; i++)
		if (!strcmp(gp_fake_procs[i].name, name))
			return proc_since(name) <= cuda_version ? &gp_fake_procs[i] : NULL;
	return NULL;
}

/* A plain name resolves to its highest versioned export ("cuMemAlloc" -> "cuMemAlloc_v2"). */
static const struct gp_fake_proc *proc_find(const char *symbol, int cuda_version)
{
	const struct gp_fake_proc *p;
	char name[128];

	for (int v = 9; v >= 2; v--) {
		if (snprintf(name, sizeof(name), "%s_v%d", symbol, v) >= (int)sizeof(name))
			break;
		p = proc_exact(name, cuda_version);
		if (p)
			return p;
	}
	return proc_exact(symbol, cuda_version);
}

static CUresult proc_address(const char *symbol, void **pfn, int cuda_version, cuuint64_t flags,
			     CUdriverProcAddressQueryResult *status)
{
	const struct gp_fake_proc *p;

	if (!symbol || !pfn ||
	    (flags != CU_GET_PROC_ADDRESS_DEFAULT && flags != CU_GET_PROC_ADDRESS_LEGACY_STREAM &&
	     flags != CU_GET_PROC_ADDRESS_PER_THREAD_DEFAULT_STREAM))
		return CUDA_ERROR_INVALID_VALUE;
	p = proc_find(symbol, cuda_version);
	*pfn = p ? p->fn : NULL;
	if (status)
		*status = p ? CU_GET_PROC_ADDRESS_SUCCESS : CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND;
	return p ? CUDA_SUCCESS : CUDA_ERROR_NOT_FOUND;
}

/* Works before cuInit, as in the driver: the CUDA runtime looks cuInit itself up this way. */
CUresult gp_fake_cuGetProcAddress(const char *symbol, void **pfn, int cuda_version,
				  cuuint64_t flags)
{
	return proc_address(symbol, pfn, cuda_version, flags, NULL);
}

CUresult gp_fake_cuGetProcAddress_v2(const char *symbol, void **pfn, int cuda_version,
				     cuuint64_t flags, CUdriverProcAddressQueryResult *status)
{
	return proc_address(symbol, pfn, cuda_version, flags, status);
}

static void stats_memory(struct gp_fake_cuda_stats *out)
{
	const struct gp_fake_alloc *a;

	for (a = gp_fake.allocs; a; a = a->next) {
		if (a->kind == GP_FAKE_ALLOC_HOST) {
			out->host_allocations++;
			out->host_bytes += a->size;
		} else {
			out->allocations++;
			out->allocation_bytes += a->size;
		}
	}
}

static void stats_vmm(struct gp_fake_cuda_stats *out)
{
	const struct gp_fake_reservation *res;
	const struct gp_fake_mapping *m;
	const struct gp_fake_handle *h;

	for (res = gp_fake.reservations; res; res = res->next) {
		out->reservations++;
		out->reserved_bytes += res->size;
	}
	for (h = gp_fake.handles; h; h = h->next) {
		out->vmm_handles += !h->released;
		out->vmm_physical++;
		out->vmm_physical_bytes += h->size;
	}
	for (m = gp_fake.mappings; m; m = m->next) {
		out->mappings++;
		out->mapped_bytes += m->size;
		if (m->prot != PROT_NONE)
			out->accessible_bytes += m->size;
	}
}

static void stats_contexts(struct gp_fake_cuda_stats *out)
{
	const struct gp_fake_function *fn;
	const struct gp_fake_module *m;
	const struct gp_fake_ctx *c;

	for (c = gp_fake.contexts; c; c = c->next)
		out->contexts++;
	for (m = gp_fake.modules; m; m = m->next) {
		out->modules++;
		for (fn = m->functions; fn; fn = fn->next)
			out->functions++;
	}
}

void gp_fake_cuda_stats(struct gp_fake_cuda_stats *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < GP_FAKE_CUDA_API_COUNT; i++)
		out->calls[i] = atomic_load_explicit(&gp_fake_calls[i], memory_order_relaxed);
	gp_fake_lock();
	out->initialized = gp_fake.initialized;
	out->device_count = (uint32_t)gp_fake.device_count;
	for (int i = 0; i < gp_fake.device_count; i++) {
		out->device_total[i] = gp_fake.devices[i].total;
		out->device_used[i] = gp_fake.devices[i].used;
		out->contexts += gp_fake.devices[i].primary_refs > 0;
	}
	stats_memory(out);
	stats_vmm(out);
	stats_contexts(out);
	out->launches = gp_fake.launches;
	out->copies = gp_fake.copies;
	out->copy_bytes = gp_fake.copy_bytes;
	out->sets = gp_fake.sets;
	out->set_bytes = gp_fake.set_bytes;
	gp_fake_unlock();
}

void gp_fake_cuda_reset(void)
{
	struct gp_fake_ctx *c;

	gp_fake_lock();
	gp_fake_free_allocs(NULL);
	gp_fake_free_modules(NULL);
	gp_fake_vmm_free_all();
	while ((c = gp_fake.contexts)) {
		gp_fake.contexts = c->next;
		free(c);
	}
	gp_fake = (struct gp_fake_state){0};
	gp_fake_current = NULL;
	for (size_t i = 0; i < GP_FAKE_CUDA_API_COUNT; i++)
		atomic_store_explicit(&gp_fake_calls[i], 0, memory_order_relaxed);
	gp_fake_unlock();
}

const char *gp_fake_cuda_api_name(unsigned int index)
{
	return index < GP_FAKE_CUDA_API_COUNT ? gp_fake_procs[index].name : NULL;
}
