/* SPDX-License-Identifier: MIT */
/*
 * pool.c - device memory mapped ahead of the application's requests.
 *
 * One reserved VA range (cuMemAddressReserve) divided into chunks of the allocation granularity.
 * A background thread keeps mapped chunks (cuMemCreate + cuMemMap + cuMemSetAccess, one physical
 * handle per chunk) at the daemon's pre-map target, and unmaps free chunks above it (reclamation).
 * cuMemAlloc* is served from a run of free mapped chunks when one fits; cuMemFree returns the run
 * to the pool, still mapped. Pointers stay valid; the application never sees the difference.
 *
 * Falls back to the driver (pass-through) for: allocations below GP_POOL_MIN_BYTES (a whole chunk
 * each would waste memory), no run long enough, a process that uses VMM or IPC handles itself
 * (gp_pool_disable), GPUPREDICT_NO_PREMAP=1, or any failure of the driver's VMM calls.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "intercept.h"

#define GP_POOL_VA_BYTES  (64ull << 30)
#define GP_POOL_MIN_BYTES (1ull << 20)
#define GP_POOL_POLL_NS	  (5ull * 1000000ull)
#define GP_POOL_RETRY_NS  (100ull * 1000000ull)

enum gp_chunk_state { GP_UNMAPPED = 0, GP_BUSY = 1, GP_FREE = 2, GP_USED = 3 };

struct gp_pool {
	bool started;
	bool disabled;
	bool ready; /* VA reserved, arrays allocated */
	int device;
	CUcontext ctx;
	CUdeviceptr base;
	size_t chunk;
	size_t nchunks;
	uint8_t *state;
	uint32_t *run; /* at the first chunk of a used run: its length in chunks */
	CUmemGenericAllocationHandle *handle;
	size_t mapped; /* chunks FREE or USED */
	size_t used;   /* chunks USED */
	size_t hint;   /* no FREE run starts below this index */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
};

static struct gp_pool gp_pool = {
    .device = -1,
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .wake = PTHREAD_COND_INITIALIZER,
};

static bool gp_pool_setup(const struct gp_control *ctl)
{
	CUmemAllocationProp prop = {0};
	prop.type = CU_MEM_ALLOCATION_TYPE_PINNED;
	prop.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
	prop.location.id = gp_pool.device;
	size_t chunk = 0;
	if (gp_real.cuMemGetAllocationGranularity == NULL || gp_real.cuMemAddressReserve == NULL ||
	    gp_real.cuMemGetAllocationGranularity(
		&chunk, &prop, CU_MEM_ALLOC_GRANULARITY_RECOMMENDED) != CUDA_SUCCESS ||
	    chunk == 0)
		return false;
	uint64_t va = GP_POOL_VA_BYTES;
	if (ctl->vram_quota_bytes > va)
		va = ctl->vram_quota_bytes;
	va = (va + chunk - 1) / chunk * chunk;
	size_t n = (size_t)(va / chunk);
	gp_pool.state = calloc(n, 1);
	gp_pool.run = calloc(n, sizeof(uint32_t));
	gp_pool.handle = calloc(n, sizeof(CUmemGenericAllocationHandle));
	if (gp_pool.state == NULL || gp_pool.run == NULL || gp_pool.handle == NULL ||
	    gp_real.cuMemAddressReserve(&gp_pool.base, va, chunk, 0, 0) != CUDA_SUCCESS) {
		free(gp_pool.state);
		free(gp_pool.run);
		free(gp_pool.handle);
		gp_pool.state = NULL;
		return false;
	}
	gp_pool.chunk = chunk;
	gp_pool.nchunks = n;
	return true;
}

/* Maps chunk i (outside the lock: driver calls can take tens of microseconds). */
static bool gp_chunk_map(size_t i)
{
	CUmemAllocationProp prop = {0};
	prop.type = CU_MEM_ALLOCATION_TYPE_PINNED;
	prop.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
	prop.location.id = gp_pool.device;
	CUmemAccessDesc access = {{CU_MEM_LOCATION_TYPE_DEVICE, gp_pool.device},
				  CU_MEM_ACCESS_FLAGS_PROT_READWRITE};
	CUdeviceptr at = gp_pool.base + (CUdeviceptr)(i * gp_pool.chunk);
	CUmemGenericAllocationHandle h = 0;
	if (gp_real.cuMemCreate(&h, gp_pool.chunk, &prop, 0) != CUDA_SUCCESS)
		return false;
	if (gp_real.cuMemMap(at, gp_pool.chunk, 0, h, 0) != CUDA_SUCCESS) {
		gp_real.cuMemRelease(h);
		return false;
	}
	if (gp_real.cuMemSetAccess(at, gp_pool.chunk, &access, 1) != CUDA_SUCCESS) {
		gp_real.cuMemUnmap(at, gp_pool.chunk);
		gp_real.cuMemRelease(h);
		return false;
	}
	gp_pool.handle[i] = h;
	return true;
}

