/* SPDX-License-Identifier: MIT */
/*
 * fake_nvml.h - test-only exports of the NVML TEST DOUBLE (native/build/testing/libnvidia-ml.so.1).
 *
 * TEST-ONLY, never installed or shipped. The double implements the NVML subset of
 * gpupredict/nvml_subset.h from the file named by GP_FAKE_NVML_FILE (format:
 * native/testing/README.md). Tests look these up with dlsym() on dlopen("libnvidia-ml.so.1"); a
 * real NVML lacks them, which is also how a test knows it loaded the double.
 */
#ifndef GP_FAKE_NVML_H
#define GP_FAKE_NVML_H

#include <stddef.h>

/* Limits of one inventory file. */
#define GP_FAKE_NVML_MAX_GPUS	   16
#define GP_FAKE_NVML_MAX_PROCESSES 256
#define GP_FAKE_NVML_MAX_LINE	   1024
/* nvmlSystemGetDriverVersion when the file has no driver line. */
#define GP_FAKE_NVML_DRIVER_VERSION "550.54.15"

struct gp_fake_nvml_stats {
	unsigned int init_depth;    /* successful nvmlInit_v2 not yet matched by nvmlShutdown */
	unsigned int inits;	    /* nvmlInit_v2 calls that succeeded */
	unsigned int inits_failed;  /* nvmlInit_v2 calls that failed */
	unsigned int gpu_count;	    /* GPUs of the inventory in force */
	unsigned int process_count; /* processes of the inventory in force, all GPUs */
};

/* The double's state now. */
typedef void gp_fake_nvml_stats_fn(struct gp_fake_nvml_stats *out);
/*
 * Why the last nvmlInit_v2 failed, e.g. "inventory line 3: gpu: unknown key 'memroy'", NUL-ended
 * and cut to size; "" after a success.
 */
typedef void gp_fake_nvml_diagnostic_fn(char *out, size_t size);

#endif /* GP_FAKE_NVML_H */
