/* SPDX-License-Identifier: MIT */
/*
 * hooks_memory.c - device, managed and pinned-host allocation: the VRAM quota, the pre-mapped pool,
 * and an event per call.
 */
#include "intercept.h"

/* VMM handles share the allocation table with pointers; the top bit keeps the keys apart. */
#define GP_HANDLE_KEY(h) ((CUdeviceptr)((h) | (1ull << 63)))

static void gp_finish(struct gp_event *e, CUresult rc)
{
	e->end_ns = gp_now_ns();
	e->result = rc;
	if (rc != CUDA_SUCCESS)
		e->flags |= GP_EVF_FAILED;
	gp_ring_push(e);
}

/* Refuses an allocation over the quota: the event says so, the application sees OUT_OF_MEMORY. */
static bool gp_refused(struct gp_event *e, uint64_t bytes)
{
	struct gp_control ctl = gp_control_get_at(e->ts_ns);
	if (!gp_vram_over_quota(&ctl, bytes))
		return false;
	e->flags |= GP_EVF_DENIED;
	gp_finish(e, CUDA_ERROR_OUT_OF_MEMORY);
	return true;
}

GP_EXPORT CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize)
{
	struct gp_event e;
	gp_event_init(&e, GP_EV_ALLOC, GP_API_cuMemAlloc_v2);
	e.bytes = bytesize;
	if (dptr != NULL && bytesize != 0 && gp_refused(&e, bytesize))
		return CUDA_ERROR_OUT_OF_MEMORY;
	CUresult rc;
	enum gp_alloc_origin origin = GP_ORIGIN_DRIVER;
	if (dptr != NULL && bytesize != 0 && gp_pool_alloc(bytesize, dptr)) {
		rc = CUDA_SUCCESS;
		origin = GP_ORIGIN_POOL;
		e.flags |= GP_EVF_PREMAPPED;
	} else {
		rc = gp_call_cuMemAlloc_v2(dptr, bytesize);
	}
	if (rc == CUDA_SUCCESS) {
		gp_vram_add(*dptr, bytesize, origin);
		e.address = *dptr;
	}
	gp_finish(&e, rc);
	return rc;
}

GP_EXPORT CUresult cuMemAllocPitch_v2(CUdeviceptr *dptr, size_t *pitch, size_t width, size_t height,
				      unsigned int element)
{
	struct gp_event e;
	gp_event_init(&e, GP_EV_ALLOC, GP_API_cuMemAllocPitch_v2);
	e.bytes = (uint64_t)width * height;
	if (dptr != NULL && e.bytes != 0 && gp_refused(&e, e.bytes))
		return CUDA_ERROR_OUT_OF_MEMORY;
	/* Pitched memory has alignment rules of its own: always the driver's. */
	CUresult rc = gp_call_cuMemAllocPitch_v2(dptr, pitch, width, height, element);
	if (rc == CUDA_SUCCESS && pitch != NULL) {
		e.bytes = (uint64_t)*pitch * height;
		gp_vram_add(*dptr, e.bytes, GP_ORIGIN_DRIVER);
		e.address = *dptr;
	}
	gp_finish(&e, rc);
	return rc;
}

/*
 * Stream-ordered allocations stay with the driver's memory pools: their frees are stream-ordered
 * too, and a chunk handed back to our pool at call time could still be in use on the stream.
 */
GP_EXPORT CUresult cuMemAllocAsync(CUdeviceptr *dptr, size_t bytesize, CUstream stream)
{
	struct gp_event e;
	gp_event_init(&e, GP_EV_ALLOC_ASYNC, GP_API_cuMemAllocAsync);
	e.bytes = bytesize;
	e.stream = (uint64_t)(uintptr_t)stream;
	e.flags |= GP_EVF_ASYNC;
	if (dptr != NULL && bytesize != 0 && gp_refused(&e, bytesize))
		return CUDA_ERROR_OUT_OF_MEMORY;
	CUresult rc = gp_call_cuMemAllocAsync(dptr, bytesize, stream);
	if (rc == CUDA_SUCCESS) {
		gp_vram_add(*dptr, bytesize, GP_ORIGIN_DRIVER);
		e.address = *dptr;
	}
	gp_finish(&e, rc);
	return rc;
}

