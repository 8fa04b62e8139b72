/* SPDX-License-Identifier: MIT */
/*
 * fake_nvml.c - TEST DOUBLE of NVML, built as native/build/testing/libnvidia-ml.so.1 (soname
 * libnvidia-ml.so.1). TEST-ONLY: never installed, never shipped; see native/testing/README.md.
 *
 * Like DCGM's NVML injection, it replays an inventory instead of asking a driver: every
 * nvmlInit_v2 reads the file named by GP_FAKE_NVML_FILE (GPUs, their processes, the driver
 * version; one record a line, format in the README), so a test scripts what the daemon sees and
 * changes it between inits. Unset or unreadable: NVML_ERROR_DRIVER_NOT_LOADED, as on a host
 * without the driver; malformed: NVML_ERROR_UNKNOWN. Either way the inventory in force and the
 * init depth stay as they were, and gp_fake_nvml_diagnostic says why (line and reason).
 *
 * Exports exactly the functions of gpupredict/nvml_subset.h (made visible by the pragma around
 * its inclusion) and the introspection of fake_nvml.h. One mutex; no constructors; never prints.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#pragma GCC visibility push(default)
#include "gpupredict/nvml_subset.h"
#pragma GCC visibility pop
#include "fake_nvml.h"

#define GP_FAKE_NVML_EXPORT __attribute__((visibility("default")))

/* Longest uuid and name accepted: what NVML's documented buffers hold. */
#define GP_FAKE_UUID_MAX (NVML_DEVICE_UUID_V2_BUFFER_SIZE - 1)
#define GP_FAKE_NAME_MAX (NVML_DEVICE_NAME_V2_BUFFER_SIZE - 1)

struct gp_fake_gpu {
	char uuid[NVML_DEVICE_UUID_V2_BUFFER_SIZE];
	char name[NVML_DEVICE_NAME_V2_BUFFER_SIZE];
	unsigned long long total, used;
	bool used_given;
	int mig; /* NVML_DEVICE_MIG_*, or -1: not supported */
	unsigned int compute_mode;
	unsigned int sms; /* 0: nvmlDeviceGetMultiProcessorCount is not supported */
};

struct gp_fake_process {
	unsigned int gpu;
	nvmlProcessInfo_t info;
};

struct gp_fake_inventory {
	char driver[NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE];
	unsigned int gpu_count, process_count;
	struct gp_fake_gpu gpus[GP_FAKE_NVML_MAX_GPUS];
	struct gp_fake_process processes[GP_FAKE_NVML_MAX_PROCESSES];
};

/* A handle is the address of one of these; its index says which GPU of the inventory in force. */
struct nvmlDevice_st {
	unsigned int index;
};

static pthread_mutex_t gp_fake_lock = PTHREAD_MUTEX_INITIALIZER;
static struct gp_fake_inventory gp_fake_inventory;
static struct gp_fake_nvml_stats gp_fake_stats;
static struct nvmlDevice_st gp_fake_handles[GP_FAKE_NVML_MAX_GPUS];
static char gp_fake_why[256];

/* ---- the inventory file ---------------------------------------------------------------------- */

/* One line being parsed: its number, the cursor, and where a failure's reason goes. */
struct gp_fake_line {
	unsigned int number;
	char *at;
	char *why;
	size_t why_size;
};

static bool gp_fake_fail(struct gp_fake_line *l, const char *fmt, const char *arg)
{
	char reason[160];

	snprintf(reason, sizeof(reason), fmt, arg);
	snprintf(l->why, l->why_size, "inventory line %u: %s", l->number, reason);
	return false;
}

static bool gp_fake_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Next word (up to '=' or space) or quoted value; NUL-terminates it in place. NULL at line end. */
static char *gp_fake_word(struct gp_fake_line *l, bool value)
{
	char *start;

	while (gp_fake_space(*l->at))
		l->at++;
	if (*l->at == '\0' || *l->at == '#')
		return NULL;
	if (value && *l->at == '"') {
		start = ++l->at;
		while (*l->at != '"' && *l->at != '\0')
			l->at++;
		if (*l->at != '"')
			return NULL; /* unterminated: caller reports it */
		*l->at++ = '\0';
		if (*l->at != '\0' && !gp_fake_space(*l->at))
			return NULL;
		return start;
	}
	start = l->at;
	while (*l->at != '\0' && !gp_fake_space(*l->at) && (value || *l->at != '='))
		l->at++;
	if (*l->at != '\0' && *l->at != '=')
		*l->at++ = '\0';
	return start;
}