static void gp_chunk_unmap(size_t i)
{
	CUdeviceptr at = gp_pool.base + (CUdeviceptr)(i * gp_pool.chunk);
	gp_real.cuMemUnmap(at, gp_pool.chunk);
	gp_real.cuMemRelease(gp_pool.handle[i]);
	gp_pool.handle[i] = 0;
}

/*
 * The pre-map target holds inside its window only. The daemon renews the window every tick, so a
 * daemon that stops (crash, restart) lets it lapse and the pool gives its free chunks back.
 */
static size_t gp_target_chunks(void)
{
	uint64_t now = gp_now_ns();
	struct gp_control ctl = gp_control_get_at(now);
	if (gp_pool.disabled || !ctl.valid || !(ctl.flags & GP_CTL_PREMAP))
		return 0;
	if ((ctl.premap_from_ns != 0 && now < ctl.premap_from_ns) ||
	    (ctl.premap_until_ns != 0 && now >= ctl.premap_until_ns))
		return 0;
	return (size_t)((ctl.premap_target_bytes + gp_pool.chunk - 1) / gp_pool.chunk);
}

/* One step toward the target under the lock; returns false when there is nothing to do. */
static bool gp_pool_step(size_t target)
{
	if (gp_pool.mapped < target) {
		size_t i = 0;
		while (i < gp_pool.nchunks && gp_pool.state[i] != GP_UNMAPPED)
			i++;
		if (i == gp_pool.nchunks)
			return false;
		gp_pool.state[i] = GP_BUSY;
		pthread_mutex_unlock(&gp_pool.lock);
		bool ok = gp_chunk_map(i);
		pthread_mutex_lock(&gp_pool.lock);
		gp_pool.state[i] = ok ? GP_FREE : GP_UNMAPPED;
		if (ok) {
			gp_pool.mapped++;
			if (i < gp_pool.hint)
				gp_pool.hint = i;
		}
		return ok;
	}
	if (gp_pool.mapped > target && gp_pool.mapped > gp_pool.used) {
		size_t i = gp_pool.nchunks;
		while (i > 0 && gp_pool.state[i - 1] != GP_FREE)
			i--;
		if (i == 0)
			return false;
		gp_pool.state[i - 1] = GP_BUSY;
		pthread_mutex_unlock(&gp_pool.lock);
		gp_chunk_unmap(i - 1);
		pthread_mutex_lock(&gp_pool.lock);
		gp_pool.state[i - 1] = GP_UNMAPPED;
		gp_pool.mapped--;
		return true;
	}
	return false;
}

static void gp_wait(uint64_t ns)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	uint64_t nsec = (uint64_t)until.tv_nsec + ns;
	until.tv_sec += (time_t)(nsec / 1000000000u);
	until.tv_nsec = (long)(nsec % 1000000000u);
	pthread_cond_timedwait(&gp_pool.wake, &gp_pool.lock, &until);
}

static void *gp_pool_main(void *arg)
{
	(void)arg;
	if (gp_pool.ctx != NULL && gp_real.cuCtxSetCurrent != NULL)
		gp_real.cuCtxSetCurrent(gp_pool.ctx);
	pthread_mutex_lock(&gp_pool.lock);
	for (;;) {
		pthread_mutex_unlock(&gp_pool.lock);
		size_t target = gp_target_chunks();
		pthread_mutex_lock(&gp_pool.lock);
		bool progressed = false;
		/* Bounded batches keep the lock fair to allocating threads. */
		for (int i = 0; i < 64 && gp_pool_step(target); i++)
			progressed = true;
		if (!progressed)
			gp_wait(gp_pool.mapped < target ? GP_POOL_RETRY_NS : GP_POOL_POLL_NS);
	}
	return NULL;
}

