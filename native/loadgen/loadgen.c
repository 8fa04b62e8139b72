/* SPDX-License-Identifier: MIT */
/*
 * gpupredict-loadgen - replays an event file (gpupredict/eventfile.h) as real CUDA driver calls
 * through whatever libcuda.so.1 the dynamic linker finds: the real driver, the interposer in
 * front of it (LD_PRELOAD), or the test double (LD_LIBRARY_PATH=native/build/testing).
 *
 *   allocations   cuMemAlloc_v2 / cuMemFree_v2 of the recorded sizes; a failed allocation is
 *                 counted and its free skipped
 *   kernels       cuLaunchKernel of a spin kernel (embedded PTX) that waits on %globaltimer for
 *                 the recorded GPU duration; the test double accepts the launch and runs nothing
 *   copies, sets  cuMemcpyHtoD_v2 / DtoH_v2 / DtoD_v2 and cuMemsetD8_v2 of the recorded sizes,
 *                 into the named allocation when it is live and large enough, else into a
 *                 scratch buffer; copies over --staging bytes go in pieces
 *   waits         cuCtxSynchronize, cuStreamSynchronize(0)
 *
 * Each record is issued at its recorded time divided by --speed (kernel durations too), counted
 * from the start of the lap. Entry points come from dlsym on the dlopen'ed library, so an
 * LD_PRELOAD'ed interposer (which hooks dlsym) sees every call.
 *
 * Output: one JSON line of counters on stdout at exit. Exit status 0 on success, 2 on a bad
 * argument or a malformed file (one line on stderr naming file, record, field, expected, found),
 * 1 when libcuda cannot be loaded or initialised.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "gpupredict/abi.h"
#include "gpupredict/cuda_subset.h"
#include "gpupredict/eventfile.h"

#define EXIT_RUNTIME 1
#define EXIT_USAGE   2

static const char usage[] =
    "usage: gpupredict-loadgen [options] FILE\n"
    "  Replays an event file (gpupredictctl import --export) as CUDA driver calls.\n"
    "options:\n"
    "  --speed X        play X times faster (default 1; times and kernel durations / X)\n"
    "  --loop N         play the file N times, freeing everything between laps;\n"
    "                   0 = until SIGTERM/SIGINT or --duration (default 1)\n"
    "  --duration SEC   stop after SEC seconds\n"
    "  --device N       CUDA device ordinal (default 0)\n"
    "  --staging BYTES  largest host/scratch buffer for copies, suffix K/M/G (default 64M)\n"
    "  --quiet          no progress lines on stderr\n"
    "  --name NAME      the process name (comm, at most 15 characters) the daemon shows\n";

/*
 * The spin kernel: waits until %globaltimer has advanced by its parameter (ns). One block of one
 * thread per launch: the recorded kernel's time on the GPU, not its occupancy.
 */
static const char spin_ptx[] = ".version 6.0\n"
			       ".target sm_50\n"
			       ".address_size 64\n"
			       ".visible .entry gp_spin(.param .u64 gp_spin_ns)\n"
			       "{\n"
			       "\t.reg .pred %p<2>;\n"
			       "\t.reg .b64 %rd<5>;\n"
			       "\tld.param.u64 %rd1, [gp_spin_ns];\n"
			       "\tmov.u64 %rd2, %globaltimer;\n"
			       "$L_spin:\n"
			       "\tmov.u64 %rd3, %globaltimer;\n"
			       "\tsub.u64 %rd4, %rd3, %rd2;\n"
			       "\tsetp.lt.u64 %p1, %rd4, %rd1;\n"
			       "\t@%p1 bra $L_spin;\n"
			       "\tret;\n"
			       "}\n";

/* Typed pointers for every entry point of the list; loadgen resolves the few it calls. */
#define GP_CUDA_API(name, params, args) typedef CUresult(name##_fn) params;
#include "gpupredict/cuda_api.def"
#undef GP_CUDA_API