/* Next key=value pair; false at line end. *key is "" on a syntax error (reason in l->why). */
static bool gp_fake_pair(struct gp_fake_line *l, char **key, char **value)
{
	*key = gp_fake_word(l, false);
	if (*key == NULL)
		return false;
	if (*l->at != '=') {
		gp_fake_fail(l, "expected key=value, found '%s'", *key);
		*key = "";
		return true;
	}
	*l->at++ = '\0';
	/* No space after '=': "uuid= name=x" must not read name=x as the uuid. */
	*value = gp_fake_space(*l->at) || *l->at == '\0' ? NULL : gp_fake_word(l, true);
	if (*value == NULL) {
		gp_fake_fail(l, "%s: missing value or unterminated quote", *key);
		*key = "";
	}
	return true;
}

/* Decimal, no sign, fits max. */
static bool gp_fake_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0' && *out <= max;
}

/* Bytes: decimal with an optional K/M/G/T suffix (powers of 1024). */
static bool gp_fake_bytes(const char *s, unsigned long long *out)
{
	char digits[32];
	size_t n = strlen(s);
	unsigned int shift = 0;
	const char *suffix = "KMGT";
	const char *unit;

	if (n == 0 || n >= sizeof(digits))
		return false;
	unit = strchr(suffix, s[n - 1]); /* s[n - 1] is not NUL: n is the length */
	if (unit != NULL) {
		shift = 10 * (unsigned int)(unit - suffix + 1);
		n--;
	}
	memcpy(digits, s, n);
	digits[n] = '\0';
	if (!gp_fake_uint(digits, ULLONG_MAX >> shift, out))
		return false;
	*out <<= shift;
	return true;
}

/* Seen keys of one record, so that a key given twice is an error. */
static bool gp_fake_once(struct gp_fake_line *l, unsigned int *seen, unsigned int bit,
			 const char *key)
{
	if (*seen & bit)
		return gp_fake_fail(l, "'%s' given twice", key);
	*seen |= bit;
	return true;
}

