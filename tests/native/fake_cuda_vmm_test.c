/* SPDX-License-Identifier: MIT */
/*
 * fake_cuda_vmm_test.c - the VMM and IPC part of fake_cuda_test: reserve, create, map, set access,
 * write and read, unmap and release with the driver's ordering rules (physical memory is freed only
 * once its handle is both released and unmapped), and cuIpcGetMemHandle refusing VMM memory.
 * Runs with the double initialised (2 devices of 4 GiB) and device 0's primary context current.
 */
#include <stdint.h>
#include <string.h>

#include "fake_cuda_test.h"

#define GRAN (2 * MiB)

static const CUmemAllocationProp device0 = {
    .type = CU_MEM_ALLOCATION_TYPE_PINNED,
    .location = {CU_MEM_LOCATION_TYPE_DEVICE, 0},
};

static const CUmemAccessDesc read_write = {
    .location = {CU_MEM_LOCATION_TYPE_DEVICE, 0},
    .flags = CU_MEM_ACCESS_FLAGS_PROT_READWRITE,
};

void test_vmm_granularity(void)
{
	CUmemAllocationProp bad = device0;
	size_t g = 0;

	EXPECT_OK(cu.cuMemGetAllocationGranularity(&g, &device0, CU_MEM_ALLOC_GRANULARITY_MINIMUM));
	EXPECT_EQ("minimum granularity", g, GRAN);
	g = 0;
	EXPECT_OK(
	    cu.cuMemGetAllocationGranularity(&g, &device0, CU_MEM_ALLOC_GRANULARITY_RECOMMENDED));
	EXPECT_EQ("recommended granularity", g, GRAN);
	bad.location.id = 2;
	EXPECT_CU(cu.cuMemGetAllocationGranularity(&g, &bad, CU_MEM_ALLOC_GRANULARITY_MINIMUM),
		  CUDA_ERROR_INVALID_DEVICE);
	EXPECT_CU(cu.cuMemGetAllocationGranularity(&g, NULL, CU_MEM_ALLOC_GRANULARITY_MINIMUM),
		  CUDA_ERROR_INVALID_VALUE);
}

static uint64_t used(void)
{
	return fake_stats().device_used[0];
}

