/* SPDX-License-Identifier: MIT */
/*
 * intercept_test.c - runs real programs under the interposer (LD_PRELOAD) against the libcuda TEST
 * DOUBLE (native/build/testing/libcuda.so.1) and checks what the interposer did: the events in the
 * process's ring, the quota, the pre-mapped pool, reclamation, fail-open paths, drops, threads,
 * fork, registration with the daemon and its refusals. Each scenario runs in a fresh child process
 * (its own environment); most run the test daemon (test_daemon.h) as a thread in that process, on
 * a socket of their own named by GPUPREDICT_SOCKET, so the interposer registers exactly as it does
 * with gpupredictd and the scenario reads the ring and writes the control block through the test
 * daemon's mappings. The parent counts and prints "intercept: N passed, M failed".
 *
 * The child reaches the driver the way the CUDA runtime does: dlopen("libcuda.so.1"), dlsym of
 * cuGetProcAddress_v2, then every entry point through cuGetProcAddress.
 *
 * "intercept_test produce" is not a scenario but a fixed workload for the daemon's own tests in
 * other languages: it registers through $GPUPREDICT_SOCKET like any application, prints
 * "registered", runs the workload, prints "done" and exits when its stdin closes; the exact
 * contract (event list included) is above produce() below, and scenario produce_contract holds it.
 *
 * native/build/testing also holds the libcupti TEST DOUBLE, so the interposer finds "libcupti.so"
 * there and takes real GPU intervals from it; the cupti* scenarios make GPU activity happen with
 * the double's emit functions (fake_cupti.h). Scenarios that check estimated intervals set
 * GPUPREDICT_CUPTI=0.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <signal.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "gpupredict/abi.h"
#include "gpupredict/cuda_subset.h"
#include "../../native/testing/fake_cupti.h"
#include "test_daemon.h"

#define MiB (1ull << 20)

/* ---- the driver as the runtime sees it ---- */

#define GP_CUDA_API(name, params, args) typedef CUresult(*name##_fn) params;
#include "gpupredict/cuda_api.def"
#undef GP_CUDA_API

static struct {
#define GP_CUDA_API(name, params, args) name##_fn name;
#include "gpupredict/cuda_api.def"
#undef GP_CUDA_API
} cu;

static void *libcuda;
static int failures;

static void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "  FAIL: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failures++;
}

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			fail(__VA_ARGS__);                                                         \
	} while (0)

/* The plain name cudart asks for: cuMemAlloc_v2 -> cuMemAlloc. */
static void base_name(const char *versioned, char *out, size_t n)
{
	snprintf(out, n, "%s", versioned);
	char *v = strstr(out, "_v2");
	if (v != NULL && v[3] == '\0')
		*v = '\0';
}

static void load_driver(void)
{
	libcuda = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
	if (libcuda == NULL) {
		fail("dlopen libcuda.so.1: %s", dlerror());
		exit(1);
	}
	cu.cuGetProcAddress_v2 = (cuGetProcAddress_v2_fn)dlsym(libcuda, "cuGetProcAddress_v2");
	if (cu.cuGetProcAddress_v2 == NULL) {
		fail("no cuGetProcAddress_v2");
		exit(1);
	}
	char plain[64];
#define GP_CUDA_API(name, params, args)                                                            \
	base_name(#name, plain, sizeof(plain));                                                    \
	if (cu.cuGetProcAddress_v2(plain, (void **)&cu.name, 12040, 0, NULL) != CUDA_SUCCESS)      \
		fail("cuGetProcAddress(%s) failed", plain);
#include "gpupredict/cuda_api.def"
#undef GP_CUDA_API
}

static CUcontext ctx;

/* The scenario's test daemon; daemon_on when the scenario runs one. */
static struct gp_td td;
static bool daemon_on;
/* The block the interposer reads: the test daemon's initial one until this process registered. */
static struct gp_control_block *control;
/* The process running the test daemon's thread; a forked child has none (it must not ask it). */
static pid_t daemon_pid;
/* The process whose registration was awaited (a forked child registers on its own). */
static pid_t linked_pid;

/* After cuInit: waits until the link thread attached the ring and the block (at most 3 s). */
static void wait_registered(void)
{
	if (!daemon_on || linked_pid == getpid())
		return;
	CHECK(gp_td_wait_linked(true, 3000), "the interposer never registered");
	linked_pid = getpid();
	if (getpid() != daemon_pid)
		return;
	struct gp_td_client *c = gp_td_wait_client(&td, getpid(), 2000);
	CHECK(c != NULL, "the test daemon has no registration of this process");
	if (c != NULL)
		control = c->control;
}

static void init_context(void)
{
	CUdevice dev;
	CHECK(cu.cuInit(0) == CUDA_SUCCESS, "cuInit");
	/* Registration runs beside the application; waiting here makes every later event land. */
	wait_registered();
	CHECK(cu.cuDeviceGet(&dev, 0) == CUDA_SUCCESS, "cuDeviceGet");
	CHECK(cu.cuDevicePrimaryCtxRetain(&ctx, dev) == CUDA_SUCCESS, "primary context");
	CHECK(cu.cuCtxSetCurrent(ctx) == CUDA_SUCCESS, "cuCtxSetCurrent");
}

static CUfunction kernel(void)
{
	static const char image[] = "test double module";
	CUmodule m;
	CUfunction f = NULL;
	CHECK(cu.cuModuleLoadData(&m, image) == CUDA_SUCCESS, "cuModuleLoadData");
	CHECK(cu.cuModuleGetFunction(&f, m, "k") == CUDA_SUCCESS, "cuModuleGetFunction");
	return f;
}

/* ---- the ring and the control block as the daemon sees them ---- */

struct ring {
	struct gp_ring_header *h;
	struct gp_ring_slot *slots;
	uint64_t tail;
};

/* The ring of pid's latest registration with this process's test daemon. */
static bool ring_open(pid_t pid, struct ring *r)
{
	struct gp_td_client *c = daemon_on ? gp_td_wait_client(&td, pid, 2000) : NULL;
	if (c == NULL)
		return false;
	r->h = c->ring;
	r->slots = (struct gp_ring_slot *)((char *)c->ring + GP_RING_HEADER_SIZE);
	r->tail = __atomic_load_n(&r->h->tail, __ATOMIC_ACQUIRE);
	return r->h->magic == GP_RING_MAGIC;
}

/* Drains up to max events, as the daemon's consumer does. */
static size_t ring_drain(struct ring *r, struct gp_event *out, size_t max)
{
	size_t n = 0;
	uint64_t mask = r->h->capacity - 1;
	while (n < max) {
		struct gp_ring_slot *s = &r->slots[r->tail & mask];
		if (__atomic_load_n(&s->seq, __ATOMIC_ACQUIRE) != r->tail + 1)
			break;
		out[n++] = s->event;
		__atomic_store_n(&s->seq, r->tail + r->h->capacity, __ATOMIC_RELEASE);
		r->tail++;
	}
	__atomic_store_n(&r->h->tail, r->tail, __ATOMIC_RELEASE);
	return n;
}

/* Before registration the test daemon's initial block, after it this process's live one. */
static struct gp_control_block *control_target(void)
{
	return control != NULL ? control : &td.initial;
}

/* Writes limits (keeping the pre-map window) under the sequence lock, as the daemon does. */
static void control_write(uint32_t flags, uint64_t quota, uint64_t virtual_total, uint64_t premap,
			  uint32_t magic)
{
	struct gp_control_block *b = control_target();
	struct gp_control_block v = gp_td_block(flags, quota, virtual_total, premap);
	v.magic = magic;
	v.premap_from_ns = b->premap_from_ns;
	v.premap_until_ns = b->premap_until_ns;
	gp_td_publish(b, &v);
}

static uint64_t monotonic_ns(void);

/* Sets the pre-map window (CLOCK_MONOTONIC ns; 0 = open) under the sequence lock. */
static void control_window(uint64_t from_ns, uint64_t until_ns)
{
	struct gp_control_block *b = control_target();
	struct gp_control_block v = *b;
	v.premap_from_ns = from_ns;
	v.premap_until_ns = until_ns;
	gp_td_publish(b, &v);
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* The driver's own view of device memory in use (the test double counts VMM handles too). */
static uint64_t device_used(void)
{
	size_t free = 0, total = 0;
	cu.cuMemGetInfo_v2(&free, &total);
	return total - free;
}

static bool wait_for_used(uint64_t at_least, uint64_t at_most)
{
	for (int i = 0; i < 400; i++) {
		uint64_t used = device_used();
		if (used >= at_least && used <= at_most)
			return true;
		sleep_ms(5);
	}
	return false;
}

static size_t count_kind(const struct gp_event *e, size_t n, uint16_t kind)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += e[i].kind == kind;
	return c;
}

static size_t count_flagged(const struct gp_event *e, size_t n, uint16_t kind, uint16_t flag)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += e[i].kind == kind && (e[i].flags & flag) != 0;
	return c;
}