struct cuda {
	void *lib;
	cuInit_fn *init;
	cuDeviceGet_fn *device_get;
	cuDevicePrimaryCtxRetain_fn *retain;
	cuDevicePrimaryCtxRelease_v2_fn *release;
	cuCtxSetCurrent_fn *set_current;
	cuMemAlloc_v2_fn *alloc;
	cuMemFree_v2_fn *free;
	cuModuleLoadData_fn *module_load;
	cuModuleGetFunction_fn *get_function;
	cuLaunchKernel_fn *launch;
	cuMemcpyHtoD_v2_fn *htod;
	cuMemcpyDtoH_v2_fn *dtoh;
	cuMemcpyDtoD_v2_fn *dtod;
	cuMemsetD8_v2_fn *memset8;
	cuCtxSynchronize_fn *ctx_sync;
	cuStreamSynchronize_fn *stream_sync;
	CUdevice device;
	CUfunction spin;
};

struct options {
	const char *path;
	double speed;
	unsigned long loops;
	double duration_s;
	int device;
	uint64_t staging;
	bool quiet;
};

/*
 * The file in memory. Reading resolves every allocation id to a slot: an alloc record gets a new
 * slot, its free and the copies into it get the same one (kept in the record's reserved0, which
 * the file holds zero; 0 = none, slot s is stored as s + 1).
 */
struct event_file {
	struct gp_event_file_header header;
	struct gp_event *events;
	uint64_t count;
	uint32_t slots;
	uint64_t largest_transfer;
	bool has_dtod;
};

struct counters {
	uint64_t allocs, alloc_failed, out_of_memory, frees, launches, launch_failed, copies,
	    copy_failed, bytes_copied, syncs, events, laps, late_ns_max;
};

struct slot {
	CUdeviceptr ptr;
	uint64_t bytes;
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	fputs("gpupredict-loadgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- options ---- */

static bool parse_double(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return *s && !*end && !errno && isfinite(*out);
}

static bool parse_ulong(const char *s, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return *s >= '0' && *s <= '9' && !*end && !errno;
}

static bool parse_bytes(const char *s, uint64_t *out)
{
	unsigned long long v;
	unsigned shift = 0;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || errno)
		return false;
	if (*end == 'K' || *end == 'k')
		shift = 10, end++;
	else if (*end == 'M' || *end == 'm')
		shift = 20, end++;
	else if (*end == 'G' || *end == 'g')
		shift = 30, end++;
	if (*end || v > (UINT64_MAX >> shift))
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	*o = (struct options){.speed = 1, .loops = 1, .staging = 64ull << 20};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		unsigned long n;
		bool ok = true;

		if (!strcmp(a, "--quiet")) {
			o->quiet = true;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage, stdout);
			exit(0);
		}
		if (a[0] != '-' || !a[1]) {
			if (o->path) {
				fail("one FILE expected, found a second: '%s'\n%s", a, usage);
				return -1;
			}
			o->path = a;
			continue;
		}
		if (strcmp(a, "--speed") && strcmp(a, "--loop") && strcmp(a, "--duration") &&
		    strcmp(a, "--device") && strcmp(a, "--staging") && strcmp(a, "--name")) {
			fail("unknown option '%s'\n%s", a, usage);
			return -1;
		}
		if (!v) {
			fail("%s: expected a value, found the end of the arguments", a);
			return -1;
		}
		i++;
		if (!strcmp(a, "--speed"))
			ok = parse_double(v, &o->speed) && o->speed > 0 && o->speed <= 1e6;
		else if (!strcmp(a, "--loop"))
			ok = parse_ulong(v, &o->loops);
		else if (!strcmp(a, "--duration"))
			ok = parse_double(v, &o->duration_s) && o->duration_s > 0 &&
			     o->duration_s <= 1e9;
		else if (!strcmp(a, "--name"))
			ok = v[0] != '\0' && prctl(PR_SET_NAME, v, 0, 0, 0) == 0;
		else if (!strcmp(a, "--device"))
			ok = parse_ulong(v, &n) && n <= INT_MAX && ((o->device = (int)n), true);
		else
			ok = parse_bytes(v, &o->staging) && o->staging > 0;
		if (!ok) {
			const char *want = !strcmp(a, "--name")       ? "a process name"
					   : !strcmp(a, "--speed")    ? "a number in (0, 1e6]"
					   : !strcmp(a, "--duration") ? "seconds in (0, 1e9]"
					   : !strcmp(a, "--staging")
					       ? "bytes > 0 (suffix K, M or G)"
					       : "a whole number >= 0";
			fail("%s: expected %s, found '%s'", a, want, v);
			return -1;
		}
	}
	if (!o->path) {
		fail("expected an event FILE, found none\n%s", usage);
		return -1;
	}
	return 0;
}