static bool gp_fake_parse_gpu(struct gp_fake_line *l, struct gp_fake_inventory *inv)
{
	enum {
		INDEX = 1,
		UUID = 2,
		NAME = 4,
		MEMORY = 8,
		USED = 16,
		MIG = 32,
		MODE = 64,
		SMS = 128
	};
	struct gp_fake_gpu *g;
	unsigned int seen = 0;
	unsigned long long v;
	char *key, *value;

	if (inv->gpu_count == GP_FAKE_NVML_MAX_GPUS)
		return gp_fake_fail(l, "more than %s GPUs", "16");
	g = &inv->gpus[inv->gpu_count];
	memset(g, 0, sizeof(*g));
	while (gp_fake_pair(l, &key, &value)) {
		if (*key == '\0')
			return false;
		if (strcmp(key, "index") == 0) {
			if (!gp_fake_once(l, &seen, INDEX, key))
				return false;
			if (!gp_fake_uint(value, UINT_MAX, &v) || v != inv->gpu_count)
				return gp_fake_fail(l, "gpu index must count up from 0, found '%s'",
						    value);
		} else if (strcmp(key, "uuid") == 0) {
			if (!gp_fake_once(l, &seen, UUID, key))
				return false;
			if (*value == '\0' || strlen(value) > GP_FAKE_UUID_MAX)
				return gp_fake_fail(l, "uuid must be 1 to 95 bytes, found '%s'",
						    value);
			strcpy(g->uuid, value);
		} else if (strcmp(key, "name") == 0) {
			if (!gp_fake_once(l, &seen, NAME, key))
				return false;
			if (*value == '\0' || strlen(value) > GP_FAKE_NAME_MAX)
				return gp_fake_fail(l, "name must be 1 to 95 bytes, found '%s'",
						    value);
			strcpy(g->name, value);
		} else if (strcmp(key, "memory") == 0) {
			if (!gp_fake_once(l, &seen, MEMORY, key))
				return false;
			if (!gp_fake_bytes(value, &g->total) || g->total == 0)
				return gp_fake_fail(
				    l, "memory: expected bytes like 80G, found '%s'", value);
		} else if (strcmp(key, "used") == 0) {
			if (!gp_fake_once(l, &seen, USED, key))
				return false;
			if (!gp_fake_bytes(value, &g->used))
				return gp_fake_fail(l, "used: expected bytes like 1G, found '%s'",
						    value);
			g->used_given = true;
		} else if (strcmp(key, "mig") == 0) {
			if (!gp_fake_once(l, &seen, MIG, key))
				return false;
			if (strcmp(value, "none") == 0)
				g->mig = -1;
			else if (gp_fake_uint(value, 1, &v))
				g->mig = (int)v;
			else
				return gp_fake_fail(l, "mig: expected 0, 1 or none, found '%s'",
						    value);
		} else if (strcmp(key, "compute_mode") == 0) {
			if (!gp_fake_once(l, &seen, MODE, key))
				return false;
			if (!gp_fake_uint(value, NVML_COMPUTEMODE_EXCLUSIVE_PROCESS, &v))
				return gp_fake_fail(l, "compute_mode: expected 0 to 3, found '%s'",
						    value);
			g->compute_mode = (unsigned int)v;
		} else if (strcmp(key, "sms") == 0) {
			if (!gp_fake_once(l, &seen, SMS, key))
				return false;
			if (!gp_fake_uint(value, 100000, &v) || v == 0)
				return gp_fake_fail(l, "sms: expected 1 to 100000, found '%s'",
						    value);
			g->sms = (unsigned int)v;
		} else {
			return gp_fake_fail(l, "gpu: unknown key '%s'", key);
		}
	}
	if ((seen & (INDEX | UUID | NAME | MEMORY)) != (INDEX | UUID | NAME | MEMORY))
		return gp_fake_fail(l, "gpu needs %s", "index, uuid, name and memory");
	inv->gpu_count++;
	return true;
}

static bool gp_fake_parse_process(struct gp_fake_line *l, struct gp_fake_inventory *inv)
{
	enum { GPU = 1, PID = 2, USED = 4, GI = 8, CI = 16 };
	struct gp_fake_process *p;
	unsigned int seen = 0;
	unsigned long long v;
	char *key, *value;

	if (inv->process_count == GP_FAKE_NVML_MAX_PROCESSES)
		return gp_fake_fail(l, "more than %s processes", "256");
	p = &inv->processes[inv->process_count];
	memset(p, 0, sizeof(*p));
	p->info.gpuInstanceId = NVML_INSTANCE_ID_NONE;
	p->info.computeInstanceId = NVML_INSTANCE_ID_NONE;
	while (gp_fake_pair(l, &key, &value)) {
		if (*key == '\0')
			return false;
		if (strcmp(key, "gpu") == 0) {
			if (!gp_fake_once(l, &seen, GPU, key))
				return false;
			if (!gp_fake_uint(value, UINT_MAX, &v) || v >= inv->gpu_count)
				return gp_fake_fail(l,
						    "process gpu: expected the index of a gpu line "
						    "above, found '%s'",
						    value);
			p->gpu = (unsigned int)v;
		} else if (strcmp(key, "pid") == 0) {
			if (!gp_fake_once(l, &seen, PID, key))
				return false;
			if (!gp_fake_uint(value, INT_MAX, &v) || v == 0)
				return gp_fake_fail(l, "pid: expected 1 to 2147483647, found '%s'",
						    value);
			p->info.pid = (unsigned int)v;
		} else if (strcmp(key, "used") == 0) {
			if (!gp_fake_once(l, &seen, USED, key))
				return false;
			if (strcmp(value, "na") == 0)
				p->info.usedGpuMemory = NVML_VALUE_NOT_AVAILABLE;
			else if (!gp_fake_bytes(value, &p->info.usedGpuMemory) ||
				 p->info.usedGpuMemory == NVML_VALUE_NOT_AVAILABLE)
				return gp_fake_fail(
				    l, "used: expected bytes like 2G or na, found '%s'", value);
		} else if (strcmp(key, "gi") == 0 || strcmp(key, "ci") == 0) {
			bool gi = key[0] == 'g';

			if (!gp_fake_once(l, &seen, gi ? GI : CI, key))
				return false;
			if (!gp_fake_uint(value, NVML_INSTANCE_ID_NONE - 1, &v))
				return gp_fake_fail(l, "instance id: expected a number, found '%s'",
						    value);
			*(gi ? &p->info.gpuInstanceId : &p->info.computeInstanceId) =
			    (unsigned int)v;
		} else {
			return gp_fake_fail(l, "process: unknown key '%s'", key);
		}
	}
	if ((seen & (GPU | PID | USED)) != (GPU | PID | USED))
		return gp_fake_fail(l, "process needs %s", "gpu, pid and used");
	inv->process_count++;
	return true;
}

