/* SPDX-License-Identifier: MIT */
/*
 * gpupredict/procstat.h - the process start time that, with the pid, names a process uniquely
 * across pid reuse (the ring header's start_time): field 22 of /proc/<pid>/stat, in clock ticks
 * since boot. One reader for the interposer, its tests and benchmarks.
 */
#ifndef GPUPREDICT_PROCSTAT_H
#define GPUPREDICT_PROCSTAT_H

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Field 22 (starttime) of the stat file at path ("/proc/self/stat", "/proc/<pid>/stat"); 0 when
 * unreadable. The command name (field 2) may hold spaces and ')', so fields are counted after the
 * last ')': field 3 follows it, each separated by one space.
 */
static inline unsigned long long gp_proc_start_time(const char *path)
{
	char buf[1024];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	if (p == NULL)
		return 0;
	int field = 2;
	for (p++; *p != '\0'; p++)
		if (*p == ' ' && ++field == 22)
			return strtoull(p + 1, NULL, 10);
	return 0;
}

#endif /* GPUPREDICT_PROCSTAT_H */
