/* SPDX-License-Identifier: MIT */
/*
 * fake_cuda_test - checks the libcuda TEST DOUBLE (native/build/testing/libcuda.so.1) the way the
 * interposer and real programs use a driver: loaded with dlopen("libcuda.so.1") (so `make check`
 * puts native/build/testing on LD_LIBRARY_PATH), entry points found with dlsym and with
 * cuGetProcAddress. Covers initialisation, contexts, allocation accounting and out-of-memory at the
 * device total, copies and sets, modules and launches, entry-point lookup and 8 threads allocating
 * at once; fake_cuda_vmm_test.c covers VMM and IPC.
 *
 * Prints one line per failure on stderr and "fake_cuda: N passed, M failed" on stdout; exit status
 * 0 only when nothing failed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_cuda_test.h"

#define THREADS		  8
#define THREAD_ITERATIONS 200

struct fake_api cu;

static unsigned int passed;
static unsigned int failed;
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;

bool expect_eq(const char *what, long long got, long long want, const char *file, int line)
{
	bool ok = got == want;

	pthread_mutex_lock(&count_lock);
	if (ok) {
		passed++;
	} else {
		failed++;
		fprintf(stderr, "%s:%d: %s: got %lld, want %lld\n", file, line, what, got, want);
	}
	pthread_mutex_unlock(&count_lock);
	return ok;
}

struct gp_fake_cuda_stats fake_stats(void)
{
	struct gp_fake_cuda_stats s;

	cu.stats(&s);
	return s;
}

/* Resolves every entry by its own symbol; false when the library is not the double. */
static bool load(void)
{
	void *h = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
	bool ok = true;

	if (!EXPECT_TRUE("dlopen(\"libcuda.so.1\")", h)) {
		fprintf(stderr,
			"fake_cuda_test: %s (is LD_LIBRARY_PATH=native/build/testing set?)\n",
			dlerror());
		return false;
	}
#define GP_CUDA_API(name, params, args)                                                            \
	*(void **)&cu.name = dlsym(h, #name);                                                      \
	ok &= EXPECT_TRUE("dlsym(" #name ")", cu.name);
#include "gpupredict/cuda_api.def"
#undef GP_CUDA_API
	*(void **)&cu.stats = dlsym(h, "gp_fake_cuda_stats");
	*(void **)&cu.reset = dlsym(h, "gp_fake_cuda_reset");
	*(void **)&cu.api_name = dlsym(h, "gp_fake_cuda_api_name");
	/* A real libcuda found first on the search path has no gp_fake_cuda_* symbols. */
	ok &= EXPECT_TRUE("the library loaded is the test double", cu.stats && cu.reset);
	ok &= EXPECT_TRUE("gp_fake_cuda_api_name", cu.api_name);
	return ok;
}

static void test_init_required(void)
{
	CUdeviceptr p;
	int version = 0, count = -1;
	size_t total = 0;
	void *fn = NULL;

	EXPECT_OK(cu.cuDriverGetVersion(&version));
	EXPECT_EQ("driver version", version, 12040);
	EXPECT_OK(cu.cuGetProcAddress("cuInit", &fn, 12000, 0));
	EXPECT_CU(cu.cuDeviceGetCount(&count), CUDA_ERROR_NOT_INITIALIZED);
	EXPECT_CU(cu.cuMemAlloc_v2(&p, 1), CUDA_ERROR_NOT_INITIALIZED);
	EXPECT_CU(cu.cuMemCreate(NULL, 0, NULL, 0), CUDA_ERROR_NOT_INITIALIZED);
	EXPECT_CU(cu.cuInit(1), CUDA_ERROR_INVALID_VALUE);
	EXPECT_EQ("initialized before cuInit", fake_stats().initialized, 0);

	setenv("GP_FAKE_CUDA_DEVICES", "2", 1);
	setenv("GP_FAKE_CUDA_TOTAL_BYTES", "4G", 1);
	EXPECT_OK(((CUresult(*)(unsigned int))fn)(0)); /* cuInit through cuGetProcAddress */
	EXPECT_OK(cu.cuInit(0));		       /* again: no-op */
	EXPECT_OK(cu.cuDeviceGetCount(&count));
	EXPECT_EQ("device count from GP_FAKE_CUDA_DEVICES", count, 2);
	EXPECT_OK(cu.cuDeviceTotalMem_v2(&total, 1));
	EXPECT_EQ("total from GP_FAKE_CUDA_TOTAL_BYTES=4G", total, 4 * GiB);
	EXPECT_CU(cu.cuDeviceTotalMem_v2(&total, 2), CUDA_ERROR_INVALID_DEVICE);
	EXPECT_CU(cu.cuDeviceGet(&count, 2), CUDA_ERROR_INVALID_DEVICE);
	EXPECT_EQ("cuInit calls counted", fake_stats().calls[GP_FAKE_CUDA_API_cuInit], 3);
}

static void test_contexts(void)
{
	CUcontext primary, again, created;
	CUdevice dev = -1;
	CUdeviceptr p;

	EXPECT_OK(cu.cuCtxSetCurrent(NULL));
	EXPECT_CU(cu.cuMemAlloc_v2(&p, 1), CUDA_ERROR_INVALID_CONTEXT);
	EXPECT_CU(cu.cuCtxGetDevice(&dev), CUDA_ERROR_INVALID_CONTEXT);

	EXPECT_OK(cu.cuDevicePrimaryCtxRetain(&primary, 0));
	EXPECT_OK(cu.cuDevicePrimaryCtxRetain(&again, 0));
	EXPECT_TRUE("one primary context per device", primary == again);
	EXPECT_CU(cu.cuCtxGetDevice(&dev), CUDA_ERROR_INVALID_CONTEXT); /* retain sets nothing */
	EXPECT_OK(cu.cuCtxSetCurrent(primary));
	EXPECT_OK(cu.cuCtxGetDevice(&dev));
	EXPECT_EQ("primary context device", dev, 0);

	EXPECT_OK(cu.cuCtxCreate_v2(&created, 0, 1));
	EXPECT_OK(cu.cuCtxGetDevice(&dev));
	EXPECT_EQ("cuCtxCreate makes the context current", dev, 1);
	EXPECT_EQ("contexts live", fake_stats().contexts, 2);
	EXPECT_OK(cu.cuMemAlloc_v2(&p, 3 * MiB));
	EXPECT_EQ("charged to device 1", fake_stats().device_used[1], 3 * MiB);
	EXPECT_CU(cu.cuCtxDestroy_v2(primary), CUDA_ERROR_INVALID_CONTEXT);
	EXPECT_OK(cu.cuCtxDestroy_v2(created));
	EXPECT_EQ("destroying a context frees its memory", fake_stats().device_used[1], 0);
	EXPECT_CU(cu.cuCtxGetDevice(&dev), CUDA_ERROR_INVALID_CONTEXT);
	EXPECT_CU(cu.cuCtxSetCurrent(created), CUDA_ERROR_INVALID_CONTEXT);

	EXPECT_OK(cu.cuCtxSetCurrent(primary));
	EXPECT_OK(cu.cuDevicePrimaryCtxRelease_v2(0));
	EXPECT_OK(cu.cuDevicePrimaryCtxRelease_v2(0));
	EXPECT_CU(cu.cuDevicePrimaryCtxRelease_v2(0), CUDA_ERROR_INVALID_CONTEXT);
	EXPECT_CU(cu.cuMemAlloc_v2(&p, 1), CUDA_ERROR_INVALID_CONTEXT); /* released */
	EXPECT_OK(cu.cuDevicePrimaryCtxRetain(&again, 0));
	EXPECT_TRUE("the primary context handle is stable", primary == again);
	EXPECT_OK(cu.cuCtxSetCurrent(primary)); /* stays current for the tests below */
}

static void test_alloc_accounting(void)
{
	CUdeviceptr a, b, c, pitched, managed, async, pooled;
	size_t free = 0, total = 0, pitch = 0;
	void *host;

	EXPECT_OK(cu.cuMemGetInfo_v2(&free, &total));
	EXPECT_EQ("free before", free, 4 * GiB);
	EXPECT_EQ("total", total, 4 * GiB);
	EXPECT_CU(cu.cuMemAlloc_v2(&a, 0), CUDA_ERROR_INVALID_VALUE);

	EXPECT_OK(cu.cuMemAlloc_v2(&a, GiB));
	EXPECT_OK(cu.cuMemAlloc_v2(&b, 3 * GiB)); /* up to the total exactly: no pages touched */
	EXPECT_CU(cu.cuMemAlloc_v2(&c, 1), CUDA_ERROR_OUT_OF_MEMORY);
	EXPECT_OK(cu.cuMemGetInfo_v2(&free, &total));
	EXPECT_EQ("free at the total", free, 0);
	EXPECT_OK(cu.cuMemFree_v2(b));
	EXPECT_CU(cu.cuMemFree_v2(b), CUDA_ERROR_INVALID_VALUE); /* twice */
	EXPECT_CU(cu.cuMemFree_v2(a + 1), CUDA_ERROR_INVALID_VALUE);
	EXPECT_CU(cu.cuMemFree_v2(0), CUDA_ERROR_INVALID_VALUE);
	EXPECT_OK(cu.cuMemGetInfo_v2(&free, &total));
	EXPECT_EQ("free after cuMemFree: 4 GiB - 1 GiB", free, 3 * GiB);

	EXPECT_OK(cu.cuMemAllocPitch_v2(&pitched, &pitch, 1000, 3, 4));
	EXPECT_EQ("pitch: 1000 rounded up to 512", pitch, 1024);
	EXPECT_OK(cu.cuMemAllocManaged(&managed, 100, CU_MEM_ATTACH_GLOBAL));
	EXPECT_OK(cu.cuMemAllocAsync(&async, 200, NULL));
	EXPECT_OK(cu.cuMemAllocFromPoolAsync(&pooled, 300, (CUmemoryPool)&pooled, NULL));
	EXPECT_OK(cu.cuMemHostAlloc(&host, 5000, CU_MEMHOSTALLOC_PORTABLE));
	EXPECT_EQ("used: 1 GiB + 1024 * 3 + 100 + 200 + 300, pinned host not charged",
		  fake_stats().device_used[0], GiB + 1024 * 3 + 100 + 200 + 300);
	EXPECT_EQ("allocations live", fake_stats().allocations, 5);
	EXPECT_EQ("host allocations live", fake_stats().host_allocations, 1);
	EXPECT_CU(cu.cuMemFree_v2((CUdeviceptr)host), CUDA_ERROR_INVALID_VALUE);
	EXPECT_CU(cu.cuMemFreeHost((void *)managed), CUDA_ERROR_INVALID_VALUE);
	EXPECT_OK(cu.cuMemFreeHost(host));
	EXPECT_OK(cu.cuMemFreeAsync(async, NULL));
	EXPECT_CU(cu.cuMemFreeAsync(async, NULL), CUDA_ERROR_INVALID_VALUE);
	EXPECT_OK(cu.cuMemFree_v2(pooled));
	EXPECT_OK(cu.cuMemFree_v2(managed));
	EXPECT_OK(cu.cuMemFree_v2(pitched));
	EXPECT_OK(cu.cuMemFree_v2(a));
	EXPECT_EQ("all freed", fake_stats().device_used[0], 0);
	EXPECT_EQ("no allocation left", fake_stats().allocations + fake_stats().host_allocations,
		  0);
}

static void test_copies(void)
{
	unsigned char in[4096], out[4096];
	uint16_t half[8];
	uint32_t word[8];
	CUcontext other, primary;
	CUdeviceptr a, b, peer;
	uint64_t copies = fake_stats().copies;

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 7 + 1);
	EXPECT_OK(cu.cuMemAlloc_v2(&a, sizeof(in)));
	EXPECT_OK(cu.cuMemAlloc_v2(&b, sizeof(in)));
	EXPECT_OK(cu.cuMemcpyHtoD_v2(a, in, sizeof(in)));
	EXPECT_OK(cu.cuMemcpyDtoDAsync_v2(b, a, sizeof(in), NULL));
	EXPECT_OK(cu.cuMemcpyDtoH_v2(out, b, sizeof(out)));
	EXPECT_TRUE("HtoD, DtoD, DtoH round trip", !memcmp(in, out, sizeof(in)));
	EXPECT_TRUE("device pointer is the host address", !memcmp((void *)a, in, sizeof(in)));
	EXPECT_OK(cu.cuMemcpy((CUdeviceptr)out, a + 1, 16)); /* unified: to host memory */
	EXPECT_TRUE("cuMemcpy to host", !memcmp(out, in + 1, 16));
	EXPECT_EQ("copies counted", fake_stats().copies - copies, 4);

	EXPECT_CU(cu.cuMemcpyHtoD_v2(a + 1, in, sizeof(in)), CUDA_ERROR_INVALID_VALUE);
	EXPECT_CU(cu.cuMemcpyDtoH_v2(out, (CUdeviceptr)in, 1), CUDA_ERROR_INVALID_VALUE);
	EXPECT_OK(cu.cuMemcpyHtoD_v2(a, in, 0));

	EXPECT_OK(cu.cuMemsetD8_v2(a, 0xab, 3));
	EXPECT_OK(cu.cuMemsetD16Async(a + 4, 0x1234, 8, NULL));
	EXPECT_OK(cu.cuMemsetD32_v2(a + 32, 0xdeadbeef, 8));
	EXPECT_OK(cu.cuMemcpyDtoH_v2(out, a, 64));
	memcpy(half, out + 4, sizeof(half));
	memcpy(word, out + 32, sizeof(word));
	EXPECT_TRUE("D8 sets 3 bytes", out[0] == 0xab && out[2] == 0xab && out[3] == in[3]);
	EXPECT_TRUE("D16 sets 8 halves",
		    half[0] == 0x1234 && half[7] == 0x1234 && out[20] == in[20]);
	EXPECT_TRUE("D32 sets 8 words", word[0] == 0xdeadbeef && word[7] == 0xdeadbeef);
	EXPECT_CU(cu.cuMemsetD16_v2(a + 1, 0, 1), CUDA_ERROR_INVALID_VALUE);
	EXPECT_CU(cu.cuMemsetD32_v2(a, 0, sizeof(in) / 4 + 1), CUDA_ERROR_INVALID_VALUE);
	EXPECT_EQ("set bytes counted", fake_stats().set_bytes, 3 + 16 + 32);

	EXPECT_OK(cu.cuDevicePrimaryCtxRetain(&primary, 0));
	EXPECT_OK(cu.cuCtxCreate_v2(&other, 0, 1));
	EXPECT_OK(cu.cuMemAlloc_v2(&peer, 64));
	EXPECT_OK(cu.cuMemcpyPeer(peer, other, a, primary, 64));
	EXPECT_TRUE("peer copy", !memcmp((void *)peer, (void *)a, 64));
	EXPECT_CU(cu.cuMemcpyPeerAsync(peer, NULL, a, primary, 64, NULL),
		  CUDA_ERROR_INVALID_CONTEXT);
	EXPECT_OK(cu.cuCtxDestroy_v2(other));
	EXPECT_OK(cu.cuDevicePrimaryCtxRelease_v2(0));
	EXPECT_OK(cu.cuCtxSetCurrent(primary));
	EXPECT_OK(cu.cuMemFree_v2(a));
	EXPECT_OK(cu.cuMemFree_v2(b));
}

static void test_modules_and_launches(void)
{
	CUlaunchConfig config = {1, 1, 1, 32, 1, 1, 0, NULL, NULL, 0};
	CUfunction f, same;
	CUmodule m;
	CUjit_option opt = 0;
	void *value = NULL;

	EXPECT_OK(cu.cuModuleLoadData(&m, "image"));
	EXPECT_CU(cu.cuModuleLoadDataEx(&m, "image", 1, NULL, NULL), CUDA_ERROR_INVALID_VALUE);
	EXPECT_OK(cu.cuModuleLoadDataEx(&m, "image", 1, &opt, &value));
	EXPECT_OK(cu.cuModuleGetFunction(&f, m, "saxpy"));
	EXPECT_OK(cu.cuModuleGetFunction(&same, m, "saxpy"));
	EXPECT_TRUE("one handle per name", f == same);
	EXPECT_CU(cu.cuModuleGetFunction(&f, (CUmodule)&m, "saxpy"), CUDA_ERROR_INVALID_HANDLE);

	EXPECT_OK(cu.cuLaunchKernel(f, 4, 1, 1, 128, 1, 1, 0, NULL, NULL, NULL));
	EXPECT_OK(cu.cuLaunchKernelEx(&config, f, NULL, NULL));
	EXPECT_OK(cu.cuLaunchCooperativeKernel(f, 2, 2, 1, 64, 1, 1, 0, NULL, NULL));
	EXPECT_CU(cu.cuLaunchKernel(NULL, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL),
		  CUDA_ERROR_INVALID_HANDLE);
	EXPECT_CU(cu.cuLaunchKernel((CUfunction)&m, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL),
		  CUDA_ERROR_INVALID_HANDLE);
	EXPECT_CU(cu.cuLaunchKernel(f, 0, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL),
		  CUDA_ERROR_INVALID_VALUE);
	EXPECT_CU(cu.cuLaunchKernelEx(NULL, f, NULL, NULL), CUDA_ERROR_INVALID_VALUE);
	EXPECT_EQ("launches counted", fake_stats().launches, 3);
	EXPECT_EQ("modules", fake_stats().modules, 2);
	EXPECT_OK(cu.cuCtxSynchronize());
	EXPECT_OK(cu.cuStreamSynchronize(NULL));
}

typedef CUresult alloc_fn(CUdeviceptr *dptr, size_t bytes);
typedef CUresult get_proc_fn(const char *symbol, void **pfn, int cuda_version, cuuint64_t flags);

static uint64_t calls(enum gp_fake_cuda_api api)
{
	return fake_stats().calls[api];
}

static void test_proc_address(void)
{
	CUdriverProcAddressQueryResult status = CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND;
	uint64_t before = calls(GP_FAKE_CUDA_API_cuMemAlloc_v2);
	void *fn = NULL, *v1 = NULL;
	char plain[64];
	CUdeviceptr p;

	EXPECT_OK(cu.cuGetProcAddress("cuMemAlloc", &fn, 12000, CU_GET_PROC_ADDRESS_DEFAULT));
	EXPECT_TRUE("cuMemAlloc found", fn);
	EXPECT_OK(((alloc_fn *)fn)(&p, 64));
	EXPECT_EQ("cuMemAlloc resolves to cuMemAlloc_v2", calls(GP_FAKE_CUDA_API_cuMemAlloc_v2),
		  before + 1);
	EXPECT_OK(cu.cuMemFree_v2(p));

	fn = &status;
	EXPECT_CU(cu.cuGetProcAddress_v2("cuNoSuchEntry", &fn, 12040, 0, &status),
		  CUDA_ERROR_NOT_FOUND);
	EXPECT_TRUE("unknown: *pfn is NULL", !fn);
	EXPECT_EQ("unknown: status", status, CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND);
	EXPECT_CU(cu.cuGetProcAddress_v2("cuInit", &fn, 12040, 0, &status), CUDA_SUCCESS);
	EXPECT_EQ("found: status", status, CU_GET_PROC_ADDRESS_SUCCESS);
	EXPECT_CU(cu.cuGetProcAddress("cuInit", &fn, 12040, 4), CUDA_ERROR_INVALID_VALUE);

	/* cuGetProcAddress_v2 (5 arguments) exists for CUDA 12.0 callers only. */
	EXPECT_OK(cu.cuGetProcAddress("cuGetProcAddress", &v1, 11030, 0));
	before = calls(GP_FAKE_CUDA_API_cuGetProcAddress);
	EXPECT_OK(((get_proc_fn *)v1)("cuInit", &fn, 11030, 0));
	EXPECT_EQ("11.3 gets the 4-argument cuGetProcAddress",
		  calls(GP_FAKE_CUDA_API_cuGetProcAddress), before + 1);
	EXPECT_OK(cu.cuGetProcAddress("cuGetProcAddress", &fn, 12000, 0));
	EXPECT_TRUE("12.0 gets cuGetProcAddress_v2", fn != v1);

	/* Every entry resolves by its exact name and by its plain name, to the same function. */
	for (unsigned int i = 0; i < GP_FAKE_CUDA_API_COUNT; i++) {
		const char *name = cu.api_name(i);

		snprintf(plain, sizeof(plain), "%s", name);
		if (strstr(plain, "_v") && strstr(plain, "_v")[2] >= '2')
			*strstr(plain, "_v") = 0;
		fn = v1 = NULL;
		EXPECT_OK(cu.cuGetProcAddress_v2(name, &fn, 12040, 0, &status));
		EXPECT_OK(cu.cuGetProcAddress_v2(plain, &v1, 12040, 0, &status));
		EXPECT_TRUE(name, fn && fn == v1);
	}
	EXPECT_TRUE("api_name out of range", !cu.api_name(GP_FAKE_CUDA_API_COUNT));
}

static CUcontext thread_ctx;

static void *thread_main(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	CUdeviceptr p[4];
	unsigned char byte;

	EXPECT_OK(cu.cuCtxSetCurrent(thread_ctx));
	for (int i = 0; i < THREAD_ITERATIONS; i++) {
		for (int j = 0; j < 4; j++) {
			seed = seed * 1103515245u + 12345u;
			if (cu.cuMemAlloc_v2(&p[j], 1 + seed % (64 * 1024)) != CUDA_SUCCESS)
				EXPECT_TRUE("threaded cuMemAlloc", false);
			cu.cuMemsetD8_v2(p[j], (unsigned char)j, 1);
		}
		for (int j = 0; j < 4; j++) {
			cu.cuMemcpyDtoH_v2(&byte, p[j], 1);
			if (byte != j || cu.cuMemFree_v2(p[j]) != CUDA_SUCCESS)
				EXPECT_TRUE("threaded write/read/free", false);
		}
	}
	return NULL;
}

static void test_threads(void)
{
	struct gp_fake_cuda_stats before = fake_stats(), after;
	pthread_t threads[THREADS];

	EXPECT_OK(cu.cuDevicePrimaryCtxRetain(&thread_ctx, 0));
	for (int i = 0; i < THREADS; i++)
		pthread_create(&threads[i], NULL, thread_main, (void *)(uintptr_t)(i + 1));
	for (int i = 0; i < THREADS; i++)
		pthread_join(threads[i], NULL);
	after = fake_stats();
	EXPECT_EQ("threaded allocations",
		  after.calls[GP_FAKE_CUDA_API_cuMemAlloc_v2] -
		      before.calls[GP_FAKE_CUDA_API_cuMemAlloc_v2],
		  THREADS * THREAD_ITERATIONS * 4);
	EXPECT_EQ("threads leave nothing allocated", after.allocations, before.allocations);
	EXPECT_EQ("threads leave nothing charged", after.device_used[0], before.device_used[0]);
	EXPECT_OK(cu.cuDevicePrimaryCtxRelease_v2(0));
}

/* Last: reset returns to before cuInit, and cuInit rejects what the environment got wrong. */
static void test_reset_and_environment(void)
{
	struct gp_fake_cuda_stats s;
	CUdeviceptr p;
	size_t total = 0;

	cu.reset();
	s = fake_stats();
	EXPECT_EQ("reset: not initialised", s.initialized, 0);
	EXPECT_EQ("reset: counters zeroed", s.calls[GP_FAKE_CUDA_API_cuMemAlloc_v2], 0);
	EXPECT_CU(cu.cuMemAlloc_v2(&p, 1), CUDA_ERROR_NOT_INITIALIZED);
	setenv("GP_FAKE_CUDA_DEVICES", "0", 1);
	EXPECT_CU(cu.cuInit(0), CUDA_ERROR_NO_DEVICE);
	setenv("GP_FAKE_CUDA_DEVICES", "17", 1);
	EXPECT_CU(cu.cuInit(0), CUDA_ERROR_INVALID_VALUE);
	setenv("GP_FAKE_CUDA_DEVICES", "1x", 1);
	EXPECT_CU(cu.cuInit(0), CUDA_ERROR_INVALID_VALUE);
	unsetenv("GP_FAKE_CUDA_DEVICES");
	setenv("GP_FAKE_CUDA_TOTAL_BYTES", "64Q", 1);
	EXPECT_CU(cu.cuInit(0), CUDA_ERROR_INVALID_VALUE);
	setenv("GP_FAKE_CUDA_TOTAL_BYTES", "64M", 1);
	EXPECT_OK(cu.cuInit(0));
	EXPECT_OK(cu.cuDeviceTotalMem_v2(&total, 0));
	EXPECT_EQ("64M", total, 64 * MiB);
	cu.reset();
	unsetenv("GP_FAKE_CUDA_TOTAL_BYTES");
	EXPECT_OK(cu.cuInit(0));
	EXPECT_OK(cu.cuDeviceTotalMem_v2(&total, 0));
	EXPECT_EQ("default total: 16 GiB", total, 16 * GiB);
	EXPECT_EQ("default device count", fake_stats().device_count, 1);
	cu.reset();
}

int main(void)
{
	CUcontext ctx;

	if (load()) {
		test_init_required();
		test_contexts();
		test_alloc_accounting();
		test_copies();
		test_modules_and_launches();
		test_proc_address();
		test_ipc();
		test_vmm_granularity();
		test_vmm_lifecycle();
		test_vmm_errors();
		test_threads();
		EXPECT_OK(cu.cuDevicePrimaryCtxRetain(&ctx, 0)); /* balanced by the reset */
		test_reset_and_environment();
	}
	printf("fake_cuda: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