static bool gp_fake_parse_driver(struct gp_fake_line *l, struct gp_fake_inventory *inv)
{
	char *key, *value;
	bool seen = false;

	while (gp_fake_pair(l, &key, &value)) {
		if (*key == '\0')
			return false;
		if (strcmp(key, "version") != 0)
			return gp_fake_fail(l, "driver: unknown key '%s'", key);
		if (seen)
			return gp_fake_fail(l, "'%s' given twice", key);
		if (*value == '\0' || strlen(value) >= sizeof(inv->driver))
			return gp_fake_fail(l, "driver version must be 1 to 79 bytes, found '%s'",
					    value);
		strcpy(inv->driver, value);
		seen = true;
	}
	return seen || gp_fake_fail(l, "driver needs %s", "version");
}

static bool gp_fake_parse_line(struct gp_fake_line *l, struct gp_fake_inventory *inv)
{
	char *kind = gp_fake_word(l, true);

	if (kind == NULL)
		return true; /* blank or comment */
	if (strcmp(kind, "gpu") == 0)
		return gp_fake_parse_gpu(l, inv);
	if (strcmp(kind, "process") == 0)
		return gp_fake_parse_process(l, inv);
	if (strcmp(kind, "driver") == 0)
		return gp_fake_parse_driver(l, inv);
	return gp_fake_fail(l, "expected gpu, process or driver, found '%s'", kind);
}

/* Device used memory not given: the sum of its processes (those that report it). */
static bool gp_fake_settle(struct gp_fake_inventory *inv, char *why, size_t why_size)
{
	for (unsigned int i = 0; i < inv->process_count; i++) {
		const struct gp_fake_process *p = &inv->processes[i];
		struct gp_fake_gpu *g = &inv->gpus[p->gpu];

		if (!g->used_given && p->info.usedGpuMemory != NVML_VALUE_NOT_AVAILABLE)
			g->used += p->info.usedGpuMemory;
	}
	for (unsigned int i = 0; i < inv->gpu_count; i++) {
		if (inv->gpus[i].used > inv->gpus[i].total) {
			snprintf(why, why_size, "inventory: gpu %u uses more memory than it has",
				 i);
			return false;
		}
	}
	return true;
}