/* ---- scenarios (each runs in its own child process) ---- */

static struct gp_event events[200000];

/* Of n drained events, exactly `allocs` are allocations and only the first came from the pool. */
static void check_first_alloc_premapped(size_t n, int allocs)
{
	int seen = 0;
	for (size_t i = 0; i < n; i++) {
		if (events[i].kind != GP_EV_ALLOC)
			continue;
		bool premapped = events[i].flags & GP_EVF_PREMAPPED;
		CHECK(premapped == (seen == 0), "alloc %d premapped=%d", seen, premapped);
		seen++;
	}
	CHECK(seen == allocs, "%d allocations, got %d", allocs, seen);
}

static void scenario_events(void)
{
	load_driver();
	init_context();
	CUfunction f = kernel();
	CUdeviceptr a, b;
	CHECK(cu.cuMemAlloc_v2(&a, 3 * MiB) == CUDA_SUCCESS, "alloc a");
	CHECK(cu.cuMemAlloc_v2(&b, 5 * MiB) == CUDA_SUCCESS, "alloc b");
	char out[64] = "round trip through the interposer", back[64] = {0};
	CHECK(cu.cuMemcpyHtoD_v2(a, out, sizeof(out)) == CUDA_SUCCESS, "HtoD");
	CHECK(cu.cuMemcpyDtoD_v2(b, a, sizeof(out)) == CUDA_SUCCESS, "DtoD");
	CHECK(cu.cuMemcpyDtoH_v2(back, b, sizeof(back)) == CUDA_SUCCESS, "DtoH");
	CHECK(strcmp(out, back) == 0, "data changed on the way: '%s'", back);
	CHECK(cu.cuMemsetD32_v2(a, 7, 100) == CUDA_SUCCESS, "memset");
	for (int i = 0; i < 5; i++)
		CHECK(cu.cuLaunchKernel(f, 64, 2, 1, 128, 1, 1, 256, NULL, NULL, NULL) ==
			  CUDA_SUCCESS,
		      "launch");
	CHECK(cu.cuCtxSynchronize() == CUDA_SUCCESS, "sync");
	CHECK(cu.cuMemFree_v2(a) == CUDA_SUCCESS, "free a");
	CHECK(cu.cuMemFree_v2(b) == CUDA_SUCCESS, "free b");

	struct ring r;
	CHECK(ring_open(getpid(), &r), "own ring missing");
	size_t n = ring_drain(&r, events, 1000);
	static const uint16_t want[] = {
	    GP_EV_CONTEXT_CREATE, GP_EV_MODULE_LOAD,   GP_EV_ALLOC,	    GP_EV_ALLOC,
	    GP_EV_MEMCPY_HTOD,	  GP_EV_MEMCPY_DTOD,   GP_EV_MEMCPY_DTOH,   GP_EV_MEMSET,
	    GP_EV_KERNEL_LAUNCH,  GP_EV_KERNEL_LAUNCH, GP_EV_KERNEL_LAUNCH, GP_EV_KERNEL_LAUNCH,
	    GP_EV_KERNEL_LAUNCH,  GP_EV_SYNC_CONTEXT,  GP_EV_KERNEL_EXEC,   GP_EV_FREE,
	    GP_EV_FREE,
	};
	size_t nwant = sizeof(want) / sizeof(want[0]);
	CHECK(n == nwant, "expected %zu events, got %zu", nwant, n);
	for (size_t i = 0; i < n && i < nwant; i++)
		CHECK(events[i].kind == want[i], "event %zu: kind %u, expected %u", i,
		      events[i].kind, want[i]);
	if (n != nwant)
		return;
	CHECK(events[2].bytes == 3 * MiB && events[2].address == a, "alloc a recorded");
	CHECK(events[15].bytes == 3 * MiB && events[15].address == a, "free a knows its size");
	CHECK(events[16].bytes == 5 * MiB, "free b knows its size");
	CHECK(events[4].bytes == sizeof(out), "copy bytes");
	CHECK(events[7].bytes == 400, "memset D32 x 100 = 400 bytes, got %llu",
	      (unsigned long long)events[7].bytes);
	CHECK(events[8].grid_x == 64 && events[8].grid_y == 2 && events[8].block_x == 128 &&
		  events[8].shared_mem_bytes == 256,
	      "launch geometry");
	CHECK(events[14].flags & GP_EVF_ESTIMATED, "kernel interval flagged estimated");
	CHECK(events[14].correlation_id == 5, "interval covers 5 launches, not %llu",
	      (unsigned long long)events[14].correlation_id);
	CHECK(events[14].ts_ns == events[8].ts_ns && events[14].end_ns == events[13].end_ns,
	      "interval spans first launch .. sync end");
	for (size_t i = 0; i < n; i++) {
		CHECK(events[i].pid == (uint32_t)getpid(), "pid of event %zu", i);
		CHECK(events[i].end_ns >= events[i].ts_ns, "event %zu ends before it starts", i);
		CHECK(i == 0 || events[i].ts_ns >= events[i - 1].ts_ns ||
			  events[i].kind == GP_EV_KERNEL_EXEC ||
			  events[i].kind == GP_EV_SYNC_CONTEXT,
		      "event %zu out of order", i);
	}
	CHECK(r.h->written == n && r.h->dropped == 0, "written %llu dropped %llu",
	      (unsigned long long)r.h->written, (unsigned long long)r.h->dropped);
}

static void scenario_dlsym(void)
{
	load_driver();
	init_context();
	/* The same entry point reached three ways must be the same hook. */
	void *by_handle = dlsym(libcuda, "cuMemAlloc_v2");
	void *by_default = dlsym(RTLD_DEFAULT, "cuMemAlloc_v2");
	CHECK(by_handle == (void *)cu.cuMemAlloc_v2, "dlsym(handle) differs from cuGetProcAddress");
	CHECK(by_default == by_handle, "dlsym(RTLD_DEFAULT) differs");
	void *p = NULL;
	/* The CUDA 11.x entry point (4 arguments) by its exact name; the plain name means _v2. */
	cuGetProcAddress_fn v1 = (cuGetProcAddress_fn)dlsym(libcuda, "cuGetProcAddress");
	CHECK(v1 != NULL && v1("cuMemAlloc", &p, 11030, 0) == CUDA_SUCCESS && p == by_handle,
	      "cuGetProcAddress (11.x signature) misses the hook");
	CUdriverProcAddressQueryResult st = CU_GET_PROC_ADDRESS_SUCCESS;
	p = (void *)1;
	CHECK(cu.cuGetProcAddress_v2("cuNoSuchThing", &p, 12040, 0, &st) == CUDA_ERROR_NOT_FOUND &&
		  p == NULL && st == CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND,
	      "unknown symbol must stay unknown");
	CHECK(dlsym(libcuda, "cuNoSuchThing") == NULL, "dlsym of an unknown symbol");
	CHECK(dlsym(libcuda, "gp_fake_cuda_stats") != NULL, "dlsym of a non-driver symbol");
	CUdeviceptr d;
	CHECK(((cuMemAlloc_v2_fn)by_default)(&d, MiB) == CUDA_SUCCESS, "alloc via RTLD_DEFAULT");
	struct ring r;
	CHECK(ring_open(getpid(), &r), "ring");
	size_t n = ring_drain(&r, events, 100);
	CHECK(count_kind(events, n, GP_EV_ALLOC) == 1, "the alloc through dlsym was seen");
}

