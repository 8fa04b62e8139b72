/* SPDX-License-Identifier: MIT */
/*
 * gpupredict/abi.h - the one binary interface shared by the interposer, the eBPF probe and the
 * daemon (C# mirrors it in Gpupredict.Core / Gpupredict.Interop; a test proves the layouts agree).
 *
 * Three structures cross process boundaries:
 *   struct gp_event          one observation (an API call, a GPU execution interval, ...)
 *   struct gp_ring_header    the head of the per-process shared-memory event ring
 *   struct gp_control_block  the application's virtual GPU, written by the daemon
 *
 * Rules: fixed-width fields only, explicit padding, natural alignment, little-endian, no pointers
 * (addresses are carried as u64). Every structure, enum and constant is declared through an X-macro
 * list, so the layout reporter (native/tools/abi_layout.c) prints all of them without a hand-copied
 * table:
 *   field lists       X(type, name) declares a scalar, XA(type, name, n) an array of n (the
 *                     control block's list also gives each field a role, see there);
 *   enumerator lists  E(NAME, value);
 *   GP_ABI_STRUCTS, GP_ABI_ENUMS and GP_ABI_CONSTANTS (at the end) name every list the reporter
 *   walks: a new structure, enum or constant goes there too, or the C# mirror test never sees it.
 * Bump GP_ABI_VERSION on any change a reader could misread; readers refuse other versions.
 *
 * Times are CLOCK_MONOTONIC nanoseconds unless a flag says otherwise. Sizes are bytes.
 */
#ifndef GPUPREDICT_ABI_H
#define GPUPREDICT_ABI_H

#include <stddef.h>
#include <stdint.h>

#define GP_ABI_VERSION 1u

/* "GPRB" and "GPCB" stored little-endian: the first four bytes of a ring and a control block. */
#define GP_RING_MAGIC	 0x42525047u
#define GP_CONTROL_MAGIC 0x42435047u

/* What an event observed. Values are stable: append, never renumber. */
#define GP_EVENT_KIND_VALUES(E)                                                                    \
	E(GP_EV_NONE, 0)                                                                           \
                                                                                                   \
	/* Device memory appears: bytes = size, address = device pointer. */                       \
	E(GP_EV_ALLOC, 1)	  /* cuMemAlloc, cuMemAllocPitch (sync) */                         \
	E(GP_EV_ALLOC_ASYNC, 2)	  /* cuMemAllocAsync, cuMemAllocFromPoolAsync */                   \
	E(GP_EV_ALLOC_MANAGED, 3) /* cuMemAllocManaged */                                          \
	E(GP_EV_ALLOC_HOST, 4)	  /* cuMemAllocHost, cuMemHostAlloc (pinned host memory) */        \
	E(GP_EV_ALLOC_VMM, 5)	  /* cuMemCreate + cuMemMap done by the application itself */      \
                                                                                                   \
	/* Device memory disappears: address = pointer, bytes = size when known, else 0. */        \
	E(GP_EV_FREE, 10)                                                                          \
	E(GP_EV_FREE_ASYNC, 11)                                                                    \
	E(GP_EV_FREE_MANAGED, 12)                                                                  \
	E(GP_EV_FREE_HOST, 13)                                                                     \
	E(GP_EV_FREE_VMM, 14)                                                                      \
                                                                                                   \
	/* Kernels: a launch is the host-side API call; an execution is the GPU interval. */       \
	E(GP_EV_KERNEL_LAUNCH, 20)                                                                 \
	E(GP_EV_KERNEL_EXEC, 21)                                                                   \
                                                                                                   \
	/* Copies by direction; ts..end is the API call, or the GPU interval with GPU_TIME. */     \
	E(GP_EV_MEMCPY_HTOD, 30)                                                                   \
	E(GP_EV_MEMCPY_DTOH, 31)                                                                   \
	E(GP_EV_MEMCPY_DTOD, 32)                                                                   \
	E(GP_EV_MEMCPY_HTOH, 33)                                                                   \
	E(GP_EV_MEMCPY_PEER, 34)                                                                   \
	E(GP_EV_MEMSET, 35)                                                                        \
                                                                                                   \
	/* Waits: stream = the stream or event handle waited on (0 for a context). */              \
	E(GP_EV_SYNC_CONTEXT, 40)                                                                  \
	E(GP_EV_SYNC_STREAM, 41)                                                                   \
	E(GP_EV_SYNC_EVENT, 42)                                                                    \
                                                                                                   \
	/* Lifecycle. */                                                                           \
	E(GP_EV_CONTEXT_CREATE, 50)                                                                \
	E(GP_EV_CONTEXT_DESTROY, 51)                                                               \
	E(GP_EV_MODULE_LOAD, 52)                                                                   \
	E(GP_EV_PROCESS_EXIT, 53)

