/* SPDX-License-Identifier: MIT */
/*
 * cupti.c - real GPU execution intervals from CUPTI activity records, when libcupti is present.
 *
 * Started once both cuInit has succeeded and a ring is attached, by whichever comes second (the
 * cuInit hook or link.c; gp_cupti_start); GPUPREDICT_CUPTI=0 opts out.
 * libcupti is dlopened, never linked: GPUPREDICT_LIBCUPTI names it, else "libcupti.so" then
 * "libcupti.so.12" on the loader's path. Absent, or any step failing: nothing changes and kernel
 * intervals stay estimated (hooks_launch.c). Present: CONCURRENT_KERNEL, MEMCPY and MEMSET records
 * land in 1 MiB buffers; a detached thread flushes them every GPUPREDICT_CUPTI_FLUSH_MS (default
 * 20 ms), and the completion callback turns each record into one event flagged GP_EVF_GPU_TIME:
 * KERNEL_EXEC (grid, block, shared memory, correlation id), MEMCPY_<direction> or MEMSET (bytes).
 * While CUPTI is active gp_sync_note emits no estimated interval: the real ones arrive here.
 *
 * Fields of these events: ts/end are CUPTI's timestamps moved onto our clock (CUPTI's time base is
 * its own, not CLOCK_MONOTONIC in general: the offset between cuptiGetTimestamp and gp_now_ns is
 * sampled at start and every GP_CUPTI_RESYNC_NS); stream is CUPTI's stream id, not a CUstream
 * handle; device is CUPTI's device id; tid is 0 (no host thread did this); api_id is
 * GP_API_COUNT (no entry point). Only the record prefixes of gpupredict/cupti_subset.h are read.
 *
 * Never from a destructor: an atexit handler only stops the flusher and waits for a flush in
 * progress (libcupti's own destructors run after it), so up to one flush interval of records is
 * lost at exit. A forked child never touches the parent's CUPTI state.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "gpupredict/cupti_subset.h"
#include "intercept.h"

#define GP_CUPTI_BUFFER_BYTES (1u << 20)
#define GP_CUPTI_FLUSH_MS     20u
#define GP_CUPTI_MAX_FLUSH_MS 10000u
#define GP_CUPTI_RESYNC_NS    (1000ull * 1000000ull)
/* A record claiming a longer interval is nonsense (a garbled or uncollected timestamp). */
#define GP_CUPTI_MAX_SPAN_NS (3600ull * 1000000000ull)
/* How long exit waits for a flush in progress. */
#define GP_CUPTI_EXIT_WAIT_MS 200

enum gp_cupti_state {
	GP_CUPTI_UNTRIED = 0,
	GP_CUPTI_STARTING, /* also keeps out re-entry: CUPTI may call cuInit itself */
	GP_CUPTI_ACTIVE,
	GP_CUPTI_OFF,
};

static struct {
#define GP_CUPTI_DECLARE_POINTER(name, params) gp_cupti_##name##_fn name;
	GP_CUPTI_API_LIST(GP_CUPTI_DECLARE_POINTER)
#undef GP_CUPTI_DECLARE_POINTER
} gp_cupti;

static int gp_cupti_state;
static bool gp_cupti_cuda_ready;
static int64_t gp_cupti_offset_ns; /* our clock = CUPTI's + offset */
static unsigned int gp_cupti_flush_ms;
static int gp_cupti_stopping;
static int gp_cupti_in_flush;

bool gp_cupti_active(void)
{
	return __atomic_load_n(&gp_cupti_state, __ATOMIC_ACQUIRE) == GP_CUPTI_ACTIVE;
}

/* The pair of readings taken closest together wins (as clock.c pairs TSC and clock_gettime). */
static bool gp_cupti_sample_offset(void)
{
	uint64_t best = UINT64_MAX;
	int64_t offset = 0;
	for (int i = 0; i < 5; i++) {
		uint64_t cupti = 0;
		uint64_t before = gp_now_ns();
		if (gp_cupti.cuptiGetTimestamp(&cupti) != CUPTI_SUCCESS || cupti == 0)
			return false;
		uint64_t after = gp_now_ns();
		if (after - before < best) {
			best = after - before;
			offset = (int64_t)(before + (after - before) / 2 - cupti);
		}
	}
	__atomic_store_n(&gp_cupti_offset_ns, offset, __ATOMIC_RELAXED);
	return true;
}

