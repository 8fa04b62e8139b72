/* SPDX-License-Identifier: MIT */
/*
 * intercept.h - internals of libgpupredict-cuda.so, the LD_PRELOAD interposer over libcuda.so.1.
 *
 * Pieces: real.c (libcuda loaded lazily, the real-function table, the dlsym and cuGetProcAddress
 * lookups), link.c (registration with the daemon, which hands over the ring and control block),
 * ring.c (the per-process event ring), control.c (the daemon's control block), vram.c (live
 * allocations, the VRAM quota), pool.c (the pre-mapped VMM pool), throttle.c (SM-share launch
 * throttling), cupti.c (GPU intervals from CUPTI when libcupti is present), log.c (rate-limited
 * lines to the system log socket), hooks_*.c (the exported entry points).
 * Rule everywhere: on any internal failure, behave as the real driver would (fail-open), never
 * crash, never block the application on gpupredict's account, never print to its stdio.
 */
#ifndef GP_INTERCEPT_H
#define GP_INTERCEPT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "gpupredict/abi.h"
#include "gpupredict/cuda_subset.h"

#define GP_EXPORT __attribute__((visibility("default")))

/* --- the real driver (real.c) --- */

/* One typedef per entry point: name##_fn. */
#define GP_CUDA_API(name, params, args) typedef CUresult(*name##_fn) params;
#include "gpupredict/cuda_api.def"
#undef GP_CUDA_API

/* Hook index of every entry point, in cuda_api.def order; written to gp_event.api_id. */
enum gp_api_id {
#define GP_CUDA_API(name, params, args) GP_API_##name,
#include "gpupredict/cuda_api.def"
#undef GP_CUDA_API
	GP_API_COUNT
};

struct gp_real_table {
#define GP_CUDA_API(name, params, args) name##_fn name;
#include "gpupredict/cuda_api.def"
#undef GP_CUDA_API
};

/* The real functions; a NULL entry means libcuda lacks it (the hook then fails as the driver
 * would). */
extern struct gp_real_table gp_real;

/* Loads libcuda.so.1 once; returns false if it cannot be loaded. Safe from any thread. */
bool gp_real_load(void);

/*
 * gp_call_<name>(args): the real function, or CUDA_ERROR_NOT_INITIALIZED when libcuda or the
 * entry point is missing (a driver too old for it). One predictable branch on the hot path.
 */
#define GP_CUDA_API(name, params, args)                                                            \
	static inline CUresult gp_call_##name params                                               \
	{                                                                                          \
		if (__builtin_expect(gp_real.name == NULL, 0) &&                                   \
		    (!gp_real_load() || gp_real.name == NULL))                                     \
			return CUDA_ERROR_NOT_INITIALIZED;                                         \
		return gp_real.name args;                                                          \
	}
#include "gpupredict/cuda_api.def"
#undef GP_CUDA_API

/* The hook for a hooked symbol name, or NULL. */
void *gp_hook_by_name(const char *symbol);

/* The hook whose real function is fn, or NULL (maps cuGetProcAddress answers onto hooks). */
void *gp_hook_by_real(void *fn);

/* The real dlsym (our exported dlsym shadows it). */
void *gp_real_dlsym(void *handle, const char *symbol);

/* --- process identity and time --- */

uint64_t gp_now_ns(void);
uint32_t gp_tid(void);
uint32_t gp_pid(void);
/* Starts a detached helper thread with every signal blocked (the application's handlers never run
 * on it); 0, or the pthread_create error. */
int gp_thread_start(void *(*main)(void *));
/* Field 22 of /proc/self/stat (clock ticks since boot), 0 when unreadable. */
uint64_t gp_start_time(void);

/* --- is anyone listening? --- */

/*
 * True when a ring or a control block is attached: only then do hooks build events or consult
 * limits. Without a daemon every hook is one branch away from the real call.
 */
bool gp_active(void);

/* --- registration with the daemon (link.c) --- */

/*
 * Starts the background "gp-link" thread once per process (again in a forked child); called from
 * the first CUDA calls. Never waits: the thread connects, registers and attaches the ring and the
 * control block on its own, and detaches them when the daemon hangs up.
 */
void gp_link_start(void);
/* Forgets the parent's connection and thread in a forked child. */
void gp_link_after_fork_child(void);

/*
 * Replaces a retired shared mapping in place by zero-filled private memory: a reader or writer that
 * still holds its address touches memory that exists and that nobody else sees. The address range
 * itself is leaked on purpose (see ring.c). In control.c, which stands alone in control_test.
 */
void gp_mapping_retire(void *map, size_t bytes, int prot);

/* --- the event ring (ring.c) --- */

/* True while this process has a ring. */
bool gp_ring_active(void);

/* Publishes a mapped, validated ring of capacity slots (link.c); false when out of memory. */
bool gp_ring_attach(void *map, size_t bytes, uint32_t capacity);
/* Unpublishes the ring (daemon gone): pushes become no-ops; the mapping is retired. */
void gp_ring_detach(void);
/* Appends one event; never blocks: a full ring counts a drop. No-op without a ring. */
void gp_ring_push(const struct gp_event *event);
/* Forgets the parent's ring in a forked child (the child registers on its own). */
void gp_ring_after_fork_child(void);
/* At exit: the exit event, when a ring exists. */
void gp_ring_close_at_exit(void);

#define GP_ZERO_FIELD(type, name) e->name = 0;
#define GP_ZERO_ARRAY(type, name, n)                                                               \
	for (int i_ = 0; i_ < (n); i_++)                                                           \
		e->name[i_] = 0;