/* Bits of gp_event.flags (a uint16_t). */
#define GP_EVENT_FLAG_VALUES(E)                                                                    \
	E(GP_EVF_NONE, 0)                                                                          \
	E(GP_EVF_ASYNC, 1u << 0)     /* the call was stream-ordered */                             \
	E(GP_EVF_GPU_TIME, 1u << 1)  /* ts..end is a GPU execution interval (CUPTI, profiler) */   \
	E(GP_EVF_ESTIMATED, 1u << 2) /* ts..end was estimated from launch/sync timing */           \
	E(GP_EVF_FAILED, 1u << 3)    /* the call returned an error (see result) */                 \
	E(GP_EVF_PREMAPPED, 1u << 4) /* an allocation served from pre-mapped memory */             \
	E(GP_EVF_DENIED, 1u << 5)    /* an allocation refused by the VRAM quota */                 \
	E(GP_EVF_COOPERATIVE, 1u << 6)

#define GP_DECLARE_ENUMERATOR(name, value) name = (value),

enum gp_event_kind { GP_EVENT_KIND_VALUES(GP_DECLARE_ENUMERATOR) };

enum gp_event_flags { GP_EVENT_FLAG_VALUES(GP_DECLARE_ENUMERATOR) };

/*
 * One event: 112 bytes, 8-byte aligned. Fields a kind does not use are zero.
 * device is the CUDA device ordinal, -1 when unknown; result is the CUresult of the call.
 */
#define GP_EVENT_FIELDS(X, XA)                                                                     \
	X(uint64_t, ts_ns)	    /* start, CLOCK_MONOTONIC ns */                                \
	X(uint64_t, end_ns)	    /* end; == ts_ns for an instant */                             \
	X(uint64_t, bytes)	    /* allocation, copy or set size */                             \
	X(uint64_t, address)	    /* device pointer (alloc/free), destination (copies) */        \
	X(uint64_t, stream)	    /* CUstream value (API calls); CUPTI stream id (GPU_TIME) */   \
	X(uint64_t, correlation_id) /* links a launch to its execution */                          \
	X(uint32_t, pid)                                                                           \
	X(uint32_t, tid)                                                                           \
	X(uint32_t, grid_x)                                                                        \
	X(uint32_t, grid_y)                                                                        \
	X(uint32_t, grid_z)                                                                        \
	X(uint32_t, block_x)                                                                       \
	X(uint32_t, block_y)                                                                       \
	X(uint32_t, block_z)                                                                       \
	X(uint16_t, kind)  /* enum gp_event_kind */                                                \
	X(uint16_t, flags) /* enum gp_event_flags */                                               \
	X(int32_t, device)                                                                         \
	X(int32_t, result)                                                                         \
	X(uint32_t, shared_mem_bytes) /* static + dynamic shared memory per block */               \
	X(uint32_t, api_id)	      /* which hooked entry point (interposer's hook index) */     \
	X(uint32_t, reserved0)                                                                     \
	X(uint64_t, reserved1)