/* CUPTI's [start, end] on our clock; false for an interval that cannot be real. */
static bool gp_cupti_interval(uint64_t start, uint64_t end, struct gp_event *e)
{
	if (start == 0 || end < start || end - start > GP_CUPTI_MAX_SPAN_NS)
		return false;
	int64_t offset = __atomic_load_n(&gp_cupti_offset_ns, __ATOMIC_RELAXED);
	if (offset < 0 && start <= (uint64_t)-offset)
		return false; /* before our clock's zero */
	e->ts_ns = start + (uint64_t)offset;
	e->end_ns = end + (uint64_t)offset;
	return true;
}

static void gp_cupti_event(struct gp_event *e, uint16_t kind, uint32_t device, uint32_t stream,
			   uint32_t correlation)
{
	gp_event_init(e, kind, GP_API_COUNT);
	e->tid = 0;
	e->flags = GP_EVF_GPU_TIME;
	e->device = (int32_t)device;
	e->stream = stream;
	e->correlation_id = correlation;
}

static uint32_t gp_dim(int32_t v)
{
	return v > 0 ? (uint32_t)v : 0;
}

static void gp_cupti_kernel(const struct gp_cupti_kernel_prefix *k)
{
	struct gp_event e;
	gp_cupti_event(&e, GP_EV_KERNEL_EXEC, k->device_id, k->stream_id, k->correlation_id);
	if (!gp_cupti_interval(k->start, k->end, &e))
		return;
	e.grid_x = gp_dim(k->grid_x);
	e.grid_y = gp_dim(k->grid_y);
	e.grid_z = gp_dim(k->grid_z);
	e.block_x = gp_dim(k->block_x);
	e.block_y = gp_dim(k->block_y);
	e.block_z = gp_dim(k->block_z);
	e.shared_mem_bytes = gp_dim(k->static_shared_memory) + gp_dim(k->dynamic_shared_memory);
	gp_ring_push(&e);
}

/* Array copies count by where the bytes travel: host<->array as host<->device. */
static uint16_t gp_cupti_copy_kind(uint8_t copy_kind)
{
	switch (copy_kind) {
	case CUPTI_ACTIVITY_MEMCPY_KIND_HTOD:
	case CUPTI_ACTIVITY_MEMCPY_KIND_HTOA:
		return GP_EV_MEMCPY_HTOD;
	case CUPTI_ACTIVITY_MEMCPY_KIND_DTOH:
	case CUPTI_ACTIVITY_MEMCPY_KIND_ATOH:
		return GP_EV_MEMCPY_DTOH;
	case CUPTI_ACTIVITY_MEMCPY_KIND_HTOH:
		return GP_EV_MEMCPY_HTOH;
	case CUPTI_ACTIVITY_MEMCPY_KIND_PTOP:
		return GP_EV_MEMCPY_PEER;
	default:
		return GP_EV_MEMCPY_DTOD;
	}
}

static void gp_cupti_memcpy(const struct gp_cupti_memcpy_prefix *m)
{
	struct gp_event e;
	gp_cupti_event(&e, gp_cupti_copy_kind(m->copy_kind), m->device_id, m->stream_id,
		       m->correlation_id);
	if (!gp_cupti_interval(m->start, m->end, &e))
		return;
	e.bytes = m->bytes;
	gp_ring_push(&e);
}

static void gp_cupti_memset(const struct gp_cupti_memset_prefix *m)
{
	struct gp_event e;
	gp_cupti_event(&e, GP_EV_MEMSET, m->device_id, m->stream_id, m->correlation_id);
	if (!gp_cupti_interval(m->start, m->end, &e))
		return;
	e.bytes = m->bytes;
	gp_ring_push(&e);
}

static void gp_cupti_buffer_requested(uint8_t **buffer, size_t *size, size_t *max_records)
{
	void *p = NULL;
	if (posix_memalign(&p, 8, GP_CUPTI_BUFFER_BYTES) != 0)
		p = NULL; /* CUPTI drops records rather than fail the application */
	*buffer = p;
	*size = p != NULL ? GP_CUPTI_BUFFER_BYTES : 0;
	*max_records = 0;
}

