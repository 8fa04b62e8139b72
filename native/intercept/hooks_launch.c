/* SPDX-License-Identifier: MIT */
/*
 * hooks_launch.c - kernel launches, waits and module loads, and the ESTIMATED kernel execution
 * intervals derived from them when no GPU timestamps are available: the GPU is taken to be busy
 * from the first launch after a wait until the next wait returns, and that window is emitted as
 * one GP_EV_KERNEL_EXEC flagged GP_EVF_ESTIMATED (correlation_id = launches it covers).
 * It is an upper bound on busy time: host gaps between launches count as busy.
 */
#include "intercept.h"

static uint64_t gp_first_launch_ns; /* 0 = no launch since the last wait */
static uint64_t gp_launches_in_window;
static uint64_t gp_last_wait_end_ns;

/*
 * On the launch path, so no locked instruction unless the window is new: the counter is bumped
 * with a plain load and store, which can lose a count when threads launch at the same instant.
 * It feeds estimates only (launches per window, GPU time per launch), never accounting.
 */
void gp_launch_note(uint64_t ts_ns)
{
	if (__atomic_load_n(&gp_first_launch_ns, __ATOMIC_RELAXED) == 0) {
		uint64_t none = 0;
		__atomic_compare_exchange_n(&gp_first_launch_ns, &none, ts_ns, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&gp_launches_in_window,
			 __atomic_load_n(&gp_launches_in_window, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
}

void gp_sync_note(uint64_t start_ns, uint64_t end_ns, enum gp_api_id api, uint64_t handle,
		  uint16_t kind)
{
	struct gp_event e;
	gp_event_init(&e, kind, api);
	e.ts_ns = start_ns;
	e.end_ns = end_ns;
	e.stream = handle;
	gp_ring_push(&e);

	uint64_t first = __atomic_exchange_n(&gp_first_launch_ns, 0, __ATOMIC_RELAXED);
	uint64_t launches = __atomic_exchange_n(&gp_launches_in_window, 0, __ATOMIC_RELAXED);
	gp_throttle_after_sync(end_ns - start_ns, launches);
	uint64_t prev_end = __atomic_exchange_n(&gp_last_wait_end_ns, end_ns, __ATOMIC_RELAXED);
	/* With CUPTI on, the real intervals arrive from its records (cupti.c). */
	if (first == 0 || launches == 0 || gp_cupti_active())
		return;
	struct gp_event k;
	gp_event_init(&k, GP_EV_KERNEL_EXEC, api);
	k.ts_ns = first > prev_end ? first : prev_end;
	k.end_ns = end_ns;
	k.correlation_id = launches;
	k.flags = GP_EVF_ESTIMATED;
	gp_ring_push(&k);
}

/* The SM-share throttle, consulted only when the control block may ask for it (else one load). */
static inline void gp_launch_throttle(uint64_t now_ns)
{
	if (__builtin_expect(!gp_control_may_throttle(), 1))
		return;
	struct gp_control ctl = gp_control_get_at(now_ns);
	gp_throttle_before_launch(&ctl);
}

static CUresult gp_launch(struct gp_event *e, CUresult rc)
{
	e->result = rc;
	if (rc != CUDA_SUCCESS)
		e->flags |= GP_EVF_FAILED;
	else
		gp_launch_note(e->ts_ns);
	gp_ring_push(e);
	return rc;
}

static void gp_grid(struct gp_event *e, unsigned int gx, unsigned int gy, unsigned int gz,
		    unsigned int bx, unsigned int by, unsigned int bz, unsigned int shared,
		    CUstream stream)
{
	e->grid_x = gx;
	e->grid_y = gy;
	e->grid_z = gz;
	e->block_x = bx;
	e->block_y = by;
	e->block_z = bz;
	e->shared_mem_bytes = shared;
	e->stream = (uint64_t)(uintptr_t)stream;
}

GP_EXPORT CUresult cuLaunchKernel(CUfunction f, unsigned int gx, unsigned int gy, unsigned int gz,
				  unsigned int bx, unsigned int by, unsigned int bz,
				  unsigned int shared, CUstream stream, void **params, void **extra)
{
	if (!gp_active())
		return gp_call_cuLaunchKernel(f, gx, gy, gz, bx, by, bz, shared, stream, params,
					      extra);
	struct gp_event e;
	gp_event_init(&e, GP_EV_KERNEL_LAUNCH, GP_API_cuLaunchKernel);
	gp_launch_throttle(e.ts_ns);
	gp_grid(&e, gx, gy, gz, bx, by, bz, shared, stream);
	return gp_launch(
	    &e, gp_call_cuLaunchKernel(f, gx, gy, gz, bx, by, bz, shared, stream, params, extra));
}

GP_EXPORT CUresult cuLaunchKernelEx(const CUlaunchConfig *config, CUfunction f, void **params,
				    void **extra)
{
	if (!gp_active())
		return gp_call_cuLaunchKernelEx(config, f, params, extra);
	struct gp_event e;
	gp_event_init(&e, GP_EV_KERNEL_LAUNCH, GP_API_cuLaunchKernelEx);
	gp_launch_throttle(e.ts_ns);
	if (config != NULL)
		gp_grid(&e, config->gridDimX, config->gridDimY, config->gridDimZ, config->blockDimX,
			config->blockDimY, config->blockDimZ, config->sharedMemBytes,
			config->hStream);
	return gp_launch(&e, gp_call_cuLaunchKernelEx(config, f, params, extra));
}

GP_EXPORT CUresult cuLaunchCooperativeKernel(CUfunction f, unsigned int gx, unsigned int gy,
					     unsigned int gz, unsigned int bx, unsigned int by,
					     unsigned int bz, unsigned int shared, CUstream stream,
					     void **params)
{
	if (!gp_active())
		return gp_call_cuLaunchCooperativeKernel(f, gx, gy, gz, bx, by, bz, shared, stream,
							 params);
	struct gp_event e;
	gp_event_init(&e, GP_EV_KERNEL_LAUNCH, GP_API_cuLaunchCooperativeKernel);
	gp_launch_throttle(e.ts_ns);
	gp_grid(&e, gx, gy, gz, bx, by, bz, shared, stream);
	e.flags |= GP_EVF_COOPERATIVE;
	return gp_launch(&e, gp_call_cuLaunchCooperativeKernel(f, gx, gy, gz, bx, by, bz, shared,
							       stream, params));
}

GP_EXPORT CUresult cuCtxSynchronize(void)
{
	uint64_t start = gp_now_ns();
	CUresult rc = gp_call_cuCtxSynchronize();
	gp_sync_note(start, gp_now_ns(), GP_API_cuCtxSynchronize, 0, GP_EV_SYNC_CONTEXT);
	return rc;
}

GP_EXPORT CUresult cuStreamSynchronize(CUstream stream)
{
	uint64_t start = gp_now_ns();
	CUresult rc = gp_call_cuStreamSynchronize(stream);
	gp_sync_note(start, gp_now_ns(), GP_API_cuStreamSynchronize, (uint64_t)(uintptr_t)stream,
		     GP_EV_SYNC_STREAM);
	return rc;
}

GP_EXPORT CUresult cuEventSynchronize(CUevent event)
{
	uint64_t start = gp_now_ns();
	CUresult rc = gp_call_cuEventSynchronize(event);
	gp_sync_note(start, gp_now_ns(), GP_API_cuEventSynchronize, (uint64_t)(uintptr_t)event,
		     GP_EV_SYNC_EVENT);
	return rc;
}

static CUresult gp_module(CUresult rc, enum gp_api_id api, uint64_t start)
{
	struct gp_event e;
	gp_event_init(&e, GP_EV_MODULE_LOAD, api);
	e.ts_ns = start;
	e.result = rc;
	if (rc != CUDA_SUCCESS)
		e.flags |= GP_EVF_FAILED;
	gp_ring_push(&e);
	return rc;
}

GP_EXPORT CUresult cuModuleLoad(CUmodule *module, const char *fname)
{
	uint64_t start = gp_now_ns();
	return gp_module(gp_call_cuModuleLoad(module, fname), GP_API_cuModuleLoad, start);
}

GP_EXPORT CUresult cuModuleLoadData(CUmodule *module, const void *image)
{
	uint64_t start = gp_now_ns();
	return gp_module(gp_call_cuModuleLoadData(module, image), GP_API_cuModuleLoadData, start);
}

GP_EXPORT CUresult cuModuleLoadDataEx(CUmodule *module, const void *image, unsigned int n,
				      CUjit_option *options, void **values)
{
	uint64_t start = gp_now_ns();
	return gp_module(gp_call_cuModuleLoadDataEx(module, image, n, options, values),
			 GP_API_cuModuleLoadDataEx, start);
}

GP_EXPORT CUresult cuModuleGetFunction(CUfunction *f, CUmodule module, const char *name)
{
	return gp_call_cuModuleGetFunction(f, module, name);
}