/*
 * The ring: one shared-memory object per registered process, created by the daemon (a memfd sealed
 * against shrinking and growing, see "Registration") with the capacity it chooses, and mapped
 * read-write by the interposer. The header occupies the first GP_RING_HEADER_SIZE bytes, then
 * capacity slots of GP_RING_SLOT_SIZE bytes. The creator sets slot[i].seq = i for every slot and
 * writes magic last (release), before handing it over; the interposer refuses a ring whose header
 * disagrees with the welcome. A bounded multi-producer ring (per-slot sequence numbers): a producer reads
 * head, and when slot(head).seq == head claims it with a compare-exchange of head to head + 1 (a
 * lost race retries with the new head, a bounded number of times), writes the event, then publishes
 * by storing seq = index + 1 (release) and counts written. When seq < head the slot is still unread
 * from the previous lap: the ring is full, dropped is counted and the producer returns without
 * touching head: it never blocks. The single consumer (the daemon) reads slot(tail) when seq ==
 * tail + 1, releases it with seq = tail + capacity, then stores tail. Capacity is a power of two,
 * at least 2. Head, tail and the counters live on separate cache lines.
 */
#define GP_RING_HEADER_FIELDS(X, XA)                                                               \
	X(uint32_t, magic)	 /* GP_RING_MAGIC */                                               \
	X(uint16_t, abi_version) /* GP_ABI_VERSION */                                              \
	X(uint16_t, header_size) /* GP_RING_HEADER_SIZE */                                         \
	X(uint32_t, slot_size)	 /* GP_RING_SLOT_SIZE */                                           \
	X(uint32_t, capacity)	 /* slots, a power of two */                                       \
	X(uint32_t, pid)                                                                           \
	X(uint32_t, reserved0)                                                                     \
	X(uint64_t, start_time) /* /proc/<pid>/stat field 22, clock ticks since boot */            \
	X(uint64_t, created_ns) /* CLOCK_MONOTONIC at ring creation */                             \
	XA(uint64_t, pad0, 3)                                                                      \
	X(uint64_t, head) /* offset 64: next index a producer claims */                            \
	XA(uint64_t, pad1, 7)                                                                      \
	X(uint64_t, tail) /* offset 128: next index the consumer reads */                          \
	XA(uint64_t, pad2, 7)                                                                      \
	X(uint64_t, written) /* offset 192: events published */                                    \
	X(uint64_t, dropped) /* events lost because the ring was full */                           \
	XA(uint64_t, pad3, 6)

/*
 * The application's virtual GPU, one per registered process (handed over at registration), written
 * only by the daemon, mapped read-only by the interposer. Consistency by sequence lock: the writer
 * makes seq odd, writes, makes it even; a reader retries (bounded) on an odd or changed seq and
 * treats a block that never settles, or has the wrong magic/version/size, as absent (fail-open);
 * so is a block with values out of range (flag bits other than GP_CTL_*, sm_share_ppm above
 * 1000000, a byte count above 2^50, a pre-map target above a nonzero quota, a pre-map window whose
 * nonzero until is before its nonzero from, a device outside -1..1023).
 * Limits of 0 mean "no limit"; sm_share_ppm is a fraction in millionths (1000000 = whole GPU).
 *
 * Each field is listed under its role, which says who handles it:
 *   HEADER(type, name)       the reader checks magic, abi_version and size before trusting the
 *                            rest; seq is the lock itself;
 *   LIMIT(type, name)        what the interposer enforces: its snapshot (struct gp_control) and the
 *                            copy out of the block are generated from these; the daemon rewrites
 *                            the block only when one of them changes (ControlBlock.SameLimits,
 *                            which a C# test holds to this list through abi_layout's role lines);
 *   INFO(type, name)         for the daemon's own readers; the interposer ignores it;
 *   RESERVED(type, name, n)  zero.
 * GP_CONTROL_FIELDS(X, XA) is the same list without roles, as every other structure has it.
 */