/* ---- the event file ---- */

/* Open addressing from allocation id to (slot + 1); 0 = empty, UINT32_MAX = deleted. */
struct id_map {
	uint64_t *ids;
	uint32_t *slots;
	size_t mask;
};

#define ID_DELETED UINT32_MAX

static size_t id_hash(uint64_t id, size_t mask)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ull) >> 17) & mask;
}

/* The position of ID, or of the first free place for it when absent (*found false). */
static size_t id_find(const struct id_map *m, uint64_t id, bool *found)
{
	size_t i = id_hash(id, m->mask), free_at = SIZE_MAX;

	for (;; i = (i + 1) & m->mask) {
		if (!m->slots[i]) {
			*found = false;
			return free_at != SIZE_MAX ? free_at : i;
		}
		if (m->slots[i] == ID_DELETED) {
			if (free_at == SIZE_MAX)
				free_at = i;
		} else if (m->ids[i] == id) {
			*found = true;
			return i;
		}
	}
}

static bool known_kind(uint16_t kind)
{
	switch (kind) {
	case GP_EV_ALLOC:
	case GP_EV_FREE:
	case GP_EV_KERNEL_EXEC:
	case GP_EV_MEMCPY_HTOD:
	case GP_EV_MEMCPY_DTOH:
	case GP_EV_MEMCPY_DTOD:
	case GP_EV_MEMSET:
	case GP_EV_SYNC_CONTEXT:
	case GP_EV_SYNC_STREAM:
		return true;
	default:
		return false;
	}
}

#define BAD_RECORD(f, i, field, expected, fmt, ...)                                                \
	(fail("%s: record %" PRIu64 " (offset %" PRIu64 "): %s: expected %s, found " fmt,          \
	      (f)->path, (uint64_t)(i),                                                            \
	      (uint64_t)GP_EVENT_FILE_HEADER_SIZE + (uint64_t)(i)*GP_EVENT_SIZE, field, expected,  \
	      __VA_ARGS__),                                                                        \
	 -1)

struct reading {
	const char *path;
	struct event_file *file;
	struct id_map live;
	uint32_t slots;
};