GP_EXPORT CUresult cuMemAllocFromPoolAsync(CUdeviceptr *dptr, size_t bytesize, CUmemoryPool pool,
					   CUstream stream)
{
	struct gp_event e;
	gp_event_init(&e, GP_EV_ALLOC_ASYNC, GP_API_cuMemAllocFromPoolAsync);
	e.bytes = bytesize;
	e.stream = (uint64_t)(uintptr_t)stream;
	e.flags |= GP_EVF_ASYNC;
	if (dptr != NULL && bytesize != 0 && gp_refused(&e, bytesize))
		return CUDA_ERROR_OUT_OF_MEMORY;
	CUresult rc = gp_call_cuMemAllocFromPoolAsync(dptr, bytesize, pool, stream);
	if (rc == CUDA_SUCCESS) {
		gp_vram_add(*dptr, bytesize, GP_ORIGIN_DRIVER);
		e.address = *dptr;
	}
	gp_finish(&e, rc);
	return rc;
}

GP_EXPORT CUresult cuMemAllocManaged(CUdeviceptr *dptr, size_t bytesize, unsigned int flags)
{
	struct gp_event e;
	gp_event_init(&e, GP_EV_ALLOC_MANAGED, GP_API_cuMemAllocManaged);
	e.bytes = bytesize;
	if (dptr != NULL && bytesize != 0 && gp_refused(&e, bytesize))
		return CUDA_ERROR_OUT_OF_MEMORY;
	CUresult rc = gp_call_cuMemAllocManaged(dptr, bytesize, flags);
	if (rc == CUDA_SUCCESS) {
		gp_vram_add(*dptr, bytesize, GP_ORIGIN_DRIVER);
		e.address = *dptr;
	}
	gp_finish(&e, rc);
	return rc;
}

static CUresult gp_free(CUdeviceptr dptr, uint16_t kind, enum gp_api_id api, CUstream stream,
			bool async)
{
	struct gp_event e;
	gp_event_init(&e, kind, api);
	e.address = dptr;
	e.stream = (uint64_t)(uintptr_t)stream;
	enum gp_alloc_origin origin = GP_ORIGIN_DRIVER;
	uint64_t bytes = gp_vram_remove(dptr, &origin);
	CUresult rc;
	if (origin == GP_ORIGIN_POOL && gp_pool_free(dptr, bytes)) {
		rc = CUDA_SUCCESS;
		e.flags |= GP_EVF_PREMAPPED;
	} else {
		rc = async ? gp_call_cuMemFreeAsync(dptr, stream) : gp_call_cuMemFree_v2(dptr);
		if (rc != CUDA_SUCCESS && bytes != 0)
			gp_vram_add(dptr, bytes, origin); /* still allocated after all */
	}
	if (async)
		e.flags |= GP_EVF_ASYNC;
	e.bytes = bytes;
	gp_finish(&e, rc);
	return rc;
}

GP_EXPORT CUresult cuMemFree_v2(CUdeviceptr dptr)
{
	return gp_free(dptr, GP_EV_FREE, GP_API_cuMemFree_v2, NULL, false);
}

GP_EXPORT CUresult cuMemFreeAsync(CUdeviceptr dptr, CUstream stream)
{
	return gp_free(dptr, GP_EV_FREE_ASYNC, GP_API_cuMemFreeAsync, stream, true);
}

/* Pinned host memory: an event, no quota (it is host memory). */
GP_EXPORT CUresult cuMemAllocHost_v2(void **pp, size_t bytesize)
{
	struct gp_event e;
	gp_event_init(&e, GP_EV_ALLOC_HOST, GP_API_cuMemAllocHost_v2);
	e.bytes = bytesize;
	CUresult rc = gp_call_cuMemAllocHost_v2(pp, bytesize);
	if (rc == CUDA_SUCCESS && pp != NULL)
		e.address = (uint64_t)(uintptr_t)*pp;
	gp_finish(&e, rc);
	return rc;
}

