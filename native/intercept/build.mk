# native/intercept/build.mk - libgpupredict-cuda.so, the LD_PRELOAD interposer over libcuda.so.1,
# and its test; included by native/Makefile.
#
# The export list is generated from gpupredict/cuda_api.def (one line per hooked entry point) plus
# dlsym, so the hooks, the real-function table, the cuGetProcAddress lookup and the exported
# symbols all come from one list. Everything else stays hidden.

GP_INTERCEPT := $(GP_BUILD)/intercept/libgpupredict-cuda.so
GP_INTERCEPT_MAP := $(GP_BUILD)/intercept/exports.map
GP_INTERCEPT_SOURCES := $(addprefix native/intercept/,real.c process.c clock.c log.c link.c ring.c control.c \
	vram.c pool.c throttle.c cupti.c hooks_context.c hooks_memory.c hooks_launch.c hooks_copy.c)

$(GP_INTERCEPT_MAP): $(GP_NATIVE)/include/gpupredict/cuda_api.def
	$(call gp_say,GEN,$@)
	@mkdir -p $(@D)
	$(Q){ printf '/* generated from cuda_api.def */\n{\nglobal:\n\tdlsym;\n'; \
	  printf '#define GP_CUDA_API(name, params, args) name;\n#include "gpupredict/cuda_api.def"\n' | \
	  $(CC) -E -P -I$(GP_NATIVE)/include -x c - | tr -s ' \n' '\n' | sed '/^$$/d; s/^/\t/'; \
	  printf 'local:\n\t*;\n};\n'; } > $@

$(eval $(call gp_library,intercept/libgpupredict-cuda.so,libgpupredict-cuda.so,$(GP_INTERCEPT_SOURCES),-Wl$(gp_comma)--version-script=$(GP_INTERCEPT_MAP) -ldl -pthread))
$(GP_INTERCEPT): | $(GP_INTERCEPT_MAP)

# The test runs programs under LD_PRELOAD against the test double; it links neither library.
$(eval $(call gp_test,intercept_test,tests/native/intercept_test.c tests/native/test_daemon.c,-pthread -ldl))
$(GP_BUILD)/intercept_test: | $(GP_INTERCEPT) $(GP_FAKE_CUDA) $(GP_FAKE_CUPTI)

# The control block reader alone, with the process identity, clock and log stood in for by the test.
$(eval $(call gp_test,control_test,tests/native/control_test.c native/intercept/control.c,-pthread))

# bench/native: what the interposer adds per call, and ring throughput (not part of check).
$(eval $(call gp_program,intercept_bench,bench/native/intercept_bench.c tests/native/test_daemon.c,-pthread -ldl))
$(GP_BUILD)/intercept_bench: | $(GP_INTERCEPT) $(GP_FAKE_CUDA)
