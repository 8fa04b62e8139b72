/* SPDX-License-Identifier: MIT */
/*
 * fake_nvml_test - checks the NVML TEST DOUBLE (native/build/testing/libnvidia-ml.so.1) the way the
 * daemon uses NVML: loaded with dlopen("libnvidia-ml.so.1") (so `make check` puts
 * native/build/testing on LD_LIBRARY_PATH), entry points found with dlsym. Covers init without or
 * with a broken inventory, reference-counted init and shutdown, the inventory read back, string
 * buffers too small, the process list's NVML_ERROR_INSUFFICIENT_SIZE protocol and re-reading the
 * file on the next init.
 *
 * Prints one line per failure on stderr and "fake_nvml: N passed, M failed" on stdout; exit status
 * 0 only when nothing failed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpupredict/nvml_subset.h"
#include "../../native/testing/fake_nvml.h"

#define GiB (1ULL << 30)

/* Every entry point, typed, as dlsym found it in the double. */
static struct {
	nvmlReturn_t (*init)(void);
	nvmlReturn_t (*shutdown)(void);
	const char *(*error_string)(nvmlReturn_t);
	nvmlReturn_t (*driver_version)(char *, unsigned int);
	nvmlReturn_t (*count)(unsigned int *);
	nvmlReturn_t (*handle)(unsigned int, nvmlDevice_t *);
	nvmlReturn_t (*uuid)(nvmlDevice_t, char *, unsigned int);
	nvmlReturn_t (*name)(nvmlDevice_t, char *, unsigned int);
	nvmlReturn_t (*memory)(nvmlDevice_t, nvmlMemory_t *);
	nvmlReturn_t (*mig)(nvmlDevice_t, unsigned int *, unsigned int *);
	nvmlReturn_t (*compute_mode)(nvmlDevice_t, nvmlComputeMode_t *);
	nvmlReturn_t (*processes)(nvmlDevice_t, unsigned int *, nvmlProcessInfo_t *);
	nvmlReturn_t (*sms)(nvmlDevice_t, unsigned int *);
	gp_fake_nvml_stats_fn *stats;
	gp_fake_nvml_diagnostic_fn *diagnostic;
} nv;

static unsigned passed;
static unsigned failed;
static char inventory_path[] = "/tmp/fake_nvml_test.XXXXXX";

static bool expect_eq(const char *what, long long got, long long want, int line)
{
	if (got == want) {
		passed++;
		return true;
	}
	failed++;
	fprintf(stderr, "%s:%d: %s: got %lld, want %lld\n", __FILE__, line, what, got, want);
	return false;
}

static bool expect_str(const char *what, const char *got, const char *want, int line)
{
	if (strcmp(got, want) == 0) {
		passed++;
		return true;
	}
	failed++;
	fprintf(stderr, "%s:%d: %s: got \"%s\", want \"%s\"\n", __FILE__, line, what, got, want);
	return false;
}

#define EXPECT_EQ(what, got, want)  expect_eq((what), (long long)(got), (long long)(want), __LINE__)
#define EXPECT_TRUE(what, cond)	    EXPECT_EQ((what), (cond) ? 1 : 0, 1)
#define EXPECT_NV(call, want)	    EXPECT_EQ(#call, (call), (want))
#define EXPECT_OK(call)		    EXPECT_NV(call, NVML_SUCCESS)
#define EXPECT_STR(what, got, want) expect_str((what), (got), (want), __LINE__)

static bool load(void)
{
	void *h = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
	bool ok = true;

	if (!EXPECT_TRUE("dlopen(\"libnvidia-ml.so.1\")", h)) {
		fprintf(stderr,
			"fake_nvml_test: %s (is LD_LIBRARY_PATH=native/build/testing set?)\n",
			dlerror());
		return false;
	}
#define RESOLVE(field, symbol)                                                                     \
	*(void **)&nv.field = dlsym(h, symbol);                                                    \
	ok &= EXPECT_TRUE("dlsym(" symbol ")", nv.field)
	RESOLVE(init, "nvmlInit_v2");
	RESOLVE(shutdown, "nvmlShutdown");
	RESOLVE(error_string, "nvmlErrorString");
	RESOLVE(driver_version, "nvmlSystemGetDriverVersion");
	RESOLVE(count, "nvmlDeviceGetCount_v2");
	RESOLVE(handle, "nvmlDeviceGetHandleByIndex_v2");
	RESOLVE(uuid, "nvmlDeviceGetUUID");
	RESOLVE(name, "nvmlDeviceGetName");
	RESOLVE(memory, "nvmlDeviceGetMemoryInfo");
	RESOLVE(mig, "nvmlDeviceGetMigMode");
	RESOLVE(compute_mode, "nvmlDeviceGetComputeMode");
	RESOLVE(processes, "nvmlDeviceGetComputeRunningProcesses_v3");
	RESOLVE(sms, "nvmlDeviceGetMultiProcessorCount");
	/* A real NVML found first on the search path has no gp_fake_nvml_* symbols. */
	RESOLVE(stats, "gp_fake_nvml_stats");
	RESOLVE(diagnostic, "gp_fake_nvml_diagnostic");
#undef RESOLVE
	return ok;
}

