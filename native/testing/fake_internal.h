/* SPDX-License-Identifier: MIT */
/*
 * fake_internal.h - state shared by the source files of the libcuda TEST DOUBLE (test-only; see
 * native/testing/README.md). Everything here is hidden; fake_libcuda.c exports the entry points.
 *
 * One mutex guards all state. Handles are pointers to the records below and are validated by
 * looking them up in their list, never by dereferencing what the caller passed.
 */
#ifndef GP_FAKE_INTERNAL_H
#define GP_FAKE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "gpupredict/cuda_subset.h"
#include "fake_cuda.h"

#define GP_FAKE_DRIVER_VERSION 12040
#define GP_FAKE_GRANULARITY    ((size_t)2 << 20) /* VMM granularity, minimum and recommended */

/* The implementation of every entry point, generated from the one list. */
#define GP_CUDA_API(name, params, args) CUresult gp_fake_##name params;
#include "gpupredict/cuda_api.def"
#undef GP_CUDA_API

struct gp_fake_ctx {
	struct gp_fake_ctx *next; /* created contexts only */
	CUdevice device;
};

struct gp_fake_device {
	size_t total;
	size_t used;
	unsigned int primary_refs;
	struct gp_fake_ctx primary; /* live while primary_refs > 0 */
};

enum gp_fake_alloc_kind {
	GP_FAKE_ALLOC_DEVICE,  /* cuMemAlloc, cuMemAllocPitch: the only kind IPC accepts */
	GP_FAKE_ALLOC_ASYNC,   /* stream-ordered, from a pool */
	GP_FAKE_ALLOC_MANAGED, /* cuMemAllocManaged */
	GP_FAKE_ALLOC_HOST,    /* pinned host memory, not charged to a device */
};

struct gp_fake_alloc {
	struct gp_fake_alloc *next;
	uintptr_t base;
	size_t size;	 /* as requested; what the device is charged */
	size_t map_size; /* rounded up to pages */
	const struct gp_fake_ctx *ctx;
	CUdevice device;
	enum gp_fake_alloc_kind kind;
};

struct gp_fake_function {
	struct gp_fake_function *next;
	char *name;
};

struct gp_fake_module {
	struct gp_fake_module *next;
	const struct gp_fake_ctx *ctx;
	struct gp_fake_function *functions;
};

struct gp_fake_reservation {
	struct gp_fake_reservation *next;
	uintptr_t base;
	size_t size;
};

/* Physical memory of one cuMemCreate: a range of the shared memfd. */
struct gp_fake_handle {
	struct gp_fake_handle *next;
	CUmemGenericAllocationHandle id;
	size_t size;
	off_t offset; /* in gp_fake.memfd */
	CUdevice device;
	unsigned int maps;
	bool released;
};

struct gp_fake_mapping {
	struct gp_fake_mapping *next;
	uintptr_t va;
	size_t size;
	struct gp_fake_handle *handle;
	int prot; /* PROT_NONE until cuMemSetAccess */
};

struct gp_fake_state {
	bool initialized;
	int device_count;
	struct gp_fake_device devices[GP_FAKE_CUDA_MAX_DEVICES];
	struct gp_fake_ctx *contexts;
	struct gp_fake_alloc *allocs;
	struct gp_fake_module *modules;
	struct gp_fake_reservation *reservations;
	struct gp_fake_handle *handles;
	struct gp_fake_mapping *mappings;
	bool memfd_open;
	int memfd;	 /* backs every VMM handle; freed ranges are punched out */
	off_t memfd_end; /* next free offset; offsets are never reused */
	CUmemGenericAllocationHandle last_handle;
	uint64_t launches;
	uint64_t copies;
	uint64_t copy_bytes;
	uint64_t sets;
	uint64_t set_bytes;
};

extern struct gp_fake_state gp_fake;
extern _Thread_local struct gp_fake_ctx *gp_fake_current;

/* Locking: gp_fake_enter* take the lock and return with it held only on CUDA_SUCCESS. */
void gp_fake_lock(void);
void gp_fake_unlock(void);
CUresult gp_fake_enter(void);
CUresult gp_fake_enter_ctx(struct gp_fake_ctx **ctx);

/* With the lock held. */
bool gp_fake_device_valid(CUdevice dev);
bool gp_fake_ctx_live(const struct gp_fake_ctx *ctx);
CUresult gp_fake_charge(CUdevice dev, size_t bytes);
void gp_fake_uncharge(CUdevice dev, size_t bytes);
struct gp_fake_alloc *gp_fake_alloc_find(uintptr_t p);
void gp_fake_free_allocs(const struct gp_fake_ctx *ctx);  /* ctx NULL: all */
void gp_fake_free_modules(const struct gp_fake_ctx *ctx); /* ctx NULL: all */
bool gp_fake_function_live(CUfunction f);
bool gp_fake_vmm_reserved(uintptr_t p);
bool gp_fake_vmm_covers(uintptr_t p, size_t bytes, int prot);
void gp_fake_vmm_free_all(void);

#endif /* GP_FAKE_INTERNAL_H */
