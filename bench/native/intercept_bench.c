/* SPDX-License-Identifier: MIT */
/*
 * intercept_bench.c - what the interposer adds to a driver call, and how many events its ring
 * takes. Every figure is measured against the libcuda TEST DOUBLE (a launch there does nothing),
 * so "added" is the interposer's own cost: the hooked call minus the direct call.
 *
 * Each configuration runs in a fresh child process (its own LD_PRELOAD and environment). With the
 * ring on, the child runs the test daemon (tests/native/test_daemon.h) as a thread: the interposer
 * registers with it as with gpupredictd and gets a 65536-slot ring, which a consumer thread drains
 * every millisecond as the daemon does. Without it, GPUPREDICT_SOCKET names nothing. Calls are
 * timed in batches of BATCH (one clock read per batch, so the clock is not what is measured);
 * the median and 99th percentile are over batches, in ns per call.
 *
 *   native/build/intercept_bench            the table (about 10 s)
 *   native/build/intercept_bench pairs [N]  cuLaunchKernel direct vs ring on, N rounds (9)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gpupredict/abi.h"
#include "gpupredict/cuda_subset.h"
#include "../../tests/native/test_daemon.h"

#define BATCH	    1000
#define BATCHES	    1000
#define MAX_THREADS 8

typedef CUresult (*init_fn)(unsigned int);
typedef CUresult (*device_get_fn)(CUdevice *, int);
typedef CUresult (*retain_fn)(CUcontext *, CUdevice);
typedef CUresult (*set_current_fn)(CUcontext);
typedef CUresult (*load_fn)(CUmodule *, const void *);
typedef CUresult (*get_function_fn)(CUfunction *, CUmodule, const char *);
typedef CUresult (*launch_fn)(CUfunction, unsigned int, unsigned int, unsigned int, unsigned int,
			      unsigned int, unsigned int, unsigned int, CUstream, void **, void **);
typedef CUresult (*alloc_fn)(CUdeviceptr *, size_t);
typedef CUresult (*free_fn)(CUdeviceptr);

static launch_fn launch;
static alloc_fn mem_alloc;
static free_fn mem_free;
static set_current_fn set_current;
static CUcontext ctx;
static CUfunction fn;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void setup(void)
{
	void *h = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		fprintf(stderr, "dlopen libcuda.so.1: %s\n", dlerror());
		exit(2);
	}
	init_fn init = (init_fn)dlsym(h, "cuInit");
	device_get_fn device_get = (device_get_fn)dlsym(h, "cuDeviceGet");
	retain_fn retain = (retain_fn)dlsym(h, "cuDevicePrimaryCtxRetain");
	load_fn load = (load_fn)dlsym(h, "cuModuleLoadData");
	get_function_fn get_function = (get_function_fn)dlsym(h, "cuModuleGetFunction");
	set_current = (set_current_fn)dlsym(h, "cuCtxSetCurrent");
	launch = (launch_fn)dlsym(h, "cuLaunchKernel");
	mem_alloc = (alloc_fn)dlsym(h, "cuMemAlloc_v2");
	mem_free = (free_fn)dlsym(h, "cuMemFree_v2");
	CUdevice dev;
	CUmodule m;
	if (init(0) != CUDA_SUCCESS || device_get(&dev, 0) != CUDA_SUCCESS ||
	    retain(&ctx, dev) != CUDA_SUCCESS || set_current(ctx) != CUDA_SUCCESS ||
	    load(&m, "bench") != CUDA_SUCCESS || get_function(&fn, m, "k") != CUDA_SUCCESS) {
		fprintf(stderr, "driver setup failed\n");
		exit(2);
	}
}

/* The daemon's part: drain the ring every millisecond while the workers produce (ring on only). */
static volatile int consumer_stop;
static uint64_t consumed, dropped;