/* Replaces the inventory file's contents. */
static void write_inventory(const char *text)
{
	FILE *f = fopen(inventory_path, "w");

	if (!EXPECT_TRUE("write the inventory", f))
		return;
	fputs(text, f);
	fclose(f);
}

static struct gp_fake_nvml_stats stats(void)
{
	struct gp_fake_nvml_stats s;

	nv.stats(&s);
	return s;
}

static const char *diagnostic(void)
{
	static char why[256];

	nv.diagnostic(why, sizeof(why));
	return why;
}

static const char two_gpus[] =
    "# two GPUs, MIG on the second\n"
    "driver version=560.35.03\n"
    "gpu index=0 uuid=GPU-0aaa name=\"NVIDIA H100 80GB HBM3\" memory=80G sms=132\n"
    "gpu index=1 uuid=GPU-1bbb name=\"NVIDIA A100-SXM4-40GB\" memory=40G mig=1 compute_mode=3\n"
    "process gpu=0 pid=1234 used=2G\n"
    "process gpu=0 pid=1235 used=512M\n"
    "process gpu=1 pid=77 used=na gi=1 ci=0\n"
    "gpu index=2 uuid=GPU-2ccc name=L4 memory=24G used=1G mig=none   # trailing comment\n";

static void test_not_initialised(void)
{
	unsigned int count = 7;
	nvmlDevice_t dev;
	char text[NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE];

	EXPECT_NV(nv.count(&count), NVML_ERROR_UNINITIALIZED);
	EXPECT_NV(nv.handle(0, &dev), NVML_ERROR_UNINITIALIZED);
	EXPECT_NV(nv.driver_version(text, sizeof(text)), NVML_ERROR_UNINITIALIZED);
	EXPECT_NV(nv.shutdown(), NVML_ERROR_UNINITIALIZED);
	EXPECT_STR("nvmlErrorString(UNINITIALIZED)", nv.error_string(NVML_ERROR_UNINITIALIZED),
		   "Uninitialized");
	EXPECT_STR("nvmlErrorString(12345)", nv.error_string((nvmlReturn_t)12345), "Unknown Error");

	unsetenv("GP_FAKE_NVML_FILE");
	EXPECT_NV(nv.init(), NVML_ERROR_DRIVER_NOT_LOADED);
	EXPECT_STR("diagnostic, no file", diagnostic(), "GP_FAKE_NVML_FILE is not set");
	setenv("GP_FAKE_NVML_FILE", "/nonexistent/inventory", 1);
	EXPECT_NV(nv.init(), NVML_ERROR_DRIVER_NOT_LOADED);
	EXPECT_TRUE("diagnostic names the open failure",
		    strstr(diagnostic(), "cannot open the inventory") != NULL);
	EXPECT_EQ("failed inits leave depth 0", stats().init_depth, 0);
	EXPECT_EQ("failed inits counted", stats().inits_failed, 2);
}

