/* SPDX-License-Identifier: MIT */
/*
 * loadgen_test - runs native/build/gpupredict-loadgen against the libcuda test double (found
 * through LD_LIBRARY_PATH, which `make check` sets) on small event files written here: the JSON
 * counters match the file, --loop repeats it, --duration with --loop 0 stops it, an allocation over
 * GP_FAKE_CUDA_TOTAL_BYTES is counted as out_of_memory and the replay goes on, malformed files and
 * bad arguments exit 2 with a message naming what is wrong, and a libcuda that cannot initialise
 * exits 1.
 *
 * Prints one line per failure on stderr and "loadgen: N passed, M failed" on stdout; exit status 0
 * only when nothing failed. Built and run by `make -C native check`.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gpupredict/abi.h"
#include "gpupredict/eventfile.h"

#define MS  1000000ull
#define MIB (1ull << 20)

static unsigned passed;
static unsigned failed;
static char loadgen[PATH_MAX];
static char preload[PATH_MAX + 64]; /* LD_PRELOAD=<the interposer> */
static char dir[] = "/tmp/gp-loadgen-test.XXXXXX";

static void check(bool ok, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void check(bool ok, int line, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		return;
	}
	failed++;
	fprintf(stderr, "loadgen_test.c:%d: ", line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

#define CHECK(ok, ...) check((ok), __LINE__, __VA_ARGS__)

static struct gp_event ev(uint16_t kind, uint64_t ts, uint64_t end, uint64_t bytes, uint64_t id)
{
	return (struct gp_event){
	    .ts_ns = ts, .end_ns = end, .bytes = bytes, .address = id, .kind = kind, .device = -1};
}

/* Writes NAME in the test folder: a header for COUNT records, then N records (N may differ). */
static const char *write_file(const char *name, const struct gp_event *events, size_t n,
			      uint64_t count, const char *magic)
{
	static char path[PATH_MAX];
	struct gp_event_file_header h = {.version = GP_EVENT_FILE_VERSION,
					 .header_size = GP_EVENT_FILE_HEADER_SIZE,
					 .event_size = GP_EVENT_SIZE,
					 .pid = 42,
					 .count = count,
					 .step_ns = 10 * MS};
	FILE *f;

	memcpy(h.magic, magic, sizeof(h.magic));
	strcpy(h.source, "loadgen_test");
	for (size_t i = 0; i < n; i++)
		if (events[i].end_ns > h.span_ns)
			h.span_ns = events[i].end_ns;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(&h, sizeof(h), 1, f) != 1 ||
	    (n && fwrite(events, sizeof(*events), n, f) != n) || fclose(f)) {
		perror(path);
		exit(1);
	}
	return path;
}

struct run {
	int status;
	char out[4096];
	char err[4096];
};

static void slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, size - 1, f) : 0;

	buf[n] = 0;
	if (f)
		fclose(f);
}