#define GP_CONTROL_FIELDS_BY_ROLE(HEADER, LIMIT, INFO, RESERVED)                                   \
	HEADER(uint32_t, magic) /* GP_CONTROL_MAGIC */                                             \
	HEADER(uint16_t, abi_version)                                                              \
	HEADER(uint16_t, size)		     /* sizeof(struct gp_control_block) */                 \
	HEADER(uint32_t, seq)		     /* sequence lock, even = stable */                    \
	LIMIT(uint32_t, flags)		     /* enum gp_control_flags: which limits apply */       \
	LIMIT(uint64_t, vram_quota_bytes)    /* allocations beyond this fail with OUT_OF_MEMORY */ \
	LIMIT(uint64_t, virtual_total_bytes) /* what cuDeviceTotalMem / cuMemGetInfo report */     \
	LIMIT(uint64_t, premap_target_bytes) /* keep this much mapped ahead of requests ... */     \
	LIMIT(uint64_t, premap_from_ns)	     /* ... from here (CLOCK_MONOTONIC, 0 = always) ... */ \
	LIMIT(uint64_t, premap_until_ns)     /* ... until here, exclusive (0 = no end) */          \
	LIMIT(uint32_t, sm_share_ppm)	     /* launch-throttle share without MPS */               \
	LIMIT(int32_t, device)	   /* the physical device backing the virtual GPU, -1 = any */     \
	INFO(uint64_t, updated_ns) /* when the daemon last wrote */                                \
	RESERVED(uint64_t, reserved, 7)

#define GP_CONTROL_FIELDS(X, XA) GP_CONTROL_FIELDS_BY_ROLE(X, X, X, XA)

/* The limits alone: GP_CONTROL_LIMITS(L) expands L(type, name) for each LIMIT field, in order. */
#define GP_IGNORE_FIELD(type, name)
#define GP_IGNORE_ARRAY(type, name, n)
#define GP_CONTROL_LIMITS(L)                                                                       \
	GP_CONTROL_FIELDS_BY_ROLE(GP_IGNORE_FIELD, L, GP_IGNORE_FIELD, GP_IGNORE_ARRAY)

/* Bits of gp_control_block.flags (a uint32_t). */
#define GP_CONTROL_FLAG_VALUES(E)                                                                  \
	E(GP_CTL_NONE, 0)                                                                          \
	E(GP_CTL_ENFORCE_QUOTA, 1u << 0)                                                           \
	E(GP_CTL_PREMAP, 1u << 1)                                                                  \
	E(GP_CTL_THROTTLE, 1u << 2)                                                                \
	E(GP_CTL_SUSPEND_REQUESTED, 1u << 3)

enum gp_control_flags { GP_CONTROL_FLAG_VALUES(GP_DECLARE_ENUMERATOR) };

/*
 * Registration: how an application and the daemon find each other. The daemon listens on a
 * SOCK_SEQPACKET Unix socket (GP_REGISTER_SOCKET by default; GPUPREDICT_SOCKET overrides it for an
 * unprivileged daemon); the interposer connects without blocking at its first CUDA call and sends
 * one gp_hello. The daemon identifies the peer by SO_PEERCRED and /proc, never by the hello (whose
 * pid is only checked against the kernel's), creates the event ring and the control block as
 * memfds it owns, and answers with one gp_welcome carrying both descriptors (SCM_RIGHTS, ring
 * first). The ring is sealed against shrinking and growing, the control block against writes
 * through any new mapping (F_SEAL_FUTURE_WRITE where the kernel has it; else a read-only
 * descriptor of a 0400 root-owned file): the application maps the ring read-write and the block
 * read-only. The connection stays open: its hang-up is the application's exit to the daemon and
 * the daemon's exit to the application, which then passes every call through and connects again.
 * A refused hello gets a welcome with a nonzero status and no descriptors.
 */
