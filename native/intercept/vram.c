/* SPDX-License-Identifier: MIT */
/*
 * vram.c - the process's live device allocations (pointer -> size), for frees that carry no size,
 * the VRAM quota and the virtual cuMemGetInfo. An open-addressing hash table under one mutex:
 * allocation calls are far rarer than launches and take microseconds in the driver anyway.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "intercept.h"

struct gp_alloc_slot {
	CUdeviceptr ptr; /* 0 = empty, GP_TOMBSTONE = deleted */
	uint64_t bytes;
	uint8_t origin;
};

#define GP_TOMBSTONE ((CUdeviceptr)1)
#define GP_MIN_TABLE 1024u

static struct gp_alloc_slot *gp_table;
static size_t gp_table_size; /* a power of two */
static size_t gp_table_fill; /* live + tombstones */
static uint64_t gp_used_bytes;
static pthread_mutex_t gp_vram_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t gp_hash(CUdeviceptr p)
{
	uint64_t x = (uint64_t)p;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return (size_t)x;
}

static bool gp_table_grow(void)
{
	size_t size = gp_table_size == 0 ? GP_MIN_TABLE : gp_table_size * 2;
	struct gp_alloc_slot *t = calloc(size, sizeof(*t));
	if (t == NULL)
		return false;
	for (size_t i = 0; i < gp_table_size; i++) {
		CUdeviceptr p = gp_table[i].ptr;
		if (p == 0 || p == GP_TOMBSTONE)
			continue;
		size_t j = gp_hash(p) & (size - 1);
		while (t[j].ptr != 0)
			j = (j + 1) & (size - 1);
		t[j] = gp_table[i];
	}
	free(gp_table);
	gp_table = t;
	gp_table_size = size;
	gp_table_fill = 0;
	for (size_t i = 0; i < size; i++)
		gp_table_fill += t[i].ptr != 0;
	return true;
}

void gp_vram_add(CUdeviceptr ptr, uint64_t bytes, enum gp_alloc_origin origin)
{
	if (ptr == 0 || ptr == GP_TOMBSTONE)
		return;
	pthread_mutex_lock(&gp_vram_lock);
	if ((gp_table_fill + 1) * 4 > gp_table_size * 3 && !gp_table_grow()) {
		pthread_mutex_unlock(&gp_vram_lock);
		gp_log(LOG_WARNING, "allocation table full; quota accounting is now approximate");
		return;
	}
	size_t mask = gp_table_size - 1;
	size_t i = gp_hash(ptr) & mask;
	while (gp_table[i].ptr != 0 && gp_table[i].ptr != GP_TOMBSTONE && gp_table[i].ptr != ptr)
		i = (i + 1) & mask;
	if (gp_table[i].ptr == ptr) {
		/* The driver handed out an address we still list: the free went past us. */
		gp_used_bytes -= gp_table[i].bytes;
	} else if (gp_table[i].ptr == 0) {
		gp_table_fill++;
	}
	gp_table[i] = (struct gp_alloc_slot){ptr, bytes, (uint8_t)origin};
	gp_used_bytes += bytes;
	pthread_mutex_unlock(&gp_vram_lock);
}

static struct gp_alloc_slot *gp_find(CUdeviceptr ptr)
{
	if (gp_table_size == 0 || ptr == 0 || ptr == GP_TOMBSTONE)
		return NULL;
	size_t mask = gp_table_size - 1;
	for (size_t i = gp_hash(ptr) & mask, n = 0; n < gp_table_size; i = (i + 1) & mask, n++) {
		if (gp_table[i].ptr == ptr)
			return &gp_table[i];
		if (gp_table[i].ptr == 0)
			return NULL;
	}
	return NULL;
}

uint64_t gp_vram_remove(CUdeviceptr ptr, enum gp_alloc_origin *origin)
{
	uint64_t bytes = 0;
	pthread_mutex_lock(&gp_vram_lock);
	struct gp_alloc_slot *s = gp_find(ptr);
	if (s != NULL) {
		bytes = s->bytes;
		if (origin != NULL)
			*origin = (enum gp_alloc_origin)s->origin;
		gp_used_bytes -= bytes;
		s->ptr = GP_TOMBSTONE;
	}
	pthread_mutex_unlock(&gp_vram_lock);
	return bytes;
}

uint64_t gp_vram_used(void)
{
	pthread_mutex_lock(&gp_vram_lock);
	uint64_t used = gp_used_bytes;
	pthread_mutex_unlock(&gp_vram_lock);
	return used;
}

bool gp_vram_over_quota(const struct gp_control *ctl, uint64_t bytes)
{
	if (!ctl->valid || !(ctl->flags & GP_CTL_ENFORCE_QUOTA) || ctl->vram_quota_bytes == 0)
		return false;
	uint64_t used = gp_vram_used();
	return used > ctl->vram_quota_bytes || bytes > ctl->vram_quota_bytes - used;
}

bool gp_vram_contains(CUdeviceptr ptr)
{
	/* Exact base pointers only: interior pointers need a range index, left for later. */
	pthread_mutex_lock(&gp_vram_lock);
	bool found = gp_find(ptr) != NULL;
	pthread_mutex_unlock(&gp_vram_lock);
	return found;
}

void gp_vram_after_fork_child(void)
{
	/* The child inherits no CUDA allocations it could use; start empty. */
	pthread_mutex_init(&gp_vram_lock, NULL);
	free(gp_table);
	gp_table = NULL;
	gp_table_size = 0;
	gp_table_fill = 0;
	gp_used_bytes = 0;
}
