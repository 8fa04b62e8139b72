/* SPDX-License-Identifier: MIT */
/*
 * test_daemon.c - the registration server of test_daemon.h (test-only).
 */
#define _GNU_SOURCE
#include "test_daemon.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct gp_control_block gp_td_block(uint32_t flags, uint64_t quota, uint64_t virtual_total,
				    uint64_t premap_target)
{
	return (struct gp_control_block){
	    .magic = GP_CONTROL_MAGIC,
	    .abi_version = GP_ABI_VERSION,
	    .size = GP_CONTROL_SIZE,
	    .flags = flags,
	    .vram_quota_bytes = quota,
	    .virtual_total_bytes = virtual_total,
	    .premap_target_bytes = premap_target,
	    .sm_share_ppm = 1000000,
	    .device = -1,
	};
}

void gp_td_init(struct gp_td *d, const char *path, uint32_t capacity)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->path, sizeof(d->path), "%s", path);
	d->capacity = capacity;
	d->mode = GP_TD_OK;
	d->initial = gp_td_block(0, 0, 0, 0);
	d->listen_fd = -1;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->changed, NULL);
}

void gp_td_publish(struct gp_control_block *block, const struct gp_control_block *value)
{
	uint32_t seq = __atomic_load_n(&block->seq, __ATOMIC_RELAXED);
	__atomic_store_n(&block->seq, seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	struct gp_control_block v = *value;
	v.seq = seq + 1;
	memcpy(block, &v, sizeof(v));
	__atomic_store_n(&block->seq, seq + 2, __ATOMIC_RELEASE);
}

static int memfd_sized(const char *name, size_t bytes)
{
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd >= 0 && ftruncate(fd, (off_t)bytes) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* A ring of capacity slots whose header says header_capacity, in a memfd of bytes. */
static int make_ring(size_t bytes, uint32_t capacity, uint32_t header_capacity, pid_t pid,
		     struct gp_ring_header **map)
{
	int fd = memfd_sized("gp-test-ring", bytes);
	if (fd < 0)
		return -1;
	struct gp_ring_header *h = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (h == MAP_FAILED) {
		close(fd);
		return -1;
	}
	struct gp_ring_slot *s = (struct gp_ring_slot *)((char *)h + GP_RING_HEADER_SIZE);
	size_t fit = (bytes - GP_RING_HEADER_SIZE) / GP_RING_SLOT_SIZE;
	for (uint32_t i = 0; i < capacity && i < fit; i++)
		s[i].seq = i;
	h->abi_version = GP_ABI_VERSION;
	h->header_size = GP_RING_HEADER_SIZE;
	h->slot_size = GP_RING_SLOT_SIZE;
	h->capacity = header_capacity;
	h->pid = (uint32_t)pid;
	__atomic_store_n(&h->magic, GP_RING_MAGIC, __ATOMIC_RELEASE);
	fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
	*map = h;
	return fd;
}

static int make_control(const struct gp_control_block *initial, struct gp_control_block **map)
{
	int fd = memfd_sized("gp-test-control", GP_CONTROL_SIZE);
	if (fd < 0)
		return -1;
	struct gp_control_block *b =
	    mmap(NULL, GP_CONTROL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (b == MAP_FAILED) {
		close(fd);
		return -1;
	}
	memcpy(b, initial, sizeof(*b));
	/* The mapping above stays writable; nobody can make a new writable one. */
	fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
	*map = b;
	return fd;
}

static void send_welcome(int conn, const struct gp_welcome *w, const int *fds, int nfds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * 3)];
		struct cmsghdr align;
	} control;
	struct iovec iov = {.iov_base = (void *)w, .iov_len = sizeof(*w)};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	if (nfds > 0) {
		msg.msg_control = control.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	}
	sendmsg(conn, &msg, MSG_NOSIGNAL);
}

