/* SPDX-License-Identifier: MIT */
/*
 * hooks_copy.c - copies and sets: one event each with direction, bytes and the API call's time
 * (for synchronous copies that includes the transfer). Bandwidth is then exact for these bytes.
 */
#include "intercept.h"

static CUresult gp_copy(uint16_t kind, enum gp_api_id api, uint64_t start, uint64_t dst,
			uint64_t bytes, CUstream stream, bool async, CUresult rc)
{
	struct gp_event e;
	gp_event_init(&e, kind, api);
	e.ts_ns = start;
	e.address = dst;
	e.bytes = bytes;
	e.stream = (uint64_t)(uintptr_t)stream;
	e.result = rc;
	if (async)
		e.flags |= GP_EVF_ASYNC;
	if (rc != CUDA_SUCCESS)
		e.flags |= GP_EVF_FAILED;
	gp_ring_push(&e);
	return rc;
}

/* Unified addressing hides the direction; what we allocated is device memory, the rest is not. */
static uint16_t gp_direction(CUdeviceptr dst, CUdeviceptr src)
{
	bool d = gp_vram_contains(dst), s = gp_vram_contains(src);
	if (d && !s)
		return GP_EV_MEMCPY_HTOD;
	if (s && !d)
		return GP_EV_MEMCPY_DTOH;
	return GP_EV_MEMCPY_DTOD;
}

GP_EXPORT CUresult cuMemcpy(CUdeviceptr dst, CUdeviceptr src, size_t bytes)
{
	uint64_t t = gp_now_ns();
	CUresult rc = gp_call_cuMemcpy(dst, src, bytes);
	return gp_copy(gp_direction(dst, src), GP_API_cuMemcpy, t, dst, bytes, NULL, false, rc);
}

GP_EXPORT CUresult cuMemcpyAsync(CUdeviceptr dst, CUdeviceptr src, size_t bytes, CUstream stream)
{
	uint64_t t = gp_now_ns();
	CUresult rc = gp_call_cuMemcpyAsync(dst, src, bytes, stream);
	return gp_copy(gp_direction(dst, src), GP_API_cuMemcpyAsync, t, dst, bytes, stream, true,
		       rc);
}

GP_EXPORT CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void *src, size_t bytes)
{
	uint64_t t = gp_now_ns();
	CUresult rc = gp_call_cuMemcpyHtoD_v2(dst, src, bytes);
	return gp_copy(GP_EV_MEMCPY_HTOD, GP_API_cuMemcpyHtoD_v2, t, dst, bytes, NULL, false, rc);
}

GP_EXPORT CUresult cuMemcpyDtoH_v2(void *dst, CUdeviceptr src, size_t bytes)
{
	uint64_t t = gp_now_ns();
	CUresult rc = gp_call_cuMemcpyDtoH_v2(dst, src, bytes);
	return gp_copy(GP_EV_MEMCPY_DTOH, GP_API_cuMemcpyDtoH_v2, t, (uint64_t)(uintptr_t)dst,
		       bytes, NULL, false, rc);
}

GP_EXPORT CUresult cuMemcpyDtoD_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes)
{
	uint64_t t = gp_now_ns();
	CUresult rc = gp_call_cuMemcpyDtoD_v2(dst, src, bytes);
	return gp_copy(GP_EV_MEMCPY_DTOD, GP_API_cuMemcpyDtoD_v2, t, dst, bytes, NULL, false, rc);
}

GP_EXPORT CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void *src, size_t bytes,
					CUstream stream)
{
	uint64_t t = gp_now_ns();
	CUresult rc = gp_call_cuMemcpyHtoDAsync_v2(dst, src, bytes, stream);
	return gp_copy(GP_EV_MEMCPY_HTOD, GP_API_cuMemcpyHtoDAsync_v2, t, dst, bytes, stream, true,
		       rc);
}

GP_EXPORT CUresult cuMemcpyDtoHAsync_v2(void *dst, CUdeviceptr src, size_t bytes, CUstream stream)
{
	uint64_t t = gp_now_ns();
	CUresult rc = gp_call_cuMemcpyDtoHAsync_v2(dst, src, bytes, stream);
	return gp_copy(GP_EV_MEMCPY_DTOH, GP_API_cuMemcpyDtoHAsync_v2, t, (uint64_t)(uintptr_t)dst,
		       bytes, stream, true, rc);
}