static void gp_cupti_buffer_completed(CUcontext ctx, uint32_t stream, uint8_t *buffer, size_t size,
				      size_t valid)
{
	(void)ctx;
	(void)stream;
	(void)size;
	if (buffer == NULL)
		return;
	/* Records are at least 8 bytes: the walk is bounded even if CUPTI misbehaves. */
	CUpti_Activity *record = NULL;
	for (size_t n = 0; gp_cupti_active() && n < valid / 8; n++) {
		if (gp_cupti.cuptiActivityGetNextRecord(buffer, valid, &record) != CUPTI_SUCCESS ||
		    record == NULL)
			break;
		switch (record->kind) {
		case CUPTI_ACTIVITY_KIND_KERNEL:
		case CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL:
			gp_cupti_kernel((const struct gp_cupti_kernel_prefix *)record);
			break;
		case CUPTI_ACTIVITY_KIND_MEMCPY:
			gp_cupti_memcpy((const struct gp_cupti_memcpy_prefix *)record);
			break;
		case CUPTI_ACTIVITY_KIND_MEMSET:
			gp_cupti_memset((const struct gp_cupti_memset_prefix *)record);
			break;
		default:
			break;
		}
	}
	free(buffer);
}

/* A flush may start only while not stopping; exit waits for one in progress. */
static bool gp_cupti_enter_flush(void)
{
	__atomic_add_fetch(&gp_cupti_in_flush, 1, __ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&gp_cupti_stopping, __ATOMIC_SEQ_CST) && gp_cupti_active())
		return true;
	__atomic_sub_fetch(&gp_cupti_in_flush, 1, __ATOMIC_SEQ_CST);
	return false;
}

static void gp_cupti_leave_flush(void)
{
	__atomic_sub_fetch(&gp_cupti_in_flush, 1, __ATOMIC_SEQ_CST);
}