static int check_record(struct reading *r, uint64_t i)
{
	struct gp_event *e = &r->file->events[i];
	bool found;
	size_t at;

	if (!known_kind(e->kind))
		return BAD_RECORD(r, i, "kind",
				  "1 (alloc), 10 (free), 21 (kernel), 30-32 (copy), 35 (memset), "
				  "40-41 (sync)",
				  "%u", e->kind);
	if (i == 0 && e->ts_ns != 0)
		return BAD_RECORD(r, i, "ts_ns", "0 (times are rebased to the first record)",
				  "%" PRIu64, e->ts_ns);
	if (i > 0 && e->ts_ns < e[-1].ts_ns)
		return BAD_RECORD(r, i, "ts_ns", "records sorted by time",
				  "%" PRIu64 " after %" PRIu64, e->ts_ns, e[-1].ts_ns);
	if (e->end_ns < e->ts_ns)
		return BAD_RECORD(r, i, "end_ns", ">= ts_ns", "%" PRIu64 " < %" PRIu64, e->end_ns,
				  e->ts_ns);
	if (e->end_ns > r->file->header.span_ns)
		return BAD_RECORD(r, i, "end_ns", "<= the header's span_ns", "%" PRIu64, e->end_ns);
	if (e->reserved0 || e->reserved1)
		return BAD_RECORD(r, i, "reserved0/reserved1", "0", "%u/%" PRIu64, e->reserved0,
				  e->reserved1);

	switch (e->kind) {
	case GP_EV_ALLOC:
		if (!e->bytes)
			return BAD_RECORD(r, i, "bytes", "> 0 for an allocation", "%d", 0);
		if (!e->address)
			return BAD_RECORD(r, i, "address", "a nonzero allocation id", "%d", 0);
		at = id_find(&r->live, e->address, &found);
		if (found)
			return BAD_RECORD(r, i, "address",
					  "an allocation id that is not live already", "%" PRIu64,
					  e->address);
		r->live.ids[at] = e->address;
		r->live.slots[at] = ++r->slots;
		e->reserved0 = r->slots;
		break;
	case GP_EV_FREE:
		at = id_find(&r->live, e->address, &found);
		if (!found)
			return BAD_RECORD(r, i, "address", "the id of a live allocation",
					  "%" PRIu64, e->address);
		e->reserved0 = r->live.slots[at];
		r->live.slots[at] = ID_DELETED;
		break;
	case GP_EV_MEMCPY_HTOD:
	case GP_EV_MEMCPY_DTOH:
	case GP_EV_MEMCPY_DTOD:
	case GP_EV_MEMSET:
		if (!e->bytes)
			return BAD_RECORD(r, i, "bytes", "> 0 for a copy or set", "%d", 0);
		if (e->address) {
			at = id_find(&r->live, e->address, &found);
			e->reserved0 = found ? r->live.slots[at] : 0;
		}
		if (e->bytes > r->file->largest_transfer)
			r->file->largest_transfer = e->bytes;
		r->file->has_dtod |= e->kind == GP_EV_MEMCPY_DTOD;
		break;
	default:
		break;
	}
	return 0;
}

static int check_header(const char *path, const struct gp_event_file_header *h, uint64_t size)
{
	const char *what = NULL, *expected = NULL;
	uint64_t found = 0;

	if (memcmp(h->magic, GP_EVENT_FILE_MAGIC, sizeof(h->magic))) {
		char shown[8 * 4 + 1];
		size_t n = 0;

		for (size_t k = 0; k < sizeof(h->magic); k++) {
			unsigned char c = (unsigned char)h->magic[k];
			n += (size_t)snprintf(shown + n, sizeof(shown) - n,
					      c >= 0x20 && c < 0x7f ? "%c" : "\\x%02x", c);
		}
		fail("%s: offset 0: magic: expected \"%s\", found \"%s\" (not an event file)", path,
		     GP_EVENT_FILE_MAGIC, shown);
		return -1;
	}
	if (h->version != GP_EVENT_FILE_VERSION)
		what = "version", expected = "1", found = h->version;
	else if (h->header_size != GP_EVENT_FILE_HEADER_SIZE)
		what = "header_size", expected = "128", found = h->header_size;
	else if (h->event_size != GP_EVENT_SIZE)
		what = "event_size", expected = "112", found = h->event_size;
	else if (h->reserved[0] || h->reserved[1])
		what = "reserved", expected = "0", found = h->reserved[0] | h->reserved[1];
	else if (h->count > (size - GP_EVENT_FILE_HEADER_SIZE) / GP_EVENT_SIZE ||
		 size != GP_EVENT_FILE_HEADER_SIZE + h->count * GP_EVENT_SIZE) {
		fail("%s: header: count: expected %" PRIu64 " records of %u bytes after the header "
		     "(a file of %" PRIu64 " bytes), found a file of %" PRIu64 " bytes",
		     path, h->count, GP_EVENT_SIZE,
		     h->count <= UINT64_MAX / 2 / GP_EVENT_SIZE
			 ? GP_EVENT_FILE_HEADER_SIZE + h->count * GP_EVENT_SIZE
			 : UINT64_MAX,
		     size);
		return -1;
	}
	if (what) {
		fail("%s: header: %s: expected %s, found %" PRIu64, path, what, expected, found);
		return -1;
	}
	return 0;
}

