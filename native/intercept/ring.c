/* SPDX-License-Identifier: MIT */
/*
 * ring.c - the producer side of the per-process event ring (protocol in abi.h).
 *
 * The daemon creates the ring (a sealed memfd) and hands it over at registration (link.c); link.c
 * maps it and attaches it here. Until then, and after the daemon hangs up, every push is a no-op,
 * so a node without the daemon carries no cost beyond the hook itself.
 *
 * The mapping is published as one pointer to an immutable view (header, slots, mask), so a pusher
 * never sees a half-attached ring and never trusts the capacity stored in shared memory. A detached
 * view is never freed, and its mapping is replaced in place by private anonymous memory rather than
 * unmapped: a pusher that loaded the view just before the detach may still write into it, and must
 * write into memory that exists (and that the daemon no longer sees). Each daemon restart thus
 * leaks one small view and the ring's address range (not its pages).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>

#include "intercept.h"

/* A producer gives up (and counts a drop) after this many lost races for a slot. */
#define GP_MAX_CLAIM_TRIES 64

struct gp_ring_view {
	struct gp_ring_header *h;
	struct gp_ring_slot *slots;
	uint64_t mask;
	size_t bytes;
};

static struct gp_ring_view *gp_view;

bool gp_ring_attach(void *map, size_t bytes, uint32_t capacity)
{
	struct gp_ring_view *v = malloc(sizeof(*v));
	if (v == NULL)
		return false;
	v->h = map;
	v->slots = (struct gp_ring_slot *)((char *)map + GP_RING_HEADER_SIZE);
	v->mask = capacity - 1u;
	v->bytes = bytes;
	__atomic_store_n(&gp_view, v, __ATOMIC_RELEASE);
	return true;
}

void gp_ring_detach(void)
{
	struct gp_ring_view *v = __atomic_exchange_n(&gp_view, NULL, __ATOMIC_ACQ_REL);
	if (v != NULL)
		gp_mapping_retire(v->h, v->bytes, PROT_READ | PROT_WRITE);
}

bool gp_ring_active(void)
{
	return __atomic_load_n(&gp_view, __ATOMIC_RELAXED) != NULL;
}

bool gp_active(void)
{
	return gp_ring_active() || gp_control_present();
}

void gp_ring_push(const struct gp_event *event)
{
	const struct gp_ring_view *v = __atomic_load_n(&gp_view, __ATOMIC_ACQUIRE);
	if (v == NULL)
		return;
	struct gp_ring_header *h = v->h;
	uint64_t pos = __atomic_load_n(&h->head, __ATOMIC_RELAXED);
	for (int tries = 0; tries < GP_MAX_CLAIM_TRIES; tries++) {
		struct gp_ring_slot *slot = &v->slots[pos & v->mask];
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
	/* The parent's ring is not the child's: it registers on its own at its first CUDA call. */
	gp_ring_detach();
}

void gp_ring_close_at_exit(void)
{
	if (!gp_ring_active())
		return;
	struct gp_event e;
	gp_event_init(&e, GP_EV_PROCESS_EXIT, GP_API_COUNT);
	gp_ring_push(&e);
}
