/* SPDX-License-Identifier: MIT */
/*
 * fake_copy.c - libcuda TEST DOUBLE (test-only): every cuMemcpy and cuMemset entry point really
 * copies or sets host bytes (device pointers are host addresses), synchronously.
 *
 * Ranges are checked first, so that a bad pointer is CUDA_ERROR_INVALID_VALUE rather than a crash:
 * a device side must lie inside one live allocation or in VMM-mapped memory whose access allows
 * the operation (the range may span several mappings); a host side (and either side of the unified
 * cuMemcpy/cuMemcpyPeer) may be any other non-NULL address. The bytes move outside the lock.
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>

#include "fake_internal.h"

static CUresult check_range(uintptr_t p, size_t bytes, bool device, int prot)
{
	const struct gp_fake_alloc *a;

	if (!p || bytes > UINTPTR_MAX - p)
		return CUDA_ERROR_INVALID_VALUE;
	a = gp_fake_alloc_find(p);
	if (a) {
		if (device && a->kind == GP_FAKE_ALLOC_HOST)
			return CUDA_ERROR_INVALID_VALUE;
		return bytes <= a->size - (p - a->base) ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
	}
	if (gp_fake_vmm_reserved(p))
		return gp_fake_vmm_covers(p, bytes, prot) ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
	return device ? CUDA_ERROR_INVALID_VALUE : CUDA_SUCCESS;
}

/* DST_CTX and SRC_CTX are checked when not NULL (peer copies). */
static CUresult copy(uintptr_t dst, bool dst_device, uintptr_t src, bool src_device, size_t bytes,
		     CUcontext dst_ctx, CUcontext src_ctx)
{
	struct gp_fake_ctx *ctx;
	CUresult r = gp_fake_enter_ctx(&ctx);

	if (r != CUDA_SUCCESS)
		return r;
	if ((dst_ctx && !gp_fake_ctx_live((struct gp_fake_ctx *)dst_ctx)) ||
	    (src_ctx && !gp_fake_ctx_live((struct gp_fake_ctx *)src_ctx)))
		r = CUDA_ERROR_INVALID_CONTEXT;
	else if (bytes)
		r = check_range(dst, bytes, dst_device, PROT_WRITE);
	if (r == CUDA_SUCCESS && bytes)
		r = check_range(src, bytes, src_device, PROT_READ);
	if (r == CUDA_SUCCESS) {
		gp_fake.copies++;
		gp_fake.copy_bytes += bytes;
	}
	gp_fake_unlock();
	if (r == CUDA_SUCCESS && bytes)
		memmove((void *)dst, (const void *)src, bytes);
	return r;
}

CUresult gp_fake_cuMemcpy(CUdeviceptr dst, CUdeviceptr src, size_t bytes)
{
	return copy(dst, false, src, false, bytes, NULL, NULL);
}

CUresult gp_fake_cuMemcpyAsync(CUdeviceptr dst, CUdeviceptr src, size_t bytes, CUstream stream)
{
	(void)stream;
	return copy(dst, false, src, false, bytes, NULL, NULL);
}

CUresult gp_fake_cuMemcpyHtoD_v2(CUdeviceptr dst, const void *src, size_t bytes)
{
	return copy(dst, true, (uintptr_t)src, false, bytes, NULL, NULL);
}

CUresult gp_fake_cuMemcpyDtoH_v2(void *dst, CUdeviceptr src, size_t bytes)
{
	return copy((uintptr_t)dst, false, src, true, bytes, NULL, NULL);
}

CUresult gp_fake_cuMemcpyDtoD_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes)
{
	return copy(dst, true, src, true, bytes, NULL, NULL);
}

CUresult gp_fake_cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void *src, size_t bytes,
				      CUstream stream)
{
	(void)stream;
	return copy(dst, true, (uintptr_t)src, false, bytes, NULL, NULL);
}

CUresult gp_fake_cuMemcpyDtoHAsync_v2(void *dst, CUdeviceptr src, size_t bytes, CUstream stream)
{
	(void)stream;
	return copy((uintptr_t)dst, false, src, true, bytes, NULL, NULL);
}

CUresult gp_fake_cuMemcpyDtoDAsync_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes,
				      CUstream stream)
{
	(void)stream;
	return copy(dst, true, src, true, bytes, NULL, NULL);
}

CUresult gp_fake_cuMemcpyPeer(CUdeviceptr dst, CUcontext dst_ctx, CUdeviceptr src,
			      CUcontext src_ctx, size_t bytes)
{
	if (!dst_ctx || !src_ctx)
		return CUDA_ERROR_INVALID_CONTEXT;
	return copy(dst, true, src, true, bytes, dst_ctx, src_ctx);
}

CUresult gp_fake_cuMemcpyPeerAsync(CUdeviceptr dst, CUcontext dst_ctx, CUdeviceptr src,
				   CUcontext src_ctx, size_t bytes, CUstream stream)
{
	(void)stream;
	return gp_fake_cuMemcpyPeer(dst, dst_ctx, src, src_ctx, bytes);
}

/* Sets N elements of WIDTH bytes (1, 2 or 4) at DST, which must be aligned to WIDTH. */
static CUresult set(CUdeviceptr dst, unsigned int value, size_t n, size_t width)
{
	size_t bytes = n * width;
	struct gp_fake_ctx *ctx;
	CUresult r;

	if (dst % width || n > SIZE_MAX / width)
		return CUDA_ERROR_INVALID_VALUE;
	r = gp_fake_enter_ctx(&ctx);
	if (r != CUDA_SUCCESS)
		return r;
	if (bytes)
		r = check_range(dst, bytes, true, PROT_WRITE);
	if (r == CUDA_SUCCESS) {
		gp_fake.sets++;
		gp_fake.set_bytes += bytes;
	}
	gp_fake_unlock();
	if (r != CUDA_SUCCESS)
		return r;
	if (width == 1) {
		memset((void *)dst, (int)value, n);
	} else if (width == 2) {
		for (uint16_t *p = (uint16_t *)dst; n--; p++)
			*p = (uint16_t)value;
	} else {
		for (uint32_t *p = (uint32_t *)dst; n--; p++)
			*p = value;
	}
	return CUDA_SUCCESS;
}

CUresult gp_fake_cuMemsetD8_v2(CUdeviceptr dst, unsigned char value, size_t n)
{
	return set(dst, value, n, 1);
}

CUresult gp_fake_cuMemsetD16_v2(CUdeviceptr dst, unsigned short value, size_t n)
{
	return set(dst, value, n, 2);
}

CUresult gp_fake_cuMemsetD32_v2(CUdeviceptr dst, unsigned int value, size_t n)
{
	return set(dst, value, n, 4);
}

CUresult gp_fake_cuMemsetD8Async(CUdeviceptr dst, unsigned char value, size_t n, CUstream stream)
{
	(void)stream;
	return set(dst, value, n, 1);
}

CUresult gp_fake_cuMemsetD16Async(CUdeviceptr dst, unsigned short value, size_t n, CUstream stream)
{
	(void)stream;
	return set(dst, value, n, 2);
}

CUresult gp_fake_cuMemsetD32Async(CUdeviceptr dst, unsigned int value, size_t n, CUstream stream)
{
	(void)stream;
	return set(dst, value, n, 4);
}
