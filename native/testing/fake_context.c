/* SPDX-License-Identifier: MIT */
/*
 * fake_context.c - libcuda TEST DOUBLE (test-only): initialisation, devices and contexts.
 *
 * cuInit reads GP_FAKE_CUDA_DEVICES (default 1, at most GP_FAKE_CUDA_MAX_DEVICES; 0 makes cuInit
 * fail with CUDA_ERROR_NO_DEVICE) and GP_FAKE_CUDA_TOTAL_BYTES (bytes per device, default 16 GiB; a
 * K, M, G or T suffix multiplies by 1024^n). A malformed value makes cuInit fail with
 * CUDA_ERROR_INVALID_VALUE rather than run a test on a configuration it did not ask for.
 * Every other call but cuDriverGetVersion and cuGetProcAddress needs cuInit first.
 *
 * Contexts are real enough for an interposer to lean on: a thread-local current context, created
 * contexts made current by cuCtxCreate, primary contexts reference-counted per device and not made
 * current by retain. Destroying a context (or releasing a primary one to zero) frees the memory and
 * modules created in it, as the driver does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fake_internal.h"

#define GP_FAKE_DEFAULT_DEVICES	    1
#define GP_FAKE_DEFAULT_TOTAL_BYTES ((size_t)16 << 30)

struct gp_fake_state gp_fake;
_Thread_local struct gp_fake_ctx *gp_fake_current;

static pthread_mutex_t gp_fake_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t gp_fake_atfork_once = PTHREAD_ONCE_INIT;

/*
 * A child forked while another thread was inside the double would find the mutex held forever. The
 * driver itself does not survive fork either, but the interposer's fork tests need the double to
 * keep working in the child, so that a hang there can only be the interposer's own locks.
 */
static void gp_fake_after_fork_child(void)
{
	pthread_mutex_init(&gp_fake_mutex, NULL);
}

static void gp_fake_register_atfork(void)
{
	pthread_atfork(NULL, NULL, gp_fake_after_fork_child);
}

void gp_fake_lock(void)
{
	pthread_mutex_lock(&gp_fake_mutex);
}

void gp_fake_unlock(void)
{
	pthread_mutex_unlock(&gp_fake_mutex);
}

CUresult gp_fake_enter(void)
{
	gp_fake_lock();
	if (!gp_fake.initialized) {
		gp_fake_unlock();
		return CUDA_ERROR_NOT_INITIALIZED;
	}
	return CUDA_SUCCESS;
}

CUresult gp_fake_enter_ctx(struct gp_fake_ctx **ctx)
{
	CUresult r = gp_fake_enter();

	if (r != CUDA_SUCCESS)
		return r;
	if (!gp_fake_ctx_live(gp_fake_current)) {
		gp_fake_unlock();
		return CUDA_ERROR_INVALID_CONTEXT;
	}
	*ctx = gp_fake_current;
	return CUDA_SUCCESS;
}

bool gp_fake_device_valid(CUdevice dev)
{
	return dev >= 0 && dev < gp_fake.device_count;
}

bool gp_fake_ctx_live(const struct gp_fake_ctx *ctx)
{
	const struct gp_fake_ctx *c;

	if (!ctx)
		return false;
	for (int i = 0; i < gp_fake.device_count; i++)
		if (ctx == &gp_fake.devices[i].primary)
			return gp_fake.devices[i].primary_refs > 0;
	for (c = gp_fake.contexts; c; c = c->next)
		if (c == ctx)
			return true;
	return false;
}

CUresult gp_fake_charge(CUdevice dev, size_t bytes)
{
	struct gp_fake_device *d = &gp_fake.devices[dev];

	if (bytes > d->total - d->used)
		return CUDA_ERROR_OUT_OF_MEMORY;
	d->used += bytes;
	return CUDA_SUCCESS;
}

void gp_fake_uncharge(CUdevice dev, size_t bytes)
{
	gp_fake.devices[dev].used -= bytes;
}