/* Reads the file into *inv; NVML_SUCCESS or the error nvmlInit_v2 returns, reason in why. */
static nvmlReturn_t gp_fake_load(struct gp_fake_inventory *inv, char *why, size_t why_size)
{
	const char *path = getenv("GP_FAKE_NVML_FILE");
	char buffer[GP_FAKE_NVML_MAX_LINE + 2];
	struct gp_fake_line l = {.why = why, .why_size = why_size};
	nvmlReturn_t status = NVML_SUCCESS;
	FILE *f;

	if (path == NULL || *path == '\0') {
		snprintf(why, why_size, "GP_FAKE_NVML_FILE is not set");
		return NVML_ERROR_DRIVER_NOT_LOADED;
	}
	f = fopen(path, "re");
	if (f == NULL) {
		snprintf(why, why_size, "cannot open the inventory: %s", strerror(errno));
		return NVML_ERROR_DRIVER_NOT_LOADED;
	}
	memset(inv, 0, sizeof(*inv));
	strcpy(inv->driver, GP_FAKE_NVML_DRIVER_VERSION);
	while (status == NVML_SUCCESS && fgets(buffer, sizeof(buffer), f) != NULL) {
		l.number++;
		l.at = buffer;
		if (strchr(buffer, '\n') == NULL && !feof(f)) {
			gp_fake_fail(&l, "longer than %s bytes", "1024");
			status = NVML_ERROR_UNKNOWN;
		} else if (!gp_fake_parse_line(&l, inv)) {
			status = NVML_ERROR_UNKNOWN;
		}
	}
	if (status == NVML_SUCCESS && ferror(f)) {
		snprintf(why, why_size, "cannot read the inventory: %s", strerror(errno));
		status = NVML_ERROR_DRIVER_NOT_LOADED;
	}
	fclose(f);
	if (status == NVML_SUCCESS && !gp_fake_settle(inv, why, why_size))
		status = NVML_ERROR_UNKNOWN;
	return status;
}

/* ---- NVML ------------------------------------------------------------------------------------ */

nvmlReturn_t nvmlInit_v2(void)
{
	/* Parsed aside so that a bad file leaves the inventory in force untouched. */
	static struct gp_fake_inventory next;
	char why[sizeof(gp_fake_why)] = "";
	nvmlReturn_t status;

	pthread_mutex_lock(&gp_fake_lock);
	status = gp_fake_load(&next, why, sizeof(why));
	if (status == NVML_SUCCESS) {
		gp_fake_inventory = next;
		gp_fake_stats.init_depth++;
		gp_fake_stats.inits++;
		gp_fake_stats.gpu_count = next.gpu_count;
		gp_fake_stats.process_count = next.process_count;
	} else {
		gp_fake_stats.inits_failed++;
	}
	memcpy(gp_fake_why, why, sizeof(why));
	pthread_mutex_unlock(&gp_fake_lock);
	return status;
}

nvmlReturn_t nvmlShutdown(void)
{
	nvmlReturn_t status = NVML_ERROR_UNINITIALIZED;

	pthread_mutex_lock(&gp_fake_lock);
	if (gp_fake_stats.init_depth > 0) {
		gp_fake_stats.init_depth--;
		status = NVML_SUCCESS;
	}
	pthread_mutex_unlock(&gp_fake_lock);
	return status;
}

const char *nvmlErrorString(nvmlReturn_t result)
{
	switch (result) {
	case NVML_SUCCESS:
		return "Success";
	case NVML_ERROR_UNINITIALIZED:
		return "Uninitialized";
	case NVML_ERROR_INVALID_ARGUMENT:
		return "Invalid Argument";
	case NVML_ERROR_NOT_SUPPORTED:
		return "Not Supported";
	case NVML_ERROR_NO_PERMISSION:
		return "Insufficient Permissions";
	case NVML_ERROR_ALREADY_INITIALIZED:
		return "Already Initialized";
	case NVML_ERROR_NOT_FOUND:
		return "Not Found";
	case NVML_ERROR_INSUFFICIENT_SIZE:
		return "Insufficient Size";
	case NVML_ERROR_INSUFFICIENT_POWER:
		return "Insufficient External Power";
	case NVML_ERROR_DRIVER_NOT_LOADED:
		return "Driver Not Loaded";
	case NVML_ERROR_TIMEOUT:
		return "Timeout";
	case NVML_ERROR_IRQ_ISSUE:
		return "Interrupt Request Issue";
	case NVML_ERROR_LIBRARY_NOT_FOUND:
		return "NVML Shared Library Not Found";
	case NVML_ERROR_FUNCTION_NOT_FOUND:
		return "Function Not Found";
	case NVML_ERROR_CORRUPTED_INFOROM:
		return "Corrupted infoROM";
	case NVML_ERROR_GPU_IS_LOST:
		return "GPU is lost";
	case NVML_ERROR_RESET_REQUIRED:
		return "GPU requires restart";
	case NVML_ERROR_OPERATING_SYSTEM:
		return "The operating system has blocked the request";
	case NVML_ERROR_LIB_RM_VERSION_MISMATCH:
		return "RM has detected an NVML/RM version mismatch";
	case NVML_ERROR_IN_USE:
		return "In use by another client";
	case NVML_ERROR_MEMORY:
		return "Insufficient Memory";
	case NVML_ERROR_NO_DATA:
		return "No data";
	case NVML_ERROR_UNKNOWN:
		return "Unknown Error";
	default:
		return "Unknown Error";
	}
}