/* Starts the pool the first time a valid control block asks for pre-mapping. */
static void gp_pool_start(const struct gp_control *ctl)
{
	if (!ctl->valid || !(ctl->flags & GP_CTL_PREMAP) || ctl->premap_target_bytes == 0)
		return;
	const char *off = getenv("GPUPREDICT_NO_PREMAP");
	if (off != NULL && off[0] == '1')
		return;
	pthread_mutex_lock(&gp_pool.lock);
	if (!gp_pool.started && !gp_pool.disabled) {
		gp_pool.started = true;
		CUdevice dev = ctl->device;
		if (dev < 0 && (gp_real.cuCtxGetDevice == NULL ||
				gp_real.cuCtxGetDevice(&dev) != CUDA_SUCCESS))
			dev = 0;
		gp_pool.device = dev;
		if (gp_real.cuDevicePrimaryCtxRetain != NULL)
			gp_real.cuDevicePrimaryCtxRetain(&gp_pool.ctx, dev);
		gp_pool.ready = gp_pool_setup(ctl);
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if (!gp_pool.ready ||
		    pthread_create(&gp_pool.thread, &attr, gp_pool_main, NULL) != 0) {
			gp_pool.ready = false;
			gp_log(LOG_WARNING,
			       "pre-map pool unavailable on device %d; allocations pass through",
			       dev);
		}
		pthread_attr_destroy(&attr);
	}
	pthread_mutex_unlock(&gp_pool.lock);
}

bool gp_pool_alloc(uint64_t bytes, CUdeviceptr *ptr)
{
	struct gp_control ctl = gp_control_get();
	if (!__atomic_load_n(&gp_pool.started, __ATOMIC_ACQUIRE))
		gp_pool_start(&ctl);
	if (!gp_pool.ready || bytes < GP_POOL_MIN_BYTES)
		return false;
	bool served = false;
	pthread_mutex_lock(&gp_pool.lock);
	size_t need = (size_t)((bytes + gp_pool.chunk - 1) / gp_pool.chunk);
	if (!gp_pool.disabled && gp_pool.mapped - gp_pool.used >= need) {
		size_t start = gp_pool.hint, len = 0;
		for (size_t i = gp_pool.hint; i < gp_pool.nchunks; i++) {
			if (gp_pool.state[i] != GP_FREE) {
				len = 0;
				start = i + 1;
				continue;
			}
			if (++len == need) {
				memset(gp_pool.state + start, GP_USED, need);
				gp_pool.run[start] = (uint32_t)need;
				gp_pool.used += need;
				*ptr = gp_pool.base + (CUdeviceptr)(start * gp_pool.chunk);
				served = true;
				break;
			}
		}
	}
	pthread_mutex_unlock(&gp_pool.lock);
	pthread_cond_signal(&gp_pool.wake);
	return served;
}

bool gp_pool_free(CUdeviceptr ptr, uint64_t bytes)
{
	(void)bytes;
	if (!gp_pool.ready || ptr < gp_pool.base ||
	    ptr >= gp_pool.base + (CUdeviceptr)(gp_pool.nchunks * gp_pool.chunk))
		return false;
	size_t i = (size_t)((ptr - gp_pool.base) / gp_pool.chunk);
	pthread_mutex_lock(&gp_pool.lock);
	bool ok = gp_pool.state[i] == GP_USED && gp_pool.run[i] > 0;
	if (ok) {
		size_t n = gp_pool.run[i];
		memset(gp_pool.state + i, GP_FREE, n);
		gp_pool.run[i] = 0;
		gp_pool.used -= n;
		if (i < gp_pool.hint)
			gp_pool.hint = i;
	}
	pthread_mutex_unlock(&gp_pool.lock);
	pthread_cond_signal(&gp_pool.wake);
	return ok;
}

uint64_t gp_pool_free_bytes(void)
{
	if (!gp_pool.ready)
		return 0;
	pthread_mutex_lock(&gp_pool.lock);
	uint64_t bytes = (uint64_t)(gp_pool.mapped - gp_pool.used) * gp_pool.chunk;
	pthread_mutex_unlock(&gp_pool.lock);
	return bytes;
}

void gp_pool_disable(const char *why)
{
	pthread_mutex_lock(&gp_pool.lock);
	bool was = gp_pool.disabled;
	gp_pool.disabled = true;
	pthread_mutex_unlock(&gp_pool.lock);
	pthread_cond_signal(&gp_pool.wake);
	if (!was)
		gp_log(LOG_NOTICE, "pre-mapping off for this process: %s", why);
}

void gp_pool_poke(void)
{
	struct gp_control ctl = gp_control_get();
	if (!__atomic_load_n(&gp_pool.started, __ATOMIC_ACQUIRE))
		gp_pool_start(&ctl);
	pthread_cond_signal(&gp_pool.wake);
}

void gp_pool_after_fork_child(void)
{
	/* The refill thread does not exist in the child, nor may it use the parent's CUDA state. */
	pthread_mutex_init(&gp_pool.lock, NULL);
	pthread_cond_init(&gp_pool.wake, NULL);
	gp_pool.ready = false;
	gp_pool.started = true;
	gp_pool.disabled = true;
}
