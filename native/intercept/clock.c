/* SPDX-License-Identifier: MIT */
/*
 * clock.c - CLOCK_MONOTONIC nanoseconds, cheaply. clock_gettime costs ~25 ns in a VM, half the
 * interposer's budget per launch; on x86-64 with an invariant TSC (constant_tsc and nonstop_tsc),
 * the clock is instead extrapolated from the TSC: ns = anchor_ns + (tsc - anchor_tsc) * scale,
 * re-anchored to clock_gettime every GP_ANCHOR_NS so the two never drift apart by more than the
 * scale's error over that interval (microseconds at worst). Anchors are published under a sequence
 * lock. Anywhere else (no invariant TSC, other architectures, GPUPREDICT_CLOCK=posix) it is plain
 * clock_gettime(CLOCK_MONOTONIC).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "intercept.h"

#define GP_ANCHOR_NS	(100ull * 1000000ull)
#define GP_CALIBRATE_NS (2ull * 1000000ull)
#define GP_SCALE_SHIFT	32

struct gp_anchor {
	uint32_t seq;
	uint64_t tsc;
	uint64_t ns;
	uint64_t mult; /* ns per tick << GP_SCALE_SHIFT */
	uint64_t next_tsc;
};

static struct gp_anchor gp_anchor;
static bool gp_use_tsc;
static pthread_once_t gp_clock_once = PTHREAD_ONCE_INIT;
static bool gp_clock_ready; /* gp_clock_once has run (gp_use_tsc and the anchor are set) */
static pthread_mutex_t gp_anchor_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t gp_posix_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#if defined(__x86_64__)
static inline uint64_t gp_tsc(void)
{
	uint32_t lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static bool gp_tsc_invariant(void)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	if (f == NULL)
		return false;
	char line[4096];
	bool constant = false, nonstop = false;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "flags", 5) != 0)
			continue;
		constant = strstr(line, " constant_tsc") != NULL;
		nonstop = strstr(line, " nonstop_tsc") != NULL;
		break;
	}
	fclose(f);
	return constant && nonstop;
}

/* Ticks and ns read as close together as possible (the pair with the shortest read wins). */
static void gp_pair(uint64_t *tsc, uint64_t *ns)
{
	uint64_t best = UINT64_MAX;
	for (int i = 0; i < 5; i++) {
		uint64_t a = gp_tsc(), n = gp_posix_ns(), b = gp_tsc();
		if (b - a < best) {
			best = b - a;
			*tsc = a + (b - a) / 2;
			*ns = n;
		}
	}
}

static void gp_publish(uint64_t tsc, uint64_t ns, uint64_t mult)
{
	uint32_t seq = gp_anchor.seq;
	__atomic_store_n(&gp_anchor.seq, seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	gp_anchor.tsc = tsc;
	gp_anchor.ns = ns;
	gp_anchor.mult = mult;
	gp_anchor.next_tsc =
	    tsc + (uint64_t)(((unsigned __int128)GP_ANCHOR_NS << GP_SCALE_SHIFT) / mult);
	__atomic_store_n(&gp_anchor.seq, seq + 2, __ATOMIC_RELEASE);
}

static void gp_clock_init(void)
{
	const char *mode = getenv("GPUPREDICT_CLOCK");
	if ((mode != NULL && strcmp(mode, "posix") == 0) || !gp_tsc_invariant())
		return;
	uint64_t t0, n0, t1, n1;
	gp_pair(&t0, &n0);
	do {
		gp_pair(&t1, &n1);
	} while (n1 - n0 < GP_CALIBRATE_NS);
	if (t1 <= t0)
		return;
	uint64_t mult = (uint64_t)(((unsigned __int128)(n1 - n0) << GP_SCALE_SHIFT) / (t1 - t0));
	if (mult == 0)
		return;
	gp_publish(t1, n1, mult);
	gp_use_tsc = true;
}

/* Every GP_ANCHOR_NS: re-anchor, and refine the scale from the interval just measured. */
static void gp_reanchor(void)
{
	if (pthread_mutex_trylock(&gp_anchor_lock) != 0)
		return;
	uint64_t tsc, ns;
	gp_pair(&tsc, &ns);
	if (tsc > gp_anchor.tsc && ns > gp_anchor.ns) {
		uint64_t mult =
		    (uint64_t)(((unsigned __int128)(ns - gp_anchor.ns) << GP_SCALE_SHIFT) /
			       (tsc - gp_anchor.tsc));
		gp_publish(tsc, ns, mult != 0 ? mult : gp_anchor.mult);
	}
	pthread_mutex_unlock(&gp_anchor_lock);
}

uint64_t gp_now_ns(void)
{
	/* pthread_once is a call into libc on every read; after the first, one load does. */
	if (!__atomic_load_n(&gp_clock_ready, __ATOMIC_ACQUIRE)) {
		pthread_once(&gp_clock_once, gp_clock_init);
		__atomic_store_n(&gp_clock_ready, true, __ATOMIC_RELEASE);
	}
	if (!gp_use_tsc)
		return gp_posix_ns();
	for (;;) {
		uint32_t seq = __atomic_load_n(&gp_anchor.seq, __ATOMIC_ACQUIRE);
		uint64_t at = gp_anchor.tsc, ns = gp_anchor.ns, mult = gp_anchor.mult;
		uint64_t next = gp_anchor.next_tsc;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if ((seq & 1u) || __atomic_load_n(&gp_anchor.seq, __ATOMIC_RELAXED) != seq)
			continue;
		uint64_t now = gp_tsc();
		if (now >= next) {
			gp_reanchor();
			continue;
		}
		if (now < at) /* another core's TSC a hair behind the anchor */
			return ns;
		return ns + (uint64_t)(((unsigned __int128)(now - at) * mult) >> GP_SCALE_SHIFT);
	}
}
#else
uint64_t gp_now_ns(void)
{
	return gp_posix_ns();
}
#endif