static void scenario_quota(void)
{
	control_write(GP_CTL_ENFORCE_QUOTA, 64 * MiB, 128 * MiB, 0, GP_CONTROL_MAGIC);
	load_driver();
	init_context();
	CUdeviceptr a, b;
	CHECK(cu.cuMemAlloc_v2(&a, 48 * MiB) == CUDA_SUCCESS, "48 MiB within quota");
	CHECK(cu.cuMemAlloc_v2(&b, 32 * MiB) == CUDA_ERROR_OUT_OF_MEMORY, "32 MiB more exceeds 64");
	size_t free = 0, total = 0, dtotal = 0;
	CHECK(cu.cuMemGetInfo_v2(&free, &total) == CUDA_SUCCESS && total == 128 * MiB,
	      "virtual total %zu", total);
	CHECK(free == 80 * MiB, "virtual free = 128 - 48 MiB, got %zu", free);
	CHECK(cu.cuDeviceTotalMem_v2(&dtotal, 0) == CUDA_SUCCESS && dtotal == 128 * MiB,
	      "cuDeviceTotalMem %zu", dtotal);
	CHECK(cu.cuMemFree_v2(a) == CUDA_SUCCESS, "free");
	CHECK(cu.cuMemAlloc_v2(&b, 32 * MiB) == CUDA_SUCCESS, "fits after the free");
	struct ring r;
	CHECK(ring_open(getpid(), &r), "ring");
	size_t n = ring_drain(&r, events, 100);
	size_t denied = 0;
	for (size_t i = 0; i < n; i++)
		if (events[i].kind == GP_EV_ALLOC && (events[i].flags & GP_EVF_DENIED)) {
			denied++;
			CHECK(events[i].result == CUDA_ERROR_OUT_OF_MEMORY, "result");
		}
	CHECK(denied == 1, "one refusal recorded, got %zu", denied);
}

static void scenario_premap(void)
{
	control_write(GP_CTL_PREMAP, 0, 0, 64 * MiB, GP_CONTROL_MAGIC);
	load_driver();
	init_context();
	CHECK(wait_for_used(64 * MiB, 64 * MiB), "pool never mapped 64 MiB (used %llu)",
	      (unsigned long long)device_used());
	CUdeviceptr a;
	CHECK(cu.cuMemAlloc_v2(&a, 8 * MiB) == CUDA_SUCCESS, "alloc");
	CHECK(device_used() == 64 * MiB, "served from the pool: no new device memory");
	char out[32] = "pre-mapped bytes", back[32] = {0};
	CHECK(cu.cuMemcpyHtoD_v2(a + 4 * MiB, out, sizeof(out)) == CUDA_SUCCESS, "write");
	CHECK(cu.cuMemcpyDtoH_v2(back, a + 4 * MiB, sizeof(back)) == CUDA_SUCCESS, "read");
	CHECK(strcmp(out, back) == 0, "pool memory holds data");
	CHECK(cu.cuMemFree_v2(a) == CUDA_SUCCESS, "free to pool");
	CHECK(device_used() == 64 * MiB, "freed chunks stay mapped for the next request");
	/* Reclamation: the daemon lowers the target, the pool unmaps its free chunks. */
	control_write(GP_CTL_PREMAP, 0, 0, 16 * MiB, GP_CONTROL_MAGIC);
	CHECK(wait_for_used(16 * MiB, 16 * MiB), "pool never shrank to 16 MiB (used %llu)",
	      (unsigned long long)device_used());
	CUdeviceptr big;
	CHECK(cu.cuMemAlloc_v2(&big, 32 * MiB) == CUDA_SUCCESS, "alloc beyond the pool");
	struct ring r;
	CHECK(ring_open(getpid(), &r), "ring");
	size_t n = ring_drain(&r, events, 100);
	check_first_alloc_premapped(n, 2);
}

/* The target holds only inside its window: a lapsed window (the daemon stopped renewing) drains the
 * pool. */
static void scenario_premap_window(void)
{
	control_write(GP_CTL_PREMAP, 0, 0, 32 * MiB, GP_CONTROL_MAGIC);
	control_window(monotonic_ns() + 60ull * 1000000000ull, 0);
	load_driver();
	init_context();
	sleep_ms(300);
	CHECK(device_used() == 0, "window not open yet: nothing mapped (used %llu)",
	      (unsigned long long)device_used());
	uint64_t until = monotonic_ns() + 700ull * 1000000ull;
	control_window(0, until);
	CHECK(wait_for_used(32 * MiB, 32 * MiB),
	      "window open: pool never mapped 32 MiB (used %llu)",
	      (unsigned long long)device_used());
	while (monotonic_ns() < until)
		sleep_ms(20);
	CHECK(wait_for_used(0, 0), "window lapsed: pool never drained (used %llu)",
	      (unsigned long long)device_used());
}

static void scenario_malformed(void)
{
	/* Wrong magic: the block is not ours to trust, so no quota applies. */
	control_write(GP_CTL_ENFORCE_QUOTA, 1 * MiB, 2 * MiB, 0, 0xdeadbeef);
	load_driver();
	init_context();
	CUdeviceptr a;
	CHECK(cu.cuMemAlloc_v2(&a, 16 * MiB) == CUDA_SUCCESS, "bad magic must mean pass-through");
	size_t free = 0, total = 0;
	cu.cuMemGetInfo_v2(&free, &total);
	CHECK(total != 2 * MiB, "bad block must not change the reported size");
	/* A writer that never finishes (odd sequence forever) is also ignored. */
	control_write(GP_CTL_ENFORCE_QUOTA, 1 * MiB, 2 * MiB, 0, GP_CONTROL_MAGIC);
	__atomic_store_n(&control->seq, control->seq + 1, __ATOMIC_RELEASE);
	CHECK(cu.cuMemAlloc_v2(&a, 16 * MiB) == CUDA_SUCCESS, "unsettled block: pass-through");
	/* Out-of-range values: a pre-map target above the quota. */
	__atomic_store_n(&control->seq, control->seq + 1, __ATOMIC_RELEASE);
	control_write(GP_CTL_ENFORCE_QUOTA | GP_CTL_PREMAP, 1 * MiB, 0, 8 * MiB, GP_CONTROL_MAGIC);
	CHECK(cu.cuMemAlloc_v2(&a, 16 * MiB) == CUDA_SUCCESS, "insane block: pass-through");
}

static void scenario_full(void)
{
	load_driver();
	init_context();
	CUfunction f = kernel();
	for (int i = 0; i < 1000; i++)
		cu.cuLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL);
	struct ring r;
	CHECK(ring_open(getpid(), &r), "ring");
	uint64_t written = r.h->written, dropped = r.h->dropped;
	/* 64 slots; context + module events came first; every later event was dropped. */
	CHECK(written == 64, "written %llu, expected 64", (unsigned long long)written);
	CHECK(written + dropped == 1002, "written + dropped = %llu, expected 1002",
	      (unsigned long long)(written + dropped));
	size_t n = ring_drain(&r, events, 1000);
	CHECK(n == 64, "drained %zu", n);
	cu.cuLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL);
	CHECK(ring_drain(&r, events, 1000) == 1, "a drained ring takes events again");
}

#define THREADS		    8
#define LAUNCHES_PER_THREAD 5000

static CUfunction thread_kernel;

static void *launcher(void *arg)
{
	(void)arg;
	cu.cuCtxSetCurrent(ctx);
	for (int i = 0; i < LAUNCHES_PER_THREAD; i++)
		cu.cuLaunchKernel(thread_kernel, (unsigned)i, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL);
	return NULL;
}

static void scenario_threads(void)
{
	load_driver();
	init_context();
	thread_kernel = kernel();
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, launcher, NULL);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	struct ring r;
	CHECK(ring_open(getpid(), &r), "ring");
	size_t n = ring_drain(&r, events, sizeof(events) / sizeof(events[0]));
	CHECK(r.h->dropped == 0, "no drops in a big ring");
	CHECK(count_kind(events, n, GP_EV_KERNEL_LAUNCH) == THREADS * LAUNCHES_PER_THREAD,
	      "launch events %zu", count_kind(events, n, GP_EV_KERNEL_LAUNCH));
	/* Per thread, events keep the thread's own order (grid_x counts up). */
	uint32_t tids[THREADS] = {0}, next[THREADS] = {0};
	for (size_t i = 0; i < n; i++) {
		if (events[i].kind != GP_EV_KERNEL_LAUNCH)
			continue;
		int k = 0;
		while (k < THREADS && tids[k] != 0 && tids[k] != events[i].tid)
			k++;
		if (k == THREADS) {
			fail("more than %d threads", THREADS);
			break;
		}
		tids[k] = events[i].tid;
		CHECK(events[i].grid_x == next[k], "thread %u: launch %u after %u", events[i].tid,
		      events[i].grid_x, next[k]);
		next[k] = events[i].grid_x + 1;
	}
}