static int read_event_file(const char *path, struct event_file *f)
{
	struct reading r = {.path = path, .file = f};
	uint64_t size;
	FILE *in;
	int rc = -1;
	size_t cap;

	memset(f, 0, sizeof(*f));
	in = fopen(path, "rb");
	if (!in) {
		fail("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fseeko(in, 0, SEEK_END) || (int64_t)(size = (uint64_t)ftello(in)) < 0 ||
	    fseeko(in, 0, SEEK_SET)) {
		fail("%s: cannot read: %s", path, strerror(errno));
		goto out;
	}
	if (size < GP_EVENT_FILE_HEADER_SIZE) {
		fail("%s: header: expected %u bytes, found a file of %" PRIu64 " bytes", path,
		     GP_EVENT_FILE_HEADER_SIZE, size);
		goto out;
	}
	if (fread(&f->header, sizeof(f->header), 1, in) != 1) {
		fail("%s: cannot read the header", path);
		goto out;
	}
	if (check_header(path, &f->header, size))
		goto out;
	f->count = f->header.count;
	f->events = malloc(f->count ? f->count * GP_EVENT_SIZE : 1);
	for (cap = 16; cap < 2 * f->count; cap *= 2)
		;
	r.live.ids = calloc(cap, sizeof(*r.live.ids));
	r.live.slots = calloc(cap, sizeof(*r.live.slots));
	r.live.mask = cap - 1;
	if (!f->events || !r.live.ids || !r.live.slots) {
		fail("%s: out of memory for %" PRIu64 " records", path, f->count);
		goto out;
	}
	if (f->count && fread(f->events, GP_EVENT_SIZE, f->count, in) != f->count) {
		fail("%s: cannot read %" PRIu64 " records", path, f->count);
		goto out;
	}
	for (uint64_t i = 0; i < f->count; i++)
		if (check_record(&r, i))
			goto out;
	f->slots = r.slots;
	rc = 0;
out:
	free(r.live.ids);
	free(r.live.slots);
	if (rc) {
		free(f->events);
		f->events = NULL;
	}
	fclose(in);
	return rc;
}

/* ---- the driver ---- */

static void *resolve(struct cuda *c, const char *name, bool *ok)
{
	void *p = dlsym(c->lib, name);

	if (!p) {
		fail("libcuda.so.1 lacks %s", name);
		*ok = false;
	}
	return p;
}

static int cuda_open(struct cuda *c, int device)
{
	bool ok = true;
	CUcontext ctx;
	CUmodule module;
	CUresult r;

	c->lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!c->lib) {
		fail("cannot load libcuda.so.1: %s", dlerror());
		return -1;
	}
	c->init = (cuInit_fn *)resolve(c, "cuInit", &ok);
	c->device_get = (cuDeviceGet_fn *)resolve(c, "cuDeviceGet", &ok);
	c->retain = (cuDevicePrimaryCtxRetain_fn *)resolve(c, "cuDevicePrimaryCtxRetain", &ok);
	c->release =
	    (cuDevicePrimaryCtxRelease_v2_fn *)resolve(c, "cuDevicePrimaryCtxRelease_v2", &ok);
	c->set_current = (cuCtxSetCurrent_fn *)resolve(c, "cuCtxSetCurrent", &ok);
	c->alloc = (cuMemAlloc_v2_fn *)resolve(c, "cuMemAlloc_v2", &ok);
	c->free = (cuMemFree_v2_fn *)resolve(c, "cuMemFree_v2", &ok);
	c->module_load = (cuModuleLoadData_fn *)resolve(c, "cuModuleLoadData", &ok);
	c->get_function = (cuModuleGetFunction_fn *)resolve(c, "cuModuleGetFunction", &ok);
	c->launch = (cuLaunchKernel_fn *)resolve(c, "cuLaunchKernel", &ok);
	c->htod = (cuMemcpyHtoD_v2_fn *)resolve(c, "cuMemcpyHtoD_v2", &ok);
	c->dtoh = (cuMemcpyDtoH_v2_fn *)resolve(c, "cuMemcpyDtoH_v2", &ok);
	c->dtod = (cuMemcpyDtoD_v2_fn *)resolve(c, "cuMemcpyDtoD_v2", &ok);
	c->memset8 = (cuMemsetD8_v2_fn *)resolve(c, "cuMemsetD8_v2", &ok);
	c->ctx_sync = (cuCtxSynchronize_fn *)resolve(c, "cuCtxSynchronize", &ok);
	c->stream_sync = (cuStreamSynchronize_fn *)resolve(c, "cuStreamSynchronize", &ok);
	if (!ok)
		return -1;
	if ((r = c->init(0)) != CUDA_SUCCESS) {
		fail("cuInit failed: CUresult %d", r);
		return -1;
	}
	if ((r = c->device_get(&c->device, device)) != CUDA_SUCCESS) {
		fail("--device %d: cuDeviceGet failed: CUresult %d", device, r);
		return -1;
	}
	if ((r = c->retain(&ctx, c->device)) != CUDA_SUCCESS ||
	    (r = c->set_current(ctx)) != CUDA_SUCCESS) {
		fail("device %d: no primary context: CUresult %d", device, r);
		return -1;
	}
	if ((r = c->module_load(&module, spin_ptx)) != CUDA_SUCCESS ||
	    (r = c->get_function(&c->spin, module, "gp_spin")) != CUDA_SUCCESS) {
		fail("cannot load the spin kernel (PTX): CUresult %d", r);
		return -1;
	}
	return 0;
}

