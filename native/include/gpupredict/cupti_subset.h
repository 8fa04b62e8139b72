/* SPDX-License-Identifier: MIT */
/*
 * gpupredict/cupti_subset.h - the part of the CUPTI Activity API (cupti_activity.h,
 * cupti_result.h) that the interposer uses to read GPU execution intervals, declared from the CUPTI
 * reference so that neither the interposer nor its test double needs the CUDA toolkit. libcupti is
 * dlopened, never linked: the function types below are for dlsym.
 *
 * Activity records. CUPTI versions its record structures (CUpti_ActivityKernel4 .. 9,
 * CUpti_ActivityMemcpy3 .. 5, CUpti_ActivityMemset2 .. 4) and a given libcupti writes one version
 * per kind; a reader compiled against another version's header would misread the tail. Only the
 * PREFIXES below are read: each is the same in every version CUPTI has produced since CUDA 9
 * (Kernel4) and CUDA 10/11 (Memcpy3, Memset2) up to CUDA 12 (Kernel9, Memcpy5, Memset4); later
 * versions only append fields. Records are packed and 8-byte aligned (CUPTI's PACKED_ALIGNMENT),
 * which the prefix structs repeat, and their offsets are pinned by _Static_assert.
 *
 * These layouts were taken from the published headers and have not been checked here against a
 * live libcupti: a GPU host must confirm them (e.g. offsetof() on cupti_activity.h of the CUDA
 * version in use, or comparing a real record's fields with nsys' view of the same kernel).
 */
#ifndef GPUPREDICT_CUPTI_SUBSET_H
#define GPUPREDICT_CUPTI_SUBSET_H

#include <stddef.h>
#include <stdint.h>

#include "gpupredict/cuda_subset.h"

/* cupti_result.h; callers only ever test for CUPTI_SUCCESS, and MAX_LIMIT_REACHED ends a walk. */
typedef enum {
	CUPTI_SUCCESS = 0,
	CUPTI_ERROR_INVALID_PARAMETER = 1,
	CUPTI_ERROR_MAX_LIMIT_REACHED = 12,
	CUPTI_ERROR_INVALID_KIND = 21,
	CUPTI_ERROR_UNKNOWN = 999,
} CUptiResult;

typedef enum {
	CUPTI_ACTIVITY_KIND_INVALID = 0,
	CUPTI_ACTIVITY_KIND_MEMCPY = 1,
	CUPTI_ACTIVITY_KIND_MEMSET = 2,
	CUPTI_ACTIVITY_KIND_KERNEL = 3,
	CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL = 10,
} CUpti_ActivityKind;

/* CUpti_ActivityMemcpyKind, stored in a byte of the memcpy record (A = a CUDA array). */
typedef enum {
	CUPTI_ACTIVITY_MEMCPY_KIND_UNKNOWN = 0,
	CUPTI_ACTIVITY_MEMCPY_KIND_HTOD = 1,
	CUPTI_ACTIVITY_MEMCPY_KIND_DTOH = 2,
	CUPTI_ACTIVITY_MEMCPY_KIND_HTOA = 3,
	CUPTI_ACTIVITY_MEMCPY_KIND_ATOH = 4,
	CUPTI_ACTIVITY_MEMCPY_KIND_ATOA = 5,
	CUPTI_ACTIVITY_MEMCPY_KIND_ATOD = 6,
	CUPTI_ACTIVITY_MEMCPY_KIND_DTOA = 7,
	CUPTI_ACTIVITY_MEMCPY_KIND_DTOD = 8,
	CUPTI_ACTIVITY_MEMCPY_KIND_HTOH = 9,
	CUPTI_ACTIVITY_MEMCPY_KIND_PTOP = 10,
} CUpti_ActivityMemcpyKind;

#define GP_CUPTI_PACKED __attribute__((packed, aligned(8)))

/* The common head of every record: its kind says which prefix follows. */
typedef struct GP_CUPTI_PACKED {
	CUpti_ActivityKind kind;
} CUpti_Activity;