static void serve(struct gp_td *d, int conn)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct gp_hello hello = {0};
	struct pollfd p = {.fd = conn, .events = POLLIN};
	if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || poll(&p, 1, 2000) != 1 ||
	    recv(conn, &hello, sizeof(hello), 0) != (ssize_t)sizeof(hello)) {
		close(conn);
		return;
	}
	int mode = __atomic_load_n(&d->mode, __ATOMIC_RELAXED);
	uint32_t cap = mode == GP_TD_BAD_CAPACITY ? 3 : d->capacity;
	struct gp_welcome w = {
	    .magic = GP_WELCOME_MAGIC,
	    .abi_version = GP_ABI_VERSION,
	    .size = GP_WELCOME_SIZE,
	    .status = GP_WELCOME_OK,
	    .ring_capacity = cap,
	    .ring_bytes = GP_RING_HEADER_SIZE + (uint64_t)cap * GP_RING_SLOT_SIZE,
	    .control_bytes = GP_CONTROL_SIZE,
	};
	if (hello.magic != GP_HELLO_MAGIC || hello.abi_version != GP_ABI_VERSION ||
	    hello.size != GP_HELLO_SIZE)
		w.status = GP_WELCOME_BAD_HELLO;
	else if (hello.pid != (uint32_t)cred.pid)
		w.status = GP_WELCOME_PID_MISMATCH;
	struct gp_td_client c = {.pid = cred.pid, .conn = conn, .ring_fd = -1, .control_fd = -1};
	size_t ring_bytes = (size_t)w.ring_bytes;
	if (mode == GP_TD_SHORT_RING)
		ring_bytes = GP_RING_HEADER_SIZE + (size_t)cap / 2 * GP_RING_SLOT_SIZE;
	uint32_t header_cap = mode == GP_TD_HEADER_MISMATCH ? cap / 2 : cap;
	if (w.status == GP_WELCOME_OK) {
		c.ring_fd = make_ring(ring_bytes, cap, header_cap, cred.pid, &c.ring);
		c.control_fd = make_control(&d->initial, &c.control);
		c.ring_bytes = ring_bytes;
		if (c.ring_fd < 0 || c.control_fd < 0)
			w.status = GP_WELCOME_INTERNAL;
	}
	if (mode == GP_TD_BAD_MAGIC)
		w.magic ^= 1;
	if (mode == GP_TD_BAD_RING_BYTES)
		w.ring_bytes += GP_RING_SLOT_SIZE;
	if (mode == GP_TD_REFUSED || mode == GP_TD_REFUSED_WITH_FDS)
		w.status = GP_WELCOME_FULL;
	int fds[3] = {c.ring_fd, c.control_fd, -1}, nfds = 2;
	if (w.status != GP_WELCOME_OK && mode != GP_TD_REFUSED_WITH_FDS)
		nfds = 0;
	if (mode == GP_TD_ONE_FD)
		nfds = 1;
	if (mode == GP_TD_THREE_FDS) {
		fds[2] = memfd_sized("gp-test-extra", 4096);
		nfds = 3;
	}
	if (nfds > 0 && (c.ring_fd < 0 || c.control_fd < 0))
		nfds = 0;
	send_welcome(conn, &w, fds, nfds);
	if (fds[2] >= 0)
		close(fds[2]);
	if (mode != GP_TD_OK) {
		/* Nothing of a refused registration stays open here (tests count descriptors). */
		if (c.ring_fd >= 0)
			close(c.ring_fd);
		if (c.control_fd >= 0)
			close(c.control_fd);
		c.ring_fd = c.control_fd = -1;
	}
	pthread_mutex_lock(&d->lock);
	d->welcomes++;
	if (mode == GP_TD_OK && w.status == GP_WELCOME_OK && d->nclients < GP_TD_MAX_CLIENTS)
		d->clients[d->nclients++] = c;
	else
		close(conn);
	pthread_cond_broadcast(&d->changed);
	pthread_mutex_unlock(&d->lock);
}

