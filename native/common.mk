# native/common.mk - flags and rule templates shared by every native folder; included by Makefile.
#
# A folder declares what it builds with one line per artifact (non-recursive make: one dependency
# graph, correct parallel builds):
#   $(eval $(call gp_program,NAME,SOURCES[,LDLIBS]))  program native/build/NAME
#   $(eval $(call gp_test,NAME,SOURCES[,LDLIBS]))     same, and `make check` runs it
#   $(eval $(call gp_library,NAME,SONAME,SOURCES[,LDLIBS]))
#                                                     shared object native/build/NAME (NAME may
#                                                     hold a folder: testing/libcuda.so.1)
# SOURCES are paths from the repository root (tests live in tests/native, outside native/).
# Objects go to native/build/obj/<source path>.o, with header dependencies from -MMD. Every object
# is compiled -fPIC, so one object serves programs and shared objects alike.
# A folder whose tests load its shared objects adds their folder to GP_TEST_LIBRARY_PATH; `make
# check` runs the tests with it prepended to LD_LIBRARY_PATH.
# `make V=1` shows full command lines; the default prints one short line per step.

GP_ROOT := $(abspath $(GP_NATIVE)/..)
GP_BUILD := $(GP_NATIVE)/build

MAKEFLAGS += --no-builtin-rules --no-print-directory
.SUFFIXES:
.DELETE_ON_ERROR:
.DEFAULT_GOAL := all

# CC defaults to cc (make's own default); CFLAGS is the user's knob, the rest is not negotiable.
CFLAGS ?= -O2 -g
GP_CFLAGS = -std=c11 $(CFLAGS) -Wall -Wextra -Werror -fvisibility=hidden -fPIC
GP_CPPFLAGS = -I$(GP_NATIVE)/include -MMD -MP

ifeq ($(V),1)
Q :=
gp_say = @:
else
Q := @
gp_say = @printf '  %-7s %s\n' '$(1)' '$(patsubst $(GP_ROOT)/%,%,$(2))'
endif

GP_PROGRAMS :=	# every program built, for later install/packaging rules
GP_LIBRARIES :=	# every shared object built
GP_TESTS :=
GP_OBJS :=
GP_TEST_LIBRARY_PATH :=

gp_objs = $(patsubst %.c,$(GP_BUILD)/obj/%.o,$(1))

# gp_program NAME, SOURCES, LDLIBS: joins all, with a phony alias so `make -C native NAME` builds
# just that program.
define gp_program
GP_PROGRAMS += $(GP_BUILD)/$(1)
GP_OBJS += $(call gp_objs,$(2))
.PHONY: $(1)
$(1) all: $(GP_BUILD)/$(1)
$(GP_BUILD)/$(1): $(call gp_objs,$(2))
	$$(call gp_say,LD,$$@)
	$$(Q)$$(CC) $$(GP_CFLAGS) $$(LDFLAGS) -o $$@ $$^ $(3) $$(LDLIBS)
endef

define gp_test
$(call gp_program,$(1),$(2),$(3))
GP_TESTS += $(GP_BUILD)/$(1)
endef

# gp_library NAME, SONAME, SOURCES, LDLIBS: joins all, with a phony alias NAME. Linked -z defs, so
# a symbol left undefined fails the link rather than the first program that loads it.
define gp_library
GP_LIBRARIES += $(GP_BUILD)/$(1)
GP_OBJS += $(call gp_objs,$(3))
.PHONY: $(1)
$(1) all: $(GP_BUILD)/$(1)
$(GP_BUILD)/$(1): $(call gp_objs,$(3))
	$$(call gp_say,LD,$$@)
	@mkdir -p $$(@D)
	$$(Q)$$(CC) $$(GP_CFLAGS) $$(LDFLAGS) -shared -Wl,-soname,$(2) -Wl,-z,defs -o $$@ $$^ $(4) $$(LDLIBS)
endef

# Objects also depend on the flags they were built with: changing CC, CFLAGS, LDFLAGS or LDLIBS
# rebuilds them.
# The stamp is rewritten only when the flags differ, so an unchanged build stays a no-op.
GP_FLAGS_STAMP := $(GP_BUILD)/flags
GP_FLAGS_LINE = $(CC) $(GP_CPPFLAGS) $(GP_CFLAGS) $(LDFLAGS) $(LDLIBS)

$(GP_FLAGS_STAMP): FORCE
	@mkdir -p $(@D)
	@printf '%s\n' '$(GP_FLAGS_LINE)' | cmp -s - $@ || printf '%s\n' '$(GP_FLAGS_LINE)' > $@

$(GP_BUILD)/obj/%.o: $(GP_ROOT)/%.c $(GP_FLAGS_STAMP)
	$(call gp_say,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(GP_CPPFLAGS) $(GP_CFLAGS) -c -o $@ $<

.PHONY: all check clean FORCE
FORCE:

# Every gp_program adds itself as a prerequisite of all.
all:
	@:

gp_empty :=
gp_comma := ,
gp_space := $(gp_empty) $(gp_empty)
gp_test_env = $(if $(strip $(GP_TEST_LIBRARY_PATH)),LD_LIBRARY_PATH="$(subst $(gp_space),:,$(strip \
	$(GP_TEST_LIBRARY_PATH)))$${LD_LIBRARY_PATH:+:$$LD_LIBRARY_PATH}")

# Runs every test program; the first failure stops the run with its exit status.
check: all
	@set -e; for t in $(GP_TESTS); do \
		printf '  %-7s %s\n' TEST "$${t#$(GP_ROOT)/}"; $(gp_test_env) "$$t"; \
	done

clean:
	$(call gp_say,CLEAN,$(GP_BUILD))
	$(Q)rm -rf $(GP_BUILD)