GP_EXPORT CUresult cuMemHostAlloc(void **pp, size_t bytesize, unsigned int flags)
{
	struct gp_event e;
	gp_event_init(&e, GP_EV_ALLOC_HOST, GP_API_cuMemHostAlloc);
	e.bytes = bytesize;
	CUresult rc = gp_call_cuMemHostAlloc(pp, bytesize, flags);
	if (rc == CUDA_SUCCESS && pp != NULL)
		e.address = (uint64_t)(uintptr_t)*pp;
	gp_finish(&e, rc);
	return rc;
}

GP_EXPORT CUresult cuMemFreeHost(void *p)
{
	struct gp_event e;
	gp_event_init(&e, GP_EV_FREE_HOST, GP_API_cuMemFreeHost);
	e.address = (uint64_t)(uintptr_t)p;
	CUresult rc = gp_call_cuMemFreeHost(p);
	gp_finish(&e, rc);
	return rc;
}

/*
 * IPC handles cannot be taken of VMM memory. Once an application exports one, later allocations
 * come from the driver so they can be exported; a pool pointer asked for a handle fails exactly as
 * the driver fails for VMM memory (the application sees the driver's answer).
 */
GP_EXPORT CUresult cuIpcGetMemHandle(CUipcMemHandle *handle, CUdeviceptr dptr)
{
	gp_pool_disable("the application exports CUDA IPC handles");
	return gp_call_cuIpcGetMemHandle(handle, dptr);
}

/* --- VMM calls made by the application itself (the pool calls the driver directly) --- */

GP_EXPORT CUresult cuMemCreate(CUmemGenericAllocationHandle *handle, size_t size,
			       const CUmemAllocationProp *prop, unsigned long long flags)
{
	gp_pool_disable("the application manages virtual memory itself");
	struct gp_event e;
	gp_event_init(&e, GP_EV_ALLOC_VMM, GP_API_cuMemCreate);
	e.bytes = size;
	if (prop != NULL && prop->location.type == CU_MEM_LOCATION_TYPE_DEVICE)
		e.device = prop->location.id;
	if (handle != NULL && size != 0 && gp_refused(&e, size))
		return CUDA_ERROR_OUT_OF_MEMORY;
	CUresult rc = gp_call_cuMemCreate(handle, size, prop, flags);
	if (rc == CUDA_SUCCESS)
		gp_vram_add(GP_HANDLE_KEY(*handle), size, GP_ORIGIN_DRIVER);
	gp_finish(&e, rc);
	return rc;
}

GP_EXPORT CUresult cuMemRelease(CUmemGenericAllocationHandle handle)
{
	struct gp_event e;
	gp_event_init(&e, GP_EV_FREE_VMM, GP_API_cuMemRelease);
	CUresult rc = gp_call_cuMemRelease(handle);
	if (rc == CUDA_SUCCESS)
		e.bytes = gp_vram_remove(GP_HANDLE_KEY(handle), NULL);
	gp_finish(&e, rc);
	return rc;
}

GP_EXPORT CUresult cuMemAddressReserve(CUdeviceptr *ptr, size_t size, size_t alignment,
				       CUdeviceptr addr, unsigned long long flags)
{
	return gp_call_cuMemAddressReserve(ptr, size, alignment, addr, flags);
}

GP_EXPORT CUresult cuMemAddressFree(CUdeviceptr ptr, size_t size)
{
	return gp_call_cuMemAddressFree(ptr, size);
}

GP_EXPORT CUresult cuMemMap(CUdeviceptr ptr, size_t size, size_t offset,
			    CUmemGenericAllocationHandle handle, unsigned long long flags)
{
	return gp_call_cuMemMap(ptr, size, offset, handle, flags);
}

GP_EXPORT CUresult cuMemUnmap(CUdeviceptr ptr, size_t size)
{
	return gp_call_cuMemUnmap(ptr, size);
}

GP_EXPORT CUresult cuMemSetAccess(CUdeviceptr ptr, size_t size, const CUmemAccessDesc *desc,
				  size_t count)
{
	return gp_call_cuMemSetAccess(ptr, size, desc, count);
}

GP_EXPORT CUresult cuMemGetAllocationGranularity(size_t *granularity,
						 const CUmemAllocationProp *prop,
						 CUmemAllocationGranularity_flags option)
{
	return gp_call_cuMemGetAllocationGranularity(granularity, prop, option);
}