static void scenario_fork(void)
{
	load_driver();
	init_context();
	CUdeviceptr a;
	cu.cuMemAlloc_v2(&a, MiB);
	pid_t child = fork();
	if (child == 0) {
		/* The child starts its CUDA life anew and registers for a ring of its own. */
		init_context();
		CUdeviceptr b;
		_exit(failures == 0 && cu.cuMemAlloc_v2(&b, 2 * MiB) == CUDA_SUCCESS ? 0 : 1);
	}
	int status = 0;
	waitpid(child, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child registered and allocated");
	struct ring r;
	CHECK(ring_open(child, &r), "the child's own ring");
	size_t n = ring_drain(&r, events, 100);
	CHECK(count_kind(events, n, GP_EV_ALLOC) == 1 && n > 0 && events[n - 1].bytes == 2 * MiB &&
		  events[n - 1].pid == (uint32_t)child,
	      "the child's ring holds its 2 MiB allocation (%zu events)", n);
	CHECK(ring_open(getpid(), &r), "parent ring");
	n = ring_drain(&r, events, 100);
	CHECK(count_kind(events, n, GP_EV_ALLOC) == 1 &&
		  count_kind(events, n, GP_EV_CONTEXT_CREATE) == 1,
	      "the parent's ring holds only the parent's events");
}

/* SM share: a 10 % share makes 1,000 launches (10 us of estimated GPU time each) wait. */
static void scenario_throttle(void)
{
	load_driver();
	init_context();
	CUfunction f = kernel();
	control_write(GP_CTL_THROTTLE, 0, 0, 0, GP_CONTROL_MAGIC);
	__atomic_store_n(&control->seq, control->seq + 1, __ATOMIC_RELEASE);
	control->sm_share_ppm = 100000;
	__atomic_store_n(&control->seq, control->seq + 1, __ATOMIC_RELEASE);
	sleep_ms(150); /* the interposer looks the block up again at most every 100 ms */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 1000; i++)
		cu.cuLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	/* 10 ms of GPU time at 10 % is 100 ms of wall time, less the 2 ms burst: at least 60 ms. */
	CHECK(ms >= 60.0, "1,000 launches at a 10 %% share took only %.1f ms", ms);
}

/* An application that exports IPC handles gets driver memory from then on. */
static void scenario_ipc_fallback(void)
{
	control_write(GP_CTL_PREMAP, 0, 0, 32 * MiB, GP_CONTROL_MAGIC);
	load_driver();
	init_context();
	CHECK(wait_for_used(32 * MiB, 32 * MiB), "pool never mapped");
	CUdeviceptr pooled, fresh;
	CUipcMemHandle h;
	CHECK(cu.cuMemAlloc_v2(&pooled, 4 * MiB) == CUDA_SUCCESS, "pooled alloc");
	CHECK(cu.cuIpcGetMemHandle(&h, pooled) != CUDA_SUCCESS,
	      "pool (VMM) memory cannot be exported, as with the driver's own VMM memory");
	CHECK(cu.cuMemAlloc_v2(&fresh, 4 * MiB) == CUDA_SUCCESS, "alloc after IPC");
	CHECK(cu.cuIpcGetMemHandle(&h, fresh) == CUDA_SUCCESS, "memory after IPC is exportable");
	struct ring r;
	CHECK(ring_open(getpid(), &r), "ring");
	size_t n = ring_drain(&r, events, 100);
	check_first_alloc_premapped(n, 2);
}

/* An application that manages VMM itself: its cuMemCreate is seen, the pool steps aside. */
static void scenario_app_vmm(void)
{
	control_write(GP_CTL_PREMAP, 0, 0, 32 * MiB, GP_CONTROL_MAGIC);
	load_driver();
	init_context();
	CHECK(wait_for_used(32 * MiB, 32 * MiB), "pool never mapped");
	CUmemAllocationProp prop = {0};
	prop.type = CU_MEM_ALLOCATION_TYPE_PINNED;
	prop.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
	prop.location.id = 0;
	CUmemGenericAllocationHandle h;
	CHECK(cu.cuMemCreate(&h, 4 * MiB, &prop, 0) == CUDA_SUCCESS, "app cuMemCreate");
	CUdeviceptr a;
	CHECK(cu.cuMemAlloc_v2(&a, 4 * MiB) == CUDA_SUCCESS, "alloc");
	CHECK(cu.cuMemRelease(h) == CUDA_SUCCESS, "app cuMemRelease");
	struct ring r;
	CHECK(ring_open(getpid(), &r), "ring");
	size_t n = ring_drain(&r, events, 100);
	size_t vmm = 0, freed = 0;
	for (size_t i = 0; i < n; i++) {
		vmm += events[i].kind == GP_EV_ALLOC_VMM && events[i].bytes == 4 * MiB;
		freed += events[i].kind == GP_EV_FREE_VMM && events[i].bytes == 4 * MiB;
		if (events[i].kind == GP_EV_ALLOC)
			CHECK(!(events[i].flags & GP_EVF_PREMAPPED),
			      "pool served a VMM application");
	}
	CHECK(vmm == 1 && freed == 1, "app VMM events: create %zu, release %zu", vmm, freed);
}

/* Exit with live allocations, a running pool and the driver dlclosed: a clean exit, no crash. */
static void scenario_exit_live(void)
{
	control_write(GP_CTL_PREMAP | GP_CTL_ENFORCE_QUOTA, 256 * MiB, 0, 32 * MiB,
		      GP_CONTROL_MAGIC);
	load_driver();
	init_context();
	CUdeviceptr a, b;
	CHECK(cu.cuMemAlloc_v2(&a, 8 * MiB) == CUDA_SUCCESS, "alloc a");
	CHECK(cu.cuMemAlloc_v2(&b, 16 * MiB) == CUDA_SUCCESS, "alloc b");
	dlclose(libcuda);
	/* Returning from main runs the exit path with everything still allocated. */
}

/* Names in /dev/shm that gpupredict ever used ("gpupredict" in them), as one string. */
static void shm_names(char *out, size_t n)
{
	out[0] = '\0';
	DIR *d = opendir("/dev/shm");
	if (d == NULL)
		return;
	size_t used = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		if (strstr(e->d_name, "gpupredict") != NULL && used < n)
			used += (size_t)snprintf(out + used, n - used, "%s ", e->d_name);
	closedir(d);
}

static void scenario_no_daemon(void)
{
	/* Nobody at GPUPREDICT_SOCKET: everything passes through, nothing is created. */
	char before[4096], after[4096];
	shm_names(before, sizeof(before));
	load_driver();
	init_context();
	CUdeviceptr a;
	CUfunction f = kernel();
	for (int i = 0; i < 100; i++) {
		CHECK(cu.cuMemAlloc_v2(&a, MiB) == CUDA_SUCCESS, "alloc");
		CHECK(cu.cuLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL) == CUDA_SUCCESS,
		      "launch");
		CHECK(cu.cuMemFree_v2(a) == CUDA_SUCCESS, "free");
	}
	size_t free = 0, total = 0;
	CHECK(cu.cuMemGetInfo_v2(&free, &total) == CUDA_SUCCESS && total == 16ull << 30,
	      "the device's own size without a daemon, got %zu", total);
	sleep_ms(200);
	CHECK(gp_td_wait_linked(false, 0), "registered with nobody");
	shm_names(after, sizeof(after));
	CHECK(strcmp(before, after) == 0, "/dev/shm changed: before '%s', after '%s'", before,
	      after);
}

/* ---- registration: hang-ups, refusals, foreign servers, sealed memory ---- */

/* The daemon hangs up: the quota lapses at once; a daemon on the same path is re-joined in < 1 s.
 */