GP_EXPORT CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes,
					CUstream stream)
{
	uint64_t t = gp_now_ns();
	CUresult rc = gp_call_cuMemcpyDtoDAsync_v2(dst, src, bytes, stream);
	return gp_copy(GP_EV_MEMCPY_DTOD, GP_API_cuMemcpyDtoDAsync_v2, t, dst, bytes, stream, true,
		       rc);
}

GP_EXPORT CUresult cuMemcpyPeer(CUdeviceptr dst, CUcontext dst_ctx, CUdeviceptr src,
				CUcontext src_ctx, size_t bytes)
{
	uint64_t t = gp_now_ns();
	CUresult rc = gp_call_cuMemcpyPeer(dst, dst_ctx, src, src_ctx, bytes);
	return gp_copy(GP_EV_MEMCPY_PEER, GP_API_cuMemcpyPeer, t, dst, bytes, NULL, false, rc);
}

GP_EXPORT CUresult cuMemcpyPeerAsync(CUdeviceptr dst, CUcontext dst_ctx, CUdeviceptr src,
				     CUcontext src_ctx, size_t bytes, CUstream stream)
{
	uint64_t t = gp_now_ns();
	CUresult rc = gp_call_cuMemcpyPeerAsync(dst, dst_ctx, src, src_ctx, bytes, stream);
	return gp_copy(GP_EV_MEMCPY_PEER, GP_API_cuMemcpyPeerAsync, t, dst, bytes, stream, true,
		       rc);
}

GP_EXPORT CUresult cuMemsetD8_v2(CUdeviceptr dst, unsigned char value, size_t n)
{
	uint64_t t = gp_now_ns();
	CUresult rc = gp_call_cuMemsetD8_v2(dst, value, n);
	return gp_copy(GP_EV_MEMSET, GP_API_cuMemsetD8_v2, t, dst, n, NULL, false, rc);
}

GP_EXPORT CUresult cuMemsetD16_v2(CUdeviceptr dst, unsigned short value, size_t n)
{
	uint64_t t = gp_now_ns();
	CUresult rc = gp_call_cuMemsetD16_v2(dst, value, n);
	return gp_copy(GP_EV_MEMSET, GP_API_cuMemsetD16_v2, t, dst, 2 * (uint64_t)n, NULL, false,
		       rc);
}

GP_EXPORT CUresult cuMemsetD32_v2(CUdeviceptr dst, unsigned int value, size_t n)
{
	uint64_t t = gp_now_ns();
	CUresult rc = gp_call_cuMemsetD32_v2(dst, value, n);
	return gp_copy(GP_EV_MEMSET, GP_API_cuMemsetD32_v2, t, dst, 4 * (uint64_t)n, NULL, false,
		       rc);
}

GP_EXPORT CUresult cuMemsetD8Async(CUdeviceptr dst, unsigned char value, size_t n, CUstream stream)
{
	uint64_t t = gp_now_ns();
	CUresult rc = gp_call_cuMemsetD8Async(dst, value, n, stream);
	return gp_copy(GP_EV_MEMSET, GP_API_cuMemsetD8Async, t, dst, n, stream, true, rc);
}

GP_EXPORT CUresult cuMemsetD16Async(CUdeviceptr dst, unsigned short value, size_t n,
				    CUstream stream)
{
	uint64_t t = gp_now_ns();
	CUresult rc = gp_call_cuMemsetD16Async(dst, value, n, stream);
	return gp_copy(GP_EV_MEMSET, GP_API_cuMemsetD16Async, t, dst, 2 * (uint64_t)n, stream, true,
		       rc);
}

GP_EXPORT CUresult cuMemsetD32Async(CUdeviceptr dst, unsigned int value, size_t n, CUstream stream)
{
	uint64_t t = gp_now_ns();
	CUresult rc = gp_call_cuMemsetD32Async(dst, value, n, stream);
	return gp_copy(GP_EV_MEMSET, GP_API_cuMemsetD32Async, t, dst, 4 * (uint64_t)n, stream, true,
		       rc);
}
