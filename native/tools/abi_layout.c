/* SPDX-License-Identifier: MIT */
/*
 * abi_layout - print the gpupredict ABI (gpupredict/abi.h) as this C compiler lays it out.
 *
 * Everything printed is generated from the header's X-macro lists (GP_ABI_STRUCTS, GP_ABI_ENUMS,
 * GP_ABI_STRINGS, GP_ABI_CONSTANTS): there is no hand-copied table here to fall out of date. The
 * C# mirror test (tests/Gpupredict.Interop.Tests) parses this output and compares it with the
 * managed structs.
 *
 * Output: one record per line on stdout, words separated by one space, numbers in decimal.
 * Lines starting with '#' are comments. Records, in this order:
 *
 *   const <NAME> <value>
 *   string <NAME> "<value>"
 *   struct <struct> size <bytes> align <bytes>
 *   field <struct> <field> offset <bytes> size <bytes> count <n> type <C type>
 *   enum <enum> <ENUMERATOR> <value>
 *   role gp_control_block <field> header|limit|info|reserved
 *
 * Each struct line is followed by its fields in declaration order. For an array field, size is
 * the whole array and count its length (1 for a scalar); type is the element type, and is the
 * rest of the line (it may contain a space: "struct gp_event"). A string's value is the rest of
 * the line between double quotes, printed verbatim: the ABI's strings hold no double quote,
 * backslash or newline. A role line names who handles a control block field
 * (GP_CONTROL_FIELDS_BY_ROLE), one per field, in declaration order. Exit status 0, or 1 when stdout
 * could not be written.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "gpupredict/abi.h"

static void put_const(const char *name, unsigned long long value)
{
	printf("const %s %llu\n", name, value);
}

static void put_string(const char *name, const char *value)
{
	printf("string %s \"%s\"\n", name, value);
}

static void put_struct(const char *name, size_t size, size_t align)
{
	printf("struct %s size %zu align %zu\n", name, size, align);
}

static void put_field(const char *strct, const char *name, size_t offset, size_t size, size_t count,
		      const char *type)
{
	printf("field %s %s offset %zu size %zu count %zu type %s\n", strct, name, offset, size,
	       count, type);
}

static void put_role(const char *strct, const char *name, const char *role)
{
	printf("role %s %s %s\n", strct, name, role);
}

static void put_enumerator(const char *enm, const char *name, long long value)
{
	printf("enum %s %s %lld\n", enm, name, value);
}

#define REPORT_CONST(name)  put_const(#name, (unsigned long long)(name));
#define REPORT_STRING(name) put_string(#name, (name));

/* Inside REPORT_STRUCT's block, cur_t is the struct being reported and strct its name. */
#define REPORT_FIELD(type, name)                                                                   \
	put_field(strct, #name, offsetof(cur_t, name), sizeof(((cur_t *)0)->name), 1, #type);
#define REPORT_ARRAY(type, name, n)                                                                \
	put_field(strct, #name, offsetof(cur_t, name), sizeof(((cur_t *)0)->name), (n), #type);
#define REPORT_STRUCT(struct_name, FIELDS)                                                         \
	{                                                                                          \
		typedef struct struct_name cur_t;                                                  \
		const char *strct = #struct_name;                                                  \
		put_struct(strct, sizeof(cur_t), _Alignof(cur_t));                                 \
		FIELDS(REPORT_FIELD, REPORT_ARRAY)                                                 \
	}

#define REPORT_HEADER(type, name)      put_role("gp_control_block", #name, "header");
#define REPORT_LIMIT(type, name)       put_role("gp_control_block", #name, "limit");
#define REPORT_INFO(type, name)	       put_role("gp_control_block", #name, "info");
#define REPORT_RESERVED(type, name, n) put_role("gp_control_block", #name, "reserved");

/* The enumerator's value as the compiler sees it, not the text of the list. */
#define REPORT_ENUMERATOR(name, value) put_enumerator(enm, #name, (long long)(name));
#define REPORT_ENUM(enum_name, VALUES)                                                             \
	{                                                                                          \
		const char *enm = #enum_name;                                                      \
		VALUES(REPORT_ENUMERATOR)                                                          \
	}

int main(void)
{
	printf("# gpupredict ABI layout, see native/tools/abi_layout.c for the format\n");
	GP_ABI_CONSTANTS(REPORT_CONST)
	GP_ABI_STRINGS(REPORT_STRING)
	GP_ABI_STRUCTS(REPORT_STRUCT)
	GP_ABI_ENUMS(REPORT_ENUM)
	GP_CONTROL_FIELDS_BY_ROLE(REPORT_HEADER, REPORT_LIMIT, REPORT_INFO, REPORT_RESERVED)

	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("abi_layout: stdout");
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
