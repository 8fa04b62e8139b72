/* SPDX-License-Identifier: MIT */
/*
 * hooks_context.c - initialisation, devices and contexts; the virtual GPU's memory size.
 */
#include "intercept.h"

static void gp_lifecycle(uint16_t kind, enum gp_api_id api, CUdevice dev, CUresult rc)
{
	struct gp_event e;
	gp_event_init(&e, kind, api);
	e.device = dev;
	e.result = rc;
	if (rc != CUDA_SUCCESS)
		e.flags |= GP_EVF_FAILED;
	gp_ring_push(&e);
}

GP_EXPORT CUresult cuInit(unsigned int flags)
{
	CUresult rc = gp_call_cuInit(flags);
	if (rc == CUDA_SUCCESS) {
		gp_link_start();
		gp_cupti_on_cuinit();
	}
	return rc;
}

GP_EXPORT CUresult cuDriverGetVersion(int *version)
{
	return gp_call_cuDriverGetVersion(version);
}

GP_EXPORT CUresult cuDeviceGet(CUdevice *device, int ordinal)
{
	return gp_call_cuDeviceGet(device, ordinal);
}

GP_EXPORT CUresult cuDeviceGetCount(int *count)
{
	return gp_call_cuDeviceGetCount(count);
}

GP_EXPORT CUresult cuCtxCreate_v2(CUcontext *pctx, unsigned int flags, CUdevice dev)
{
	gp_link_start();
	CUresult rc = gp_call_cuCtxCreate_v2(pctx, flags, dev);
	gp_lifecycle(GP_EV_CONTEXT_CREATE, GP_API_cuCtxCreate_v2, dev, rc);
	if (rc == CUDA_SUCCESS)
		gp_pool_poke();
	return rc;
}

GP_EXPORT CUresult cuCtxDestroy_v2(CUcontext ctx)
{
	CUdevice dev = -1;
	CUresult rc = gp_call_cuCtxDestroy_v2(ctx);
	gp_lifecycle(GP_EV_CONTEXT_DESTROY, GP_API_cuCtxDestroy_v2, dev, rc);
	return rc;
}

GP_EXPORT CUresult cuCtxGetDevice(CUdevice *device)
{
	return gp_call_cuCtxGetDevice(device);
}

GP_EXPORT CUresult cuCtxSetCurrent(CUcontext ctx)
{
	return gp_call_cuCtxSetCurrent(ctx);
}

GP_EXPORT CUresult cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev)
{
	gp_link_start();
	CUresult rc = gp_call_cuDevicePrimaryCtxRetain(pctx, dev);
	gp_lifecycle(GP_EV_CONTEXT_CREATE, GP_API_cuDevicePrimaryCtxRetain, dev, rc);
	if (rc == CUDA_SUCCESS)
		gp_pool_poke();
	return rc;
}

GP_EXPORT CUresult cuDevicePrimaryCtxRelease_v2(CUdevice dev)
{
	CUresult rc = gp_call_cuDevicePrimaryCtxRelease_v2(dev);
	gp_lifecycle(GP_EV_CONTEXT_DESTROY, GP_API_cuDevicePrimaryCtxRelease_v2, dev, rc);
	return rc;
}

/* The virtual GPU's size, when the daemon set one; the physical size otherwise. */
GP_EXPORT CUresult cuDeviceTotalMem_v2(size_t *bytes, CUdevice dev)
{
	CUresult rc = gp_call_cuDeviceTotalMem_v2(bytes, dev);
	struct gp_control ctl = gp_control_get();
	if (rc == CUDA_SUCCESS && bytes != NULL && ctl.valid && ctl.virtual_total_bytes != 0 &&
	    (ctl.device < 0 || ctl.device == dev))
		*bytes = (size_t)ctl.virtual_total_bytes;
	return rc;
}

/*
 * Free memory as the application's virtual GPU sees it: what is left of the virtual size after its
 * allocations, never more than the device really has free plus the application's own pre-mapped
 * reserve (which the driver counts as used but which is the application's to take).
 */
GP_EXPORT CUresult cuMemGetInfo_v2(size_t *free, size_t *total)
{
	CUresult rc = gp_call_cuMemGetInfo_v2(free, total);
	struct gp_control ctl = gp_control_get();
	if (rc != CUDA_SUCCESS || free == NULL || total == NULL || !ctl.valid ||
	    ctl.virtual_total_bytes == 0)
		return rc;
	uint64_t used = gp_vram_used();
	uint64_t left = used < ctl.virtual_total_bytes ? ctl.virtual_total_bytes - used : 0;
	uint64_t really = (uint64_t)*free + gp_pool_free_bytes();
	*total = (size_t)ctl.virtual_total_bytes;
	*free = (size_t)(left < really ? left : really);
	return rc;
}
