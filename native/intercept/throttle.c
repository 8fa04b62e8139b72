/* SPDX-License-Identifier: MIT */
/*
 * throttle.c - holds an application to its SM share without MPS: a token bucket of GPU time.
 * Tokens accrue at share x wall time; each launch spends the estimated GPU time of one launch.
 * When the bucket is empty the launching thread sleeps until it refills, never longer than
 * GP_THROTTLE_MAX_SLEEP_NS per launch, so throttling can slow an application but never stall it.
 *
 * The per-launch GPU time is ESTIMATED (no CUPTI here): at each synchronize, the time the host
 * waited divided by the launches since the previous synchronize, smoothed.
 */
#define _GNU_SOURCE
#include <time.h>

#include "intercept.h"

#define GP_THROTTLE_BURST_NS	 (2ull * 1000000ull)
#define GP_THROTTLE_MAX_SLEEP_NS (10ull * 1000000ull)
#define GP_DEFAULT_LAUNCH_NS	 10000ull

static int64_t gp_tokens_ns = (int64_t)GP_THROTTLE_BURST_NS;
static uint64_t gp_refilled_at;
static uint64_t gp_launch_cost_ns = GP_DEFAULT_LAUNCH_NS;

void gp_throttle_before_launch(const struct gp_control *ctl)
{
	if (!ctl->valid || !(ctl->flags & GP_CTL_THROTTLE) || ctl->sm_share_ppm >= 1000000u)
		return;
	uint64_t now = gp_now_ns();
	uint64_t last = __atomic_exchange_n(&gp_refilled_at, now, __ATOMIC_RELAXED);
	if (last != 0 && now > last) {
		int64_t add = (int64_t)((now - last) * ctl->sm_share_ppm / 1000000u);
		int64_t t = __atomic_add_fetch(&gp_tokens_ns, add, __ATOMIC_RELAXED);
		if (t > (int64_t)GP_THROTTLE_BURST_NS)
			__atomic_store_n(&gp_tokens_ns, (int64_t)GP_THROTTLE_BURST_NS,
					 __ATOMIC_RELAXED);
	}
	uint64_t cost = __atomic_load_n(&gp_launch_cost_ns, __ATOMIC_RELAXED);
	int64_t left = __atomic_sub_fetch(&gp_tokens_ns, (int64_t)cost, __ATOMIC_RELAXED);
	if (left >= 0 || ctl->sm_share_ppm == 0)
		return;
	/* Sleep until the debt is repaid at the share's rate. */
	uint64_t sleep_ns = (uint64_t)(-left) * 1000000u / ctl->sm_share_ppm;
	if (sleep_ns > GP_THROTTLE_MAX_SLEEP_NS)
		sleep_ns = GP_THROTTLE_MAX_SLEEP_NS;
	struct timespec ts = {(time_t)(sleep_ns / 1000000000u), (long)(sleep_ns % 1000000000u)};
	nanosleep(&ts, NULL);
}

void gp_throttle_after_sync(uint64_t wait_ns, uint64_t n)
{
	if (n == 0)
		return;
	uint64_t sample = wait_ns / n;
	uint64_t old = __atomic_load_n(&gp_launch_cost_ns, __ATOMIC_RELAXED);
	/* EWMA with weight 1/8 for the new sample. */
	__atomic_store_n(&gp_launch_cost_ns, old - old / 8 + sample / 8, __ATOMIC_RELAXED);
}