/*
 * Fills the identity and time fields of an event of the given kind and API, every other field
 * zero. Zeroed field by field rather than with `*e = (struct gp_event){0}`, which GCC turns into
 * `rep stos` (its start-up cost was a tenth of the launch hook's); field stores merge into vector
 * stores. Every byte is a field (abi.h pads explicitly), so no stack garbage reaches the ring.
 */
static inline void gp_event_init(struct gp_event *e, uint16_t kind, enum gp_api_id api)
{
	GP_EVENT_FIELDS(GP_ZERO_FIELD, GP_ZERO_ARRAY)
	e->kind = kind;
	e->api_id = (uint32_t)api;
	e->pid = gp_pid();
	e->tid = gp_tid();
	e->device = -1;
	e->ts_ns = gp_now_ns();
	e->end_ns = e->ts_ns;
}

/* --- the control block (control.c) --- */

/*
 * A consistent snapshot of the block's limits: one member per LIMIT field of abi.h's
 * GP_CONTROL_FIELDS_BY_ROLE (see there for units and meaning), so a limit added there is here too.
 */
struct gp_control {
	bool valid;
	GP_CONTROL_LIMITS(GP_DECLARE_FIELD)
};

/* Publishes a mapped control block of GP_CONTROL_SIZE bytes (link.c). */
void gp_control_attach(const struct gp_control_block *block);
/* Unpublishes it (daemon gone): every limit lapses; the mapping is retired. */
void gp_control_detach(void);
void gp_control_after_fork_child(void);

/* The latest consistent control block; .valid is false when none exists or it is malformed. */
struct gp_control gp_control_get(void);
/* The same, with the caller's clock reading (saves one on hot paths). */
struct gp_control gp_control_get_at(uint64_t now_ns);
/* True while a control block is attached. */
bool gp_control_present(void);
/*
 * False when no snapshot can ask for launch throttling: no block, or GP_CTL_THROTTLE clear in its
 * flags word. One load, no sequence lock: a single aligned word is never torn, and a block whose
 * flags lack the bit throttles nothing whatever its other fields say (an insane or unsettled block
 * throttles nothing either). True only means "take the snapshot and look".
 */
bool gp_control_may_throttle(void);

/* --- live allocations and the quota (vram.c) --- */

enum gp_alloc_origin { GP_ORIGIN_DRIVER = 0, GP_ORIGIN_POOL = 1 };

void gp_vram_add(CUdeviceptr ptr, uint64_t bytes, enum gp_alloc_origin origin);
/* Removes ptr; returns its size (0 if unknown) and its origin. */
uint64_t gp_vram_remove(CUdeviceptr ptr, enum gp_alloc_origin *origin);
uint64_t gp_vram_used(void);
/* True when an allocation of bytes must be refused under the current control block. */
bool gp_vram_over_quota(const struct gp_control *ctl, uint64_t bytes);
/* True when ptr lies inside a device allocation we know of (for cuMemcpy direction). */
bool gp_vram_contains(CUdeviceptr ptr);
void gp_vram_after_fork_child(void);

/* --- the pre-mapped pool (pool.c) --- */

/* Serves bytes from pre-mapped chunks; true and *ptr set on success. */
bool gp_pool_alloc(uint64_t bytes, CUdeviceptr *ptr);
/* Returns a pool allocation's chunks to the pool; false if ptr is not pool memory. */
bool gp_pool_free(CUdeviceptr ptr, uint64_t bytes);
/* Bytes mapped in the pool and not handed out (the application's ready reserve). */
uint64_t gp_pool_free_bytes(void);
/* The application manages VMM or IPC itself: stop serving new allocations from the pool. */
void gp_pool_disable(const char *why);
/* Wakes the refill thread (control block changed, memory freed). */
void gp_pool_poke(void);
void gp_pool_after_fork_child(void);

/* --- SM-share throttling (throttle.c) --- */

/* Called before a launch: may sleep (bounded) to hold the SM share. */
void gp_throttle_before_launch(const struct gp_control *ctl);
/* Called after a synchronize that waited wait_ns for launches: refines the per-launch estimate. */
void gp_throttle_after_sync(uint64_t wait_ns, uint64_t launches);

/* --- estimated kernel intervals (hooks_launch.c) --- */

void gp_launch_note(uint64_t ts_ns);
void gp_sync_note(uint64_t start_ns, uint64_t end_ns, enum gp_api_id api, uint64_t handle,
		  uint16_t kind);

/* --- GPU execution intervals from CUPTI (cupti.c) --- */

/* Loads libcupti and starts its activity records, once per process; from cuInit with a ring. */
void gp_cupti_start(void);
/* cuInit succeeded: CUPTI starts now if a ring is attached, else when one is. */
void gp_cupti_on_cuinit(void);
/* A ring was attached (link.c): CUPTI starts now if cuInit succeeded already. */
void gp_cupti_on_ring(void);
/* True while CUPTI delivers real intervals: gp_sync_note then emits no estimated ones. */
bool gp_cupti_active(void);
void gp_cupti_after_fork_child(void);

/* --- logging (log.c) --- */

/*
 * One line to the system log socket (/dev/log), at most a few per minute per process; never the
 * application's stderr, never through its syslog() state. priority is a LOG_* level.
 */
void gp_log(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gp_log_after_fork_child(void);

#endif /* GP_INTERCEPT_H */
