/* SPDX-License-Identifier: MIT */
/*
 * fake_cupti.c - TEST DOUBLE of libcupti, built as native/build/testing/libcupti.so (soname
 * libcupti.so). TEST-ONLY: never installed, never shipped; see native/testing/README.md.
 *
 * It implements the CUPTI Activity API subset of gpupredict/cupti_subset.h, enough for the
 * interposer's cupti.c to run on machines without a GPU: buffer callbacks, enabling kinds, walking
 * records, flushing, timestamps. There is no GPU activity of its own: tests make some with the
 * gp_fake_cupti_emit_* functions of fake_cupti.h, which write records laid out as the real
 * versioned structures (below) into the registered buffer. A buffer goes to the completion
 * callback on cuptiActivityFlushAll (when it holds records) or when the next record does not fit.
 *
 * The clock is CLOCK_REALTIME, deliberately not CLOCK_MONOTONIC: a reader must convert time bases.
 * GP_FAKE_CUPTI_FAIL_ENABLE=<kind> makes cuptiActivityEnable(kind) fail, for fail-open tests.
 * One mutex; no constructors; never prints.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gpupredict/cupti_subset.h"
#include "fake_cupti.h"

#define GP_FAKE_CUPTI_EXPORT __attribute__((visibility("default")))

/*
 * CUpti_ActivityKernel9-like: every field of Kernel8 at its offset (through localMemoryTotal_v2
 * at 192), then 8 bytes standing for what later versions append. Readers use the prefix only.
 */
struct GP_CUPTI_PACKED gp_fake_kernel_record {
	uint32_t kind;
	uint8_t cache_config;
	uint8_t shared_memory_config;
	uint16_t registers_per_thread;
	uint32_t partitioned_global_cache_requested;
	uint32_t partitioned_global_cache_executed;
	uint64_t start, end, completed;
	uint32_t device_id, context_id, stream_id;
	int32_t grid_x, grid_y, grid_z;
	int32_t block_x, block_y, block_z;
	int32_t static_shared_memory, dynamic_shared_memory;
	uint32_t local_memory_per_thread, local_memory_total;
	uint32_t correlation_id;
	int64_t grid_id;
	uint64_t name;	    /* const char * */
	uint64_t reserved0; /* void * */
	uint64_t queued, submitted;
	uint8_t launch_type, carveout_requested, carveout, padding;
	uint32_t shared_memory_executed;
	uint64_t graph_node_id;
	uint32_t shmem_limit_config, graph_id;
	uint64_t access_policy_window; /* CUaccessPolicyWindow * */
	uint32_t channel_id, channel_type;
	uint32_t cluster_x, cluster_y, cluster_z, cluster_scheduling_policy;
	uint64_t local_memory_total_v2;
	uint32_t later[2];
};

/* CUpti_ActivityMemcpy5. */
struct GP_CUPTI_PACKED gp_fake_memcpy_record {
	uint32_t kind;
	uint8_t copy_kind, src_kind, dst_kind, flags;
	uint64_t bytes, start, end;
	uint32_t device_id, context_id, stream_id, correlation_id, runtime_correlation_id, pad;
	uint64_t reserved0, graph_node_id;
	uint32_t graph_id, padding, channel_id, channel_type;
};

/* CUpti_ActivityMemset4. */
struct GP_CUPTI_PACKED gp_fake_memset_record {
	uint32_t kind, value;
	uint64_t bytes, start, end;
	uint32_t device_id, context_id, stream_id, correlation_id;
	uint16_t flags, memory_kind;
	uint32_t pad;
	uint64_t reserved0, graph_node_id;
	uint32_t graph_id, padding, channel_id, channel_type;
};

_Static_assert(sizeof(struct gp_fake_kernel_record) == 208, "kernel record size");
_Static_assert(offsetof(struct gp_fake_kernel_record, correlation_id) ==
		   offsetof(struct gp_cupti_kernel_prefix, correlation_id),
	       "kernel prefix");
_Static_assert(offsetof(struct gp_fake_kernel_record, grid_id) == 96, "kernel.gridId");
_Static_assert(offsetof(struct gp_fake_kernel_record, access_policy_window) == 160,
	       "kernel.pAccessPolicyWindow");
_Static_assert(offsetof(struct gp_fake_kernel_record, local_memory_total_v2) == 192,
	       "kernel.localMemoryTotal_v2");