static void scenario_rejoin(void)
{
	td.initial = gp_td_block(GP_CTL_ENFORCE_QUOTA, 8 * MiB, 0, 0);
	load_driver();
	init_context();
	CUdeviceptr a;
	CHECK(cu.cuMemAlloc_v2(&a, 16 * MiB) == CUDA_ERROR_OUT_OF_MEMORY, "quota while registered");
	gp_td_stop(&td);
	CHECK(gp_td_wait_linked(false, 1000), "the hang-up was not noticed within 1 s");
	CHECK(cu.cuMemAlloc_v2(&a, 16 * MiB) == CUDA_SUCCESS, "pass-through after the hang-up");
	CHECK(cu.cuMemFree_v2(a) == CUDA_SUCCESS, "free");
	CUfunction f = kernel();
	CHECK(cu.cuLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL) == CUDA_SUCCESS,
	      "launch without a ring");
	sleep_ms(300); /* well into the retry cycle, so the figure is not a lucky first try */
	char path[sizeof(td.path)];
	snprintf(path, sizeof(path), "%s", td.path);
	gp_td_init(&td, path, 1024);
	td.initial = gp_td_block(GP_CTL_ENFORCE_QUOTA, 8 * MiB, 0, 0);
	uint64_t t0 = monotonic_ns();
	CHECK(gp_td_start(&td) == 0, "second test daemon");
	bool back = gp_td_wait_linked(true, 2000);
	double ms = (double)(monotonic_ns() - t0) / 1e6;
	printf("  rejoin: re-joined %.1f ms after the daemon came back\n", ms);
	CHECK(back && ms < 1000.0, "re-joined after %.1f ms, expected under 1000", ms);
	struct gp_td_client *c = gp_td_wait_client(&td, getpid(), 1000);
	CHECK(c != NULL, "registered with the second daemon");
	CHECK(cu.cuMemAlloc_v2(&a, 16 * MiB) == CUDA_ERROR_OUT_OF_MEMORY, "quota again");
	struct ring r;
	CHECK(ring_open(getpid(), &r), "the new ring");
	size_t n = ring_drain(&r, events, 100);
	CHECK(count_flagged(events, n, GP_EV_ALLOC, GP_EVF_DENIED) == 1,
	      "the new ring takes events");
}

/* A server run by another user (not root) is not registered with, however well it answers. */
static void scenario_foreign_uid(void)
{
	if (getuid() != 0) {
		printf("  foreign_uid: skipped: needs root to run a server as uid 65534\n");
		return;
	}
	char dir[] = "/tmp/gp-foreign.XXXXXX";
	CHECK(mkdtemp(dir) != NULL && chmod(dir, 0777) == 0, "socket folder");
	char path[128];
	snprintf(path, sizeof(path), "%s/register.sock", dir);
	pid_t server = fork();
	if (server == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(2);
		gp_td_init(&td, path, 1024);
		td.initial = gp_td_block(GP_CTL_ENFORCE_QUOTA, 8 * MiB, 0, 0);
		if (gp_td_start(&td) != 0)
			_exit(3);
		for (;;)
			pause();
	}
	struct stat st;
	for (int i = 0; i < 200 && stat(path, &st) != 0; i++)
		sleep_ms(5);
	setenv("GPUPREDICT_SOCKET", path, 1);
	load_driver();
	init_context();
	sleep_ms(1500);
	CHECK(gp_td_wait_linked(false, 0), "registered with a uid 65534 server");
	CUdeviceptr a;
	CHECK(cu.cuMemAlloc_v2(&a, 16 * MiB) == CUDA_SUCCESS, "its quota does not apply");
	kill(server, SIGKILL);
	waitpid(server, NULL, 0);
	unlink(path);
	rmdir(dir);
}

/* Descriptors of the test daemon's memfds open in this process. */
static int test_memfds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;) {
		char path[300], target[256] = {0};
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		if (readlink(path, target, sizeof(target) - 1) > 0 && strstr(target, "gp-test-"))
			n++;
	}
	if (d != NULL)
		closedir(d);
	return n;
}

/* One malformed welcome (mode): refused, nothing kept open, no crash; then a good one is taken. */
static int bad_welcome_child(int mode, const char *path)
{
	gp_td_init(&td, path, 1024);
	td.mode = mode;
	td.initial = gp_td_block(GP_CTL_ENFORCE_QUOTA, 8 * MiB, 0, 0);
	if (gp_td_start(&td) != 0)
		return 2;
	setenv("GPUPREDICT_SOCKET", path, 1);
	load_driver();
	init_context(); /* daemon_on is false: no waiting for a registration */
	CHECK(gp_td_wait_welcomes(&td, 1, 3000) >= 1, "mode %d: no welcome sent", mode);
	sleep_ms(50);
	CHECK(gp_td_wait_linked(false, 0), "mode %d: registered on a malformed welcome", mode);
	CHECK(test_memfds() == 0, "mode %d: %d descriptors of the welcome left open", mode,
	      test_memfds());
	CUdeviceptr a;
	CHECK(cu.cuMemAlloc_v2(&a, 16 * MiB) == CUDA_SUCCESS, "mode %d: pass-through", mode);
	__atomic_store_n(&td.mode, GP_TD_OK, __ATOMIC_RELAXED);
	CHECK(gp_td_wait_linked(true, 2500), "mode %d: a good welcome after it was not taken",
	      mode);
	gp_td_stop(&td);
	unlink(path);
	return failures == 0 ? 0 : 1;
}

static void scenario_bad_welcome(void)
{
	/* One child per mode, in parallel: each waits out one retry interval. */
	pid_t kids[GP_TD_MODE_COUNT] = {0};
	for (int mode = 1; mode < GP_TD_MODE_COUNT; mode++) {
		kids[mode] = fork();
		if (kids[mode] == 0) {
			char path[108];
			snprintf(path, sizeof(path), "/tmp/gp-intercept.%d.sock", (int)getpid());
			_exit(bad_welcome_child(mode, path));
		}
	}
	for (int mode = 1; mode < GP_TD_MODE_COUNT; mode++) {
		int status = 0;
		waitpid(kids[mode], &status, 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "malformed welcome mode %d: %s %d", mode,
		      WIFEXITED(status) ? "exit" : "signal",
		      WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	}
}

/*
 * The memfds are sealed: the application cannot shrink or grow the ring or the block (which on a
 * shared-memory file killed whoever touched the lost pages, itself or the daemon, with SIGBUS), and
 * cannot map the block writable.
 */
static void scenario_sealed(void)
{
	load_driver();
	init_context();
	struct gp_td_client *c = gp_td_wait_client(&td, getpid(), 1000);
	if (c == NULL)
		return;
	CHECK(ftruncate(c->ring_fd, 0) != 0 && errno == EPERM, "ring shrunk (errno %d)", errno);
	CHECK(ftruncate(c->ring_fd, 1 << 30) != 0 && errno == EPERM, "ring grown");
	CHECK(ftruncate(c->control_fd, 0) != 0 && errno == EPERM, "block shrunk");
	void *w = mmap(NULL, GP_CONTROL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, c->control_fd, 0);
	CHECK(w == MAP_FAILED && errno == EPERM, "the block mapped writable");
	CUdeviceptr a;
	for (int i = 0; i < 2000; i++) {
		CHECK(cu.cuMemAlloc_v2(&a, MiB) == CUDA_SUCCESS, "alloc %d", i);
		CHECK(cu.cuMemFree_v2(a) == CUDA_SUCCESS, "free %d", i);
	}
	struct ring r;
	CHECK(ring_open(getpid(), &r), "ring");
	CHECK(r.h->written + r.h->dropped >= 4000, "events still recorded");
}

/* An all-ones block with a valid header, and a virtual size of 2^64 - 1: both absent. */
static void scenario_insane_block(void)
{
	memset(&td.initial, 0xff, sizeof(td.initial));
	td.initial.magic = GP_CONTROL_MAGIC;
	td.initial.abi_version = GP_ABI_VERSION;
	td.initial.size = GP_CONTROL_SIZE;
	td.initial.seq = 0;
	load_driver();
	init_context();
	size_t free = 0, total = 0, dtotal = 0;
	CHECK(cu.cuMemGetInfo_v2(&free, &total) == CUDA_SUCCESS && total == 16ull << 30,
	      "all ones: the device's own size, got %zu", total);
	CHECK(cu.cuDeviceTotalMem_v2(&dtotal, 0) == CUDA_SUCCESS && dtotal == 16ull << 30,
	      "all ones: cuDeviceTotalMem %zu", dtotal);
	CUdeviceptr a;
	CHECK(cu.cuMemAlloc_v2(&a, 16 * MiB) == CUDA_SUCCESS, "all ones: no quota");
	control_write(0, 0, UINT64_MAX, 0, GP_CONTROL_MAGIC);
	CHECK(cu.cuMemGetInfo_v2(&free, &total) == CUDA_SUCCESS && total == 16ull << 30 &&
		  total != SIZE_MAX && free != SIZE_MAX,
	      "virtual size 2^64 - 1 reported: total %zu free %zu", total, free);
	control_write(0, 0, 4ull << 30, 0, GP_CONTROL_MAGIC);
	CHECK(cu.cuMemGetInfo_v2(&free, &total) == CUDA_SUCCESS && total == 4ull << 30,
	      "a sane virtual size still applies, got %zu", total);
}

/* An application that asked syslog for LOG_PERROR does not get our lines on its stderr. */
static void scenario_log_stderr(void)
{
	char path[] = "/tmp/gp-intercept-stderr.XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0, "stderr file");
	unlink(path);
	int saved = dup(2);
	dup2(fd, 2);
	openlog("x", LOG_PERROR, LOG_USER);
	/* An insane block is warned about (once per write). */
	td.initial = gp_td_block(0xff00, 0, 0, 0);
	load_driver();
	init_context();
	CUdeviceptr a;
	cu.cuMemAlloc_v2(&a, MiB);
	closelog();
	dup2(saved, 2);
	close(saved);
	char buf[512] = {0};
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	CHECK(n == 0, "the application's stderr got: %s", buf);
}

/* Forks while threads are inside the hooks: every child still gets through its CUDA calls. */
#define FORK_CHILDREN 40

static volatile int fork_stop;

static void *fork_load(void *arg)
{
	(void)arg;
	cu.cuCtxSetCurrent(ctx);
	CUfunction f = thread_kernel;
	while (!fork_stop) {
		CUdeviceptr p;
		size_t free, total;
		if (cu.cuMemAlloc_v2(&p, MiB) == CUDA_SUCCESS)
			cu.cuMemFree_v2(p);
		cu.cuMemGetInfo_v2(&free, &total);
		cu.cuLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL);
	}
	return NULL;
}