/* Copies text into an NVML string buffer, or says it does not fit. */
static nvmlReturn_t gp_fake_string(const char *text, char *out, unsigned int length)
{
	size_t n = strlen(text);

	if (out == NULL)
		return NVML_ERROR_INVALID_ARGUMENT;
	if (n + 1 > length)
		return NVML_ERROR_INSUFFICIENT_SIZE;
	memcpy(out, text, n + 1);
	return NVML_SUCCESS;
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length)
{
	nvmlReturn_t status = NVML_ERROR_UNINITIALIZED;

	pthread_mutex_lock(&gp_fake_lock);
	if (gp_fake_stats.init_depth > 0)
		status = gp_fake_string(gp_fake_inventory.driver, version, length);
	pthread_mutex_unlock(&gp_fake_lock);
	return status;
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *deviceCount)
{
	nvmlReturn_t status = NVML_ERROR_UNINITIALIZED;

	pthread_mutex_lock(&gp_fake_lock);
	if (gp_fake_stats.init_depth > 0) {
		status = deviceCount == NULL ? NVML_ERROR_INVALID_ARGUMENT : NVML_SUCCESS;
		if (deviceCount != NULL)
			*deviceCount = gp_fake_inventory.gpu_count;
	}
	pthread_mutex_unlock(&gp_fake_lock);
	return status;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device)
{
	nvmlReturn_t status = NVML_ERROR_UNINITIALIZED;

	pthread_mutex_lock(&gp_fake_lock);
	if (gp_fake_stats.init_depth > 0) {
		status = NVML_ERROR_INVALID_ARGUMENT;
		if (device != NULL && index < gp_fake_inventory.gpu_count) {
			gp_fake_handles[index].index = index;
			*device = &gp_fake_handles[index];
			status = NVML_SUCCESS;
		}
	}
	pthread_mutex_unlock(&gp_fake_lock);
	return status;
}

/*
 * Locks and finds the GPU behind a handle. NVML_SUCCESS with the lock held and *gpu set, else the
 * error with the lock released. A handle from before a re-init names the same index in the new
 * inventory, or is invalid when that has fewer GPUs.
 */
static nvmlReturn_t gp_fake_enter(nvmlDevice_t device, struct gp_fake_gpu **gpu)
{
	uintptr_t at = (uintptr_t)device, first = (uintptr_t)&gp_fake_handles[0];

	pthread_mutex_lock(&gp_fake_lock);
	if (gp_fake_stats.init_depth == 0) {
		pthread_mutex_unlock(&gp_fake_lock);
		return NVML_ERROR_UNINITIALIZED;
	}
	if (at < first || (at - first) % sizeof(gp_fake_handles[0]) != 0 ||
	    (at - first) / sizeof(gp_fake_handles[0]) >= gp_fake_inventory.gpu_count) {
		pthread_mutex_unlock(&gp_fake_lock);
		return NVML_ERROR_INVALID_ARGUMENT;
	}
	*gpu = &gp_fake_inventory.gpus[(at - first) / sizeof(gp_fake_handles[0])];
	return NVML_SUCCESS;
}

static nvmlReturn_t gp_fake_leave(nvmlReturn_t status)
{
	pthread_mutex_unlock(&gp_fake_lock);
	return status;
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length)
{
	struct gp_fake_gpu *g;
	nvmlReturn_t status = gp_fake_enter(device, &g);

	return status != NVML_SUCCESS ? status
				      : gp_fake_leave(gp_fake_string(g->uuid, uuid, length));
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length)
{
	struct gp_fake_gpu *g;
	nvmlReturn_t status = gp_fake_enter(device, &g);

	return status != NVML_SUCCESS ? status
				      : gp_fake_leave(gp_fake_string(g->name, name, length));
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory)
{
	struct gp_fake_gpu *g;
	nvmlReturn_t status = gp_fake_enter(device, &g);

	if (status != NVML_SUCCESS)
		return status;
	if (memory == NULL)
		return gp_fake_leave(NVML_ERROR_INVALID_ARGUMENT);
	memory->total = g->total;
	memory->used = g->used;
	memory->free = g->total - g->used;
	return gp_fake_leave(NVML_SUCCESS);
}

nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t device, unsigned int *currentMode,
				  unsigned int *pendingMode)
{
	struct gp_fake_gpu *g;
	nvmlReturn_t status = gp_fake_enter(device, &g);

	if (status != NVML_SUCCESS)
		return status;
	if (currentMode == NULL || pendingMode == NULL)
		return gp_fake_leave(NVML_ERROR_INVALID_ARGUMENT);
	if (g->mig < 0)
		return gp_fake_leave(NVML_ERROR_NOT_SUPPORTED);
	*currentMode = *pendingMode = (unsigned int)g->mig;
	return gp_fake_leave(NVML_SUCCESS);
}

nvmlReturn_t nvmlDeviceGetComputeMode(nvmlDevice_t device, nvmlComputeMode_t *mode)
{
	struct gp_fake_gpu *g;
	nvmlReturn_t status = gp_fake_enter(device, &g);

	if (status != NVML_SUCCESS)
		return status;
	if (mode == NULL)
		return gp_fake_leave(NVML_ERROR_INVALID_ARGUMENT);
	*mode = (nvmlComputeMode_t)g->compute_mode;
	return gp_fake_leave(NVML_SUCCESS);
}

nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t device, unsigned int *infoCount,
						     nvmlProcessInfo_t *infos)
{
	const struct gp_fake_inventory *inv = &gp_fake_inventory;
	struct gp_fake_gpu *g;
	nvmlReturn_t status = gp_fake_enter(device, &g);
	unsigned int gpu, n = 0;

	if (status != NVML_SUCCESS)
		return status;
	if (infoCount == NULL || (infos == NULL && *infoCount != 0))
		return gp_fake_leave(NVML_ERROR_INVALID_ARGUMENT);
	gpu = (unsigned int)(g - inv->gpus);
	for (unsigned int i = 0; i < inv->process_count; i++)
		n += inv->processes[i].gpu == gpu;
	if (*infoCount < n) {
		*infoCount = n;
		return gp_fake_leave(NVML_ERROR_INSUFFICIENT_SIZE);
	}
	*infoCount = 0;
	for (unsigned int i = 0; i < inv->process_count; i++) {
		if (inv->processes[i].gpu == gpu)
			infos[(*infoCount)++] = inv->processes[i].info;
	}
	return gp_fake_leave(NVML_SUCCESS);
}

nvmlReturn_t nvmlDeviceGetMultiProcessorCount(nvmlDevice_t device,
					      unsigned int *multiProcessorCount)
{
	struct gp_fake_gpu *g;
	nvmlReturn_t status = gp_fake_enter(device, &g);

	if (status != NVML_SUCCESS)
		return status;
	if (multiProcessorCount == NULL)
		return gp_fake_leave(NVML_ERROR_INVALID_ARGUMENT);
	if (g->sms == 0)
		return gp_fake_leave(NVML_ERROR_NOT_SUPPORTED);
	*multiProcessorCount = g->sms;
	return gp_fake_leave(NVML_SUCCESS);
}

/* ---- introspection (fake_nvml.h) ------------------------------------------------------------- */

GP_FAKE_NVML_EXPORT void gp_fake_nvml_stats(struct gp_fake_nvml_stats *out)
{
	pthread_mutex_lock(&gp_fake_lock);
	*out = gp_fake_stats;
	pthread_mutex_unlock(&gp_fake_lock);
}

GP_FAKE_NVML_EXPORT void gp_fake_nvml_diagnostic(char *out, size_t size)
{
	if (size == 0)
		return;
	pthread_mutex_lock(&gp_fake_lock);
	snprintf(out, size, "%s", gp_fake_why);
	pthread_mutex_unlock(&gp_fake_lock);
}
