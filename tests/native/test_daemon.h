/* SPDX-License-Identifier: MIT */
/*
 * test_daemon.h - a tiny registration server for native tests and benchmarks (test-only): the
 * daemon's side of abi.h's "Registration", run as a thread inside the test process.
 *
 * It listens on a SOCK_SEQPACKET socket at a path of the test's choosing (the test points the
 * interposer at it with GPUPREDICT_SOCKET), and answers each hello as gpupredictd does: a ring
 * memfd (slot seq = index, header, magic last; sealed F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)
 * and a control block memfd (mapped read-write here first, then sealed F_SEAL_FUTURE_WRITE |
 * F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL), sent with SCM_RIGHTS, ring first. The test keeps its
 * own read-write mappings of both (gp_td_client), so it consumes the ring and writes the block as
 * the daemon would. A mode makes it send malformed welcomes instead, for refusal tests.
 */
#ifndef GP_TEST_DAEMON_H
#define GP_TEST_DAEMON_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "gpupredict/abi.h"

/* What the next welcomes look like. Every mode but GP_TD_OK must be refused by the interposer. */
enum gp_td_mode {
	GP_TD_OK,
	GP_TD_BAD_MAGIC,	/* welcome.magic wrong */
	GP_TD_BAD_CAPACITY,	/* capacity 3 (not a power of two), ring sized to match */
	GP_TD_BAD_RING_BYTES,	/* ring_bytes one slot more than the capacity gives */
	GP_TD_ONE_FD,		/* the ring only */
	GP_TD_THREE_FDS,	/* ring, control block and one more */
	GP_TD_SHORT_RING,	/* the ring memfd is half what the welcome says */
	GP_TD_HEADER_MISMATCH,	/* the ring header's capacity differs from the welcome's */
	GP_TD_REFUSED,		/* status GP_WELCOME_FULL, no descriptors */
	GP_TD_REFUSED_WITH_FDS, /* status GP_WELCOME_FULL, yet two descriptors */
	GP_TD_MODE_COUNT
};

/* One registration: the peer's pid and the daemon's own mappings of what it was given. */
struct gp_td_client {
	pid_t pid;
	int conn;    /* -1 once the test daemon hung up */
	int ring_fd; /* kept open (tests try ftruncate on it) */
	int control_fd;
	struct gp_ring_header *ring; /* read-write */
	size_t ring_bytes;
	struct gp_control_block *control; /* read-write (mapped before the write seal) */
};

#define GP_TD_MAX_CLIENTS 64

struct gp_td {
	char path[108];
	uint32_t capacity; /* ring slots for the next client */
	int mode;	   /* enum gp_td_mode, for the next welcomes */
	/* The control block each new client starts with, verbatim (gp_td_block makes a valid one).
	 */
	struct gp_control_block initial;

	int listen_fd;
	bool stop;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	unsigned welcomes; /* welcomes sent, of any mode */
	int nclients;
	struct gp_td_client clients[GP_TD_MAX_CLIENTS];
};

/* A valid control block with these limits (sm_share_ppm 1000000, device -1). */
struct gp_control_block gp_td_block(uint32_t flags, uint64_t quota, uint64_t virtual_total,
				    uint64_t premap_target);

/* Fills d (capacity slots, GP_TD_OK, a neutral initial block); does not start it. */
void gp_td_init(struct gp_td *d, const char *path, uint32_t capacity);
/* Listens at d->path (replacing a stale socket) and starts the thread; 0, or an errno. */
int gp_td_start(struct gp_td *d);
/* Hangs up on every client, removes the socket and stops the thread; mappings stay for reading. */
void gp_td_stop(struct gp_td *d);

/* The latest registration of pid, waiting up to timeout_ms; NULL if none came. */
struct gp_td_client *gp_td_wait_client(struct gp_td *d, pid_t pid, int timeout_ms);
/* Waits until at least n welcomes were sent; the count then. */
unsigned gp_td_wait_welcomes(struct gp_td *d, unsigned n, int timeout_ms);

/* Writes value into a client's block under its sequence lock, as the daemon does. */
void gp_td_publish(struct gp_control_block *block, const struct gp_control_block *value);

/*
 * True when this process's interposer link thread is attached ("gp-linked" in
 * /proc/self/task/<tid>/comm, set once the ring and block are attached) and linked is true, or
 * when none is and linked is false; waits up to timeout_ms for that.
 */
bool gp_td_wait_linked(bool linked, int timeout_ms);

#endif /* GP_TEST_DAEMON_H */