static void scenario_fork_locks(void)
{
	td.initial = gp_td_block(GP_CTL_ENFORCE_QUOTA, 1ull << 30, 2ull << 30, 0);
	load_driver();
	init_context();
	thread_kernel = kernel();
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, fork_load, NULL);
	int hung = 0, failed = 0;
	for (int i = 0; i < FORK_CHILDREN; i++) {
		pid_t child = fork();
		if (child == 0) {
			alarm(5); /* a lock held across the fork hangs here: SIGALRM says so */
			CUdeviceptr p;
			size_t free, total;
			int ok = cu.cuInit(0) == CUDA_SUCCESS &&
				 cu.cuMemGetInfo_v2(&free, &total) == CUDA_SUCCESS &&
				 cu.cuMemAlloc_v2(&p, MiB) != CUDA_ERROR_NOT_INITIALIZED;
			_exit(ok ? 0 : 1);
		}
		int status = 0;
		waitpid(child, &status, 0);
		hung += WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM;
		failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
		sleep_ms(2);
	}
	fork_stop = 1;
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK(hung == 0 && failed == 0, "%d of %d children hung, %d failed", hung, FORK_CHILDREN,
	      failed);
}

/* ---- CUPTI: real GPU intervals from the libcupti test double ---- */

#define MS 1000000ull

static struct {
	gp_fake_cupti_emit_kernel_fn *kernel;
	gp_fake_cupti_emit_memcpy_fn *memcpy;
	gp_fake_cupti_emit_memset_fn *memset;
	gp_fake_cupti_now_fn *now;
	gp_fake_cupti_stats_fn *stats;
} fake_cupti;