/* Prefix of CUpti_ActivityKernel4 .. 9 (kinds KERNEL and CONCURRENT_KERNEL). */
struct GP_CUPTI_PACKED gp_cupti_kernel_prefix {
	CUpti_ActivityKind kind;
	uint8_t cache_config;
	uint8_t shared_memory_config;
	uint16_t registers_per_thread;
	uint32_t partitioned_global_cache_requested;
	uint32_t partitioned_global_cache_executed;
	uint64_t start; /* ns, CUPTI's time base; start == end == 0: not collected */
	uint64_t end;
	uint64_t completed;
	uint32_t device_id;
	uint32_t context_id;
	uint32_t stream_id;
	int32_t grid_x, grid_y, grid_z;
	int32_t block_x, block_y, block_z;
	int32_t static_shared_memory; /* bytes per block */
	int32_t dynamic_shared_memory;
	uint32_t local_memory_per_thread;
	uint32_t local_memory_total;
	uint32_t correlation_id;
};

/* Prefix of CUpti_ActivityMemcpy3 .. 5 (kind MEMCPY). */
struct GP_CUPTI_PACKED gp_cupti_memcpy_prefix {
	CUpti_ActivityKind kind;
	uint8_t copy_kind; /* CUpti_ActivityMemcpyKind */
	uint8_t src_kind;
	uint8_t dst_kind;
	uint8_t flags;
	uint64_t bytes;
	uint64_t start;
	uint64_t end;
	uint32_t device_id;
	uint32_t context_id;
	uint32_t stream_id;
	uint32_t correlation_id;
};

/* Prefix of CUpti_ActivityMemset2 .. 4 (kind MEMSET). */
struct GP_CUPTI_PACKED gp_cupti_memset_prefix {
	CUpti_ActivityKind kind;
	uint32_t value;
	uint64_t bytes;
	uint64_t start;
	uint64_t end;
	uint32_t device_id;
	uint32_t context_id;
	uint32_t stream_id;
	uint32_t correlation_id;
};

_Static_assert(sizeof(CUpti_ActivityKind) == 4, "CUPTI enums are 4 bytes");
_Static_assert(offsetof(struct gp_cupti_kernel_prefix, start) == 16, "kernel.start");
_Static_assert(offsetof(struct gp_cupti_kernel_prefix, end) == 24, "kernel.end");
_Static_assert(offsetof(struct gp_cupti_kernel_prefix, completed) == 32, "kernel.completed");
_Static_assert(offsetof(struct gp_cupti_kernel_prefix, device_id) == 40, "kernel.deviceId");
_Static_assert(offsetof(struct gp_cupti_kernel_prefix, context_id) == 44, "kernel.contextId");
_Static_assert(offsetof(struct gp_cupti_kernel_prefix, stream_id) == 48, "kernel.streamId");
_Static_assert(offsetof(struct gp_cupti_kernel_prefix, grid_x) == 52, "kernel.gridX");
_Static_assert(offsetof(struct gp_cupti_kernel_prefix, grid_z) == 60, "kernel.gridZ");
_Static_assert(offsetof(struct gp_cupti_kernel_prefix, block_x) == 64, "kernel.blockX");
_Static_assert(offsetof(struct gp_cupti_kernel_prefix, block_z) == 72, "kernel.blockZ");
_Static_assert(offsetof(struct gp_cupti_kernel_prefix, static_shared_memory) == 76,
	       "kernel.staticSharedMemory");
_Static_assert(offsetof(struct gp_cupti_kernel_prefix, dynamic_shared_memory) == 80,
	       "kernel.dynamicSharedMemory");
_Static_assert(offsetof(struct gp_cupti_kernel_prefix, correlation_id) == 92,
	       "kernel.correlationId");
