/* SPDX-License-Identifier: MIT */
/*
 * gpupredict/nvml_subset.h - the part of NVML (libnvidia-ml.so.1) that gpupredictd uses to take
 * a GPU inventory, declared from NVIDIA's NVML API reference (return codes, types, signatures) so
 * that neither the daemon's tests nor the NVML test double needs the driver or the CUDA toolkit.
 * Only what is used is declared. The daemon itself resolves these from C# (Gpupredict.Interop.Nvml,
 * whose NvmlReturn enum mirrors the codes below); the native test double implements them.
 *
 * Versioned entry points carry the suffix the library exports (nvmlInit_v2 and so on): nvml.h maps
 * the plain names onto them with #define.
 */
#ifndef GPUPREDICT_NVML_SUBSET_H
#define GPUPREDICT_NVML_SUBSET_H

#include <stddef.h>

/* nvmlReturn_t: every code NVML documents, so that nvmlErrorString can name any of them. */
typedef enum nvmlReturn_enum {
	NVML_SUCCESS = 0,
	NVML_ERROR_UNINITIALIZED = 1,
	NVML_ERROR_INVALID_ARGUMENT = 2,
	NVML_ERROR_NOT_SUPPORTED = 3,
	NVML_ERROR_NO_PERMISSION = 4,
	NVML_ERROR_ALREADY_INITIALIZED = 5,
	NVML_ERROR_NOT_FOUND = 6,
	NVML_ERROR_INSUFFICIENT_SIZE = 7,
	NVML_ERROR_INSUFFICIENT_POWER = 8,
	NVML_ERROR_DRIVER_NOT_LOADED = 9,
	NVML_ERROR_TIMEOUT = 10,
	NVML_ERROR_IRQ_ISSUE = 11,
	NVML_ERROR_LIBRARY_NOT_FOUND = 12,
	NVML_ERROR_FUNCTION_NOT_FOUND = 13,
	NVML_ERROR_CORRUPTED_INFOROM = 14,
	NVML_ERROR_GPU_IS_LOST = 15,
	NVML_ERROR_RESET_REQUIRED = 16,
	NVML_ERROR_OPERATING_SYSTEM = 17,
	NVML_ERROR_LIB_RM_VERSION_MISMATCH = 18,
	NVML_ERROR_IN_USE = 19,
	NVML_ERROR_MEMORY = 20,
	NVML_ERROR_NO_DATA = 21,
	NVML_ERROR_VGPU_ECC_NOT_ENABLED = 22,
	NVML_ERROR_INSUFFICIENT_RESOURCES = 23,
	NVML_ERROR_FREQ_NOT_SUPPORTED = 24,
	NVML_ERROR_ARGUMENT_VERSION_MISMATCH = 25,
	NVML_ERROR_DEPRECATED = 26,
	NVML_ERROR_NOT_READY = 27,
	NVML_ERROR_GPU_NOT_FOUND = 28,
	NVML_ERROR_INVALID_STATE = 29,
	NVML_ERROR_UNKNOWN = 999,
} nvmlReturn_t;

/* An opaque device handle, valid between nvmlInit_v2 and the matching nvmlShutdown. */
typedef struct nvmlDevice_st *nvmlDevice_t;

/* Buffer sizes NVML documents as always large enough (bytes, terminating NUL included). */
#define NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE 80
#define NVML_DEVICE_NAME_V2_BUFFER_SIZE	       96
#define NVML_DEVICE_UUID_V2_BUFFER_SIZE	       96

/* nvmlDeviceGetMemoryInfo: bytes. */
typedef struct nvmlMemory_st {
	unsigned long long total;
	unsigned long long free;
	unsigned long long used;
} nvmlMemory_t;

/* nvmlDeviceGetMigMode: current and pending mode. */
#define NVML_DEVICE_MIG_DISABLE 0x0
#define NVML_DEVICE_MIG_ENABLE	0x1

typedef enum nvmlComputeMode_enum {
	NVML_COMPUTEMODE_DEFAULT = 0,
	NVML_COMPUTEMODE_EXCLUSIVE_THREAD = 1, /* deprecated by NVIDIA */
	NVML_COMPUTEMODE_PROHIBITED = 2,
	NVML_COMPUTEMODE_EXCLUSIVE_PROCESS = 3,
} nvmlComputeMode_t;

/* usedGpuMemory when the driver cannot tell (e.g. MIG without the privilege to see it). */
#define NVML_VALUE_NOT_AVAILABLE (~0ULL)
/* gpuInstanceId / computeInstanceId of a process on a GPU not in MIG mode. */
#define NVML_INSTANCE_ID_NONE 0xFFFFFFFFu

/*
 * nvmlProcessInfo_t as nvmlDeviceGetComputeRunningProcesses_v3 fills it (NVML's
 * nvmlProcessInfo_v2_t: 24 bytes, 4 bytes of padding after pid).
 */
typedef struct nvmlProcessInfo_st {
	unsigned int pid;
	unsigned long long usedGpuMemory; /* bytes, or NVML_VALUE_NOT_AVAILABLE */
	unsigned int gpuInstanceId;
	unsigned int computeInstanceId;
} nvmlProcessInfo_t;

_Static_assert(sizeof(nvmlMemory_t) == 24, "nvmlMemory_t is three 64-bit counts");
_Static_assert(sizeof(nvmlProcessInfo_t) == 24, "nvmlProcessInfo_t (v2) is 24 bytes");
_Static_assert(offsetof(nvmlProcessInfo_t, usedGpuMemory) == 8, "usedGpuMemory after padding");
_Static_assert(offsetof(nvmlProcessInfo_t, gpuInstanceId) == 16, "gpuInstanceId");
_Static_assert(offsetof(nvmlProcessInfo_t, computeInstanceId) == 20, "computeInstanceId");

/*
 * nvmlInit_v2 is reference counted: each successful call needs one nvmlShutdown. Everything else
 * but nvmlErrorString returns NVML_ERROR_UNINITIALIZED before it. String getters return
 * NVML_ERROR_INSUFFICIENT_SIZE when length cannot hold the text and its NUL.
 * nvmlDeviceGetComputeRunningProcesses_v3: *infoCount is the capacity of infos on entry and the
 * number of processes on return; when they do not fit (or infos is NULL with processes running),
 * it returns NVML_ERROR_INSUFFICIENT_SIZE with *infoCount set to the number needed.
 */
nvmlReturn_t nvmlInit_v2(void);
nvmlReturn_t nvmlShutdown(void);
const char *nvmlErrorString(nvmlReturn_t result);
nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length);
nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *deviceCount);
nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device);
nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length);
nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length);
nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory);
nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t device, unsigned int *currentMode,
				  unsigned int *pendingMode);
nvmlReturn_t nvmlDeviceGetComputeMode(nvmlDevice_t device, nvmlComputeMode_t *mode);
nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t device, unsigned int *infoCount,
						     nvmlProcessInfo_t *infos);
nvmlReturn_t nvmlDeviceGetMultiProcessorCount(nvmlDevice_t device,
					      unsigned int *multiProcessorCount);

#endif /* GPUPREDICT_NVML_SUBSET_H */