static void gp_sleep_ms(unsigned int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

static void *gp_cupti_flusher(void *arg)
{
	(void)arg;
	uint64_t synced = gp_now_ns();
	for (;;) {
		gp_sleep_ms(gp_cupti_flush_ms);
		if (!gp_cupti_enter_flush())
			return NULL;
		gp_cupti.cuptiActivityFlushAll(0);
		uint64_t now = gp_now_ns();
		if (now - synced >= GP_CUPTI_RESYNC_NS) {
			gp_cupti_sample_offset();
			synced = now;
		}
		gp_cupti_leave_flush();
	}
}

static void gp_cupti_at_exit(void)
{
	__atomic_store_n(&gp_cupti_stopping, 1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < GP_CUPTI_EXIT_WAIT_MS &&
			__atomic_load_n(&gp_cupti_in_flush, __ATOMIC_SEQ_CST) != 0;
	     i++)
		gp_sleep_ms(1);
}

static unsigned int gp_cupti_flush_interval(void)
{
	const char *s = getenv("GPUPREDICT_CUPTI_FLUSH_MS");
	if (s == NULL || s[0] == '\0')
		return GP_CUPTI_FLUSH_MS;
	char *end = NULL;
	unsigned long v = strtoul(s, &end, 10);
	if (*end != '\0' || v == 0 || v > GP_CUPTI_MAX_FLUSH_MS) {
		gp_log(LOG_WARNING, "GPUPREDICT_CUPTI_FLUSH_MS=%s is not in [1, %u]; using %u", s,
		       GP_CUPTI_MAX_FLUSH_MS, GP_CUPTI_FLUSH_MS);
		return GP_CUPTI_FLUSH_MS;
	}
	return (unsigned int)v;
}

static void *gp_cupti_open(void)
{
	const char *path = getenv("GPUPREDICT_LIBCUPTI");
	if (path != NULL && path[0] != '\0')
		return dlopen(path, RTLD_NOW | RTLD_LOCAL);
	void *h = dlopen("libcupti.so", RTLD_NOW | RTLD_LOCAL);
	return h != NULL ? h : dlopen("libcupti.so.12", RTLD_NOW | RTLD_LOCAL);
}

static bool gp_cupti_resolve(void *h)
{
#define GP_CUPTI_RESOLVE(name, params)                                                             \
	gp_cupti.name = (gp_cupti_##name##_fn)gp_real_dlsym(h, #name);                             \
	if (gp_cupti.name == NULL) {                                                               \
		gp_log(LOG_WARNING, "libcupti lacks %s; kernel intervals are estimated", #name);   \
		return false;                                                                      \
	}
	GP_CUPTI_API_LIST(GP_CUPTI_RESOLVE)
#undef GP_CUPTI_RESOLVE
	return true;
}

static const CUpti_ActivityKind gp_cupti_kinds[] = {
    CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL,
    CUPTI_ACTIVITY_KIND_MEMCPY,
    CUPTI_ACTIVITY_KIND_MEMSET,
};

/* All kinds or none: a partial set would mix real and estimated intervals. */
static bool gp_cupti_enable_all(void)
{
	size_t n = sizeof(gp_cupti_kinds) / sizeof(gp_cupti_kinds[0]);
	for (size_t i = 0; i < n; i++) {
		CUptiResult rc = gp_cupti.cuptiActivityEnable(gp_cupti_kinds[i]);
		if (rc == CUPTI_SUCCESS)
			continue;
		gp_log(LOG_WARNING,
		       "cuptiActivityEnable(%d) failed (%d); kernel intervals are estimated",
		       (int)gp_cupti_kinds[i], (int)rc);
		while (i-- > 0)
			gp_cupti.cuptiActivityDisable(gp_cupti_kinds[i]);
		return false;
	}
	return true;
}

/* The flusher blocks every signal: the application's handlers never run on it. */
static bool gp_cupti_start_flusher(void)
{
	return gp_thread_start(gp_cupti_flusher) == 0;
}

static bool gp_cupti_try_start(void)
{
	const char *off = getenv("GPUPREDICT_CUPTI");
	if (off != NULL && off[0] == '0')
		return false;
	void *h = gp_cupti_open();
	if (h == NULL) {
		gp_log(LOG_INFO, "libcupti not loaded (%s); kernel intervals are estimated",
		       dlerror());
		return false;
	}
	if (!gp_cupti_resolve(h))
		return false;
	gp_cupti_flush_ms = gp_cupti_flush_interval();
	if (!gp_cupti_sample_offset()) {
		gp_log(LOG_WARNING, "cuptiGetTimestamp failed; kernel intervals are estimated");
		return false;
	}
	CUptiResult rc = gp_cupti.cuptiActivityRegisterCallbacks(gp_cupti_buffer_requested,
								 gp_cupti_buffer_completed);
	if (rc != CUPTI_SUCCESS) {
		gp_log(LOG_WARNING,
		       "cuptiActivityRegisterCallbacks failed (%d); kernel intervals are estimated",
		       (int)rc);
		return false;
	}
	if (!gp_cupti_enable_all())
		return false;
	if (!gp_cupti_start_flusher()) {
		gp_log(LOG_WARNING, "no CUPTI flusher thread; kernel intervals are estimated");
		for (size_t i = 0; i < sizeof(gp_cupti_kinds) / sizeof(gp_cupti_kinds[0]); i++)
			gp_cupti.cuptiActivityDisable(gp_cupti_kinds[i]);
		return false;
	}
	atexit(gp_cupti_at_exit);
	gp_log(LOG_INFO, "CUPTI activity records on (flush every %u ms)", gp_cupti_flush_ms);
	return true;
}

void gp_cupti_start(void)
{
	int expected = GP_CUPTI_UNTRIED;
	if (!__atomic_compare_exchange_n(&gp_cupti_state, &expected, GP_CUPTI_STARTING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return;
	bool on = gp_cupti_try_start();
	__atomic_store_n(&gp_cupti_state, on ? GP_CUPTI_ACTIVE : GP_CUPTI_OFF, __ATOMIC_RELEASE);
}

/* Each side stores its fact, then reads the other's: at least one of the two sees both. */
void gp_cupti_on_cuinit(void)
{
	__atomic_store_n(&gp_cupti_cuda_ready, true, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (gp_ring_active())
		gp_cupti_start();
}

void gp_cupti_on_ring(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&gp_cupti_cuda_ready, __ATOMIC_SEQ_CST))
		gp_cupti_start();
}

/*
 * The child has none of the parent's CUPTI threads and its libcupti state is a copy it must not
 * use: once the parent tried, the child stays with estimated intervals. A parent that never
 * started CUPTI leaves its child free to.
 */
void gp_cupti_after_fork_child(void)
{
	if (gp_cupti_state != GP_CUPTI_UNTRIED)
		gp_cupti_state = GP_CUPTI_OFF;
	gp_cupti_in_flush = 0;
	gp_cupti_cuda_ready = false;
}