_Static_assert(offsetof(struct gp_cupti_memcpy_prefix, copy_kind) == 4, "memcpy.copyKind");
_Static_assert(offsetof(struct gp_cupti_memcpy_prefix, bytes) == 8, "memcpy.bytes");
_Static_assert(offsetof(struct gp_cupti_memcpy_prefix, start) == 16, "memcpy.start");
_Static_assert(offsetof(struct gp_cupti_memcpy_prefix, end) == 24, "memcpy.end");
_Static_assert(offsetof(struct gp_cupti_memcpy_prefix, device_id) == 32, "memcpy.deviceId");
_Static_assert(offsetof(struct gp_cupti_memcpy_prefix, context_id) == 36, "memcpy.contextId");
_Static_assert(offsetof(struct gp_cupti_memcpy_prefix, stream_id) == 40, "memcpy.streamId");
_Static_assert(offsetof(struct gp_cupti_memcpy_prefix, correlation_id) == 44,
	       "memcpy.correlationId");
_Static_assert(offsetof(struct gp_cupti_memset_prefix, value) == 4, "memset.value");
_Static_assert(offsetof(struct gp_cupti_memset_prefix, bytes) == 8, "memset.bytes");
_Static_assert(offsetof(struct gp_cupti_memset_prefix, start) == 16, "memset.start");
_Static_assert(offsetof(struct gp_cupti_memset_prefix, end) == 24, "memset.end");
_Static_assert(offsetof(struct gp_cupti_memset_prefix, device_id) == 32, "memset.deviceId");
_Static_assert(offsetof(struct gp_cupti_memset_prefix, context_id) == 36, "memset.contextId");
_Static_assert(offsetof(struct gp_cupti_memset_prefix, stream_id) == 40, "memset.streamId");
_Static_assert(offsetof(struct gp_cupti_memset_prefix, correlation_id) == 44,
	       "memset.correlationId");

/*
 * Buffer callbacks. CUPTI asks for an empty buffer (the callee sets *buffer, *size and
 * *maxNumRecords, 0 = as many as fit; *buffer = NULL makes CUPTI drop records) and hands it back
 * full, validSize bytes of records, on a thread of its own or the one calling FlushAll; the callee
 * owns and frees it.
 */
typedef void (*CUpti_BuffersCallbackRequestFunc)(uint8_t **buffer, size_t *size,
						 size_t *maxNumRecords);
typedef void (*CUpti_BuffersCallbackCompleteFunc)(CUcontext ctx, uint32_t streamId, uint8_t *buffer,
						  size_t size, size_t validSize);

/* The entry points, as function types for dlsym: gp_cupti_<name>_fn. */
#define GP_CUPTI_API_LIST(X)                                                                       \
	X(cuptiActivityRegisterCallbacks, (CUpti_BuffersCallbackRequestFunc funcBufferRequested,   \
					   CUpti_BuffersCallbackCompleteFunc funcBufferCompleted)) \
	X(cuptiActivityEnable, (CUpti_ActivityKind kind))                                          \
	X(cuptiActivityDisable, (CUpti_ActivityKind kind))                                         \
	/* *record = NULL starts the walk; CUPTI_ERROR_MAX_LIMIT_REACHED ends it. */               \
	X(cuptiActivityGetNextRecord,                                                              \
	  (uint8_t * buffer, size_t validBufferSizeBytes, CUpti_Activity * *record))               \
	/* flag 0: completed records only; CUPTI_ACTIVITY_FLAG_FLUSH_FORCED (1) all. */            \
	X(cuptiActivityFlushAll, (uint32_t flag))                                                  \
	X(cuptiGetTimestamp, (uint64_t * timestamp))

#define GP_CUPTI_DECLARE_TYPE(name, params) typedef CUptiResult(*gp_cupti_##name##_fn) params;
GP_CUPTI_API_LIST(GP_CUPTI_DECLARE_TYPE)
#undef GP_CUPTI_DECLARE_TYPE

#endif /* GPUPREDICT_CUPTI_SUBSET_H */
