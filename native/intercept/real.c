/* SPDX-License-Identifier: MIT */
/*
 * real.c - libcuda.so.1 loaded lazily (never linked), the table of real functions, and the two
 * ways applications reach driver entry points besides plain symbol binding: dlsym on the libcuda
 * handle (the CUDA runtime does this) and cuGetProcAddress (the runtime's path since CUDA 11.3).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "intercept.h"

struct gp_real_table gp_real;

/* The exported hooks, declared from the same list. */
#define GP_CUDA_API(name, params, args) GP_EXPORT CUresult name params;
#include "gpupredict/cuda_api.def"
#undef GP_CUDA_API

struct gp_hook_entry {
	const char *name;
	void *hook;
	void **real;
};

static struct gp_hook_entry gp_hooks[] = {
#define GP_CUDA_API(name, params, args) {#name, (void *)name, (void **)&gp_real.name},
#include "gpupredict/cuda_api.def"
#undef GP_CUDA_API
};

_Static_assert(sizeof(gp_hooks) / sizeof(gp_hooks[0]) == GP_API_COUNT, "one entry per API");

typedef void *(*dlsym_fn)(void *, const char *);

static dlsym_fn gp_dlsym_next;
static pthread_once_t gp_dlsym_once = PTHREAD_ONCE_INIT;
static pthread_once_t gp_load_once = PTHREAD_ONCE_INIT;
static void *gp_libcuda;

static void gp_find_dlsym(void)
{
	/* dlsym moved into libc with glibc 2.34; older versions keep the 2.2.5 symbol version. */
	gp_dlsym_next = (dlsym_fn)dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.34");
	if (gp_dlsym_next == NULL)
		gp_dlsym_next = (dlsym_fn)dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.2.5");
}

void *gp_real_dlsym(void *handle, const char *symbol)
{
	pthread_once(&gp_dlsym_once, gp_find_dlsym);
	return gp_dlsym_next != NULL ? gp_dlsym_next(handle, symbol) : NULL;
}

static void gp_load(void)
{
	const char *path = getenv("GPUPREDICT_LIBCUDA");
	gp_libcuda =
	    dlopen(path != NULL && path[0] != '\0' ? path : "libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
	if (gp_libcuda == NULL) {
		gp_log(LOG_WARNING, "libcuda.so.1 not loadable: %s", dlerror());
		return;
	}
	for (size_t i = 0; i < GP_API_COUNT; i++)
		*gp_hooks[i].real = gp_real_dlsym(gp_libcuda, gp_hooks[i].name);
}

bool gp_real_load(void)
{
	pthread_once(&gp_load_once, gp_load);
	return gp_libcuda != NULL;
}

void *gp_hook_by_name(const char *symbol)
{
	if (symbol == NULL || symbol[0] != 'c' || symbol[1] != 'u')
		return NULL;
	for (size_t i = 0; i < GP_API_COUNT; i++)
		if (strcmp(gp_hooks[i].name, symbol) == 0)
			return gp_hooks[i].hook;
	return NULL;
}

void *gp_hook_by_real(void *fn)
{
	if (fn == NULL)
		return NULL;
	for (size_t i = 0; i < GP_API_COUNT; i++)
		if (*gp_hooks[i].real == fn)
			return gp_hooks[i].hook;
	return NULL;
}

/*
 * dlsym: a hooked driver symbol resolves to its hook whatever the handle (the runtime looks the
 * driver up through dlopen + dlsym, which plain symbol interposition never sees). Everything else
 * goes to the real dlsym. Known limit: dlsym(RTLD_NEXT, x) is resolved relative to this library
 * rather than the caller, which differs only for symbols this library itself defines.
 */
GP_EXPORT void *dlsym(void *handle, const char *symbol)
{
	void *hook = gp_hook_by_name(symbol);
	if (hook != NULL && gp_real_load()) {
		void *real = gp_real_dlsym(handle, symbol);
		/* Only where the handle really offers the symbol, so lookups keep their meaning. */
		if (real != NULL)
			return hook;
	}
	return gp_real_dlsym(handle, symbol);
}

/*
 * cuGetProcAddress: ask the driver, then hand back our hook when the driver's answer is a
 * function we hook. Matching by the returned pointer covers every version and name mapping the
 * driver applies (cuMemAlloc -> cuMemAlloc_v2, per-thread-stream variants stay unhooked).
 */
GP_EXPORT CUresult cuGetProcAddress(const char *symbol, void **pfn, int cuda_version,
				    cuuint64_t flags)
{
	if (!gp_real_load() || gp_real.cuGetProcAddress == NULL)
		return CUDA_ERROR_NOT_INITIALIZED;
	CUresult rc = gp_real.cuGetProcAddress(symbol, pfn, cuda_version, flags);
	if (rc == CUDA_SUCCESS && pfn != NULL) {
		void *hook = gp_hook_by_real(*pfn);
		if (hook != NULL)
			*pfn = hook;
	}
	return rc;
}

GP_EXPORT CUresult cuGetProcAddress_v2(const char *symbol, void **pfn, int cuda_version,
				       cuuint64_t flags, CUdriverProcAddressQueryResult *status)
{
	if (!gp_real_load() || gp_real.cuGetProcAddress_v2 == NULL)
		return CUDA_ERROR_NOT_INITIALIZED;
	CUresult rc = gp_real.cuGetProcAddress_v2(symbol, pfn, cuda_version, flags, status);
	if (rc == CUDA_SUCCESS && pfn != NULL) {
		void *hook = gp_hook_by_real(*pfn);
		if (hook != NULL)
			*pfn = hook;
	}
	return rc;
}