/* ---- replay ---- */

struct replay {
	const struct options *opt;
	const struct event_file *file;
	struct cuda *cuda;
	struct counters n;
	struct slot *slots;
	uint64_t deadline;   /* CLOCK_MONOTONIC ns; UINT64_MAX = none */
	char *host;	     /* staging, `chunk` bytes */
	CUdeviceptr scratch; /* device scratch: `chunk` bytes, twice that for device-to-device */
	uint64_t chunk;
};

static bool should_stop(const struct replay *p)
{
	return stop_requested || now_ns() >= p->deadline;
}

/* Sleeps until AT (or the deadline, or a signal); false when replay must stop. */
static bool wait_until(const struct replay *p, uint64_t at)
{
	uint64_t until = at < p->deadline ? at : p->deadline;
	struct timespec ts = {.tv_sec = (time_t)(until / 1000000000ull),
			      .tv_nsec = (long)(until % 1000000000ull)};

	while (!stop_requested && now_ns() < until)
		if (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR &&
		    stop_requested)
			break;
	return !should_stop(p);
}

static void do_alloc(struct replay *p, const struct gp_event *e)
{
	struct slot *s = &p->slots[e->reserved0 - 1];
	CUresult r = p->cuda->alloc(&s->ptr, e->bytes);

	if (r == CUDA_SUCCESS) {
		s->bytes = e->bytes;
		p->n.allocs++;
		return;
	}
	s->ptr = 0;
	p->n.alloc_failed++;
	p->n.out_of_memory += r == CUDA_ERROR_OUT_OF_MEMORY;
}

static void do_free(struct replay *p, const struct gp_event *e)
{
	struct slot *s = &p->slots[e->reserved0 - 1];

	if (!s->ptr)
		return; /* its allocation failed: nothing to free */
	if (p->cuda->free(s->ptr) == CUDA_SUCCESS)
		p->n.frees++;
	s->ptr = 0;
}

