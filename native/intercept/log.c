/* SPDX-License-Identifier: MIT */
/*
 * log.c - the interposer's only voice: RFC 3164 lines "<pri>gpupredict-cuda[pid]: msg" sent to the
 * system log socket (/dev/log: journald or a syslog daemon), at most GP_LOG_BURST lines per
 * GP_LOG_WINDOW_NS per process.
 *
 * Not syslog(3): that shares the application's openlog() state, so an application that asked for
 * LOG_PERROR would get our lines on its stderr (and its ident on ours). Our own datagram socket is
 * close-on-exec and non-blocking; a line that cannot be sent at once is dropped. The socket is kept
 * for the life of the process (never closed while another thread may be sending on it: a closed
 * and reused descriptor would get our line); it is connected again when the log daemon restarted,
 * and a forked child opens its own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "intercept.h"

#define GP_LOG_BURST	 10
#define GP_LOG_WINDOW_NS (60ull * 1000000000ull)
#define GP_LOG_PATH	 "/dev/log"

static uint64_t gp_log_window_start;
static uint32_t gp_log_count;
static uint32_t gp_log_suppressed;
static int gp_log_fd = -1;

static const struct sockaddr_un gp_log_addr = {.sun_family = AF_UNIX, .sun_path = GP_LOG_PATH};

/* The process's log socket, created on first use; -1 when none can be had. */
static int gp_log_socket(void)
{
	int fd = __atomic_load_n(&gp_log_fd, __ATOMIC_ACQUIRE);
	if (fd >= 0)
		return fd;
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0)
		return -1;
	/* A failed connect is retried at the next send; the socket stays ours either way. */
	connect(s, (const struct sockaddr *)&gp_log_addr, sizeof(gp_log_addr));
	int expected = -1;
	if (!__atomic_compare_exchange_n(&gp_log_fd, &expected, s, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		close(s); /* another thread won; s was never shared */
		return expected;
	}
	return s;
}

static void gp_log_send(int priority, const char *msg)
{
	int fd = gp_log_socket();
	if (fd < 0)
		return;
	char line[320];
	int n = snprintf(line, sizeof(line), "<%d>gpupredict-cuda[%u]: %s",
			 LOG_USER | (priority & LOG_PRIMASK), gp_pid(), msg);
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
	if (send(fd, line, len, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
		return;
	if (errno == ENOTCONN || errno == ECONNREFUSED || errno == EDESTADDRREQ) {
		/* The log daemon restarted (or was not there yet): connect again, one more try. */
		if (connect(fd, (const struct sockaddr *)&gp_log_addr, sizeof(gp_log_addr)) == 0)
			send(fd, line, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	}
}

void gp_log(int priority, const char *fmt, ...)
{
	uint64_t now = gp_now_ns();
	uint64_t start = __atomic_load_n(&gp_log_window_start, __ATOMIC_RELAXED);
	if (now - start > GP_LOG_WINDOW_NS &&
	    __atomic_compare_exchange_n(&gp_log_window_start, &start, now, false, __ATOMIC_RELAXED,
					__ATOMIC_RELAXED)) {
		uint32_t lost = __atomic_exchange_n(&gp_log_suppressed, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&gp_log_count, 0, __ATOMIC_RELAXED);
		if (lost > 0) {
			char note[64];
			snprintf(note, sizeof(note), "%u messages suppressed", lost);
			gp_log_send(LOG_NOTICE, note);
		}
	}
	if (__atomic_add_fetch(&gp_log_count, 1, __ATOMIC_RELAXED) > GP_LOG_BURST) {
		__atomic_add_fetch(&gp_log_suppressed, 1, __ATOMIC_RELAXED);
		return;
	}
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	gp_log_send(priority, msg);
}

void gp_log_after_fork_child(void)
{
	/* Only this thread exists in the child: closing cannot race a sender. */
	if (gp_log_fd >= 0)
		close(gp_log_fd);
	gp_log_fd = -1;
}
