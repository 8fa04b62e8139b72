/* SPDX-License-Identifier: MIT */
/*
 * log.c - the interposer's only voice: syslog (the journal on systemd hosts), at most
 * GP_LOG_BURST lines per GP_LOG_WINDOW_NS per process, never the application's stdout/stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include "intercept.h"

#define GP_LOG_BURST	 10
#define GP_LOG_WINDOW_NS (60ull * 1000000000ull)

static uint64_t gp_log_window_start;
static uint32_t gp_log_count;
static uint32_t gp_log_suppressed;

void gp_log(int priority, const char *fmt, ...)
{
	uint64_t now = gp_now_ns();
	uint64_t start = __atomic_load_n(&gp_log_window_start, __ATOMIC_RELAXED);
	if (now - start > GP_LOG_WINDOW_NS &&
	    __atomic_compare_exchange_n(&gp_log_window_start, &start, now, false, __ATOMIC_RELAXED,
					__ATOMIC_RELAXED)) {
		uint32_t lost = __atomic_exchange_n(&gp_log_suppressed, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&gp_log_count, 0, __ATOMIC_RELAXED);
		if (lost > 0)
			syslog(LOG_USER | LOG_NOTICE, "gpupredict-cuda[%u]: %u messages suppressed",
			       gp_pid(), lost);
	}
	if (__atomic_add_fetch(&gp_log_count, 1, __ATOMIC_RELAXED) > GP_LOG_BURST) {
		__atomic_add_fetch(&gp_log_suppressed, 1, __ATOMIC_RELAXED);
		return;
	}
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	syslog(LOG_USER | priority, "gpupredict-cuda[%u]: %s", gp_pid(), line);
}