/* The device memory a copy or set of E targets: its allocation when live and large enough. */
static CUdeviceptr target(const struct replay *p, const struct gp_event *e)
{
	const struct slot *s = e->reserved0 ? &p->slots[e->reserved0 - 1] : NULL;

	return s && s->ptr && s->bytes >= e->bytes ? s->ptr : 0;
}

static void do_transfer(struct replay *p, const struct gp_event *e)
{
	CUdeviceptr dev = target(p, e);
	uint64_t left = e->bytes, offset = 0;
	bool whole = dev != 0; /* an allocation holds the whole range; scratch holds one chunk */
	CUresult r = CUDA_SUCCESS;

	if (!dev && !(dev = p->scratch)) {
		p->n.copy_failed++;
		return;
	}
	while (left && r == CUDA_SUCCESS) {
		uint64_t n = left < p->chunk ? left : p->chunk;
		CUdeviceptr at = whole ? dev + offset : dev;

		switch (e->kind) {
		case GP_EV_MEMCPY_HTOD:
			r = p->cuda->htod(at, p->host, n);
			break;
		case GP_EV_MEMCPY_DTOH:
			r = p->cuda->dtoh(p->host, at, n);
			break;
		case GP_EV_MEMCPY_DTOD:
			/* From the scratch's second half, into the allocation or the first half. */
			if (!p->scratch) {
				r = CUDA_ERROR_INVALID_VALUE;
				break;
			}
			r = p->cuda->dtod(at, p->scratch + p->chunk, n);
			break;
		default:
			r = p->cuda->memset8(at, 0, n);
			break;
		}
		left -= n;
		offset += n;
	}
	if (r == CUDA_SUCCESS) {
		p->n.copies++;
		p->n.bytes_copied += e->bytes;
	} else {
		p->n.copy_failed++;
	}
}

static void do_launch(struct replay *p, const struct gp_event *e)
{
	uint64_t spin_ns = (uint64_t)((double)(e->end_ns - e->ts_ns) / p->opt->speed);
	void *params[] = {&spin_ns};

	if (p->cuda->launch(p->cuda->spin, 1, 1, 1, 1, 1, 1, 0, NULL, params, NULL) == CUDA_SUCCESS)
		p->n.launches++;
	else
		p->n.launch_failed++;
}

static void issue(struct replay *p, const struct gp_event *e)
{
	switch (e->kind) {
	case GP_EV_ALLOC:
		do_alloc(p, e);
		break;
	case GP_EV_FREE:
		do_free(p, e);
		break;
	case GP_EV_KERNEL_EXEC:
		do_launch(p, e);
		break;
	case GP_EV_SYNC_CONTEXT:
		p->n.syncs += p->cuda->ctx_sync() == CUDA_SUCCESS;
		break;
	case GP_EV_SYNC_STREAM:
		p->n.syncs += p->cuda->stream_sync(NULL) == CUDA_SUCCESS;
		break;
	default:
		do_transfer(p, e);
		break;
	}
}

static void free_all(struct replay *p)
{
	for (uint32_t s = 0; s < p->file->slots; s++)
		if (p->slots[s].ptr) {
			p->cuda->free(p->slots[s].ptr);
			p->slots[s].ptr = 0;
		}
}

/* Plays the file once; false when it stopped early. */
static bool lap(struct replay *p)
{
	uint64_t start = now_ns();

	for (uint64_t i = 0; i < p->file->count; i++) {
		const struct gp_event *e = &p->file->events[i];
		uint64_t at = start + (uint64_t)((double)e->ts_ns / p->opt->speed), now;

		if (!wait_until(p, at))
			return false;
		now = now_ns();
		if (now > at && now - at > p->n.late_ns_max)
			p->n.late_ns_max = now - at;
		issue(p, e);
		p->n.events++;
	}
	/* Kernels still spinning belong to this lap. */
	p->cuda->ctx_sync();
	free_all(p);
	return true;
}

