/* SPDX-License-Identifier: MIT */
/*
 * fake_cuda_test.h - the harness shared by the tests of the libcuda TEST DOUBLE
 * (native/testing/): the entry points resolved with dlsym, and EXPECT macros that count passes and
 * print each failure on stderr.
 */
#ifndef GP_FAKE_CUDA_TEST_H
#define GP_FAKE_CUDA_TEST_H

#include <stdbool.h>

#include "gpupredict/cuda_subset.h"
#include "../../native/testing/fake_cuda.h"

#define MiB ((size_t)1 << 20)
#define GiB ((size_t)1 << 30)

/* Every entry point of cuda_api.def, typed, as dlsym found it in the double; plus fake_cuda.h's. */
struct fake_api {
#define GP_CUDA_API(name, params, args) CUresult(*name) params;
#include "gpupredict/cuda_api.def"
#undef GP_CUDA_API
	gp_fake_cuda_stats_fn *stats;
	gp_fake_cuda_reset_fn *reset;
	gp_fake_cuda_api_name_fn *api_name;
};

extern struct fake_api cu;

bool expect_eq(const char *what, long long got, long long want, const char *file, int line);

#define EXPECT_EQ(what, got, want)                                                                 \
	expect_eq((what), (long long)(got), (long long)(want), __FILE__, __LINE__)
#define EXPECT_TRUE(what, cond) EXPECT_EQ((what), (cond) ? 1 : 0, 1)
/* A call and the CUresult it must return. */
#define EXPECT_CU(call, want) EXPECT_EQ(#call, (call), (want))
#define EXPECT_OK(call)	      EXPECT_CU(call, CUDA_SUCCESS)

/* The double's state now. */
struct gp_fake_cuda_stats fake_stats(void);

/* Tests in fake_cuda_vmm_test.c; they run with the double initialised and a context current. */
void test_vmm_granularity(void);
void test_vmm_lifecycle(void);
void test_vmm_errors(void);
void test_ipc(void);

#endif /* GP_FAKE_CUDA_TEST_H */
