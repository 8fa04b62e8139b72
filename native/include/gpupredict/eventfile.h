/* SPDX-License-Identifier: MIT */
/*
 * gpupredict/eventfile.h - the event file: one application's recorded driver activity, written by
 * `gpupredictctl import --export` (C#: Gpupredict.Telemetry.Traces.EventFile) and replayed as real
 * driver calls by gpupredict-loadgen. docs/event-file.md describes it for people.
 *
 * Layout: one struct gp_event_file_header (128 bytes), then exactly `count` struct gp_event records
 * (abi.h, 112 bytes each), nothing after. Little-endian, like abi.h.
 *
 * The records are sorted by ts_ns (non-decreasing) and rebased: the first is at 0. Only the kinds
 * below appear; every field a kind does not name here is zero, except pid/tid/device/stream/
 * correlation_id/grid/block, which a reader ignores:
 *
 *   GP_EV_ALLOC          bytes > 0; address = allocation id (nonzero, not live at this point)
 *   GP_EV_FREE           address = the id of a live allocation; bytes = its size or 0
 *   GP_EV_KERNEL_EXEC    end_ns - ts_ns = the kernel's recorded GPU duration
 *   GP_EV_MEMCPY_HTOD    bytes > 0; address = an allocation id to copy into, or 0 (any memory)
 *   GP_EV_MEMCPY_DTOH    likewise (address = the source)
 *   GP_EV_MEMCPY_DTOD    likewise (address = the destination)
 *   GP_EV_MEMSET         likewise
 *   GP_EV_SYNC_CONTEXT   the whole context waited on
 *   GP_EV_SYNC_STREAM    one stream (or event) waited on
 *
 * end_ns >= ts_ns for every record. Allocation ids are not device pointers: the exporter numbers
 * allocations 1, 2, 3, ... so that each free names the allocation it releases. Allocations with
 * GP_EVF_ESTIMATED were made up by the exporter (the remainder of an allocation that a size-only
 * free released in part, or memory already held when the trace began).
 *
 * Bump GP_EVENT_FILE_VERSION on any change a reader could misread; readers refuse other versions.
 */
#ifndef GPUPREDICT_EVENTFILE_H
#define GPUPREDICT_EVENTFILE_H

#include <stddef.h>
#include <stdint.h>

#include "gpupredict/abi.h"

/* The first eight bytes of every event file. */
#define GP_EVENT_FILE_MAGIC	  "GPEVFILE"
#define GP_EVENT_FILE_VERSION	  1u
#define GP_EVENT_FILE_HEADER_SIZE 128u
#define GP_EVENT_FILE_SOURCE_MAX  64u

struct gp_event_file_header {
	char magic[8];	      /* GP_EVENT_FILE_MAGIC, no terminator */
	uint32_t version;     /* GP_EVENT_FILE_VERSION */
	uint32_t header_size; /* GP_EVENT_FILE_HEADER_SIZE */
	uint32_t event_size;  /* GP_EVENT_SIZE (abi.h) */
	uint32_t pid;	      /* the recorded process */
	uint64_t count;	      /* records after the header */
	uint64_t span_ns;     /* the largest end_ns of any record */
	uint64_t step_ns;     /* the demand step the daemon aggregates at (10 ms), for readers */
	uint64_t reserved[2]; /* zero */
	char source[GP_EVENT_FILE_SOURCE_MAX]; /* the trace's file name, UTF-8, NUL-padded */
};

_Static_assert(sizeof(struct gp_event_file_header) == GP_EVENT_FILE_HEADER_SIZE,
	       "gp_event_file_header size");
_Static_assert(offsetof(struct gp_event_file_header, count) == 24, "header.count");
_Static_assert(offsetof(struct gp_event_file_header, source) == 64, "header.source");

#endif /* GPUPREDICT_EVENTFILE_H */