/* The double as the interposer loaded it; NULL when the interposer never loaded libcupti. */
static void *cupti_loaded(void)
{
	void *h = dlopen("libcupti.so", RTLD_NOW | RTLD_NOLOAD);
	if (h == NULL)
		return NULL;
	fake_cupti.kernel = (gp_fake_cupti_emit_kernel_fn *)dlsym(h, "gp_fake_cupti_emit_kernel");
	fake_cupti.memcpy = (gp_fake_cupti_emit_memcpy_fn *)dlsym(h, "gp_fake_cupti_emit_memcpy");
	fake_cupti.memset = (gp_fake_cupti_emit_memset_fn *)dlsym(h, "gp_fake_cupti_emit_memset");
	fake_cupti.now = (gp_fake_cupti_now_fn *)dlsym(h, "gp_fake_cupti_now");
	fake_cupti.stats = (gp_fake_cupti_stats_fn *)dlsym(h, "gp_fake_cupti_stats");
	if (fake_cupti.kernel == NULL || fake_cupti.memcpy == NULL || fake_cupti.memset == NULL ||
	    fake_cupti.now == NULL || fake_cupti.stats == NULL) {
		fail("libcupti.so is not the test double");
		exit(1);
	}
	return h;
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static size_t count_gpu_time(const struct gp_event *e, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += (e[i].flags & GP_EVF_GPU_TIME) != 0;
	return c;
}

/* Drains the ring into events[have..] until want GPU_TIME events are there or timeout_ms passes. */
static size_t wait_gpu_time(struct ring *r, size_t have, size_t want, int timeout_ms)
{
	size_t max = sizeof(events) / sizeof(events[0]);
	for (int waited = 0;; waited += 5) {
		have += ring_drain(r, events + have, max - have);
		if (count_gpu_time(events, have) >= want || waited >= timeout_ms)
			return have;
		sleep_ms(5);
	}
}

/* Three launches and a context synchronize: the window gp_sync_note estimates. */
static void launch_and_sync(void)
{
	CUfunction f = kernel();
	for (int i = 0; i < 3; i++)
		CHECK(cu.cuLaunchKernel(f, 8, 1, 1, 32, 1, 1, 0, NULL, NULL, NULL) == CUDA_SUCCESS,
		      "launch");
	CHECK(cu.cuCtxSynchronize() == CUDA_SUCCESS, "sync");
}

static const struct {
	uint64_t before_now; /* start, CUPTI ns before the double's now */
	uint64_t duration;
	uint32_t stream;
	int32_t grid_x, block_x;
	uint32_t correlation;
} cupti_kernels[] = {
    {5 * MS, 100000, 13, 64, 128, 501},
    {4 * MS, 250000, 14, 128, 256, 502},
    {3 * MS, 1 * MS, 15, 4096, 1024, 503},
};

static void scenario_cupti(void)
{
	load_driver();
	init_context();
	CHECK(cupti_loaded() != NULL, "the interposer did not load libcupti.so");
	if (fake_cupti.stats == NULL)
		return;
	struct gp_fake_cupti_stats st;
	fake_cupti.stats(&st);
	uint32_t want_kinds = 1u << 10 | 1u << 1 | 1u << 2; /* CONCURRENT_KERNEL, MEMCPY, MEMSET */
	CHECK(st.registered == 1 && st.enabled == want_kinds, "registered %u, kinds enabled %#x",
	      st.registered, st.enabled);
	struct ring r;
	CHECK(ring_open(getpid(), &r), "ring");
	size_t n = ring_drain(&r, events, 1000);

	/* GPU activity at known CUPTI times; the double's clock is CLOCK_REALTIME. */
	uint64_t cupti_now = 0;
	fake_cupti.now(&cupti_now);
	uint64_t mono_now = monotonic_ns();
	size_t nk = sizeof(cupti_kernels) / sizeof(cupti_kernels[0]);
	for (size_t i = 0; i < nk; i++) {
		uint64_t start = cupti_now - cupti_kernels[i].before_now;
		CHECK(fake_cupti.kernel(start, start + cupti_kernels[i].duration, 0,
					cupti_kernels[i].stream, cupti_kernels[i].grid_x,
					cupti_kernels[i].block_x,
					cupti_kernels[i].correlation) == 1,
		      "kernel %zu not recorded", i);
	}
	CHECK(fake_cupti.memcpy(1 /* HTOD */, 4 * MiB, cupti_now - 2 * MS, cupti_now - 1 * MS) == 1,
	      "memcpy not recorded");
	CHECK(fake_cupti.memset(MiB, cupti_now - 1 * MS, cupti_now - 1 * MS + 40000) == 1,
	      "memset not recorded");

	/* The flusher (every 20 ms) delivers them. */
	size_t start_n = n;
	n = wait_gpu_time(&r, n, nk + 2, 1000);
	CHECK(count_gpu_time(events, n) == nk + 2, "GPU_TIME events %zu, expected %zu",
	      count_gpu_time(events, n), nk + 2);
	size_t kernels = 0;
	for (size_t i = start_n; i < n; i++) {
		const struct gp_event *e = &events[i];
		if (e->kind != GP_EV_KERNEL_EXEC)
			continue;
		kernels++;
		CHECK(e->flags == GP_EVF_GPU_TIME, "kernel flags %#x, expected GPU_TIME only",
		      e->flags);
		size_t k = 0;
		while (k < nk && cupti_kernels[k].correlation != e->correlation_id)
			k++;
		if (k == nk) {
			fail("kernel with unknown correlation id %llu",
			     (unsigned long long)e->correlation_id);
			continue;
		}
		CHECK(e->end_ns - e->ts_ns == cupti_kernels[k].duration,
		      "kernel %zu lasted %llu ns, injected %llu", k,
		      (unsigned long long)(e->end_ns - e->ts_ns),
		      (unsigned long long)cupti_kernels[k].duration);
		int64_t expected = (int64_t)(mono_now - cupti_kernels[k].before_now);
		int64_t error = (int64_t)e->ts_ns - expected;
		CHECK(error > -(int64_t)(5 * MS) && error < (int64_t)(5 * MS),
		      "kernel %zu starts %lld ns off CLOCK_MONOTONIC (time base not converted?)", k,
		      (long long)error);
		CHECK(e->grid_x == (uint32_t)cupti_kernels[k].grid_x &&
			  e->grid_y == GP_FAKE_CUPTI_GRID_Y && e->grid_z == GP_FAKE_CUPTI_GRID_Z,
		      "kernel %zu grid %u x %u x %u", k, e->grid_x, e->grid_y, e->grid_z);
		CHECK(e->block_x == (uint32_t)cupti_kernels[k].block_x &&
			  e->block_y == GP_FAKE_CUPTI_BLOCK_Y &&
			  e->block_z == GP_FAKE_CUPTI_BLOCK_Z,
		      "kernel %zu block %u x %u x %u", k, e->block_x, e->block_y, e->block_z);
		CHECK(e->stream == cupti_kernels[k].stream, "kernel %zu stream %llu", k,
		      (unsigned long long)e->stream);
		CHECK(e->shared_mem_bytes ==
			  GP_FAKE_CUPTI_STATIC_SHARED + GP_FAKE_CUPTI_DYNAMIC_SHARED,
		      "kernel %zu shared memory %u = static + dynamic", k, e->shared_mem_bytes);
		CHECK(e->device == 0 && e->pid == (uint32_t)getpid(), "kernel %zu device/pid", k);
	}
	CHECK(kernels == nk, "%zu kernel intervals, expected %zu", kernels, nk);
	CHECK(count_flagged(events + start_n, n - start_n, GP_EV_MEMCPY_HTOD, GP_EVF_GPU_TIME) == 1,
	      "one HtoD copy with GPU time");
	CHECK(count_flagged(events + start_n, n - start_n, GP_EV_MEMSET, GP_EVF_GPU_TIME) == 1,
	      "one memset with GPU time");
	for (size_t i = start_n; i < n; i++) {
		if (events[i].kind == GP_EV_MEMCPY_HTOD)
			CHECK(events[i].bytes == 4 * MiB &&
				  events[i].end_ns - events[i].ts_ns == MS,
			      "copy bytes %llu", (unsigned long long)events[i].bytes);
		if (events[i].kind == GP_EV_MEMSET)
			CHECK(events[i].bytes == MiB && events[i].end_ns - events[i].ts_ns == 40000,
			      "memset bytes %llu", (unsigned long long)events[i].bytes);
	}

	/* While CUPTI is on, a wait emits no estimated interval. */
	launch_and_sync();
	n = ring_drain(&r, events, 1000);
	CHECK(count_kind(events, n, GP_EV_SYNC_CONTEXT) == 1, "the sync itself is still seen");
	CHECK(count_kind(events, n, GP_EV_KERNEL_EXEC) == 0,
	      "estimated kernel interval emitted while CUPTI is active");
}

/* Estimated intervals, no CUPTI events, libcupti never loaded: GPUPREDICT_CUPTI=0 or no library. */
static void expect_estimated_only(void)
{
	load_driver();
	init_context();
	CHECK(cupti_loaded() == NULL, "libcupti.so loaded although it should not be");
	launch_and_sync();
	sleep_ms(60);
	struct ring r;
	CHECK(ring_open(getpid(), &r), "ring");
	size_t n = ring_drain(&r, events, 1000);
	CHECK(count_flagged(events, n, GP_EV_KERNEL_EXEC, GP_EVF_ESTIMATED) == 1,
	      "one estimated kernel interval");
	CHECK(count_gpu_time(events, n) == 0, "%zu GPU_TIME events without CUPTI",
	      count_gpu_time(events, n));
}

static void scenario_cupti_off(void)
{
	expect_estimated_only();
}

static void scenario_cupti_absent(void)
{
	expect_estimated_only();
}

/* One kind cannot be enabled: the others are disabled again and intervals stay estimated. */
static void scenario_cupti_enable_fails(void)
{
	load_driver();
	init_context();
	CHECK(cupti_loaded() != NULL, "the interposer did not load libcupti.so");
	if (fake_cupti.stats == NULL)
		return;
	struct gp_fake_cupti_stats st;
	fake_cupti.stats(&st);
	CHECK(st.enabled == 0, "kinds left enabled after a failure: %#x", st.enabled);
	uint64_t now = 0;
	fake_cupti.now(&now);
	CHECK(fake_cupti.kernel(now - MS, now, 0, 1, 1, 1, 1) == 0, "a disabled kind recorded");
	launch_and_sync();
	struct ring r;
	CHECK(ring_open(getpid(), &r), "ring");
	size_t n = ring_drain(&r, events, 1000);
	CHECK(count_flagged(events, n, GP_EV_KERNEL_EXEC, GP_EVF_ESTIMATED) == 1,
	      "fell back to the estimated interval");
}

/* A forked child never uses the parent's CUPTI; the parent goes on receiving intervals. */
static void scenario_cupti_fork(void)
{
	load_driver();
	init_context();
	CHECK(cupti_loaded() != NULL, "the interposer did not load libcupti.so");
	if (fake_cupti.stats == NULL)
		return;
	pid_t child = fork();
	if (child == 0) {
		struct gp_fake_cupti_stats before, after;
		fake_cupti.stats(&before);
		init_context();
		launch_and_sync();
		sleep_ms(60);
		fake_cupti.stats(&after);
		_exit(failures == 0 && after.calls == before.calls ? 0 : 1);
	}
	int status = 0;
	waitpid(child, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: no CUPTI calls");
	struct ring r;
	CHECK(ring_open(child, &r), "the child's ring");
	size_t n = ring_drain(&r, events, 1000);
	CHECK(count_flagged(events, n, GP_EV_KERNEL_EXEC, GP_EVF_ESTIMATED) == 1,
	      "child: one estimated interval");
	CHECK(ring_open(getpid(), &r), "parent ring");
	n = ring_drain(&r, events, 1000);
	uint64_t now = 0;
	fake_cupti.now(&now);
	CHECK(fake_cupti.kernel(now - 2 * MS, now - MS, 0, 1, 1, 1, 77) == 1, "kernel recorded");
	size_t start_n = n;
	n = wait_gpu_time(&r, n, 1, 1000);
	CHECK(count_flagged(events + start_n, n - start_n, GP_EV_KERNEL_EXEC, GP_EVF_GPU_TIME) == 1,
	      "the parent still receives CUPTI intervals after fork");
}

/*
 * "produce": a known workload for readers in other languages (the C# daemon's ring tests).
 *
 * Contract: run under the interposer (LD_PRELOAD) with GPUPREDICT_SOCKET naming the daemon's
 * registration socket (GP_REGISTER_SOCKET when unset) and libcuda.so.1 resolving to the test
 * double.
 *   1. cuInit, then waits up to 10 s for the interposer to register (its link thread is named
 *      "gp-linked" once the ring and control block are attached). Not registered in time: prints
 *      "not registered" on stderr and exits 3, before any other CUDA call.
 *   2. Prints "registered" on stdout (flushed).
 *   3. The workload, every event of it in the ring in this order: CONTEXT_CREATE (primary context
 *      of device 0), MODULE_LOAD, ALLOC 1 MiB, ALLOC 2 MiB, 10 KERNEL_LAUNCH (grid_x 1..10, block_x
 *      32), SYNC_CONTEXT, KERNEL_EXEC (estimated, correlation_id 10: the launches it covers), FREE
 *      1 MiB, FREE 2 MiB. CUPTI is off (GPUPREDICT_CUPTI=0 unless the caller set it).
 *   4. Prints "done" on stdout (flushed), then reads standard input until it closes, then exits 0:
 *      the exit event (PROCESS_EXIT) is the ring's last, then the connection hangs up.
 */
static int produce(void)
{
	/* Estimated intervals, as before CUPTI, whatever libcupti the caller's path holds. */
	setenv("GPUPREDICT_CUPTI", "0", 0);
	load_driver();
	if (cu.cuInit(0) != CUDA_SUCCESS || !gp_td_wait_linked(true, 10000)) {
		fprintf(stderr, "not registered\n");
		return 3;
	}
	printf("registered\n");
	fflush(stdout);
	init_context();
	CUfunction f = kernel();
	CUdeviceptr a, b;
	cu.cuMemAlloc_v2(&a, MiB);
	cu.cuMemAlloc_v2(&b, 2 * MiB);
	for (unsigned i = 0; i < 10; i++)
		cu.cuLaunchKernel(f, i + 1, 1, 1, 32, 1, 1, 0, NULL, NULL, NULL);
	cu.cuCtxSynchronize();
	cu.cuMemFree_v2(a);
	cu.cuMemFree_v2(b);
	printf("done\n");
	fflush(stdout);
	char buf[64];
	while (fread(buf, 1, sizeof(buf), stdin) > 0)
		;
	return failures == 0 ? 0 : 1;
}

/* "produce" as its readers run it: registered, done, stdin closed, then exactly its events. */
static void scenario_produce(void)
{
	int out[2], in[2];
	CHECK(pipe(out) == 0 && pipe(in) == 0, "pipes");
	pid_t child = fork();
	if (child == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl("/proc/self/exe", "intercept_test", "produce", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	FILE *lines = fdopen(out[0], "r");
	char first[64] = {0}, second[64] = {0};
	CHECK(fgets(first, sizeof(first), lines) != NULL && strcmp(first, "registered\n") == 0,
	      "first line '%s'", first);
	CHECK(fgets(second, sizeof(second), lines) != NULL && strcmp(second, "done\n") == 0,
	      "second line '%s'", second);
	close(in[1]);
	int status = 0;
	waitpid(child, &status, 0);
	fclose(lines);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "produce exit status %d", status);
	struct ring r;
	CHECK(ring_open(child, &r), "produce's ring");
	size_t n = ring_drain(&r, events, 100);
	static const uint16_t want[] = {
	    GP_EV_CONTEXT_CREATE, GP_EV_MODULE_LOAD,   GP_EV_ALLOC,	    GP_EV_ALLOC,
	    GP_EV_KERNEL_LAUNCH,  GP_EV_KERNEL_LAUNCH, GP_EV_KERNEL_LAUNCH, GP_EV_KERNEL_LAUNCH,
	    GP_EV_KERNEL_LAUNCH,  GP_EV_KERNEL_LAUNCH, GP_EV_KERNEL_LAUNCH, GP_EV_KERNEL_LAUNCH,
	    GP_EV_KERNEL_LAUNCH,  GP_EV_KERNEL_LAUNCH, GP_EV_SYNC_CONTEXT,  GP_EV_KERNEL_EXEC,
	    GP_EV_FREE,		  GP_EV_FREE,	       GP_EV_PROCESS_EXIT,
	};
	size_t nwant = sizeof(want) / sizeof(want[0]);
	CHECK(n == nwant, "produce: %zu events, expected %zu", n, nwant);
	for (size_t i = 0; i < n && i < nwant; i++)
		CHECK(events[i].kind == want[i], "produce event %zu: kind %u, expected %u", i,
		      events[i].kind, want[i]);
	if (n != nwant)
		return;
	CHECK(events[2].bytes == MiB && events[3].bytes == 2 * MiB, "allocation sizes");
	CHECK(events[4].grid_x == 1 && events[13].grid_x == 10 && events[4].block_x == 32,
	      "launch geometry");
	CHECK((events[15].flags & GP_EVF_ESTIMATED) && events[15].correlation_id == 10,
	      "estimated interval over 10 launches");
	CHECK(events[16].bytes == MiB && events[17].bytes == 2 * MiB, "free sizes");
}

/* ---- the harness ---- */

struct scenario {
	const char *name;
	void (*run)(void);
	const char *env;   /* extra "K=V" for the child, or NULL */
	bool daemon;	   /* the child runs a test daemon at its GPUPREDICT_SOCKET */
	uint32_t capacity; /* its ring slots; 0 = 65536 */
};

static const struct scenario scenarios[] = {
    {"events", scenario_events, "GPUPREDICT_CUPTI=0", true, 0},
    {"dlsym", scenario_dlsym, NULL, true, 0},
    {"quota", scenario_quota, NULL, true, 0},
    {"premap", scenario_premap, NULL, true, 0},
    {"premap_window", scenario_premap_window, NULL, true, 0},
    {"malformed", scenario_malformed, NULL, true, 0},
    {"full", scenario_full, NULL, true, 64},
    {"threads", scenario_threads, NULL, true, 0},
    {"fork", scenario_fork, NULL, true, 0},
    {"no_daemon", scenario_no_daemon, NULL, false, 0},
    {"cupti", scenario_cupti, NULL, true, 0},
    {"cupti_off", scenario_cupti_off, "GPUPREDICT_CUPTI=0", true, 0},
    {"cupti_absent", scenario_cupti_absent, "GPUPREDICT_LIBCUPTI=/nonexistent/libcupti.so", true,
     0},
    {"cupti_enable_fails", scenario_cupti_enable_fails, "GP_FAKE_CUPTI_FAIL_ENABLE=2", true, 0},
    {"cupti_fork", scenario_cupti_fork, NULL, true, 0},
    {"throttle", scenario_throttle, NULL, true, 0},
    {"ipc_fallback", scenario_ipc_fallback, NULL, true, 0},
    {"app_vmm", scenario_app_vmm, NULL, true, 0},
    {"exit_live", scenario_exit_live, NULL, true, 0},
    {"rejoin", scenario_rejoin, NULL, true, 1024},
    {"foreign_uid", scenario_foreign_uid, NULL, false, 0},
    {"bad_welcome", scenario_bad_welcome, NULL, false, 0},
    {"sealed", scenario_sealed, NULL, true, 0},
    {"insane_block", scenario_insane_block, NULL, true, 0},
    {"log_stderr", scenario_log_stderr, NULL, true, 0},
    {"fork_locks", scenario_fork_locks, NULL, true, 0},
    {"produce_contract", scenario_produce, NULL, true, 0},
};

/* In the scenario's own process: its test daemon (when it has one), then the scenario. */
static int run_scenario(const struct scenario *s)
{
	char path[108];
	snprintf(path, sizeof(path), "/tmp/gp-intercept.%d.sock", (int)getpid());
	setenv("GPUPREDICT_SOCKET", s->daemon ? path : "/nonexistent/gpupredict.sock", 1);
	if (s->daemon) {
		gp_td_init(&td, path, s->capacity != 0 ? s->capacity : 65536);
		int e = gp_td_start(&td);
		if (e != 0) {
			fail("test daemon at %s: %s", path, strerror(e));
			return 1;
		}
		daemon_on = true;
		daemon_pid = getpid();
	}
	s->run();
	if (s->daemon)
		unlink(path);
	return failures == 0 ? 0 : 1;
}

static int run_child(const struct scenario *s, const char *self, const char *build)
{
	pid_t pid = fork();
	if (pid == 0) {
		char preload[4200], libpath[4200];
		snprintf(preload, sizeof(preload), "%s/intercept/libgpupredict-cuda.so", build);
		snprintf(libpath, sizeof(libpath), "%s/testing", build);
		setenv("LD_PRELOAD", preload, 1);
		setenv("LD_LIBRARY_PATH", libpath, 1);
		if (s->env != NULL)
			putenv((char *)s->env);
		execl(self, self, s->name, (char *)NULL);
		_exit(127);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	char path[108];
	snprintf(path, sizeof(path), "/tmp/gp-intercept.%d.sock", (int)pid);
	unlink(path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "produce") == 0)
		return produce();
	if (argc == 2) {
		for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
			if (strcmp(argv[1], scenarios[i].name) == 0)
				return run_scenario(&scenarios[i]);
		fprintf(stderr, "unknown scenario %s\n", argv[1]);
		return 2;
	}
	char self[3900];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		return 2;
	self[len] = '\0';
	char build[4000];
	snprintf(build, sizeof(build), "%s", self);
	*strrchr(build, '/') = '\0';
	int passed = 0, failed = 0;
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		int rc = run_child(&scenarios[i], self, build);
		if (rc == 0) {
			passed++;
		} else {
			failed++;
			fprintf(stderr, "intercept: scenario %s failed (exit %d)\n",
				scenarios[i].name, rc);
		}
	}
	printf("intercept: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