/* The staging buffers: sized to the largest copy, capped by --staging. */
static void setup_staging(struct replay *p)
{
	uint64_t want;

	p->chunk = p->file->largest_transfer < p->opt->staging ? p->file->largest_transfer
							       : p->opt->staging;
	if (!p->chunk)
		return;
	want = p->file->has_dtod ? 2 * p->chunk : p->chunk;
	p->host = calloc(1, p->chunk);
	if (!p->host || p->cuda->alloc(&p->scratch, want) != CUDA_SUCCESS) {
		if (!p->opt->quiet)
			fail("no %" PRIu64 "-byte staging buffer: copies into no live allocation "
			     "will be counted as failed",
			     want);
		p->scratch = 0;
		if (!p->host)
			p->chunk = 0;
	}
}

static void print_json(const struct replay *p, uint64_t wall_ns)
{
	const struct counters *n = &p->n;

	printf("{\"allocs\":%" PRIu64 ",\"alloc_failed\":%" PRIu64 ",\"out_of_memory\":%" PRIu64
	       ",\"frees\":%" PRIu64 ",\"launches\":%" PRIu64 ",\"launch_failed\":%" PRIu64
	       ",\"copies\":%" PRIu64 ",\"copy_failed\":%" PRIu64 ",\"bytes_copied\":%" PRIu64
	       ",\"syncs\":%" PRIu64 ",\"events\":%" PRIu64 ",\"laps\":%" PRIu64
	       ",\"late_ns_max\":%" PRIu64 ",\"wall_ms\":%" PRIu64 "}\n",
	       n->allocs, n->alloc_failed, n->out_of_memory, n->frees, n->launches,
	       n->launch_failed, n->copies, n->copy_failed, n->bytes_copied, n->syncs, n->events,
	       n->laps, n->late_ns_max, wall_ns / 1000000);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_signal};
	struct options opt;
	struct event_file file;
	struct cuda cuda = {0};
	struct replay p = {.opt = &opt, .file = &file, .cuda = &cuda, .deadline = UINT64_MAX};
	uint64_t start;

	if (parse_options(argc, argv, &opt))
		return EXIT_USAGE;
	if (read_event_file(opt.path, &file))
		return EXIT_USAGE;
	p.slots = calloc(file.slots ? file.slots : 1, sizeof(*p.slots));
	if (!p.slots) {
		fail("out of memory");
		return EXIT_RUNTIME;
	}
	if (cuda_open(&cuda, opt.device))
		return EXIT_RUNTIME;

	/* No SA_RESTART: a signal ends the sleep at once. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	start = now_ns();
	if (opt.duration_s > 0)
		p.deadline = start + (uint64_t)(opt.duration_s * 1e9);
	setup_staging(&p);
	if (!opt.quiet)
		fprintf(stderr,
			"gpupredict-loadgen: %s: %" PRIu64 " events over %.3f s (pid %u of %.64s), "
			"speed %g, %s%lu lap(s)\n",
			opt.path, file.count, (double)file.header.span_ns / 1e9, file.header.pid,
			file.header.source, opt.speed, opt.loops ? "" : "until stopped, ",
			opt.loops);
	while ((!opt.loops || p.n.laps < opt.loops) && lap(&p)) {
		p.n.laps++;
		if (!opt.quiet)
			fprintf(stderr, "gpupredict-loadgen: lap %" PRIu64 " done\n", p.n.laps);
		if (!file.count && !opt.loops && !wait_until(&p, UINT64_MAX))
			break; /* an empty file played forever: wait for the stop */
	}
	cuda.ctx_sync();
	free_all(&p);
	if (p.scratch)
		cuda.free(p.scratch);
	print_json(&p, now_ns() - start);
	free(p.host);
	free(p.slots);
	free(file.events);
	return 0;
}
