/* SPDX-License-Identifier: MIT */
/*
 * control_test - the interposer's control block reader (native/intercept/control.c) on its own,
 * linked with stand-ins for the process identity, clock and log: a block is attached as link.c
 * attaches the daemon's, published the way the daemon does it, under the sequence lock, and
 * gp_control_get_at must return every limit (GP_CONTROL_LIMITS in abi.h) as written, or "absent"
 * when the block is malformed: wrong magic, version or size, a sequence that never settles, values
 * out of range (undefined flag bits, byte counts above 2^50, an inverted pre-map window, a device
 * outside -1..1023, an all-ones block).
 *
 * The checks of what is copied walk the abi.h list, so a limit added there is checked without
 * touching this file, but the sample block must give it a value: a limit the sample leaves 0
 * fails here until it has one (and its range is decided in control.c's gp_control_sane).
 *
 * Prints one line per failure on stderr and "control: N passed, M failed" on stdout; exit status 0
 * only when nothing failed. Built and run by `make -C native check`.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../native/intercept/intercept.h"

#define MS 1000000ull

static unsigned passed;
static unsigned failed;

static void expect(bool ok, const char *what, unsigned long long got, unsigned long long want,
		   int line)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	fprintf(stderr, "control_test.c:%d: %s: got %llu, want %llu\n", line, what, got, want);
}

#define EXPECT_EQ(what, got, want)                                                                 \
	expect((unsigned long long)(got) == (unsigned long long)(want), (what),                    \
	       (unsigned long long)(got), (unsigned long long)(want), __LINE__)

/* ---- what control.c needs from the rest of the interposer ---- */

uint32_t gp_pid(void)
{
	return (uint32_t)getpid();
}

uint64_t gp_now_ns(void)
{
	return 0;
}

void gp_log(int priority, const char *fmt, ...)
{
	(void)priority;
	(void)fmt;
}

/* ---- the daemon's side ---- */

static struct gp_control_block *block;

static struct gp_control read_block(void)
{
	return gp_control_get_at(0);
}

