/* SPDX-License-Identifier: MIT */
/*
 * fake_cupti.h - test-only exports of the libcupti TEST DOUBLE (native/build/testing/libcupti.so).
 *
 * TEST-ONLY, never installed or shipped. The double implements the CUPTI Activity API subset of
 * gpupredict/cupti_subset.h; tests make "GPU activity" happen with the functions below, looked up
 * with dlsym() on dlopen("libcupti.so") (a real libcupti lacks them):
 *
 *	gp_fake_cupti_emit_kernel_fn *emit =
 *	    (gp_fake_cupti_emit_kernel_fn *)dlsym(h, "gp_fake_cupti_emit_kernel");
 *
 * Times are the double's CUPTI clock: CLOCK_REALTIME nanoseconds, deliberately not
 * CLOCK_MONOTONIC, so a reader that forgets to convert time bases is caught. An emit queues one
 * record, laid out as the real versioned record, into the registered buffer and returns 1; it
 * returns 0 (and records nothing) when its kind is not enabled or no callbacks are registered.
 * Records reach the completion callback on cuptiActivityFlushAll, or when a buffer fills.
 */
#ifndef GP_FAKE_CUPTI_H
#define GP_FAKE_CUPTI_H

#include <stdint.h>

/* Kernel fields the emit function does not take, written as these constants. */
#define GP_FAKE_CUPTI_GRID_Y	     2
#define GP_FAKE_CUPTI_GRID_Z	     3
#define GP_FAKE_CUPTI_BLOCK_Y	     4
#define GP_FAKE_CUPTI_BLOCK_Z	     5
#define GP_FAKE_CUPTI_STATIC_SHARED  256
#define GP_FAKE_CUPTI_DYNAMIC_SHARED 128
#define GP_FAKE_CUPTI_CONTEXT_ID     1
/* Memcpy and memset records: device 0, this stream, correlation ids counting up from 1. */
#define GP_FAKE_CUPTI_COPY_STREAM_ID 7

struct gp_fake_cupti_stats {
	uint64_t calls;		 /* CUPTI API calls of every kind */
	uint32_t enabled;	 /* bit k set = activity kind k enabled */
	uint32_t registered;	 /* 1 once buffer callbacks are registered */
	uint64_t buffers_given;	 /* buffers handed to the completion callback */
	uint64_t records;	 /* records written into buffers */
	uint64_t records_missed; /* emits refused: kind not enabled, no callbacks, no buffer */
};

typedef int gp_fake_cupti_emit_kernel_fn(uint64_t start, uint64_t end, uint32_t device,
					 uint32_t stream, int32_t grid_x, int32_t block_x,
					 uint32_t correlation);
/* copy_kind: CUpti_ActivityMemcpyKind (1 HtoD, 2 DtoH, 8 DtoD, ...). */
typedef int gp_fake_cupti_emit_memcpy_fn(uint8_t copy_kind, uint64_t bytes, uint64_t start,
					 uint64_t end);
typedef int gp_fake_cupti_emit_memset_fn(uint64_t bytes, uint64_t start, uint64_t end);
/* The double's clock, as cuptiGetTimestamp reads it. */
typedef void gp_fake_cupti_now_fn(uint64_t *ts);
typedef void gp_fake_cupti_stats_fn(struct gp_fake_cupti_stats *out);

#endif /* GP_FAKE_CUPTI_H */