#define GP_REGISTER_SOCKET "/run/gpupredictd/register.sock"
#define GP_HELLO_MAGIC	   0x4c485047u /* "GPHL" */
#define GP_WELCOME_MAGIC   0x4c575047u /* "GPWL" */

#define GP_HELLO_FIELDS(X, XA)                                                                     \
	X(uint32_t, magic)	 /* GP_HELLO_MAGIC */                                              \
	X(uint16_t, abi_version) /* GP_ABI_VERSION */                                              \
	X(uint16_t, size)	 /* sizeof(struct gp_hello) */                                     \
	X(uint32_t, pid)	 /* the sender's word: refused unless SO_PEERCRED agrees */        \
	X(uint32_t, flags)	 /* zero */                                                        \
	XA(uint64_t, reserved, 2)

#define GP_WELCOME_FIELDS(X, XA)                                                                   \
	X(uint32_t, magic)	   /* GP_WELCOME_MAGIC */                                          \
	X(uint16_t, abi_version)   /* GP_ABI_VERSION */                                            \
	X(uint16_t, size)	   /* sizeof(struct gp_welcome) */                                 \
	X(uint32_t, status)	   /* enum gp_welcome_status; descriptors only with GP_WELCOME_OK */ \
	X(uint32_t, ring_capacity) /* slots in the ring (a power of two) */                        \
	X(uint64_t, ring_bytes)	   /* GP_RING_HEADER_SIZE + capacity * GP_RING_SLOT_SIZE */        \
	X(uint64_t, control_bytes) /* GP_CONTROL_SIZE */                                           \
	X(uint64_t, start_time)	   /* the daemon's view of the peer: /proc/<pid>/stat field 22 */  \
	X(uint64_t, reserved)

/* Why a hello was refused. Values are stable: append, never renumber. */
#define GP_WELCOME_STATUS_VALUES(E)                                                                \
	E(GP_WELCOME_OK, 0)                                                                        \
	E(GP_WELCOME_BAD_HELLO, 1)	   /* wrong magic, version or size */                      \
	E(GP_WELCOME_PID_MISMATCH, 2)	   /* the hello's pid is not the peer's */                 \
	E(GP_WELCOME_ALREADY_REGISTERED, 3) /* this process already has a live registration */     \
	E(GP_WELCOME_FULL, 4)		   /* the daemon's application or per-user limit */        \
	E(GP_WELCOME_UNKNOWN_PEER, 5)	   /* the peer's /proc entry could not be read */          \
	E(GP_WELCOME_INTERNAL, 6)	   /* the daemon could not create the shared memory */

enum gp_welcome_status { GP_WELCOME_STATUS_VALUES(GP_DECLARE_ENUMERATOR) };

/* One ring slot: 128 bytes (two cache lines); slots follow the header, so each is line-aligned. */
#define GP_RING_SLOT_FIELDS(X, XA)                                                                 \
	X(uint64_t, seq) /* publication sequence, see the ring comment */                          \
	X(uint64_t, reserved)                                                                      \
	X(struct gp_event, event)

#define GP_DECLARE_FIELD(type, name)	type name;
#define GP_DECLARE_ARRAY(type, name, n) type name[n];

struct gp_event {
	GP_EVENT_FIELDS(GP_DECLARE_FIELD, GP_DECLARE_ARRAY)
};

struct gp_ring_header {
	GP_RING_HEADER_FIELDS(GP_DECLARE_FIELD, GP_DECLARE_ARRAY)
};

struct gp_ring_slot {
	GP_RING_SLOT_FIELDS(GP_DECLARE_FIELD, GP_DECLARE_ARRAY)
};

struct gp_control_block {
	GP_CONTROL_FIELDS(GP_DECLARE_FIELD, GP_DECLARE_ARRAY)
};

struct gp_hello {
	GP_HELLO_FIELDS(GP_DECLARE_FIELD, GP_DECLARE_ARRAY)
};