static void *consumer(void *arg)
{
	struct gp_ring_header *h = arg;
	struct gp_ring_slot *slots = (struct gp_ring_slot *)((char *)h + GP_RING_HEADER_SIZE);
	uint64_t tail = 0, mask = h->capacity - 1;
	volatile uint64_t sink = 0;
	for (;;) {
		int stop = consumer_stop;
		struct gp_ring_slot *s = &slots[tail & mask];
		if (__atomic_load_n(&s->seq, __ATOMIC_ACQUIRE) == tail + 1) {
			sink += s->event.ts_ns;
			__atomic_store_n(&s->seq, tail + h->capacity, __ATOMIC_RELEASE);
			tail++;
			continue;
		}
		if (stop)
			break;
		/* As the daemon does: drain what is there, then come back a millisecond later. */
		struct timespec pause = {0, 1000000};
		nanosleep(&pause, NULL);
	}
	(void)sink;
	consumed = tail;
	dropped = h->dropped;
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

struct worker {
	int op; /* 0 = launch, 1 = alloc + free of 4 MiB */
	uint64_t batch_ns[BATCHES];
};

static void *run_worker(void *arg)
{
	struct worker *w = arg;
	set_current(ctx);
	for (int b = 0; b < BATCHES; b++) {
		uint64_t t0 = now_ns();
		if (w->op == 0) {
			for (int i = 0; i < BATCH; i++)
				launch(fn, 1, 1, 1, 32, 1, 1, 0, NULL, NULL, NULL);
		} else {
			for (int i = 0; i < BATCH / 10; i++) {
				CUdeviceptr p;
				mem_alloc(&p, 4u << 20);
				mem_free(p);
			}
		}
		w->batch_ns[b] = now_ns() - t0;
	}
	return NULL;
}

static struct gp_td td;
static bool daemon_on;

/* Child: runs op on threads threads, prints "median p99 calls_per_s consumed dropped". */
static int child(int op, int threads)
{
	const char *ring = getenv("GP_BENCH_RING");
	char path[108];
	snprintf(path, sizeof(path), "/tmp/gp-bench.%d.sock", (int)getpid());
	if (ring != NULL && ring[0] == '1') {
		gp_td_init(&td, path, 65536);
		if (gp_td_start(&td) != 0) {
			fprintf(stderr, "test daemon at %s failed\n", path);
			exit(2);
		}
		daemon_on = true;
		setenv("GPUPREDICT_SOCKET", path, 1);
	} else {
		setenv("GPUPREDICT_SOCKET", "/nonexistent/gpupredict-bench.sock", 1);
	}
	setup();
	struct worker *w = calloc((size_t)threads, sizeof(*w));
	pthread_t t[MAX_THREADS], drain;
	bool draining = false;
	if (daemon_on) {
		struct gp_td_client *c = gp_td_wait_client(&td, getpid(), 2000);
		if (c == NULL || !gp_td_wait_linked(true, 3000)) {
			fprintf(stderr, "the interposer never registered\n");
			exit(2);
		}
		draining = pthread_create(&drain, NULL, consumer, c->ring) == 0;
	}
	uint64_t t0 = now_ns();
	for (int i = 0; i < threads; i++) {
		w[i].op = op;
		pthread_create(&t[i], NULL, run_worker, &w[i]);
	}
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	uint64_t wall = now_ns() - t0;
	if (draining) {
		consumer_stop = 1;
		pthread_join(drain, NULL);
	}
	size_t n = (size_t)threads * BATCHES;
	uint64_t *all = malloc(n * sizeof(uint64_t));
	for (int i = 0; i < threads; i++)
		memcpy(all + (size_t)i * BATCHES, w[i].batch_ns, sizeof(w[i].batch_ns));
	qsort(all, n, sizeof(uint64_t), cmp_u64);
	double per = op == 0 ? BATCH : BATCH / 10;
	double calls = (double)n * per;
	printf("%.1f %.1f %.0f %llu %llu\n", (double)all[n / 2] / per,
	       (double)all[n * 99 / 100] / per, calls / ((double)wall / 1e9),
	       (unsigned long long)consumed, (unsigned long long)dropped);
	if (daemon_on)
		gp_td_stop(&td);
	return 0;
}

struct config {
	const char *label;
	bool preload;
	bool ring;
	const char *env;
};

static int run(const char *self, const char *build, const struct config *c, int op, int threads,
	       double out[5])
{
	int fd[2];
	if (pipe(fd) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char preload[4200], libpath[4200], opstr[8], thr[8];
		snprintf(preload, sizeof(preload), "%s/intercept/libgpupredict-cuda.so", build);
		snprintf(libpath, sizeof(libpath), "%s/testing", build);
		if (c->preload)
			setenv("LD_PRELOAD", preload, 1);
		setenv("LD_LIBRARY_PATH", libpath, 1);
		setenv("GP_BENCH_RING", c->ring ? "1" : "0", 1);
		setenv("GPUPREDICT_CUPTI", "0", 1); /* the launch path alone */
		if (c->env != NULL)
			putenv((char *)c->env);
		dup2(fd[1], 1);
		close(fd[0]);
		snprintf(opstr, sizeof(opstr), "%d", op);
		snprintf(thr, sizeof(thr), "%d", threads);
		execl(self, self, "child", opstr, thr, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	char buf[256] = {0};
	ssize_t n = read(fd[0], buf, sizeof(buf) - 1);
	close(fd[0]);
	int status;
	waitpid(pid, &status, 0);
	if (n <= 0 ||
	    sscanf(buf, "%lf %lf %lf %lf %lf", &out[0], &out[1], &out[2], &out[3], &out[4]) != 5)
		return -1;
	return 0;
}

static const struct config configs[] = {
    {"direct (no interposer)", false, false, NULL},
    {"hooked, no daemon (no ring)", true, false, NULL},
    {"hooked, ring on", true, true, NULL},
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/*
 * `pairs N`: one thread's cuLaunchKernel, direct then with the ring on, N times back to back; each
 * round's "added" is the ring-on median minus the direct median of that round, so a load that comes
 * and goes between rounds on a shared machine moves both sides of a pair alike.
 */
static int pairs(const char *self, const char *build, int rounds)
{
	double added[64], ring_ev[64];
	int n = 0;
	printf("%5s %10s %10s %10s %12s %9s\n", "round", "direct ns", "ring ns", "added ns",
	       "ring ev/s", "dropped");
	for (int i = 0; i < rounds && n < 64; i++) {
		double d[5], r[5];
		if (run(self, build, &configs[0], 0, 1, d) != 0 ||
		    run(self, build, &configs[2], 0, 1, r) != 0) {
			printf("%5d failed\n", i);
			continue;
		}
		added[n] = r[0] - d[0];
		ring_ev[n] = r[2] * r[3] / (r[3] + r[4] + 1e-9);
		printf("%5d %10.1f %10.1f %10.1f %12.0f %9.0f\n", i, d[0], r[0], added[n],
		       ring_ev[n], r[4]);
		n++;
	}
	if (n == 0)
		return 1;
	qsort(added, (size_t)n, sizeof(double), cmp_double);
	qsort(ring_ev, (size_t)n, sizeof(double), cmp_double);
	printf(
	    "added ns: min %.1f median %.1f max %.1f; ring ev/s: min %.0f median %.0f max %.0f\n",
	    added[0], added[n / 2], added[n - 1], ring_ev[0], ring_ev[n / 2], ring_ev[n - 1]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "child") == 0)
		return child(atoi(argv[2]), atoi(argv[3]));
	char self[3900], build[4000];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		return 2;
	self[len] = '\0';
	snprintf(build, sizeof(build), "%s", self);
	*strrchr(build, '/') = '\0';
	if (argc >= 2 && strcmp(argv[1], "pairs") == 0)
		return pairs(self, build, argc >= 3 ? atoi(argv[2]) : 9);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	printf(
	    "intercept_bench: %d batches of %d calls per thread; test double libcuda; %ld CPUs\n",
	    BATCHES, BATCH, cpus);
	printf("%-28s %-16s %7s %10s %10s %12s %12s %9s\n", "configuration", "call", "threads",
	       "median ns", "p99 ns", "calls/s", "ring ev/s", "dropped");
	static const char *ops[] = {"cuLaunchKernel", "cuMemAlloc+Free"};
	for (int op = 0; op < 2; op++) {
		for (size_t c = 0; c < sizeof(configs) / sizeof(configs[0]); c++) {
			int thread_counts[] = {
			    1, cpus > 1 ? (int)(cpus < MAX_THREADS ? cpus : MAX_THREADS) : 1};
			for (int k = 0; k < (thread_counts[1] > 1 ? 2 : 1); k++) {
				double r[5];
				if (run(self, build, &configs[c], op, thread_counts[k], r) != 0) {
					printf("%-28s %-16s %7d %10s\n", configs[c].label, ops[op],
					       thread_counts[k], "failed");
					continue;
				}
				char ev[32] = "-";
				if (configs[c].ring)
					snprintf(ev, sizeof(ev), "%.0f",
						 r[2] * r[3] / (r[3] + r[4] + 1e-9));
				printf("%-28s %-16s %7d %10.1f %10.1f %12.0f %12s %9.0f\n",
				       configs[c].label, ops[op], thread_counts[k], r[0], r[1],
				       r[2], ev, r[4]);
			}
		}
	}
	return 0;
}
