/* SPDX-License-Identifier: MIT */
/*
 * control.c - reads the daemon's control block for this process (GP_CONTROL_SHM_PREFIX
 * "<pid>.<starttime>", written only by the daemon, mapped read-only here).
 *
 * The block is untrusted input like any other: wrong magic, version or size, a sequence lock
 * that never settles, or values out of range make it count as absent (pass-through). Until it
 * exists, the name is looked up again at most every GP_CONTROL_RETRY_NS, so a daemon that
 * starts after the application still takes it over.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "intercept.h"

#define GP_CONTROL_RETRY_NS (100ull * 1000000ull)
#define GP_SEQLOCK_TRIES    16
#define GP_PPM		    1000000u

static const struct gp_control_block *gp_block;
static uint64_t gp_next_lookup_ns;
static uint32_t gp_block_owner_pid;
static pthread_mutex_t gp_control_lock = PTHREAD_MUTEX_INITIALIZER;

static void gp_control_lookup(uint64_t now)
{
	char name[64];
	snprintf(name, sizeof(name), GP_CONTROL_SHM_PREFIX "%u.%llu", gp_pid(),
		 (unsigned long long)gp_start_time());
	int fd = shm_open(name, O_RDONLY | O_CLOEXEC, 0);
	gp_next_lookup_ns = now + GP_CONTROL_RETRY_NS;
	if (fd < 0)
		return;
	struct stat st;
	void *map = MAP_FAILED;
	if (fstat(fd, &st) == 0 && st.st_size >= (off_t)GP_CONTROL_SIZE)
		map = mmap(NULL, GP_CONTROL_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	else
		gp_log(LOG_WARNING, "control block %s is %lld bytes, expected %u; ignored", name,
		       (long long)st.st_size, GP_CONTROL_SIZE);
	close(fd);
	if (map != MAP_FAILED) {
		__atomic_store_n(&gp_block, (const struct gp_control_block *)map, __ATOMIC_RELEASE);
		gp_block_owner_pid = gp_pid();
	}
}

static const struct gp_control_block *gp_control_block(uint64_t now)
{
	const struct gp_control_block *b = __atomic_load_n(&gp_block, __ATOMIC_ACQUIRE);
	if (b != NULL && gp_block_owner_pid == gp_pid())
		return b;
	if (now < __atomic_load_n(&gp_next_lookup_ns, __ATOMIC_RELAXED))
		return NULL;
	pthread_mutex_lock(&gp_control_lock);
	if (gp_block_owner_pid != gp_pid()) {
		/* A forked child: the parent's block is not ours. */
		gp_block = NULL;
		gp_next_lookup_ns = 0;
	}
	if (gp_block == NULL && now >= gp_next_lookup_ns)
		gp_control_lookup(now);
	b = gp_block;
	pthread_mutex_unlock(&gp_control_lock);
	return b;
}

static uint64_t gp_coarse_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

bool gp_control_present(void)
{
	const struct gp_control_block *b = __atomic_load_n(&gp_block, __ATOMIC_ACQUIRE);
	if (b != NULL && gp_block_owner_pid == gp_pid())
		return true;
	/* The coarse clock costs a few ns; the lookup itself runs at most every 100 ms. */
	return gp_control_block(gp_coarse_ns()) != NULL;
}

static bool gp_control_sane(const struct gp_control *c)
{
	if (c->sm_share_ppm > GP_PPM)
		return false;
	if (c->vram_quota_bytes != 0 && c->premap_target_bytes > c->vram_quota_bytes)
		return false;
	return c->device >= -1;
}

struct gp_control gp_control_get(void)
{
	return gp_control_get_at(gp_now_ns());
}

/* Every limit, as abi.h lists them; read between the two loads of seq. */
#define GP_COPY_LIMIT(type, name) out.name = b->name;

struct gp_control gp_control_get_at(uint64_t now_ns)
{
	struct gp_control out = {0};
	const struct gp_control_block *b = gp_control_block(now_ns);
	if (b == NULL)
		return out;
	for (int i = 0; i < GP_SEQLOCK_TRIES; i++) {
		uint32_t seq = __atomic_load_n(&b->seq, __ATOMIC_ACQUIRE);
		if (seq & 1u)
			continue;
		if (b->magic != GP_CONTROL_MAGIC || b->abi_version != GP_ABI_VERSION ||
		    b->size != GP_CONTROL_SIZE)
			return out;
		GP_CONTROL_LIMITS(GP_COPY_LIMIT)
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&b->seq, __ATOMIC_RELAXED) != seq)
			continue;
		out.valid = gp_control_sane(&out);
		if (!out.valid)
			gp_log(LOG_WARNING, "control block values out of range; ignored");
		return out;
	}
	out = (struct gp_control){0};
	return out;
}