void test_vmm_lifecycle(void)
{
	unsigned char in[64], out[64];
	CUmemGenericAllocationHandle big, small;
	CUdeviceptr va;
	uint64_t base = used();

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(200 - i);
	EXPECT_OK(cu.cuMemAddressReserve(&va, 8 * GRAN, 0, 0, 0));
	EXPECT_EQ("reservation aligned to the granularity", va % GRAN, 0);
	EXPECT_EQ("reserving charges nothing", used(), base);
	EXPECT_OK(cu.cuMemCreate(&big, 2 * GRAN, &device0, 0));
	EXPECT_OK(cu.cuMemCreate(&small, GRAN, &device0, 0));
	EXPECT_EQ("cuMemCreate charges the device", used(), base + 3 * GRAN);
	EXPECT_EQ("handles live", fake_stats().vmm_handles, 2);

	/* big at [0, 2) and again, aliased, its second half at [6, 7); small at [2, 3). */
	EXPECT_OK(cu.cuMemMap(va, 2 * GRAN, 0, big, 0));
	EXPECT_OK(cu.cuMemMap(va + 2 * GRAN, GRAN, 0, small, 0));
	EXPECT_OK(cu.cuMemMap(va + 6 * GRAN, GRAN, GRAN, big, 0));
	EXPECT_EQ("mapped bytes", fake_stats().mapped_bytes, 4 * GRAN);
	EXPECT_CU(cu.cuMemsetD8_v2(va, 1, 1), CUDA_ERROR_INVALID_VALUE); /* no access yet */
	EXPECT_OK(cu.cuMemSetAccess(va, 3 * GRAN, &read_write, 1));	 /* two mappings */
	EXPECT_OK(cu.cuMemSetAccess(va + 6 * GRAN, GRAN, &read_write, 1));
	EXPECT_EQ("accessible bytes", fake_stats().accessible_bytes, 4 * GRAN);

	EXPECT_OK(cu.cuMemcpyHtoD_v2(va + 2 * GRAN - 32, in, sizeof(in))); /* across big|small */
	EXPECT_OK(cu.cuMemcpyDtoH_v2(out, va + 2 * GRAN - 32, sizeof(out)));
	EXPECT_TRUE("write/read across two mappings", !memcmp(in, out, sizeof(in)));
	EXPECT_OK(cu.cuMemsetD32_v2(va + GRAN, 0x5a5a5a5a, 4));
	EXPECT_EQ("an alias maps the same physical memory", *(uint32_t *)(va + 6 * GRAN),
		  0x5a5a5a5a);
	EXPECT_CU(cu.cuMemcpyHtoD_v2(va + 3 * GRAN - 32, in, 33), CUDA_ERROR_INVALID_VALUE);

	EXPECT_CU(cu.cuMemAddressFree(va, 8 * GRAN), CUDA_ERROR_INVALID_VALUE); /* still mapped */
	EXPECT_CU(cu.cuMemUnmap(va, GRAN), CUDA_ERROR_INVALID_VALUE);		/* half a mapping */

	/* Release, then unmap: the memory stays until the last mapping goes. */
	EXPECT_OK(cu.cuMemRelease(big));
	EXPECT_CU(cu.cuMemRelease(big), CUDA_ERROR_INVALID_VALUE);
	EXPECT_CU(cu.cuMemMap(va + 4 * GRAN, GRAN, 0, big, 0), CUDA_ERROR_INVALID_HANDLE);
	EXPECT_EQ("released but mapped: still charged", used(), base + 3 * GRAN);
	EXPECT_EQ("released handle gone", fake_stats().vmm_handles, 1);
	EXPECT_OK(cu.cuMemUnmap(va, 3 * GRAN)); /* big's first mapping and small */
	EXPECT_EQ("released, one alias left: still charged", used(), base + 3 * GRAN);
	EXPECT_CU(cu.cuMemsetD8_v2(va, 1, 1), CUDA_ERROR_INVALID_VALUE); /* reserved again */
	EXPECT_OK(cu.cuMemUnmap(va + 6 * GRAN, GRAN));
	EXPECT_EQ("released and unmapped: freed", used(), base + GRAN);

	/* Unmap, then release: contents survive a remap; memory goes at the release. */
	EXPECT_OK(cu.cuMemMap(va + 5 * GRAN, GRAN, 0, small, 0));
	EXPECT_OK(cu.cuMemSetAccess(va + 5 * GRAN, GRAN, &read_write, 1));
	EXPECT_OK(cu.cuMemcpyDtoH_v2(out, va + 5 * GRAN, 32));
	EXPECT_TRUE("contents survive unmap and remap", !memcmp(in + 32, out, 32));
	EXPECT_OK(cu.cuMemUnmap(va + 5 * GRAN, GRAN));
	EXPECT_EQ("unmapped but not released: still charged", used(), base + GRAN);
	EXPECT_OK(cu.cuMemRelease(small));
	EXPECT_EQ("unmapped and released: freed", used(), base);
	EXPECT_EQ("no physical memory left", fake_stats().vmm_physical, 0);

	EXPECT_CU(cu.cuMemAddressFree(va, 4 * GRAN), CUDA_ERROR_INVALID_VALUE); /* not the range */
	EXPECT_OK(cu.cuMemAddressFree(va, 8 * GRAN));
	EXPECT_EQ("reservations", fake_stats().reservations, 0);
}

