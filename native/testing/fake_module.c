/* SPDX-License-Identifier: MIT */
/*
 * fake_module.c - libcuda TEST DOUBLE (test-only): modules, launches and waits.
 *
 * No image is read and nothing runs: a module hands out one function handle per name, a launch
 * checks that its function is live and its grid and block are not empty, counts, and returns at
 * once; every wait succeeds at once, since every copy and set has already happened.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "fake_internal.h"

static CUresult module_load(CUmodule *module, const void *source)
{
	struct gp_fake_module *m;
	struct gp_fake_ctx *ctx;
	CUresult r = gp_fake_enter_ctx(&ctx);

	if (r != CUDA_SUCCESS)
		return r;
	if (!module || !source) {
		r = CUDA_ERROR_INVALID_VALUE;
	} else if (!(m = calloc(1, sizeof(*m)))) {
		r = CUDA_ERROR_OUT_OF_MEMORY;
	} else {
		m->ctx = ctx;
		m->next = gp_fake.modules;
		gp_fake.modules = m;
		*module = (CUmodule)m;
	}
	gp_fake_unlock();
	return r;
}

CUresult gp_fake_cuModuleLoad(CUmodule *module, const char *fname)
{
	return module_load(module, fname);
}

CUresult gp_fake_cuModuleLoadData(CUmodule *module, const void *image)
{
	return module_load(module, image);
}

CUresult gp_fake_cuModuleLoadDataEx(CUmodule *module, const void *image, unsigned int num_options,
				    CUjit_option *options, void **values)
{
	if (num_options && (!options || !values))
		return CUDA_ERROR_INVALID_VALUE;
	return module_load(module, image);
}

static struct gp_fake_module *module_find(CUmodule handle)
{
	struct gp_fake_module *m;

	for (m = gp_fake.modules; m && m != (struct gp_fake_module *)handle; m = m->next)
		;
	return m;
}

/* The module's handle for NAME, created on first use; NULL when out of memory. */
static struct gp_fake_function *function_get(struct gp_fake_module *m, const char *name)
{
	struct gp_fake_function *fn;

	for (fn = m->functions; fn; fn = fn->next)
		if (!strcmp(fn->name, name))
			return fn;
	fn = calloc(1, sizeof(*fn));
	if (!fn)
		return NULL;
	fn->name = strdup(name);
	if (!fn->name) {
		free(fn);
		return NULL;
	}
	fn->next = m->functions;
	m->functions = fn;
	return fn;
}

CUresult gp_fake_cuModuleGetFunction(CUfunction *f, CUmodule module, const char *name)
{
	struct gp_fake_function *fn;
	struct gp_fake_module *m;
	CUresult r = gp_fake_enter();

	if (r != CUDA_SUCCESS)
		return r;
	if (!f || !name || !*name)
		r = CUDA_ERROR_INVALID_VALUE;
	else if (!(m = module_find(module)))
		r = CUDA_ERROR_INVALID_HANDLE;
	else if (!(fn = function_get(m, name)))
		r = CUDA_ERROR_OUT_OF_MEMORY;
	else
		*f = (CUfunction)fn;
	gp_fake_unlock();
	return r;
}

bool gp_fake_function_live(CUfunction f)
{
	const struct gp_fake_function *fn;
	const struct gp_fake_module *m;

	for (m = gp_fake.modules; m; m = m->next)
		for (fn = m->functions; fn; fn = fn->next)
			if (fn == (const struct gp_fake_function *)f)
				return true;
	return false;
}

void gp_fake_free_modules(const struct gp_fake_ctx *ctx)
{
	struct gp_fake_module **link = &gp_fake.modules, *m;
	struct gp_fake_function *fn;

	while ((m = *link)) {
		if (ctx && m->ctx != ctx) {
			link = &m->next;
			continue;
		}
		*link = m->next;
		while ((fn = m->functions)) {
			m->functions = fn->next;
			free(fn->name);
			free(fn);
		}
		free(m);
	}
}

static CUresult launch(CUfunction f, unsigned int gx, unsigned int gy, unsigned int gz,
		       unsigned int bx, unsigned int by, unsigned int bz)
{
	struct gp_fake_ctx *ctx;
	CUresult r = gp_fake_enter_ctx(&ctx);

	if (r != CUDA_SUCCESS)
		return r;
	if (!f || !gp_fake_function_live(f))
		r = CUDA_ERROR_INVALID_HANDLE;
	else if (!gx || !gy || !gz || !bx || !by || !bz)
		r = CUDA_ERROR_INVALID_VALUE;
	else
		gp_fake.launches++;
	gp_fake_unlock();
	return r;
}

CUresult gp_fake_cuLaunchKernel(CUfunction f, unsigned int gx, unsigned int gy, unsigned int gz,
				unsigned int bx, unsigned int by, unsigned int bz,
				unsigned int shared, CUstream stream, void **params, void **extra)
{
	(void)shared, (void)stream, (void)params, (void)extra;
	return launch(f, gx, gy, gz, bx, by, bz);
}

CUresult gp_fake_cuLaunchKernelEx(const CUlaunchConfig *config, CUfunction f, void **params,
				  void **extra)
{
	(void)params, (void)extra;
	if (!config)
		return CUDA_ERROR_INVALID_VALUE;
	return launch(f, config->gridDimX, config->gridDimY, config->gridDimZ, config->blockDimX,
		      config->blockDimY, config->blockDimZ);
}

CUresult gp_fake_cuLaunchCooperativeKernel(CUfunction f, unsigned int gx, unsigned int gy,
					   unsigned int gz, unsigned int bx, unsigned int by,
					   unsigned int bz, unsigned int shared, CUstream stream,
					   void **params)
{
	(void)shared, (void)stream, (void)params;
	return launch(f, gx, gy, gz, bx, by, bz);
}

CUresult gp_fake_cuCtxSynchronize(void)
{
	struct gp_fake_ctx *ctx;
	CUresult r = gp_fake_enter_ctx(&ctx);

	if (r == CUDA_SUCCESS)
		gp_fake_unlock();
	return r;
}

CUresult gp_fake_cuStreamSynchronize(CUstream stream)
{
	CUresult r = gp_fake_enter();

	(void)stream;
	if (r == CUDA_SUCCESS)
		gp_fake_unlock();
	return r;
}

CUresult gp_fake_cuEventSynchronize(CUevent event)
{
	CUresult r = gp_fake_enter();

	if (r != CUDA_SUCCESS)
		return r;
	gp_fake_unlock();
	return event ? CUDA_SUCCESS : CUDA_ERROR_INVALID_HANDLE;
}
