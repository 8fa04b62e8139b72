/* SPDX-License-Identifier: MIT */
/*
 * ring.c - the producer side of the per-process event ring (protocol in abi.h).
 *
 * The ring exists only when a daemon will read it: its marker (GPUPREDICT_DAEMON_MARKER, default
 * /dev/shm/gpupredict-daemon) is present, or GPUPREDICT_RING_ALWAYS=1. Otherwise every push is a
 * no-op, so a node without the daemon carries no cost beyond the hook itself.
 * Size: GPUPREDICT_RING_SLOTS slots (a power of two in [64, 2^22], default 65536 = 8 MiB).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "intercept.h"

#define GP_DEFAULT_SLOTS 65536u
#define GP_MIN_SLOTS	 64u
#define GP_MAX_SLOTS	 (1u << 22)
/* A producer gives up (and counts a drop) after this many lost races for a slot. */
#define GP_MAX_CLAIM_TRIES 64

static struct gp_ring_header *gp_ring;
static struct gp_ring_slot *gp_slots;
static uint64_t gp_ring_mask;
static size_t gp_ring_bytes;
static char gp_ring_name[64];
static pthread_mutex_t gp_ring_lock = PTHREAD_MUTEX_INITIALIZER;
static bool gp_ring_tried;

static bool gp_daemon_present(void)
{
	const char *always = getenv("GPUPREDICT_RING_ALWAYS");
	if (always != NULL && always[0] == '1')
		return true;
	const char *marker = getenv("GPUPREDICT_DAEMON_MARKER");
	return access(marker != NULL && marker[0] != '\0' ? marker : "/dev/shm/gpupredict-daemon",
		      F_OK) == 0;
}

static uint32_t gp_slots_wanted(void)
{
	const char *s = getenv("GPUPREDICT_RING_SLOTS");
	if (s == NULL)
		return GP_DEFAULT_SLOTS;
	unsigned long v = strtoul(s, NULL, 10);
	if (v < GP_MIN_SLOTS || v > GP_MAX_SLOTS || (v & (v - 1)) != 0) {
		gp_log(LOG_WARNING,
		       "GPUPREDICT_RING_SLOTS=%s is not a power of two in [%u, %u]; using %u", s,
		       GP_MIN_SLOTS, GP_MAX_SLOTS, GP_DEFAULT_SLOTS);
		return GP_DEFAULT_SLOTS;
	}
	return (uint32_t)v;
}

static void gp_ring_create(void)
{
	uint32_t slots = gp_slots_wanted();
	size_t bytes = GP_RING_HEADER_SIZE + (size_t)slots * GP_RING_SLOT_SIZE;
	snprintf(gp_ring_name, sizeof(gp_ring_name), GP_RING_SHM_PREFIX "%u.%llu", gp_pid(),
		 (unsigned long long)gp_start_time());
	int fd = shm_open(gp_ring_name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		/* Same pid and start time: this process exec'd; the old image's ring is ours to
		 * replace. */
		shm_unlink(gp_ring_name);
		fd = shm_open(gp_ring_name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	}
	if (fd < 0) {
		gp_log(LOG_WARNING, "cannot create ring %s: %m", gp_ring_name);
		return;
	}
	fchmod(fd, 0600);
	void *map = MAP_FAILED;
	if (ftruncate(fd, (off_t)bytes) == 0)
		map = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		gp_log(LOG_WARNING, "cannot size or map ring %s: %m", gp_ring_name);
		shm_unlink(gp_ring_name);
		return;
	}
	struct gp_ring_header *h = map;
	struct gp_ring_slot *s = (struct gp_ring_slot *)((char *)map + GP_RING_HEADER_SIZE);
	for (uint32_t i = 0; i < slots; i++)
		s[i].seq = i;
	h->abi_version = GP_ABI_VERSION;
	h->header_size = GP_RING_HEADER_SIZE;
	h->slot_size = GP_RING_SLOT_SIZE;
	h->capacity = slots;
	h->pid = gp_pid();
	h->start_time = gp_start_time();
	h->created_ns = gp_now_ns();
	gp_slots = s;
	gp_ring_mask = slots - 1;
	gp_ring_bytes = bytes;
	/* The magic goes last: a reader that sees it sees a complete header. */
	__atomic_store_n(&h->magic, GP_RING_MAGIC, __ATOMIC_RELEASE);
	__atomic_store_n(&gp_ring, h, __ATOMIC_RELEASE);
}

void gp_ring_open(void)
{
	if (__atomic_load_n(&gp_ring_tried, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&gp_ring_lock);
	if (!gp_ring_tried) {
		if (gp_daemon_present())
			gp_ring_create();
		__atomic_store_n(&gp_ring_tried, true, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&gp_ring_lock);
}

bool gp_ring_active(void)
{
	return __atomic_load_n(&gp_ring, __ATOMIC_RELAXED) != NULL;
}

bool gp_active(void)
{
	return gp_ring_active() || gp_control_present();
}

void gp_ring_push(const struct gp_event *event)
{
	struct gp_ring_header *h = __atomic_load_n(&gp_ring, __ATOMIC_ACQUIRE);
	if (h == NULL)
		return;
	uint64_t pos = __atomic_load_n(&h->head, __ATOMIC_RELAXED);
	for (int tries = 0; tries < GP_MAX_CLAIM_TRIES; tries++) {
		struct gp_ring_slot *slot = &gp_slots[pos & gp_ring_mask];
		uint64_t seq = __atomic_load_n(&slot->seq, __ATOMIC_ACQUIRE);
		int64_t diff = (int64_t)(seq - pos);
		if (diff == 0) {
			if (__atomic_compare_exchange_n(&h->head, &pos, pos + 1, true,
							__ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
				slot->event = *event;
				__atomic_store_n(&slot->seq, pos + 1, __ATOMIC_RELEASE);
				__atomic_add_fetch(&h->written, 1, __ATOMIC_RELAXED);
				return;
			}
			/* Lost the race: pos now holds the current head; try that slot. */
		} else if (diff < 0) {
			break; /* the slot one lap back is still unread: the ring is full */
		} else {
			pos = __atomic_load_n(&h->head, __ATOMIC_RELAXED);
		}
	}
	__atomic_add_fetch(&h->dropped, 1, __ATOMIC_RELAXED);
}

void gp_ring_after_fork_child(void)
{
	/* The parent's mapping stays (harmless); the child's events go to a ring of its own. */
	gp_ring = NULL;
	gp_slots = NULL;
	gp_ring_tried = false;
	pthread_mutex_init(&gp_ring_lock, NULL);
}

void gp_ring_close_at_exit(void)
{
	struct gp_ring_header *h = __atomic_load_n(&gp_ring, __ATOMIC_ACQUIRE);
	if (h == NULL)
		return;
	struct gp_event e;
	gp_event_init(&e, GP_EV_PROCESS_EXIT, GP_API_COUNT);
	gp_ring_push(&e);
	/* With no daemon left to drain it, nobody ever will: do not leave 8 MiB in /dev/shm. */
	if (!gp_daemon_present())
		shm_unlink(gp_ring_name);
}
