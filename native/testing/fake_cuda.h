/* SPDX-License-Identifier: MIT */
/*
 * fake_cuda.h - introspection API of the libcuda TEST DOUBLE (native/build/testing/libcuda.so.1).
 *
 * TEST-ONLY. The double implements every entry point of gpupredict/cuda_api.def on host memory so
 * that tests run real programs on machines without a GPU; it is never installed or shipped. Tests
 * look these functions up with dlsym() on the double's handle (they are absent from a real libcuda,
 * which is also how a test tells that it loaded the double):
 *
 *	gp_fake_cuda_stats_fn *stats = (gp_fake_cuda_stats_fn *)dlsym(h, "gp_fake_cuda_stats");
 *
 * Needs gpupredict/ on the include path (native/include); include it from tests/native as
 * "../../native/testing/fake_cuda.h".
 */
#ifndef GP_FAKE_CUDA_H
#define GP_FAKE_CUDA_H

#include <stdint.h>

#define GP_FAKE_CUDA_EXPORT __attribute__((visibility("default")))

/* Most devices GP_FAKE_CUDA_DEVICES may ask for. */
#define GP_FAKE_CUDA_MAX_DEVICES 16

/* One index per entry of cuda_api.def, in its order: GP_FAKE_CUDA_API_cuMemAlloc_v2 and so on. */
enum gp_fake_cuda_api {
#define GP_CUDA_API(name, params, args) GP_FAKE_CUDA_API_##name,
#include "gpupredict/cuda_api.def"
#undef GP_CUDA_API
	GP_FAKE_CUDA_API_COUNT
};

/*
 * A snapshot of the double's state, taken under its lock. Byte counts are bytes as requested (not
 * rounded to pages); "live" means created and not yet freed.
 */
struct gp_fake_cuda_stats {
	/* Calls per entry point (failed ones too, and calls through cuGetProcAddress pointers). */
	uint64_t calls[GP_FAKE_CUDA_API_COUNT];
	/* 1 after a successful cuInit; devices from GP_FAKE_CUDA_DEVICES, bytes each from
	 * GP_FAKE_CUDA_TOTAL_BYTES. */
	uint32_t initialized;
	uint32_t device_count;
	uint64_t device_total[GP_FAKE_CUDA_MAX_DEVICES];
	/* Bytes charged per device: live linear allocations plus VMM physical memory. */
	uint64_t device_used[GP_FAKE_CUDA_MAX_DEVICES];
	uint64_t contexts;	     /* live created contexts plus retained primary contexts */
	uint64_t allocations;	     /* live cuMemAlloc/Pitch/Async/FromPoolAsync/Managed */
	uint64_t allocation_bytes;   /* their bytes */
	uint64_t host_allocations;   /* live cuMemAllocHost/cuMemHostAlloc (not device memory) */
	uint64_t host_bytes;	     /* their bytes */
	uint64_t reservations;	     /* live cuMemAddressReserve ranges */
	uint64_t reserved_bytes;     /* their bytes */
	uint64_t vmm_handles;	     /* cuMemCreate handles not yet released */
	uint64_t vmm_physical;	     /* physical allocations holding memory: unreleased or mapped */
	uint64_t vmm_physical_bytes; /* their bytes (part of device_used) */
	uint64_t mappings;	     /* live cuMemMap mappings */
	uint64_t mapped_bytes;	     /* their bytes */
	uint64_t accessible_bytes;   /* mapped bytes made accessible by cuMemSetAccess */
	uint64_t modules;	     /* loaded modules */
	uint64_t functions;	     /* function handles handed out by cuModuleGetFunction */
	uint64_t launches;	     /* successful launches through any of the three entry points */
	uint64_t copies;	     /* successful cuMemcpy* calls */
	uint64_t copy_bytes;	     /* bytes they copied */
	uint64_t sets;		     /* successful cuMemset* calls */
	uint64_t set_bytes;	     /* bytes they wrote */
};

/* Fills *out with the current state. */
GP_FAKE_CUDA_EXPORT void gp_fake_cuda_stats(struct gp_fake_cuda_stats *out);

/*
 * Frees everything (allocations, mappings, reservations, handles, contexts, modules), zeroes the
 * counters and returns the double to the state before cuInit, so that a test can change the
 * environment and call cuInit again. Call it while no other thread uses the double.
 */
GP_FAKE_CUDA_EXPORT void gp_fake_cuda_reset(void);

/* The name of entry point INDEX (enum gp_fake_cuda_api), or NULL when out of range. */
GP_FAKE_CUDA_EXPORT const char *gp_fake_cuda_api_name(unsigned int index);

typedef void gp_fake_cuda_stats_fn(struct gp_fake_cuda_stats *out);
typedef void gp_fake_cuda_reset_fn(void);
typedef const char *gp_fake_cuda_api_name_fn(unsigned int index);

#endif /* GP_FAKE_CUDA_H */
