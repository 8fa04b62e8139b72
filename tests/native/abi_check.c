/* SPDX-License-Identifier: MIT */
/*
 * abi_check - the facts gpupredict/abi.h promises, checked at run time on this compiler and host:
 * no hidden padding, natural alignment, cache-line placement of the ring's hot words, a slot array
 * with a 128-byte stride that keeps every slot line-aligned after the header, lock-free 64-bit
 * atomics (the ring is shared between processes), enumerators that fit the fields carrying them,
 * and magics that spell their names in memory. Walks the header's X-macro lists, so a field added
 * there is checked without touching this file.
 *
 * Prints one line per failure on stderr and "abi: N passed, M failed" on stdout; exit status 0
 * only when nothing failed. Built and run by `make -C native check`.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpupredict/abi.h"

#define CACHE_LINE 64u

static unsigned passed;
static unsigned failed;

static bool expect(bool ok, const char *what, unsigned long long got, unsigned long long want,
		   int line)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		fprintf(stderr, "abi_check.c:%d: %s: got %llu, want %llu\n", line, what, got, want);
	}
	return ok;
}

static bool expect_eq(const char *what, unsigned long long got, unsigned long long want, int line)
{
	return expect(got == want, what, got, want, line);
}

#define EXPECT_EQ(what, got, want)                                                                 \
	expect_eq((what), (unsigned long long)(got), (unsigned long long)(want), __LINE__)
#define EXPECT_TRUE(what, cond) expect_eq((what), (cond) ? 1 : 0, 1, __LINE__)

/*
 * Fields follow each other with no gap (offset == end of the previous field), each naturally
 * aligned, the last one ending at sizeof: every padding byte is a named field.
 */
static void check_field(const char *strct, const char *name, size_t offset, size_t size,
			size_t elem_size, size_t elem_align, size_t count, size_t *end)
{
	char what[160];

	snprintf(what, sizeof(what), "%s.%s offset (a gap before it is hidden padding)", strct,
		 name);
	expect_eq(what, offset, *end, __LINE__);
	snprintf(what, sizeof(what), "%s.%s offset %% its alignment", strct, name);
	expect_eq(what, offset % elem_align, 0, __LINE__);
	snprintf(what, sizeof(what), "%s.%s size", strct, name);
	expect_eq(what, size, elem_size * count, __LINE__);
	*end = offset + size;
}

#define CONTIG_FIELD(type, name)                                                                   \
	check_field(strct, #name, offsetof(cur_t, name), sizeof(((cur_t *)0)->name), sizeof(type), \
		    _Alignof(type), 1, &end);
#define CONTIG_ARRAY(type, name, n)                                                                \
	check_field(strct, #name, offsetof(cur_t, name), sizeof(((cur_t *)0)->name), sizeof(type), \
		    _Alignof(type), (n), &end);
