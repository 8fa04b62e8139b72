/* SPDX-License-Identifier: MIT */
/*
 * process.c - who and when: cached pid/tid (re-read after fork), the process start time, and the
 * fork/exit hooks.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "gpupredict/procstat.h"
#include "intercept.h"

static uint32_t gp_cached_pid;
static uint64_t gp_cached_start_time;
/*
 * initial-exec: a plain %fs-relative load instead of a __tls_get_addr call on every event. The
 * library is preloaded, so its 8 bytes come from the static TLS block (and from glibc's surplus
 * reserved for such libraries, should one dlopen it).
 */
#define GP_TLS __thread __attribute__((tls_model("initial-exec")))
static GP_TLS uint32_t gp_cached_tid;
/* Bumped in a forked child so every thread re-reads its tid lazily. */
static uint32_t gp_fork_generation;
static GP_TLS uint32_t gp_tid_generation;

uint32_t gp_pid(void)
{
	uint32_t pid = __atomic_load_n(&gp_cached_pid, __ATOMIC_RELAXED);
	if (pid == 0) {
		pid = (uint32_t)getpid();
		__atomic_store_n(&gp_cached_pid, pid, __ATOMIC_RELAXED);
	}
	return pid;
}

uint32_t gp_tid(void)
{
	uint32_t generation = __atomic_load_n(&gp_fork_generation, __ATOMIC_RELAXED);
	if (gp_cached_tid == 0 || gp_tid_generation != generation) {
		gp_cached_tid = (uint32_t)syscall(SYS_gettid);
		gp_tid_generation = generation;
	}
	return gp_cached_tid;
}

uint64_t gp_start_time(void)
{
	uint64_t t = __atomic_load_n(&gp_cached_start_time, __ATOMIC_RELAXED);
	if (t == 0) {
		t = gp_proc_start_time("/proc/self/stat");
		__atomic_store_n(&gp_cached_start_time, t, __ATOMIC_RELAXED);
	}
	return t;
}

int gp_thread_start(void *(*main)(void *))
{
	/* Every signal blocked while it is created, so the new thread starts with all of them blocked. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_attr_t attr;
	pthread_t thread;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&thread, &attr, main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	return rc;
}

/*
 * A forked child is a new process with a new pid and start time: it registers on its own (a ring
 * and control block of its own), gets its own allocation table and no pool (CUDA state does not
 * survive fork; the child must initialise anew). Every lock a parent thread may have held at the
 * fork is re-initialised here or no longer exists (ring.c, control.c and link.c have none).
 */
static void gp_after_fork_child(void)
{
	__atomic_store_n(&gp_cached_pid, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&gp_cached_start_time, 0, __ATOMIC_RELAXED);
	__atomic_add_fetch(&gp_fork_generation, 1, __ATOMIC_RELAXED);
	gp_link_after_fork_child();
	gp_ring_after_fork_child();
	gp_control_after_fork_child();
	gp_log_after_fork_child();
	gp_vram_after_fork_child();
	gp_pool_after_fork_child();
	gp_cupti_after_fork_child();
}

__attribute__((constructor)) static void gp_process_init(void)
{
	pthread_atfork(NULL, NULL, gp_after_fork_child);
}

__attribute__((destructor)) static void gp_process_fini(void)
{
	/* No CUDA calls here: the driver may already be torn down. */
	gp_ring_close_at_exit();
}