void test_vmm_errors(void)
{
	CUmemGenericAllocationHandle h, huge;
	CUdeviceptr va, other, hinted;

	EXPECT_CU(cu.cuMemAddressReserve(&va, GRAN + 1, 0, 0, 0), CUDA_ERROR_INVALID_VALUE);
	EXPECT_CU(cu.cuMemAddressReserve(&va, GRAN, 3, 0, 0), CUDA_ERROR_INVALID_VALUE);
	EXPECT_OK(cu.cuMemAddressReserve(&va, 2 * GRAN, 4 * GRAN, 0, 0));
	EXPECT_EQ("requested alignment", va % (4 * GRAN), 0);
	EXPECT_OK(cu.cuMemAddressReserve(&other, 4 * GRAN, 0, 0, 0));
	EXPECT_OK(cu.cuMemAddressFree(other, 4 * GRAN));
	EXPECT_OK(cu.cuMemAddressReserve(&hinted, GRAN, 0, other + GRAN, 0));
	EXPECT_EQ("a free hint is honoured", hinted, other + GRAN);

	EXPECT_CU(cu.cuMemCreate(&h, GRAN / 2, &device0, 0), CUDA_ERROR_INVALID_VALUE);
	EXPECT_CU(cu.cuMemCreate(&huge, 4 * GiB + GRAN, &device0, 0), CUDA_ERROR_OUT_OF_MEMORY);
	EXPECT_OK(cu.cuMemCreate(&huge, 4 * GiB, &device0, 0)); /* the whole device: sparse */
	EXPECT_CU(cu.cuMemCreate(&h, GRAN, &device0, 0), CUDA_ERROR_OUT_OF_MEMORY);
	EXPECT_OK(cu.cuMemRelease(huge));
	EXPECT_OK(cu.cuMemCreate(&h, GRAN, &device0, 0));

	/* Outside the reservation, beyond the handle, offset beyond the handle, unknown handle. */
	EXPECT_CU(cu.cuMemMap(va + 2 * GRAN, GRAN, 0, h, 0), CUDA_ERROR_INVALID_VALUE);
	EXPECT_CU(cu.cuMemMap(va, 2 * GRAN, 0, h, 0), CUDA_ERROR_INVALID_VALUE);
	EXPECT_CU(cu.cuMemMap(va, GRAN, GRAN, h, 0), CUDA_ERROR_INVALID_VALUE);
	EXPECT_CU(cu.cuMemMap(va, GRAN, 0, h + 100, 0), CUDA_ERROR_INVALID_HANDLE);
	EXPECT_OK(cu.cuMemMap(va, GRAN, 0, h, 0));
	EXPECT_CU(cu.cuMemMap(va, GRAN, 0, h, 0), CUDA_ERROR_INVALID_VALUE); /* overlaps */
	EXPECT_CU(cu.cuMemSetAccess(va, GRAN, &(CUmemAccessDesc){0}, 1), CUDA_ERROR_INVALID_VALUE);
	EXPECT_CU(cu.cuMemUnmap(va + GRAN, GRAN), CUDA_ERROR_INVALID_VALUE); /* not mapped */
	EXPECT_OK(cu.cuMemUnmap(va, GRAN));
	EXPECT_OK(cu.cuMemRelease(h));
	EXPECT_OK(cu.cuMemAddressFree(hinted, GRAN));
	EXPECT_OK(cu.cuMemAddressFree(va, 2 * GRAN));
	EXPECT_EQ("nothing left charged", used(), 0);
}

void test_ipc(void)
{
	CUmemGenericAllocationHandle h;
	CUdeviceptr dptr, managed, va;
	CUipcMemHandle ipc;
	uint64_t named = 0;

	EXPECT_OK(cu.cuMemAlloc_v2(&dptr, 4096));
	EXPECT_OK(cu.cuIpcGetMemHandle(&ipc, dptr + 16));
	memcpy(&named, ipc.reserved + 8, sizeof(named));
	EXPECT_EQ("the handle names the allocation's base", named, dptr);
	EXPECT_OK(cu.cuMemAllocManaged(&managed, 4096, CU_MEM_ATTACH_GLOBAL));
	EXPECT_CU(cu.cuIpcGetMemHandle(&ipc, managed), CUDA_ERROR_INVALID_VALUE);
	EXPECT_CU(cu.cuIpcGetMemHandle(&ipc, (CUdeviceptr)&ipc), CUDA_ERROR_INVALID_VALUE);

	EXPECT_OK(cu.cuMemAddressReserve(&va, GRAN, 0, 0, 0));
	EXPECT_OK(cu.cuMemCreate(&h, GRAN, &device0, 0));
	EXPECT_OK(cu.cuMemMap(va, GRAN, 0, h, 0));
	EXPECT_OK(cu.cuMemSetAccess(va, GRAN, &read_write, 1));
	EXPECT_CU(cu.cuIpcGetMemHandle(&ipc, va), CUDA_ERROR_INVALID_VALUE); /* VMM memory */
	EXPECT_OK(cu.cuMemUnmap(va, GRAN));
	EXPECT_OK(cu.cuMemRelease(h));
	EXPECT_OK(cu.cuMemAddressFree(va, GRAN));
	EXPECT_OK(cu.cuMemFree_v2(managed));
	EXPECT_OK(cu.cuMemFree_v2(dptr));
}