/* Runs loadgen with ARGS (NULL-terminated), ENV ("NAME=VALUE" or NULL) added to the environment. */
static void run(struct run *r, const char *env, const char *const *args)
{
	char out[PATH_MAX], err[PATH_MAX];
	const char *argv[16] = {loadgen};
	int status;
	pid_t pid;

	for (size_t i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	snprintf(out, sizeof(out), "%s/stdout", dir);
	snprintf(err, sizeof(err), "%s/stderr", dir);
	pid = fork();
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(126);
		if (env)
			putenv((char *)env);
		execv(loadgen, (char *const *)argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		perror("fork");
		exit(1);
	}
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
}

/* The value of "NAME": in loadgen's JSON line, or UINT64_MAX when absent. */
static uint64_t field(const struct run *r, const char *name)
{
	char key[64];
	const char *at;

	snprintf(key, sizeof(key), "\"%s\":", name);
	at = strstr(r->out, key);
	return at ? strtoull(at + strlen(key), NULL, 10) : UINT64_MAX;
}

#define EXPECT_FIELD(r, name, want)                                                                \
	CHECK(field((r), (name)) == (uint64_t)(want),                                              \
	      "%s: got %" PRIu64 ", want %" PRIu64 " (%s)", (name), field((r), (name)),            \
	      (uint64_t)(want), (r)->out)

/* Two allocations, a kernel, each copy direction, a set, both waits, both frees: 11 records. */
static const struct gp_event basic[] = {
    {.ts_ns = 0, .end_ns = 0, .bytes = 1 * MIB, .address = 1, .kind = GP_EV_ALLOC},
    {.ts_ns = 1 * MS, .end_ns = 1 * MS, .bytes = 2 * MIB, .address = 2, .kind = GP_EV_ALLOC},
    {.ts_ns = 2 * MS, .end_ns = 3 * MS, .kind = GP_EV_KERNEL_EXEC},
    {.ts_ns = 3 * MS, .end_ns = 3 * MS, .bytes = 4096, .address = 1, .kind = GP_EV_MEMCPY_HTOD},
    {.ts_ns = 3 * MS, .end_ns = 3 * MS, .bytes = 4096, .kind = GP_EV_MEMCPY_DTOH},
    {.ts_ns = 4 * MS, .end_ns = 4 * MS, .bytes = 8192, .kind = GP_EV_MEMCPY_DTOD},
    {.ts_ns = 4 * MS, .end_ns = 4 * MS, .bytes = 1000, .address = 2, .kind = GP_EV_MEMSET},
    {.ts_ns = 5 * MS, .end_ns = 5 * MS, .kind = GP_EV_SYNC_CONTEXT},
    {.ts_ns = 5 * MS, .end_ns = 5 * MS, .address = 1, .kind = GP_EV_FREE},
    {.ts_ns = 6 * MS, .end_ns = 6 * MS, .kind = GP_EV_SYNC_STREAM},
    {.ts_ns = 6 * MS, .end_ns = 6 * MS, .address = 2, .kind = GP_EV_FREE},
};
#define BASIC_COUNT	 (sizeof(basic) / sizeof(basic[0]))
#define BASIC_COPY_BYTES (4096 + 4096 + 8192 + 1000)

static void test_counts(void)
{
	const char *path = write_file("basic.gpev", basic, BASIC_COUNT, BASIC_COUNT, "GPEVFILE");
	struct run r;

	run(&r, NULL, (const char *[]){"--quiet", path, NULL});
	CHECK(r.status == 0, "basic: exit %d, want 0 (stderr: %s)", r.status, r.err);
	EXPECT_FIELD(&r, "allocs", 2);
	EXPECT_FIELD(&r, "alloc_failed", 0);
	EXPECT_FIELD(&r, "out_of_memory", 0);
	EXPECT_FIELD(&r, "frees", 2);
	EXPECT_FIELD(&r, "launches", 1);
	EXPECT_FIELD(&r, "copies", 4);
	EXPECT_FIELD(&r, "copy_failed", 0);
	EXPECT_FIELD(&r, "bytes_copied", BASIC_COPY_BYTES);
	EXPECT_FIELD(&r, "syncs", 2);
	EXPECT_FIELD(&r, "events", BASIC_COUNT);
	EXPECT_FIELD(&r, "laps", 1);
	CHECK(field(&r, "wall_ms") >= 6 && field(&r, "wall_ms") < 5000,
	      "basic: wall_ms %" PRIu64 ", want the file's 6 ms or a little more",
	      field(&r, "wall_ms"));
	CHECK(field(&r, "late_ns_max") != UINT64_MAX, "basic: late_ns_max missing (%s)", r.out);
	CHECK(!strchr(r.out, '\n') || strchr(r.out, '\n')[1] == 0, "basic: one line: %s", r.out);
	CHECK(r.err[0] == 0, "basic: --quiet printed on stderr: %s", r.err);

	/* 3 laps of 11 records, all freed; --speed 10 plays the 6 ms in 0.6 ms each. */
	run(&r, NULL, (const char *[]){"--quiet", "--loop", "3", "--speed", "10", path, NULL});
	CHECK(r.status == 0, "loop: exit %d, want 0 (stderr: %s)", r.status, r.err);
	EXPECT_FIELD(&r, "laps", 3);
	EXPECT_FIELD(&r, "events", 3 * BASIC_COUNT);
	EXPECT_FIELD(&r, "allocs", 3 * 2);
	EXPECT_FIELD(&r, "frees", 3 * 2);
	EXPECT_FIELD(&r, "launches", 3);
	EXPECT_FIELD(&r, "bytes_copied", 3 * BASIC_COPY_BYTES);

	/* Forever until --duration: 0.2 s of a 6 ms file is many laps, and it exits 0. */
	run(&r, NULL, (const char *[]){"--quiet", "--loop", "0", "--duration", "0.2", path, NULL});
	CHECK(r.status == 0, "loop 0: exit %d, want 0 (stderr: %s)", r.status, r.err);
	CHECK(field(&r, "laps") >= 2 && field(&r, "laps") != UINT64_MAX,
	      "loop 0: laps %" PRIu64 ", want >= 2", field(&r, "laps"));
	CHECK(field(&r, "wall_ms") >= 200 && field(&r, "wall_ms") < 5000,
	      "loop 0: wall_ms %" PRIu64 ", want about 200", field(&r, "wall_ms"));

	/* Progress on stderr without --quiet. */
	run(&r, NULL, (const char *[]){path, NULL});
	CHECK(r.status == 0 && strstr(r.err, "lap 1 done"), "progress: exit %d, stderr: %s",
	      r.status, r.err);

	/* Under the interposer (no daemon: it passes every call through) the counts are the same.
	 */
	run(&r, preload, (const char *[]){"--quiet", path, NULL});
	CHECK(r.status == 0, "interposed: exit %d, want 0 (stderr: %s)", r.status, r.err);
	EXPECT_FIELD(&r, "allocs", 2);
	EXPECT_FIELD(&r, "frees", 2);
	EXPECT_FIELD(&r, "launches", 1);
	EXPECT_FIELD(&r, "copies", 4);
	EXPECT_FIELD(&r, "events", BASIC_COUNT);
}

/* A 4 MiB device: the 8 MiB allocation fails, its free is skipped, the rest goes on. */
static void test_out_of_memory(void)
{
	const struct gp_event events[] = {
	    ev(GP_EV_ALLOC, 0, 0, 1 * MIB, 10),
	    ev(GP_EV_ALLOC, 1 * MS, 1 * MS, 8 * MIB, 11),
	    ev(GP_EV_KERNEL_EXEC, 1 * MS, 2 * MS, 0, 0),
	    ev(GP_EV_MEMCPY_HTOD, 2 * MS, 2 * MS, 4096, 11), /* into the failed one: scratch */
	    ev(GP_EV_FREE, 2 * MS, 2 * MS, 0, 11),
	    ev(GP_EV_ALLOC, 3 * MS, 3 * MS, 1 * MIB, 12),
	    ev(GP_EV_FREE, 4 * MS, 4 * MS, 0, 10),
	    ev(GP_EV_FREE, 4 * MS, 4 * MS, 0, 12),
	};
	const char *path = write_file("oom.gpev", events, 8, 8, "GPEVFILE");
	struct run r;

	run(&r, "GP_FAKE_CUDA_TOTAL_BYTES=4M", (const char *[]){"--quiet", path, NULL});
	CHECK(r.status == 0, "oom: exit %d, want 0 (stderr: %s)", r.status, r.err);
	EXPECT_FIELD(&r, "allocs", 2);
	EXPECT_FIELD(&r, "alloc_failed", 1);
	EXPECT_FIELD(&r, "out_of_memory", 1);
	EXPECT_FIELD(&r, "frees", 2);
	EXPECT_FIELD(&r, "launches", 1);
	EXPECT_FIELD(&r, "copies", 1);
	EXPECT_FIELD(&r, "events", 8);
}

struct bad_case {
	const char *name;
	const char *args[4];
	int status;
	const char *message[3]; /* each must appear on stderr */
};

static void expect_refused(const struct bad_case *c, const char *path)
{
	const char *args[6] = {0};
	struct run r;
	size_t n = 0;

	for (; n < 4 && c->args[n]; n++)
		args[n] = c->args[n];
	if (path)
		args[n] = path;
	run(&r, NULL, args);
	CHECK(r.status == c->status, "%s: exit %d, want %d (stderr: %s)", c->name, r.status,
	      c->status, r.err);
	for (size_t i = 0; i < 3 && c->message[i]; i++)
		CHECK(strstr(r.err, c->message[i]) != NULL, "%s: stderr lacks '%s': %s", c->name,
		      c->message[i], r.err);
	CHECK(r.out[0] == 0, "%s: printed on stdout: %s", c->name, r.out);
}

static void test_malformed(void)
{
	struct gp_event events[BASIC_COUNT];
	const char *path;

	path = write_file("magic.gpev", basic, BASIC_COUNT, BASIC_COUNT, "GPRBFILE");
	expect_refused(
	    &(struct bad_case){"wrong magic",
			       {"--quiet"},
			       2,
			       {"magic.gpev", "magic: expected \"GPEVFILE\"", "GPRBFILE"}},
	    path);

	/* The header promises 11 records; the file holds 10. */
	path = write_file("short.gpev", basic, BASIC_COUNT - 1, BASIC_COUNT, "GPEVFILE");
	expect_refused(
	    &(struct bad_case){"truncated",
			       {"--quiet"},
			       2,
			       {"short.gpev", "count: expected 11 records", "found a file of"}},
	    path);

	memcpy(events, basic, sizeof(events));
	events[4].ts_ns = 1 * MS;
	events[4].end_ns = 1 * MS;
	path = write_file("order.gpev", events, BASIC_COUNT, BASIC_COUNT, "GPEVFILE");
	expect_refused(
	    &(struct bad_case){"unsorted",
			       {"--quiet"},
			       2,
			       {"record 4 (offset 576)", "ts_ns: expected records sorted"}},
	    path);

	memcpy(events, basic, sizeof(events));
	events[8].address = 7;
	path = write_file("free.gpev", events, BASIC_COUNT, BASIC_COUNT, "GPEVFILE");
	expect_refused(
	    &(struct bad_case){
		"free of no allocation",
		{"--quiet"},
		2,
		{"record 8", "address: expected the id of a live allocation", "found 7"}},
	    path);

	memcpy(events, basic, sizeof(events));
	events[2].kind = GP_EV_MODULE_LOAD;
	path = write_file("kind.gpev", events, BASIC_COUNT, BASIC_COUNT, "GPEVFILE");
	expect_refused(
	    &(struct bad_case){
		"unknown kind", {"--quiet"}, 2, {"record 2", "kind: expected", "found 52"}},
	    path);

	memcpy(events, basic, sizeof(events));
	events[1].bytes = 0;
	path = write_file("zero.gpev", events, BASIC_COUNT, BASIC_COUNT, "GPEVFILE");
	expect_refused(
	    &(struct bad_case){
		"empty allocation", {"--quiet"}, 2, {"record 1", "bytes: expected > 0"}},
	    path);

	expect_refused(
	    &(struct bad_case){"missing file", {"--quiet"}, 2, {"nothing.gpev", "cannot open"}},
	    "/nonexistent/nothing.gpev");
}

static void test_arguments(void)
{
	const char *path = write_file("args.gpev", basic, BASIC_COUNT, BASIC_COUNT, "GPEVFILE");
	struct run r;

	expect_refused(&(struct bad_case){"speed 0",
					  {"--speed", "0"},
					  2,
					  {"--speed: expected a number in (0, 1e6]", "found '0'"}},
		       path);
	expect_refused(&(struct bad_case){"loop -1", {"--loop", "-1"}, 2, {"--loop", "found '-1'"}},
		       path);
	expect_refused(
	    &(struct bad_case){"unknown option", {"--fast"}, 2, {"unknown option '--fast'"}}, path);
	expect_refused(&(struct bad_case){"no file", {"--quiet"}, 2, {"expected an event FILE"}},
		       NULL);
	expect_refused(
	    &(struct bad_case){
		"no value", {"--quiet", "--speed"}, 2, {"--speed: expected a value"}},
	    NULL);

	/* libcuda loads but cannot initialise (no device), or the device does not exist: 1. */
	run(&r, "GP_FAKE_CUDA_DEVICES=0", (const char *[]){"--quiet", path, NULL});
	CHECK(r.status == 1 && strstr(r.err, "cuInit failed"), "no device: exit %d (stderr: %s)",
	      r.status, r.err);
	run(&r, NULL, (const char *[]){"--quiet", "--device", "3", path, NULL});
	CHECK(r.status == 1 && strstr(r.err, "--device 3"), "device 3: exit %d (stderr: %s)",
	      r.status, r.err);
}

int main(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0) {
		perror("/proc/self/exe");
		return 1;
	}
	self[n] = 0;
	snprintf(loadgen, sizeof(loadgen), "%s/gpupredict-loadgen", dirname(self));
	snprintf(preload, sizeof(preload), "LD_PRELOAD=%s/intercept/libgpupredict-cuda.so", self);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}

	test_counts();
	test_out_of_memory();
	test_malformed();
	test_arguments();

	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "loadgen_test: could not remove %s\n", dir);
	printf("loadgen: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