#define CONTIG_STRUCT(struct_name, FIELDS)                                                         \
	{                                                                                          \
		typedef struct struct_name cur_t;                                                  \
		const char *strct = #struct_name;                                                  \
		size_t end = 0;                                                                    \
		FIELDS(CONTIG_FIELD, CONTIG_ARRAY)                                                 \
		EXPECT_EQ(#struct_name " ends at its last field", end, sizeof(cur_t));             \
		EXPECT_EQ(#struct_name " is 8-byte aligned", _Alignof(cur_t), 8);                  \
	}

static void test_structs_have_no_hidden_padding(void)
{
	GP_ABI_STRUCTS(CONTIG_STRUCT)
}

static void test_sizes_match_constants(void)
{
	EXPECT_EQ("sizeof(struct gp_event)", sizeof(struct gp_event), GP_EVENT_SIZE);
	EXPECT_EQ("sizeof(struct gp_ring_header)", sizeof(struct gp_ring_header),
		  GP_RING_HEADER_SIZE);
	EXPECT_EQ("sizeof(struct gp_ring_slot)", sizeof(struct gp_ring_slot), GP_RING_SLOT_SIZE);
	EXPECT_EQ("sizeof(struct gp_control_block)", sizeof(struct gp_control_block),
		  GP_CONTROL_SIZE);
}

static void test_ring_slots_have_a_line_aligned_stride(void)
{
	enum { capacity = 8 };
	size_t bytes = GP_RING_HEADER_SIZE + capacity * (size_t)GP_RING_SLOT_SIZE;
	unsigned char *segment = aligned_alloc(CACHE_LINE, bytes);
	struct gp_ring_slot *slots;

	if (!EXPECT_TRUE("ring segment allocated", segment != NULL))
		return;
	slots = (struct gp_ring_slot *)(segment + GP_RING_HEADER_SIZE);
	EXPECT_EQ("slot stride", (unsigned char *)&slots[1] - (unsigned char *)&slots[0],
		  GP_RING_SLOT_SIZE);
	for (size_t i = 0; i < capacity; i++) {
		EXPECT_EQ("slot starts a cache line", (uintptr_t)&slots[i] % CACHE_LINE, 0);
		EXPECT_EQ("slot seq is 8-byte aligned", (uintptr_t)&slots[i].seq % 8, 0);
		EXPECT_EQ("slot event is 8-byte aligned", (uintptr_t)&slots[i].event % 8, 0);
	}
	EXPECT_TRUE("the event fits in its slot",
		    offsetof(struct gp_ring_slot, event) + sizeof(struct gp_event) <=
			GP_RING_SLOT_SIZE);
	free(segment);
}

static void test_ring_hot_words_have_their_own_lines(void)
{
	EXPECT_EQ("head line", offsetof(struct gp_ring_header, head) / CACHE_LINE, 1);
	EXPECT_EQ("tail line", offsetof(struct gp_ring_header, tail) / CACHE_LINE, 2);
	EXPECT_EQ("written line", offsetof(struct gp_ring_header, written) / CACHE_LINE, 3);
	EXPECT_EQ("dropped line", offsetof(struct gp_ring_header, dropped) / CACHE_LINE, 3);
	EXPECT_EQ("created_ns line", offsetof(struct gp_ring_header, created_ns) / CACHE_LINE, 0);
}

/* Producers and the consumer live in different processes: their atomics must not use locks. */
static void test_shared_counters_are_lock_free(void)
{
	_Atomic uint64_t word = 0;
	_Atomic uint32_t seq = 0;

	EXPECT_TRUE("64-bit atomics are lock-free", atomic_is_lock_free(&word));
	EXPECT_TRUE("32-bit atomics are lock-free", atomic_is_lock_free(&seq));
}

/* The largest value an unsigned field narrower than 64 bits holds. */
#define FIELD_MAX(strct, field) ((1ull << (8 * sizeof(((struct strct *)0)->field))) - 1)

#define KIND_FITS(name, value)                                                                     \
	EXPECT_TRUE(#name " fits gp_event.kind",                                                   \
		    (long long)(name) >= 0 &&                                                      \
			(unsigned long long)(name) <= FIELD_MAX(gp_event, kind));
#define EVENT_FLAG_IS_A_BIT(name, value)                                                           \
	EXPECT_TRUE(#name " is one bit of gp_event.flags",                                         \
		    ((unsigned long long)(name) & ((unsigned long long)(name)-1)) == 0 &&          \
			(unsigned long long)(name) <= FIELD_MAX(gp_event, flags));
#define CONTROL_FLAG_IS_A_BIT(name, value)                                                         \
	EXPECT_TRUE(#name " is one bit of gp_control_block.flags",                                 \
		    ((unsigned long long)(name) & ((unsigned long long)(name)-1)) == 0 &&          \
			(unsigned long long)(name) <= FIELD_MAX(gp_control_block, flags));
#define ACCUMULATE(name, value)                                                                    \
	EXPECT_TRUE(#name " has a value of its own", (seen & (unsigned long long)(name)) == 0);    \
	seen |= (unsigned long long)(name);

#define AS_VALUE(name, value) (long long)(name),
#define AS_NAME(name, value)  #name,

static void test_enumerators_fit_their_fields(void)
{
	static const long long kinds[] = {GP_EVENT_KIND_VALUES(AS_VALUE)};
	static const char *const kind_names[] = {GP_EVENT_KIND_VALUES(AS_NAME)};
	unsigned long long seen = 0;
	bool distinct = true;

	GP_EVENT_KIND_VALUES(KIND_FITS)
	GP_EVENT_FLAG_VALUES(EVENT_FLAG_IS_A_BIT)
	GP_CONTROL_FLAG_VALUES(CONTROL_FLAG_IS_A_BIT)

	/* Flag bits are distinct within each enum. */
	GP_EVENT_FLAG_VALUES(ACCUMULATE)
	seen = 0;
	GP_CONTROL_FLAG_VALUES(ACCUMULATE)

	/* Kinds are distinct. */
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		for (size_t j = 0; j < i; j++) {
			if (kinds[i] == kinds[j]) {
				fprintf(stderr, "%s repeats the value of %s\n", kind_names[i],
					kind_names[j]);
				distinct = false;
			}
		}
	}
	EXPECT_TRUE("event kinds are distinct", distinct);
}

/*
 * The ABI is little-endian; the magics read as their names from the first bytes of a segment, and
 * each constant fits the header field that carries it.
 */
static void test_constants_spell_and_fit(void)
{
	uint32_t probe = 1, ring = GP_RING_MAGIC, control = GP_CONTROL_MAGIC;
	unsigned char first;
	char text[5] = {0};

	memcpy(&first, &probe, 1);
	if (!EXPECT_TRUE("host is little-endian", first == 1))
		return;
	memcpy(text, &ring, 4);
	EXPECT_TRUE("GP_RING_MAGIC spells GPRB", strcmp(text, "GPRB") == 0);
	memcpy(text, &control, 4);
	EXPECT_TRUE("GP_CONTROL_MAGIC spells GPCB", strcmp(text, "GPCB") == 0);
	EXPECT_TRUE("GP_RING_HEADER_SIZE fits header_size",
		    GP_RING_HEADER_SIZE <= FIELD_MAX(gp_ring_header, header_size));
	EXPECT_TRUE("GP_RING_SLOT_SIZE fits slot_size",
		    GP_RING_SLOT_SIZE <= FIELD_MAX(gp_ring_header, slot_size));
	EXPECT_TRUE("GP_ABI_VERSION fits abi_version",
		    GP_ABI_VERSION <= FIELD_MAX(gp_ring_header, abi_version));
	EXPECT_TRUE("GP_CONTROL_SIZE fits size",
		    GP_CONTROL_SIZE <= FIELD_MAX(gp_control_block, size));
}

int main(void)
{
	test_structs_have_no_hidden_padding();
	test_sizes_match_constants();
	test_ring_slots_have_a_line_aligned_stride();
	test_ring_hot_words_have_their_own_lines();
	test_shared_counters_are_lock_free();
	test_enumerators_fit_their_fields();
	test_constants_spell_and_fit();

	printf("abi: %u passed, %u failed\n", passed, failed);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
