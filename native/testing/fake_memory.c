/* SPDX-License-Identifier: MIT */
/*
 * fake_memory.c - libcuda TEST DOUBLE (test-only): linear device memory, pinned host memory, IPC
 * handles and cuMemGetInfo.
 *
 * Device memory is host memory: an anonymous MAP_NORESERVE mapping, so a multi-gigabyte allocation
 * costs nothing until touched, and the device pointer is the host address, so copies really move
 * bytes. Each allocation charges its requested size to the device of the current context;
 * beyond the device's total the call fails with CUDA_ERROR_OUT_OF_MEMORY. Pinned host memory is
 * mapped the same way and charged to no device.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fake_internal.h"

#define GP_FAKE_PITCH_ALIGN 512u

#define CU_MEM_ATTACH_HOST_	0x2 /* not in cuda_subset.h; accepted by cuMemAllocManaged */
#define GP_FAKE_HOSTALLOC_FLAGS 0x7 /* PORTABLE | DEVICEMAP | WRITECOMBINED */

/* The IPC handle's contents: enough for a test to recognise the allocation it names. */
struct gp_fake_ipc {
	char magic[8];
	uint64_t base;
	uint64_t size;
	uint64_t pid;
};

_Static_assert(sizeof(struct gp_fake_ipc) <= sizeof(CUipcMemHandle), "IPC payload fits");

struct gp_fake_alloc *gp_fake_alloc_find(uintptr_t p)
{
	struct gp_fake_alloc *a;

	for (a = gp_fake.allocs; a; a = a->next)
		if (p >= a->base && p - a->base < a->size)
			return a;
	return NULL;
}

static CUresult alloc(struct gp_fake_ctx *ctx, uintptr_t *out, size_t bytes,
		      enum gp_fake_alloc_kind kind)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	bool charged = kind != GP_FAKE_ALLOC_HOST;
	struct gp_fake_alloc *a;
	size_t map_size;
	void *p;

	if (!out || bytes == 0)
		return CUDA_ERROR_INVALID_VALUE;
	if (bytes > SIZE_MAX - page)
		return CUDA_ERROR_OUT_OF_MEMORY;
	if (charged && gp_fake_charge(ctx->device, bytes) != CUDA_SUCCESS)
		return CUDA_ERROR_OUT_OF_MEMORY;
	map_size = (bytes + page - 1) / page * page;
	a = calloc(1, sizeof(*a));
	p = a ? mmap(NULL, map_size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
	      : MAP_FAILED;
	if (p == MAP_FAILED) {
		free(a);
		if (charged)
			gp_fake_uncharge(ctx->device, bytes);
		return CUDA_ERROR_OUT_OF_MEMORY;
	}
	a->base = (uintptr_t)p;
	a->size = bytes;
	a->map_size = map_size;
	a->ctx = ctx;
	a->device = ctx->device;
	a->kind = kind;
	a->next = gp_fake.allocs;
	gp_fake.allocs = a;
	*out = a->base;
	return CUDA_SUCCESS;
}

static void release(struct gp_fake_alloc *a)
{
	if (a->kind != GP_FAKE_ALLOC_HOST)
		gp_fake_uncharge(a->device, a->size);
	munmap((void *)a->base, a->map_size);
	free(a);
}

void gp_fake_free_allocs(const struct gp_fake_ctx *ctx)
{
	struct gp_fake_alloc **link = &gp_fake.allocs, *a;

	while ((a = *link)) {
		if (ctx && a->ctx != ctx) {
			link = &a->next;
			continue;
		}
		*link = a->next;
		release(a);
	}
}

/* Frees the allocation starting at P if its kind is one HOST selects (pinned or device). */
static CUresult free_at(uintptr_t p, bool host)
{
	struct gp_fake_alloc **link, *a;
	struct gp_fake_ctx *ctx;
	CUresult r = gp_fake_enter_ctx(&ctx);

	if (r != CUDA_SUCCESS)
		return r;
	for (link = &gp_fake.allocs; (a = *link) && a->base != p; link = &a->next)
		;
	if (a && (a->kind == GP_FAKE_ALLOC_HOST) == host) {
		*link = a->next;
		release(a);
	} else {
		r = CUDA_ERROR_INVALID_VALUE;
	}
	gp_fake_unlock();
	return r;
}

static CUresult alloc_device(CUdeviceptr *dptr, size_t bytes, enum gp_fake_alloc_kind kind)
{
	struct gp_fake_ctx *ctx;
	uintptr_t p = 0;
	CUresult r = gp_fake_enter_ctx(&ctx);

	if (r != CUDA_SUCCESS)
		return r;
	r = alloc(ctx, dptr ? &p : NULL, bytes, kind);
	if (r == CUDA_SUCCESS)
		*dptr = (CUdeviceptr)p;
	gp_fake_unlock();
	return r;
}

