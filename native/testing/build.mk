# native/testing/build.mk - the libcuda, libcupti and NVML TEST DOUBLES (test-only; see
# native/testing/README.md) and their tests; included by native/Makefile.
#
# native/build/testing/libcuda.so.1 (soname libcuda.so.1) implements every entry point of
# gpupredict/cuda_api.def on host memory. It is never installed or packaged: tests reach it through
# LD_LIBRARY_PATH, which `make check` sets from GP_TEST_LIBRARY_PATH.

GP_FAKE_CUDA := $(GP_BUILD)/testing/libcuda.so.1
GP_FAKE_CUDA_SOURCES := $(addprefix native/testing/,fake_libcuda.c fake_context.c fake_memory.c \
	fake_copy.c fake_vmm.c fake_module.c)

$(eval $(call gp_library,testing/libcuda.so.1,libcuda.so.1,$(GP_FAKE_CUDA_SOURCES),-pthread))
GP_TEST_LIBRARY_PATH += $(GP_BUILD)/testing

# native/build/testing/libcupti.so (soname libcupti.so): the libcupti TEST DOUBLE, the CUPTI
# Activity API subset of gpupredict/cupti_subset.h plus the emit functions of fake_cupti.h. Being on
# the tests' LD_LIBRARY_PATH, it is what the interposer's dlopen("libcupti.so") finds there.
GP_FAKE_CUPTI := $(GP_BUILD)/testing/libcupti.so
$(eval $(call gp_library,testing/libcupti.so,libcupti.so,native/testing/fake_cupti.c,-pthread))

# The test loads the double with dlopen and never links it, so it names it as an order-only
# prerequisite: rebuilt first, without relinking the test.
$(eval $(call gp_test,fake_cuda_test,tests/native/fake_cuda_test.c tests/native/fake_cuda_vmm_test.c,-pthread -ldl))
$(GP_BUILD)/fake_cuda_test: | $(GP_FAKE_CUDA)

# native/build/testing/libnvidia-ml.so.1 (soname libnvidia-ml.so.1): the NVML TEST DOUBLE, the
# subset of gpupredict/nvml_subset.h replayed from the inventory file named by GP_FAKE_NVML_FILE,
# plus the introspection of fake_nvml.h. The daemon's C# tests load it by path.
GP_FAKE_NVML := $(GP_BUILD)/testing/libnvidia-ml.so.1
$(eval $(call gp_library,testing/libnvidia-ml.so.1,libnvidia-ml.so.1,native/testing/fake_nvml.c,-pthread))

$(eval $(call gp_test,fake_nvml_test,tests/native/fake_nvml_test.c,-ldl))
$(GP_BUILD)/fake_nvml_test: | $(GP_FAKE_NVML)