_Static_assert(sizeof(struct gp_fake_memcpy_record) == 88, "memcpy record size");
_Static_assert(offsetof(struct gp_fake_memcpy_record, correlation_id) ==
		   offsetof(struct gp_cupti_memcpy_prefix, correlation_id),
	       "memcpy prefix");
_Static_assert(sizeof(struct gp_fake_memset_record) == 88, "memset record size");
_Static_assert(offsetof(struct gp_fake_memset_record, correlation_id) ==
		   offsetof(struct gp_cupti_memset_prefix, correlation_id),
	       "memset prefix");

static pthread_mutex_t gp_fake_lock = PTHREAD_MUTEX_INITIALIZER;
static CUpti_BuffersCallbackRequestFunc gp_fake_requested;
static CUpti_BuffersCallbackCompleteFunc gp_fake_completed;
static uint32_t gp_fake_enabled;
static uint8_t *gp_fake_buffer;
static size_t gp_fake_size, gp_fake_used;
static uint32_t gp_fake_correlation;
static struct gp_fake_cupti_stats gp_fake_stats;

static void gp_fake_call(void)
{
	__atomic_add_fetch(&gp_fake_stats.calls, 1, __ATOMIC_RELAXED);
}

static size_t gp_fake_record_size(uint32_t kind)
{
	switch (kind) {
	case CUPTI_ACTIVITY_KIND_KERNEL:
	case CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL:
		return sizeof(struct gp_fake_kernel_record);
	case CUPTI_ACTIVITY_KIND_MEMCPY:
		return sizeof(struct gp_fake_memcpy_record);
	case CUPTI_ACTIVITY_KIND_MEMSET:
		return sizeof(struct gp_fake_memset_record);
	default:
		return 0;
	}
}

static bool gp_fake_kind_known(CUpti_ActivityKind kind)
{
	return gp_fake_record_size((uint32_t)kind) != 0;
}

static bool gp_fake_is_enabled(uint32_t kind)
{
	return (gp_fake_enabled >> kind) & 1u;
}

static void gp_fake_deliver(uint8_t *buffer, size_t size, size_t used)
{
	if (buffer == NULL)
		return;
	__atomic_add_fetch(&gp_fake_stats.buffers_given, 1, __ATOMIC_RELAXED);
	gp_fake_completed(NULL, 0, buffer, size, used);
}

/* Appends one record; delivers the buffer it no longer fits in. 1 when recorded. */
static int gp_fake_queue(const void *record, size_t size)
{
	uint8_t *full = NULL;
	size_t full_size = 0, full_used = 0;
	int recorded = 0;
	pthread_mutex_lock(&gp_fake_lock);
	uint32_t kind;
	memcpy(&kind, record, sizeof(kind));
	if (gp_fake_requested == NULL || !gp_fake_is_enabled(kind))
		goto out;
	if (gp_fake_buffer != NULL && gp_fake_used + size > gp_fake_size) {
		full = gp_fake_buffer;
		full_size = gp_fake_size;
		full_used = gp_fake_used;
		gp_fake_buffer = NULL;
	}
	if (gp_fake_buffer == NULL) {
		uint8_t *b = NULL;
		size_t s = 0, max = 0;
		gp_fake_requested(&b, &s, &max);
		if (b == NULL || s < size) {
			free(b);
			goto out;
		}
		gp_fake_buffer = b;
		gp_fake_size = s;
		gp_fake_used = 0;
	}
	memcpy(gp_fake_buffer + gp_fake_used, record, size);
	gp_fake_used += size;
	gp_fake_stats.records++;
	recorded = 1;
out:
	if (!recorded)
		gp_fake_stats.records_missed++;
	pthread_mutex_unlock(&gp_fake_lock);
	gp_fake_deliver(full, full_size, full_used);
	return recorded;
}

static uint64_t gp_fake_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- the CUPTI subset ---- */

GP_FAKE_CUPTI_EXPORT CUptiResult
cuptiActivityRegisterCallbacks(CUpti_BuffersCallbackRequestFunc funcBufferRequested,
			       CUpti_BuffersCallbackCompleteFunc funcBufferCompleted)
{
	gp_fake_call();
	if (funcBufferRequested == NULL || funcBufferCompleted == NULL)
		return CUPTI_ERROR_INVALID_PARAMETER;
	pthread_mutex_lock(&gp_fake_lock);
	gp_fake_requested = funcBufferRequested;
	gp_fake_completed = funcBufferCompleted;
	gp_fake_stats.registered = 1;
	pthread_mutex_unlock(&gp_fake_lock);
	return CUPTI_SUCCESS;
}