/* A decimal count with an optional K/M/G/T (binary) suffix; false when malformed or too large. */
static bool parse_size(const char *s, unsigned long long max, unsigned long long *out)
{
	static const char suffixes[] = "KMGT";
	unsigned long long v;
	const char *unit;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return false;
	if (*end) {
		unit = strchr(suffixes, *end);
		if (!unit || end[1])
			return false;
		for (const char *u = suffixes; u <= unit; u++) {
			if (v > max / 1024)
				return false;
			v *= 1024;
		}
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

static CUresult read_environment(int *count, size_t *total)
{
	const char *devices = getenv("GP_FAKE_CUDA_DEVICES");
	const char *bytes = getenv("GP_FAKE_CUDA_TOTAL_BYTES");
	unsigned long long v;

	*count = GP_FAKE_DEFAULT_DEVICES;
	*total = GP_FAKE_DEFAULT_TOTAL_BYTES;
	if (devices) {
		if (!parse_size(devices, GP_FAKE_CUDA_MAX_DEVICES, &v))
			return CUDA_ERROR_INVALID_VALUE;
		*count = (int)v;
	}
	if (bytes) {
		if (!parse_size(bytes, SIZE_MAX, &v) || v == 0)
			return CUDA_ERROR_INVALID_VALUE;
		*total = (size_t)v;
	}
	return *count ? CUDA_SUCCESS : CUDA_ERROR_NO_DEVICE;
}

CUresult gp_fake_cuInit(unsigned int flags)
{
	CUresult r = CUDA_SUCCESS;
	size_t total;
	int count;

	if (flags != 0)
		return CUDA_ERROR_INVALID_VALUE;
	pthread_once(&gp_fake_atfork_once, gp_fake_register_atfork);
	gp_fake_lock();
	if (!gp_fake.initialized) {
		r = read_environment(&count, &total);
		if (r == CUDA_SUCCESS) {
			gp_fake.device_count = count;
			for (int i = 0; i < count; i++) {
				gp_fake.devices[i] = (struct gp_fake_device){.total = total};
				gp_fake.devices[i].primary.device = i;
			}
			gp_fake.initialized = true;
		}
	}
	gp_fake_unlock();
	return r;
}

CUresult gp_fake_cuDriverGetVersion(int *version)
{
	if (!version)
		return CUDA_ERROR_INVALID_VALUE;
	*version = GP_FAKE_DRIVER_VERSION;
	return CUDA_SUCCESS;
}

CUresult gp_fake_cuDeviceGet(CUdevice *device, int ordinal)
{
	CUresult r = gp_fake_enter();

	if (r != CUDA_SUCCESS)
		return r;
	if (!device)
		r = CUDA_ERROR_INVALID_VALUE;
	else if (!gp_fake_device_valid(ordinal))
		r = CUDA_ERROR_INVALID_DEVICE;
	else
		*device = ordinal;
	gp_fake_unlock();
	return r;
}

CUresult gp_fake_cuDeviceGetCount(int *count)
{
	CUresult r = gp_fake_enter();

	if (r != CUDA_SUCCESS)
		return r;
	if (count)
		*count = gp_fake.device_count;
	else
		r = CUDA_ERROR_INVALID_VALUE;
	gp_fake_unlock();
	return r;
}

CUresult gp_fake_cuDeviceTotalMem_v2(size_t *bytes, CUdevice dev)
{
	CUresult r = gp_fake_enter();

	if (r != CUDA_SUCCESS)
		return r;
	if (!bytes)
		r = CUDA_ERROR_INVALID_VALUE;
	else if (!gp_fake_device_valid(dev))
		r = CUDA_ERROR_INVALID_DEVICE;
	else
		*bytes = gp_fake.devices[dev].total;
	gp_fake_unlock();
	return r;
}

CUresult gp_fake_cuCtxCreate_v2(CUcontext *pctx, unsigned int flags, CUdevice dev)
{
	struct gp_fake_ctx *ctx;
	CUresult r = gp_fake_enter();

	(void)flags; /* scheduling flags change nothing here */
	if (r != CUDA_SUCCESS)
		return r;
	if (!pctx) {
		r = CUDA_ERROR_INVALID_VALUE;
	} else if (!gp_fake_device_valid(dev)) {
		r = CUDA_ERROR_INVALID_DEVICE;
	} else if (!(ctx = calloc(1, sizeof(*ctx)))) {
		r = CUDA_ERROR_OUT_OF_MEMORY;
	} else {
		ctx->device = dev;
		ctx->next = gp_fake.contexts;
		gp_fake.contexts = ctx;
		gp_fake_current = ctx;
		*pctx = (CUcontext)ctx;
	}
	gp_fake_unlock();
	return r;
}

CUresult gp_fake_cuCtxDestroy_v2(CUcontext handle)
{
	struct gp_fake_ctx **link, *ctx = (struct gp_fake_ctx *)handle;
	CUresult r = gp_fake_enter();

	if (r != CUDA_SUCCESS)
		return r;
	for (link = &gp_fake.contexts; *link && *link != ctx; link = &(*link)->next)
		;
	if (*link) {
		*link = ctx->next;
		gp_fake_free_allocs(ctx);
		gp_fake_free_modules(ctx);
		if (gp_fake_current == ctx)
			gp_fake_current = NULL;
		free(ctx);
	} else {
		r = CUDA_ERROR_INVALID_CONTEXT; /* unknown, or a primary context */
	}
	gp_fake_unlock();
	return r;
}

CUresult gp_fake_cuCtxGetDevice(CUdevice *device)
{
	struct gp_fake_ctx *ctx;
	CUresult r = gp_fake_enter_ctx(&ctx);

	if (r != CUDA_SUCCESS)
		return r;
	if (device)
		*device = ctx->device;
	else
		r = CUDA_ERROR_INVALID_VALUE;
	gp_fake_unlock();
	return r;
}

CUresult gp_fake_cuCtxSetCurrent(CUcontext handle)
{
	struct gp_fake_ctx *ctx = (struct gp_fake_ctx *)handle;
	CUresult r = gp_fake_enter();

	if (r != CUDA_SUCCESS)
		return r;
	if (ctx && !gp_fake_ctx_live(ctx))
		r = CUDA_ERROR_INVALID_CONTEXT;
	else
		gp_fake_current = ctx;
	gp_fake_unlock();
	return r;
}

CUresult gp_fake_cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev)
{
	CUresult r = gp_fake_enter();

	if (r != CUDA_SUCCESS)
		return r;
	if (!pctx) {
		r = CUDA_ERROR_INVALID_VALUE;
	} else if (!gp_fake_device_valid(dev)) {
		r = CUDA_ERROR_INVALID_DEVICE;
	} else {
		gp_fake.devices[dev].primary_refs++;
		*pctx = (CUcontext)&gp_fake.devices[dev].primary;
	}
	gp_fake_unlock();
	return r;
}

CUresult gp_fake_cuDevicePrimaryCtxRelease_v2(CUdevice dev)
{
	struct gp_fake_device *d;
	CUresult r = gp_fake_enter();

	if (r != CUDA_SUCCESS)
		return r;
	if (!gp_fake_device_valid(dev)) {
		r = CUDA_ERROR_INVALID_DEVICE;
	} else if (!(d = &gp_fake.devices[dev])->primary_refs) {
		r = CUDA_ERROR_INVALID_CONTEXT;
	} else if (!--d->primary_refs) {
		gp_fake_free_allocs(&d->primary);
		gp_fake_free_modules(&d->primary);
	}
	gp_fake_unlock();
	return r;
}