static void *td_main(void *arg)
{
	struct gp_td *d = arg;
	while (!__atomic_load_n(&d->stop, __ATOMIC_ACQUIRE)) {
		struct pollfd p = {.fd = d->listen_fd, .events = POLLIN};
		if (poll(&p, 1, 20) != 1)
			continue;
		int conn = accept4(d->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (conn >= 0)
			serve(d, conn);
	}
	return NULL;
}

int gp_td_start(struct gp_td *d)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", d->path);
	unlink(d->path);
	d->listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (d->listen_fd < 0)
		return errno;
	if (bind(d->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    listen(d->listen_fd, 64) != 0) {
		int e = errno;
		close(d->listen_fd);
		d->listen_fd = -1;
		return e;
	}
	d->stop = false;
	int e = pthread_create(&d->thread, NULL, td_main, d);
	if (e != 0) {
		close(d->listen_fd);
		d->listen_fd = -1;
	}
	return e;
}

void gp_td_stop(struct gp_td *d)
{
	if (d->listen_fd < 0)
		return;
	__atomic_store_n(&d->stop, true, __ATOMIC_RELEASE);
	pthread_join(d->thread, NULL);
	close(d->listen_fd);
	d->listen_fd = -1;
	unlink(d->path);
	pthread_mutex_lock(&d->lock);
	for (int i = 0; i < d->nclients; i++) {
		if (d->clients[i].conn >= 0)
			close(d->clients[i].conn);
		d->clients[i].conn = -1;
	}
	pthread_mutex_unlock(&d->lock);
}

static void deadline_in(struct timespec *t, int ms)
{
	clock_gettime(CLOCK_REALTIME, t);
	long ns = t->tv_nsec + (long)(ms % 1000) * 1000000L;
	t->tv_sec += ms / 1000 + ns / 1000000000L;
	t->tv_nsec = ns % 1000000000L;
}

struct gp_td_client *gp_td_wait_client(struct gp_td *d, pid_t pid, int timeout_ms)
{
	struct timespec until;
	deadline_in(&until, timeout_ms);
	struct gp_td_client *found = NULL;
	pthread_mutex_lock(&d->lock);
	for (;;) {
		for (int i = d->nclients - 1; i >= 0 && found == NULL; i--)
			if (d->clients[i].pid == pid)
				found = &d->clients[i];
		if (found != NULL || pthread_cond_timedwait(&d->changed, &d->lock, &until) != 0)
			break;
	}
	pthread_mutex_unlock(&d->lock);
	return found;
}

unsigned gp_td_wait_welcomes(struct gp_td *d, unsigned n, int timeout_ms)
{
	struct timespec until;
	deadline_in(&until, timeout_ms);
	pthread_mutex_lock(&d->lock);
	while (d->welcomes < n && pthread_cond_timedwait(&d->changed, &d->lock, &until) == 0)
		;
	unsigned got = d->welcomes;
	pthread_mutex_unlock(&d->lock);
	return got;
}

static bool linked_now(void)
{
	DIR *dir = opendir("/proc/self/task");
	if (dir == NULL)
		return false;
	bool linked = false;
	for (struct dirent *e; !linked && (e = readdir(dir)) != NULL;) {
		if (e->d_name[0] == '.')
			continue;
		char path[300], comm[32] = {0};
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		FILE *f = fopen(path, "re");
		if (f == NULL)
			continue;
		if (fgets(comm, sizeof(comm), f) != NULL)
			linked = strcmp(comm, "gp-linked\n") == 0;
		fclose(f);
	}
	closedir(dir);
	return linked;
}

bool gp_td_wait_linked(bool linked, int timeout_ms)
{
	for (int waited = 0;; waited += 2) {
		if (linked_now() == linked)
			return true;
		if (waited >= timeout_ms)
			return false;
		struct timespec pause = {0, 2000000};
		nanosleep(&pause, NULL);
	}
}
