# native/loadgen/build.mk - gpupredict-loadgen, which replays an event file (gpupredict/eventfile.h)
# as real CUDA driver calls through whichever libcuda.so.1 it finds, and its test; included by
# native/Makefile.
#
# loadgen dlopens libcuda.so.1 and never links it, so it runs against the real driver, the
# interposer in front of it, or the test double alike.

$(eval $(call gp_program,gpupredict-loadgen,native/loadgen/loadgen.c,-ldl -lm))

# The test runs the program against the libcuda test double (LD_LIBRARY_PATH from `make check`),
# alone and under the interposer.
$(eval $(call gp_test,loadgen_test,tests/native/loadgen_test.c))
$(GP_BUILD)/loadgen_test: | $(GP_BUILD)/gpupredict-loadgen $(GP_FAKE_CUDA) $(GP_INTERCEPT)
