/* SPDX-License-Identifier: MIT */
/*
 * control.c - reads the daemon's control block for this process: a sealed memfd the daemon hands
 * over at registration (link.c), mapped read-only here and attached with gp_control_attach.
 *
 * The block is untrusted input like any other: wrong magic, version or size, a sequence lock that
 * never settles, or values out of range (gp_control_sane) make it count as absent (pass-through).
 * There is no lock here: link.c is the only writer of the published pointer (release/acquire),
 * so a forked child, or a thread interrupted anywhere, never leaves one held.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <syslog.h>

#include "intercept.h"

#define GP_SEQLOCK_TRIES 16
#define GP_PPM		 1000000u
/*
 * Byte counts above 2^50 (1 PiB) are nonsense for one GPU: such a block is garbage (an all-ones
 * block, a writer bug), and passing it on would make cuMemGetInfo report up to 2^64 - 1.
 */
#define GP_CONTROL_MAX_BYTES (1ull << 50)
/* Device ordinals: -1 (any) to 1023. */
#define GP_CONTROL_MAX_DEVICE 1023

#define GP_FLAG_BIT(name, value) | (value)
#define GP_CONTROL_DEFINED_FLAGS (0u GP_CONTROL_FLAG_VALUES(GP_FLAG_BIT))

static const struct gp_control_block *gp_block;
/* The seq of the last block warned about, so an insane block is logged once, not per call. */
static uint32_t gp_warned_seq = 1;

void gp_mapping_retire(void *map, size_t bytes, int prot)
{
	mmap(map, bytes, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
}

void gp_control_attach(const struct gp_control_block *block)
{
	__atomic_store_n(&gp_block, block, __ATOMIC_RELEASE);
}

void gp_control_detach(void)
{
	const struct gp_control_block *b = __atomic_exchange_n(&gp_block, NULL, __ATOMIC_ACQ_REL);
	/* A reader may still hold b: it reads zeros (no magic, so absent) from then on. */
	if (b != NULL)
		gp_mapping_retire((void *)b, GP_CONTROL_SIZE, PROT_READ);
}

void gp_control_after_fork_child(void)
{
	gp_control_detach();
	gp_warned_seq = 1;
}

bool gp_control_present(void)
{
	return __atomic_load_n(&gp_block, __ATOMIC_ACQUIRE) != NULL;
}

bool gp_control_may_throttle(void)
{
	const struct gp_control_block *b = __atomic_load_n(&gp_block, __ATOMIC_ACQUIRE);
	return b != NULL && (__atomic_load_n(&b->flags, __ATOMIC_RELAXED) & GP_CTL_THROTTLE) != 0;
}

static bool gp_control_sane(const struct gp_control *c)
{
	if ((c->flags & ~GP_CONTROL_DEFINED_FLAGS) != 0)
		return false;
	if (c->sm_share_ppm > GP_PPM)
		return false;
	if (c->vram_quota_bytes > GP_CONTROL_MAX_BYTES ||
	    c->virtual_total_bytes > GP_CONTROL_MAX_BYTES ||
	    c->premap_target_bytes > GP_CONTROL_MAX_BYTES)
		return false;
	if (c->vram_quota_bytes != 0 && c->premap_target_bytes > c->vram_quota_bytes)
		return false;
	if (c->premap_from_ns != 0 && c->premap_until_ns != 0 &&
	    c->premap_until_ns < c->premap_from_ns)
		return false;
	return c->device >= -1 && c->device <= GP_CONTROL_MAX_DEVICE;
}

struct gp_control gp_control_get(void)
{
	return gp_control_get_at(gp_now_ns());
}

/* Every limit, as abi.h lists them; read between the two loads of seq. */
#define GP_COPY_LIMIT(type, name) out.name = b->name;

struct gp_control gp_control_get_at(uint64_t now_ns)
{
	(void)now_ns;
	struct gp_control out = {0};
	const struct gp_control_block *b = __atomic_load_n(&gp_block, __ATOMIC_ACQUIRE);
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
		if (!out.valid) {
			if (__atomic_exchange_n(&gp_warned_seq, seq, __ATOMIC_RELAXED) != seq)
				gp_log(LOG_WARNING, "control block values out of range; ignored");
			out = (struct gp_control){0};
		}
		return out;
	}
	out = (struct gp_control){0};
	return out;
}