static CUresult alloc_host(void **pp, size_t bytes)
{
	struct gp_fake_ctx *ctx;
	uintptr_t p = 0;
	CUresult r = gp_fake_enter_ctx(&ctx);

	if (r != CUDA_SUCCESS)
		return r;
	r = alloc(ctx, pp ? &p : NULL, bytes, GP_FAKE_ALLOC_HOST);
	if (r == CUDA_SUCCESS)
		*pp = (void *)p;
	gp_fake_unlock();
	return r;
}

CUresult gp_fake_cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize)
{
	return alloc_device(dptr, bytesize, GP_FAKE_ALLOC_DEVICE);
}

CUresult gp_fake_cuMemAllocPitch_v2(CUdeviceptr *dptr, size_t *pitch, size_t width, size_t height,
				    unsigned int element)
{
	size_t rounded;

	if (!pitch || !width || !height || (element != 4 && element != 8 && element != 16))
		return CUDA_ERROR_INVALID_VALUE;
	if (width > SIZE_MAX - GP_FAKE_PITCH_ALIGN)
		return CUDA_ERROR_OUT_OF_MEMORY;
	rounded = (width + GP_FAKE_PITCH_ALIGN - 1) / GP_FAKE_PITCH_ALIGN * GP_FAKE_PITCH_ALIGN;
	if (height > SIZE_MAX / rounded)
		return CUDA_ERROR_OUT_OF_MEMORY;
	*pitch = rounded;
	return alloc_device(dptr, rounded * height, GP_FAKE_ALLOC_DEVICE);
}

CUresult gp_fake_cuMemFree_v2(CUdeviceptr dptr)
{
	return free_at((uintptr_t)dptr, false);
}

CUresult gp_fake_cuMemAllocAsync(CUdeviceptr *dptr, size_t bytesize, CUstream stream)
{
	(void)stream;
	return alloc_device(dptr, bytesize, GP_FAKE_ALLOC_ASYNC);
}

CUresult gp_fake_cuMemAllocFromPoolAsync(CUdeviceptr *dptr, size_t bytesize, CUmemoryPool pool,
					 CUstream stream)
{
	(void)stream;
	if (!pool)
		return CUDA_ERROR_INVALID_VALUE;
	return alloc_device(dptr, bytesize, GP_FAKE_ALLOC_ASYNC);
}

CUresult gp_fake_cuMemFreeAsync(CUdeviceptr dptr, CUstream stream)
{
	(void)stream;
	return free_at((uintptr_t)dptr, false);
}

CUresult gp_fake_cuMemAllocManaged(CUdeviceptr *dptr, size_t bytesize, unsigned int flags)
{
	if (flags != CU_MEM_ATTACH_GLOBAL && flags != CU_MEM_ATTACH_HOST_)
		return CUDA_ERROR_INVALID_VALUE;
	return alloc_device(dptr, bytesize, GP_FAKE_ALLOC_MANAGED);
}

CUresult gp_fake_cuMemAllocHost_v2(void **pp, size_t bytesize)
{
	return alloc_host(pp, bytesize);
}

CUresult gp_fake_cuMemHostAlloc(void **pp, size_t bytesize, unsigned int flags)
{
	if (flags & ~GP_FAKE_HOSTALLOC_FLAGS)
		return CUDA_ERROR_INVALID_VALUE;
	return alloc_host(pp, bytesize);
}

CUresult gp_fake_cuMemFreeHost(void *p)
{
	return free_at((uintptr_t)p, true);
}

/*
 * Only cuMemAlloc/cuMemAllocPitch memory has an IPC handle: the driver refuses managed, pool and
 * VMM (cuMemCreate/cuMemMap) memory, which it exports through other calls.
 */
CUresult gp_fake_cuIpcGetMemHandle(CUipcMemHandle *handle, CUdeviceptr dptr)
{
	struct gp_fake_ipc ipc = {.magic = "gpfake"};
	struct gp_fake_alloc *a;
	struct gp_fake_ctx *ctx;
	CUresult r = gp_fake_enter_ctx(&ctx);

	if (r != CUDA_SUCCESS)
		return r;
	a = gp_fake_alloc_find((uintptr_t)dptr);
	if (!handle || !a || a->kind != GP_FAKE_ALLOC_DEVICE) {
		r = CUDA_ERROR_INVALID_VALUE;
	} else {
		ipc.base = a->base;
		ipc.size = a->size;
		ipc.pid = (uint64_t)getpid();
		memset(handle, 0, sizeof(*handle));
		memcpy(handle->reserved, &ipc, sizeof(ipc));
	}
	gp_fake_unlock();
	return r;
}

CUresult gp_fake_cuMemGetInfo_v2(size_t *free, size_t *total)
{
	struct gp_fake_device *d;
	struct gp_fake_ctx *ctx;
	CUresult r = gp_fake_enter_ctx(&ctx);

	if (r != CUDA_SUCCESS)
		return r;
	if (free && total) {
		d = &gp_fake.devices[ctx->device];
		*free = d->total - d->used;
		*total = d->total;
	} else {
		r = CUDA_ERROR_INVALID_VALUE;
	}
	gp_fake_unlock();
	return r;
}