static void test_inventory(void)
{
	char text[NVML_DEVICE_NAME_V2_BUFFER_SIZE];
	unsigned int count = 0, current = 9, pending = 9, sms = 0;
	nvmlComputeMode_t mode = 9;
	nvmlDevice_t dev[3];
	nvmlMemory_t mem;

	setenv("GP_FAKE_NVML_FILE", inventory_path, 1);
	write_inventory(two_gpus);
	EXPECT_OK(nv.init());
	EXPECT_STR("diagnostic after success", diagnostic(), "");
	EXPECT_OK(nv.driver_version(text, sizeof(text)));
	EXPECT_STR("driver version", text, "560.35.03");
	EXPECT_NV(nv.driver_version(text, 9), NVML_ERROR_INSUFFICIENT_SIZE); /* needs 10 */
	EXPECT_OK(nv.driver_version(text, 10));
	EXPECT_OK(nv.count(&count));
	EXPECT_EQ("device count", count, 3);
	EXPECT_NV(nv.count(NULL), NVML_ERROR_INVALID_ARGUMENT);
	for (unsigned int i = 0; i < 3; i++)
		EXPECT_OK(nv.handle(i, &dev[i]));
	EXPECT_NV(nv.handle(3, &dev[0]), NVML_ERROR_INVALID_ARGUMENT);
	EXPECT_NV(nv.name((nvmlDevice_t)text, text, sizeof(text)), NVML_ERROR_INVALID_ARGUMENT);

	EXPECT_OK(nv.uuid(dev[1], text, sizeof(text)));
	EXPECT_STR("uuid 1", text, "GPU-1bbb");
	EXPECT_NV(nv.uuid(dev[1], text, 8), NVML_ERROR_INSUFFICIENT_SIZE);
	EXPECT_OK(nv.name(dev[0], text, sizeof(text)));
	EXPECT_STR("quoted name with spaces", text, "NVIDIA H100 80GB HBM3");
	EXPECT_OK(nv.name(dev[2], text, sizeof(text)));
	EXPECT_STR("bare name", text, "L4");

	EXPECT_OK(nv.memory(dev[0], &mem));
	EXPECT_EQ("total 80G", mem.total, 80 * GiB);
	EXPECT_EQ("used = its processes' 2G + 512M", mem.used, 2 * GiB + 512 * (1ULL << 20));
	EXPECT_EQ("free = total - used", mem.free, mem.total - mem.used);
	EXPECT_OK(nv.memory(dev[1], &mem));
	EXPECT_EQ("used: a process without a figure adds nothing", mem.used, 0);
	EXPECT_OK(nv.memory(dev[2], &mem));
	EXPECT_EQ("used given", mem.used, 1 * GiB);

	EXPECT_OK(nv.mig(dev[0], &current, &pending));
	EXPECT_EQ("mig default: disabled", current, NVML_DEVICE_MIG_DISABLE);
	EXPECT_OK(nv.mig(dev[1], &current, &pending));
	EXPECT_EQ("mig=1 current", current, NVML_DEVICE_MIG_ENABLE);
	EXPECT_EQ("mig=1 pending", pending, NVML_DEVICE_MIG_ENABLE);
	EXPECT_NV(nv.mig(dev[2], &current, &pending), NVML_ERROR_NOT_SUPPORTED);
	EXPECT_OK(nv.compute_mode(dev[0], &mode));
	EXPECT_EQ("compute mode default", mode, NVML_COMPUTEMODE_DEFAULT);
	EXPECT_OK(nv.compute_mode(dev[1], &mode));
	EXPECT_EQ("compute_mode=3", mode, NVML_COMPUTEMODE_EXCLUSIVE_PROCESS);
	EXPECT_OK(nv.sms(dev[0], &sms));
	EXPECT_EQ("sms", sms, 132);
	EXPECT_NV(nv.sms(dev[1], &sms), NVML_ERROR_NOT_SUPPORTED);
	EXPECT_OK(nv.shutdown());
	EXPECT_NV(nv.memory(dev[0], &mem), NVML_ERROR_UNINITIALIZED);
}

static void test_processes(void)
{
	nvmlProcessInfo_t infos[4];
	unsigned int n;
	nvmlDevice_t dev0, dev1, dev2;

	EXPECT_OK(nv.init());
	EXPECT_OK(nv.handle(0, &dev0));
	EXPECT_OK(nv.handle(1, &dev1));
	EXPECT_OK(nv.handle(2, &dev2));

	n = 0;
	EXPECT_NV(nv.processes(dev0, &n, NULL), NVML_ERROR_INSUFFICIENT_SIZE);
	EXPECT_EQ("count asked for with a NULL buffer", n, 2);
	n = 1;
	EXPECT_NV(nv.processes(dev0, &n, infos), NVML_ERROR_INSUFFICIENT_SIZE);
	EXPECT_EQ("count needed", n, 2);
	n = 4;
	EXPECT_OK(nv.processes(dev0, &n, infos));
	EXPECT_EQ("count filled", n, 2);
	EXPECT_EQ("pid 0", infos[0].pid, 1234);
	EXPECT_EQ("used 0", infos[0].usedGpuMemory, 2 * GiB);
	EXPECT_EQ("pid 1", infos[1].pid, 1235);
	EXPECT_EQ("no MIG: no gpu instance", infos[1].gpuInstanceId, NVML_INSTANCE_ID_NONE);

	n = 4;
	EXPECT_OK(nv.processes(dev1, &n, infos));
	EXPECT_EQ("one process on gpu 1", n, 1);
	EXPECT_EQ("used=na", infos[0].usedGpuMemory, NVML_VALUE_NOT_AVAILABLE);
	EXPECT_EQ("gi", infos[0].gpuInstanceId, 1);
	EXPECT_EQ("ci", infos[0].computeInstanceId, 0);

	n = 0;
	EXPECT_OK(nv.processes(dev2, &n, NULL));
	EXPECT_EQ("no processes: NULL buffer is enough", n, 0);
	n = 2;
	EXPECT_NV(nv.processes(dev2, &n, NULL), NVML_ERROR_INVALID_ARGUMENT);
	EXPECT_NV(nv.processes(dev2, NULL, infos), NVML_ERROR_INVALID_ARGUMENT);
	EXPECT_OK(nv.shutdown());
}