GP_FAKE_CUPTI_EXPORT CUptiResult cuptiActivityEnable(CUpti_ActivityKind kind)
{
	gp_fake_call();
	if (!gp_fake_kind_known(kind))
		return CUPTI_ERROR_INVALID_KIND;
	const char *fail = getenv("GP_FAKE_CUPTI_FAIL_ENABLE");
	if (fail != NULL && fail[0] != '\0' && atoi(fail) == (int)kind)
		return CUPTI_ERROR_UNKNOWN;
	pthread_mutex_lock(&gp_fake_lock);
	gp_fake_enabled |= 1u << kind;
	pthread_mutex_unlock(&gp_fake_lock);
	return CUPTI_SUCCESS;
}

GP_FAKE_CUPTI_EXPORT CUptiResult cuptiActivityDisable(CUpti_ActivityKind kind)
{
	gp_fake_call();
	if (!gp_fake_kind_known(kind))
		return CUPTI_ERROR_INVALID_KIND;
	pthread_mutex_lock(&gp_fake_lock);
	gp_fake_enabled &= ~(1u << kind);
	pthread_mutex_unlock(&gp_fake_lock);
	return CUPTI_SUCCESS;
}

GP_FAKE_CUPTI_EXPORT CUptiResult cuptiActivityGetNextRecord(uint8_t *buffer,
							    size_t validBufferSizeBytes,
							    CUpti_Activity **record)
{
	gp_fake_call();
	if (buffer == NULL || record == NULL)
		return CUPTI_ERROR_INVALID_PARAMETER;
	size_t at = 0;
	if (*record != NULL) {
		size_t size = gp_fake_record_size((*record)->kind);
		if (size == 0)
			return CUPTI_ERROR_INVALID_KIND;
		at = (size_t)((uint8_t *)*record - buffer) + size;
	}
	if (at + sizeof(CUpti_Activity) > validBufferSizeBytes) {
		*record = NULL;
		return CUPTI_ERROR_MAX_LIMIT_REACHED;
	}
	*record = (CUpti_Activity *)(buffer + at);
	return CUPTI_SUCCESS;
}

GP_FAKE_CUPTI_EXPORT CUptiResult cuptiActivityFlushAll(uint32_t flag)
{
	(void)flag;
	gp_fake_call();
	pthread_mutex_lock(&gp_fake_lock);
	uint8_t *buffer = NULL;
	size_t size = gp_fake_size, used = gp_fake_used;
	if (gp_fake_buffer != NULL && gp_fake_used > 0) {
		buffer = gp_fake_buffer;
		gp_fake_buffer = NULL;
	}
	pthread_mutex_unlock(&gp_fake_lock);
	gp_fake_deliver(buffer, size, used);
	return CUPTI_SUCCESS;
}

GP_FAKE_CUPTI_EXPORT CUptiResult cuptiGetTimestamp(uint64_t *timestamp)
{
	gp_fake_call();
	if (timestamp == NULL)
		return CUPTI_ERROR_INVALID_PARAMETER;
	*timestamp = gp_fake_clock();
	return CUPTI_SUCCESS;
}