/* The daemon's memfd stands as shared anonymous memory: the reader sees only the mapping. */
static bool create_block(void)
{
	block =
	    mmap(NULL, GP_CONTROL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (block == MAP_FAILED)
		block = NULL;
	if (block != NULL)
		gp_control_attach(block);
	return block != NULL;
}

/* Publishes value as the daemon does: seq odd, the fields, seq even. */
static void publish(struct gp_control_block value)
{
	uint32_t seq = __atomic_load_n(&block->seq, __ATOMIC_RELAXED);
	__atomic_store_n(&block->seq, seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	value.seq = seq + 1;
	memcpy(block, &value, sizeof(value));
	__atomic_store_n(&block->seq, seq + 2, __ATOMIC_RELEASE);
}

/* A valid block with every limit set to a value of its own. */
static struct gp_control_block sample(void)
{
	return (struct gp_control_block){
	    .magic = GP_CONTROL_MAGIC,
	    .abi_version = GP_ABI_VERSION,
	    .size = GP_CONTROL_SIZE,
	    .flags = GP_CTL_ENFORCE_QUOTA | GP_CTL_PREMAP | GP_CTL_THROTTLE,
	    .vram_quota_bytes = 8ull << 30,
	    .virtual_total_bytes = 12ull << 30,
	    .premap_target_bytes = 2ull << 30,
	    .premap_from_ns = 1000 * MS,
	    .premap_until_ns = 1500 * MS,
	    .sm_share_ppm = 250000,
	    .device = 3,
	    .updated_ns = 900 * MS,
	};
}

#define EXPECT_SET(type, name)                                                                     \
	EXPECT_EQ("the sample sets " #name " (a limit left 0 is not shown to be copied)",          \
		  in.name != 0, 1);
#define EXPECT_COPIED(type, name) EXPECT_EQ(#name " as written", out.name, in.name);
#define EXPECT_ZERO(type, name)	  EXPECT_EQ(#name " of an absent block", out.name, 0);

static void test_absent_until_written(void)
{
	struct gp_control out = read_block();
	EXPECT_EQ("no block attached: absent", out.valid, false);
	EXPECT_EQ("no block attached: may not throttle", gp_control_may_throttle(), false);
	if (!create_block()) {
		EXPECT_EQ("control block created", 0, 1);
		exit(EXIT_FAILURE);
	}
	out = read_block();
	EXPECT_EQ("an all-zero block (wrong magic): absent", out.valid, false);
	GP_CONTROL_LIMITS(EXPECT_ZERO)
}

static void test_every_limit_is_copied(void)
{
	struct gp_control_block in = sample();
	GP_CONTROL_LIMITS(EXPECT_SET)
	publish(in);
	struct gp_control out = read_block();
	EXPECT_EQ("sample: valid", out.valid, true);
	GP_CONTROL_LIMITS(EXPECT_COPIED)
}

static void expect_absent(const char *what, struct gp_control_block in)
{
	publish(in);
	struct gp_control out = read_block();
	EXPECT_EQ(what, out.valid, false);
	GP_CONTROL_LIMITS(EXPECT_ZERO)
}

static void test_wrong_header_is_absent(void)
{
	struct gp_control_block in = sample();
	in.magic = 0xdeadbeef;
	expect_absent("wrong magic: absent", in);
	in = sample();
	in.abi_version = GP_ABI_VERSION + 1;
	expect_absent("wrong abi_version: absent", in);
	in = sample();
	in.size = GP_CONTROL_SIZE / 2;
	expect_absent("wrong size: absent", in);
}

static void test_unsettled_is_absent(void)
{
	publish(sample());
	/* A writer that died mid-write: seq stays odd. */
	__atomic_store_n(&block->seq, block->seq + 1, __ATOMIC_RELEASE);
	struct gp_control out = read_block();
	EXPECT_EQ("odd seq: absent", out.valid, false);
	GP_CONTROL_LIMITS(EXPECT_ZERO)
	__atomic_store_n(&block->seq, block->seq + 1, __ATOMIC_RELEASE);
	EXPECT_EQ("settled again: valid", read_block().valid, true);
}

/* One edit of the sample, and whether the result is still valid. */
#define RANGE_CASE(what, edit, expected)                                                           \
	{                                                                                          \
		struct gp_control_block in = sample();                                             \
		edit;                                                                              \
		publish(in);                                                                       \
		EXPECT_EQ(what, read_block().valid, (expected));                                   \
	}

static void test_out_of_range_is_absent(void)
{
	RANGE_CASE("sm_share_ppm 1000000 (the whole GPU)", in.sm_share_ppm = 1000000, true);
	RANGE_CASE("sm_share_ppm 1000001", in.sm_share_ppm = 1000001, false);
	RANGE_CASE("sm_share_ppm 0", in.sm_share_ppm = 0, true);
	RANGE_CASE("pre-map target == quota", in.premap_target_bytes = in.vram_quota_bytes, true);
	RANGE_CASE("pre-map target above the quota",
		   in.premap_target_bytes = in.vram_quota_bytes + 1, false);
	RANGE_CASE("pre-map target with no quota (0)", in.vram_quota_bytes = 0, true);
	RANGE_CASE("device -1 (any)", in.device = -1, true);
	RANGE_CASE("device -2", in.device = -2, false);
	RANGE_CASE("virtual total below the quota", in.virtual_total_bytes = 1, true);
	/* Garbage a writer bug (or a block of all ones) would leave: never a limit. */
	RANGE_CASE("every defined flag",
		   in.flags = GP_CTL_ENFORCE_QUOTA | GP_CTL_PREMAP | GP_CTL_THROTTLE |
			      GP_CTL_SUSPEND_REQUESTED,
		   true);
	RANGE_CASE("an undefined flag bit", in.flags |= 1u << 4, false);
	RANGE_CASE("flags all ones", in.flags = UINT32_MAX, false);
	RANGE_CASE("virtual total 2^50 (1 PiB)", in.virtual_total_bytes = 1ull << 50, true);
	RANGE_CASE("virtual total 2^50 + 1", in.virtual_total_bytes = (1ull << 50) + 1, false);
	RANGE_CASE("virtual total 2^64 - 1", in.virtual_total_bytes = UINT64_MAX, false);
	RANGE_CASE("quota 2^64 - 1", in.vram_quota_bytes = UINT64_MAX, false);
	RANGE_CASE("pre-map target above 2^50 with no quota",
		   (in.vram_quota_bytes = 0, in.premap_target_bytes = (1ull << 50) + 1), false);
	RANGE_CASE("pre-map window ends where it starts", in.premap_until_ns = in.premap_from_ns,
		   true);
	RANGE_CASE("pre-map window ends before it starts",
		   in.premap_until_ns = in.premap_from_ns - 1, false);
	RANGE_CASE("pre-map window open at the start (from 0)",
		   (in.premap_from_ns = 0, in.premap_until_ns = 1), true);
	RANGE_CASE("device 1023", in.device = 1023, true);
	RANGE_CASE("device 1024", in.device = 1024, false);
}

/* Every byte after the header 0xff: absent, and nothing of it leaks into a limit. */
static void test_all_ones_is_absent(void)
{
	struct gp_control_block in;
	memset(&in, 0xff, sizeof(in));
	in.magic = GP_CONTROL_MAGIC;
	in.abi_version = GP_ABI_VERSION;
	in.size = GP_CONTROL_SIZE;
	expect_absent("all ones with a valid header: absent", in);
}

/* The daemon hung up: link.c detaches the block, and the limits lapse at once. */
/* Launch hooks skip the snapshot when gp_control_may_throttle() is false: it must not throttle. */
static bool snapshot_throttles(void)
{
	struct gp_control c = read_block();
	return c.valid && (c.flags & GP_CTL_THROTTLE) != 0;
}

static void test_may_throttle_covers_every_throttling_snapshot(void)
{
	struct gp_control_block b = sample();
	publish(b);
	EXPECT_EQ("THROTTLE set: the snapshot throttles", snapshot_throttles(), true);
	EXPECT_EQ("THROTTLE set: may throttle", gp_control_may_throttle(), true);

	b.flags &= ~(uint32_t)GP_CTL_THROTTLE;
	publish(b);
	EXPECT_EQ("THROTTLE clear: the snapshot does not throttle", snapshot_throttles(), false);
	EXPECT_EQ("THROTTLE clear: may not throttle", gp_control_may_throttle(), false);

	/* A block the snapshot refuses: "may" is allowed to say yes, the snapshot then says no. */
	b = sample();
	b.magic = 0xdeadbeef;
	publish(b);
	EXPECT_EQ("bad magic: the snapshot does not throttle", snapshot_throttles(), false);
	b = sample();
	b.flags |= 1u << 31;
	publish(b);
	EXPECT_EQ("undefined flag: the snapshot does not throttle", snapshot_throttles(), false);
	publish(sample());
}

static void test_detached_is_absent(void)
{
	publish(sample());
	EXPECT_EQ("attached: valid", read_block().valid, true);
	EXPECT_EQ("attached: present", gp_control_present(), true);
	gp_control_detach();
	EXPECT_EQ("detached: absent", read_block().valid, false);
	EXPECT_EQ("detached: not present", gp_control_present(), false);
	EXPECT_EQ("detached: may not throttle", gp_control_may_throttle(), false);
}

/* ---- a writer racing the reader ---- */

/* Every limit of generation k derives from k, so a mix of two writes shows as disagreeing fields.
 */
static struct gp_control_block generation(uint32_t k)
{
	struct gp_control_block b = sample();
	b.vram_quota_bytes = (uint64_t)k << 20;
	b.virtual_total_bytes = (uint64_t)k << 21;
	b.premap_target_bytes = (uint64_t)k << 19;
	b.premap_from_ns = k;
	b.premap_until_ns = (uint64_t)k + 1;
	b.sm_share_ppm = k % 1000000;
	b.device = (int32_t)(k % 8);
	return b;
}

static bool is_generation(const struct gp_control *c)
{
	struct gp_control_block e = generation((uint32_t)c->premap_from_ns);
	return c->vram_quota_bytes == e.vram_quota_bytes &&
	       c->virtual_total_bytes == e.virtual_total_bytes &&
	       c->premap_target_bytes == e.premap_target_bytes &&
	       c->premap_until_ns == e.premap_until_ns && c->sm_share_ppm == e.sm_share_ppm &&
	       c->device == e.device;
}

static bool stop;

static void *writer(void *arg)
{
	(void)arg;
	for (uint32_t k = 1; !__atomic_load_n(&stop, __ATOMIC_RELAXED); k++) {
		publish(generation(k));
		sched_yield();
	}
	return NULL;
}

static void test_concurrent_writer_is_never_torn(void)
{
	pthread_t thread;
	unsigned settled = 0, torn = 0;

	publish(generation(1));
	if (pthread_create(&thread, NULL, writer, NULL) != 0) {
		EXPECT_EQ("writer thread started", 0, 1);
		return;
	}
	for (int i = 0; i < 200000; i++) {
		struct gp_control c = read_block();
		if (!c.valid)
			continue;
		settled++;
		if (!is_generation(&c))
			torn++;
	}
	__atomic_store_n(&stop, true, __ATOMIC_RELAXED);
	pthread_join(thread, NULL);
	EXPECT_EQ("torn reads", torn, 0);
	EXPECT_EQ("some reads settled", settled > 0, true);
}

int main(void)
{
	test_absent_until_written();
	test_every_limit_is_copied();
	test_wrong_header_is_absent();
	test_unsettled_is_absent();
	test_out_of_range_is_absent();
	test_all_ones_is_absent();
	test_concurrent_writer_is_never_torn();
	test_may_throttle_covers_every_throttling_snapshot();
	test_detached_is_absent();

	printf("control: %u passed, %u failed\n", passed, failed);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