struct gp_welcome {
	GP_WELCOME_FIELDS(GP_DECLARE_FIELD, GP_DECLARE_ARRAY)
};

#define GP_EVENT_SIZE	    112u
#define GP_RING_HEADER_SIZE 256u
#define GP_RING_SLOT_SIZE   128u
#define GP_CONTROL_SIZE	    128u
#define GP_HELLO_SIZE	    32u
#define GP_WELCOME_SIZE	    48u

_Static_assert(sizeof(struct gp_event) == GP_EVENT_SIZE, "gp_event size");
_Static_assert(_Alignof(struct gp_event) == 8, "gp_event alignment");
_Static_assert(offsetof(struct gp_event, pid) == 48, "gp_event.pid");
_Static_assert(offsetof(struct gp_event, kind) == 80, "gp_event.kind");
_Static_assert(sizeof(struct gp_ring_header) == GP_RING_HEADER_SIZE, "gp_ring_header size");
_Static_assert(offsetof(struct gp_ring_header, head) == 64, "head on its own cache line");
_Static_assert(offsetof(struct gp_ring_header, tail) == 128, "tail on its own cache line");
_Static_assert(offsetof(struct gp_ring_header, written) == 192, "counters on their own line");
_Static_assert(sizeof(struct gp_ring_slot) == GP_RING_SLOT_SIZE, "gp_ring_slot size");
_Static_assert(offsetof(struct gp_ring_slot, event) == 16, "gp_ring_slot.event");
_Static_assert(sizeof(struct gp_control_block) == GP_CONTROL_SIZE, "gp_control_block size");
_Static_assert(sizeof(struct gp_hello) == GP_HELLO_SIZE, "gp_hello size");
_Static_assert(sizeof(struct gp_welcome) == GP_WELCOME_SIZE, "gp_welcome size");

/*
 * Everything the layout reporter prints, and the C# mirror test compares:
 *   S(struct_name, FIELD_LIST)   E(enum_name, ENUMERATOR_LIST)   C(MACRO_NAME)
 * (GP_ABI_STRINGS names the string constants, GP_ABI_CONSTANTS the numeric ones.)
 */
#define GP_ABI_STRUCTS(S)                                                                          \
	S(gp_event, GP_EVENT_FIELDS)                                                               \
	S(gp_ring_header, GP_RING_HEADER_FIELDS)                                                   \
	S(gp_ring_slot, GP_RING_SLOT_FIELDS)                                                       \
	S(gp_control_block, GP_CONTROL_FIELDS)                                                     \
	S(gp_hello, GP_HELLO_FIELDS)                                                               \
	S(gp_welcome, GP_WELCOME_FIELDS)

#define GP_ABI_ENUMS(E)                                                                            \
	E(gp_event_kind, GP_EVENT_KIND_VALUES)                                                     \
	E(gp_event_flags, GP_EVENT_FLAG_VALUES)                                                    \
	E(gp_control_flags, GP_CONTROL_FLAG_VALUES)                                                \
	E(gp_welcome_status, GP_WELCOME_STATUS_VALUES)

#define GP_ABI_STRINGS(C) C(GP_REGISTER_SOCKET)

#define GP_ABI_CONSTANTS(C)                                                                        \
	C(GP_ABI_VERSION)                                                                          \
	C(GP_RING_MAGIC)                                                                           \
	C(GP_CONTROL_MAGIC)                                                                        \
	C(GP_EVENT_SIZE)                                                                           \
	C(GP_RING_HEADER_SIZE)                                                                     \
	C(GP_RING_SLOT_SIZE)                                                                       \
	C(GP_CONTROL_SIZE)                                                                         \
	C(GP_HELLO_MAGIC)                                                                          \
	C(GP_WELCOME_MAGIC)                                                                        \
	C(GP_HELLO_SIZE)                                                                           \
	C(GP_WELCOME_SIZE)

#endif /* GPUPREDICT_ABI_H */