/* Every entry point has the type the interposer's dlsym casts it to. */
#define GP_FAKE_CUPTI_SAME_TYPE(name, params)                                                      \
	_Static_assert(__builtin_types_compatible_p(__typeof__(&name), gp_cupti_##name##_fn),      \
		       #name " signature");
GP_CUPTI_API_LIST(GP_FAKE_CUPTI_SAME_TYPE)
#undef GP_FAKE_CUPTI_SAME_TYPE

/* ---- test-only exports (fake_cupti.h) ---- */

GP_FAKE_CUPTI_EXPORT int gp_fake_cupti_emit_kernel(uint64_t start, uint64_t end, uint32_t device,
						   uint32_t stream, int32_t grid_x, int32_t block_x,
						   uint32_t correlation)
{
	struct gp_fake_kernel_record r = {0};
	pthread_mutex_lock(&gp_fake_lock);
	r.kind = gp_fake_is_enabled(CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL)
		     ? CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL
		     : CUPTI_ACTIVITY_KIND_KERNEL;
	pthread_mutex_unlock(&gp_fake_lock);
	r.registers_per_thread = 32;
	r.start = start;
	r.end = end;
	r.completed = end;
	r.device_id = device;
	r.context_id = GP_FAKE_CUPTI_CONTEXT_ID;
	r.stream_id = stream;
	r.grid_x = grid_x;
	r.grid_y = GP_FAKE_CUPTI_GRID_Y;
	r.grid_z = GP_FAKE_CUPTI_GRID_Z;
	r.block_x = block_x;
	r.block_y = GP_FAKE_CUPTI_BLOCK_Y;
	r.block_z = GP_FAKE_CUPTI_BLOCK_Z;
	r.static_shared_memory = GP_FAKE_CUPTI_STATIC_SHARED;
	r.dynamic_shared_memory = GP_FAKE_CUPTI_DYNAMIC_SHARED;
	r.correlation_id = correlation;
	r.grid_id = correlation;
	return gp_fake_queue(&r, sizeof(r));
}

static uint32_t gp_fake_next_correlation(void)
{
	return __atomic_add_fetch(&gp_fake_correlation, 1, __ATOMIC_RELAXED);
}

GP_FAKE_CUPTI_EXPORT int gp_fake_cupti_emit_memcpy(uint8_t copy_kind, uint64_t bytes,
						   uint64_t start, uint64_t end)
{
	struct gp_fake_memcpy_record r = {0};
	r.kind = CUPTI_ACTIVITY_KIND_MEMCPY;
	r.copy_kind = copy_kind;
	r.bytes = bytes;
	r.start = start;
	r.end = end;
	r.context_id = GP_FAKE_CUPTI_CONTEXT_ID;
	r.stream_id = GP_FAKE_CUPTI_COPY_STREAM_ID;
	r.correlation_id = gp_fake_next_correlation();
	return gp_fake_queue(&r, sizeof(r));
}

GP_FAKE_CUPTI_EXPORT int gp_fake_cupti_emit_memset(uint64_t bytes, uint64_t start, uint64_t end)
{
	struct gp_fake_memset_record r = {0};
	r.kind = CUPTI_ACTIVITY_KIND_MEMSET;
	r.bytes = bytes;
	r.start = start;
	r.end = end;
	r.context_id = GP_FAKE_CUPTI_CONTEXT_ID;
	r.stream_id = GP_FAKE_CUPTI_COPY_STREAM_ID;
	r.correlation_id = gp_fake_next_correlation();
	return gp_fake_queue(&r, sizeof(r));
}

GP_FAKE_CUPTI_EXPORT void gp_fake_cupti_now(uint64_t *ts)
{
	*ts = gp_fake_clock();
}

GP_FAKE_CUPTI_EXPORT void gp_fake_cupti_stats(struct gp_fake_cupti_stats *out)
{
	pthread_mutex_lock(&gp_fake_lock);
	*out = gp_fake_stats;
	out->calls = __atomic_load_n(&gp_fake_stats.calls, __ATOMIC_RELAXED);
	out->buffers_given = __atomic_load_n(&gp_fake_stats.buffers_given, __ATOMIC_RELAXED);
	out->enabled = gp_fake_enabled;
	pthread_mutex_unlock(&gp_fake_lock);
}

/* The emit functions have the types fake_cupti.h gives tests. */
_Static_assert(__builtin_types_compatible_p(__typeof__(gp_fake_cupti_emit_kernel),
					    gp_fake_cupti_emit_kernel_fn),
	       "emit_kernel");
_Static_assert(__builtin_types_compatible_p(__typeof__(gp_fake_cupti_emit_memcpy),
					    gp_fake_cupti_emit_memcpy_fn),
	       "emit_memcpy");
_Static_assert(__builtin_types_compatible_p(__typeof__(gp_fake_cupti_emit_memset),
					    gp_fake_cupti_emit_memset_fn),
	       "emit_memset");
_Static_assert(__builtin_types_compatible_p(__typeof__(gp_fake_cupti_now), gp_fake_cupti_now_fn),
	       "now");
_Static_assert(__builtin_types_compatible_p(__typeof__(gp_fake_cupti_stats),
					    gp_fake_cupti_stats_fn),
	       "stats");