static void test_reference_count_and_reread(void)
{
	unsigned int count = 0;
	nvmlDevice_t dev;
	char text[NVML_DEVICE_UUID_V2_BUFFER_SIZE];

	EXPECT_OK(nv.init());
	EXPECT_OK(nv.init());
	EXPECT_EQ("nested init", stats().init_depth, 2);
	EXPECT_OK(nv.shutdown());
	EXPECT_OK(nv.count(&count)); /* still one init outstanding */

	write_inventory("gpu index=0 uuid=GPU-new name=T4 memory=16G\n");
	EXPECT_OK(nv.init());
	EXPECT_OK(nv.count(&count));
	EXPECT_EQ("re-read on init", count, 1);
	EXPECT_OK(nv.handle(0, &dev));
	EXPECT_OK(nv.uuid(dev, text, sizeof(text)));
	EXPECT_STR("new uuid", text, "GPU-new");
	EXPECT_OK(nv.driver_version(text, sizeof(text)));
	EXPECT_STR("default driver version", text, GP_FAKE_NVML_DRIVER_VERSION);

	write_inventory("gpu index=0 uuid=GPU-x name=T4 memroy=16G\n");
	EXPECT_NV(nv.init(), NVML_ERROR_UNKNOWN);
	EXPECT_EQ("a bad file keeps the depth", stats().init_depth, 2);
	EXPECT_EQ("and the inventory in force", stats().gpu_count, 1);
	EXPECT_OK(nv.shutdown());
	EXPECT_OK(nv.shutdown());
	EXPECT_NV(nv.shutdown(), NVML_ERROR_UNINITIALIZED);
}

static void test_malformed(void)
{
	static const struct {
		const char *text, *why;
	} cases[] = {
	    {"gpu index=0 uuid=GPU-x name=T4 memroy=16G\n",
	     "inventory line 1: gpu: unknown key 'memroy'"},
	    {"\n# c\ngpu index=1 uuid=GPU-x name=T4 memory=16G\n",
	     "inventory line 3: gpu index must count up from 0, found '1'"},
	    {"gpu index=0 uuid=GPU-x name=T4\n",
	     "inventory line 1: gpu needs index, uuid, name and memory"},
	    {"gpu index=0 uuid=GPU-x name=\"T4 memory=16G\n",
	     "inventory line 1: name: missing value or unterminated quote"},
	    {"gpu index=0 uuid= name=T4 memory=16G\n",
	     "inventory line 1: uuid: missing value or unterminated quote"},
	    {"gpu index=0 uuid=GPU-x name=T4 memory=16Q\n",
	     "inventory line 1: memory: expected bytes like 80G, found '16Q'"},
	    {"gpu index=0 uuid=GPU-x name=T4 memory=16G mig=2\n",
	     "inventory line 1: mig: expected 0, 1 or none, found '2'"},
	    {"gpu index=0 uuid=GPU-x name=T4 memory=16G index=0\n",
	     "inventory line 1: 'index' given twice"},
	    {"process gpu=0 pid=1 used=1G\n",
	     "inventory line 1: process gpu: expected the index of a gpu line above, found '0'"},
	    {"gpu index=0 uuid=GPU-x name=T4 memory=1G\nprocess gpu=0 pid=1 used=2G\n",
	     "inventory: gpu 0 uses more memory than it has"},
	    {"gpu index=0 uuid=GPU-x name=T4 memory=1G\nprocess gpu=0 pid=1\n",
	     "inventory line 2: process needs gpu, pid and used"},
	    {"gpus index=0\n", "inventory line 1: expected gpu, process or driver, found 'gpus'"},
	    {"gpu index 0\n", "inventory line 1: expected key=value, found 'index'"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_inventory(cases[i].text);
		EXPECT_NV(nv.init(), NVML_ERROR_UNKNOWN);
		EXPECT_STR(cases[i].text, diagnostic(), cases[i].why);
	}
	EXPECT_EQ("no malformed init counted as open", stats().init_depth, 0);
}

int main(void)
{
	int fd = mkstemp(inventory_path);

	if (EXPECT_TRUE("mkstemp", fd >= 0) && load()) {
		close(fd);
		test_not_initialised();
		test_inventory();
		test_processes();
		test_reference_count_and_reread();
		test_malformed();
	}
	if (fd >= 0)
		unlink(inventory_path);
	printf("fake_nvml: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
