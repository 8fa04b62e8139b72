/* SPDX-License-Identifier: MIT */
/*
 * link.c - registration with the daemon (protocol in abi.h, "Registration").
 *
 * A background thread, "gp-link", started at the first CUDA call (gp_link_start) and again in a
 * forked child at its first one, with every signal blocked:
 *   1. connects a SOCK_SEQPACKET socket, without blocking, to $GPUPREDICT_SOCKET or
 *      GP_REGISTER_SOCKET. No daemon there: the process passes every call through and the thread
 *      tries again every GP_LINK_RETRY_NS (GP_LINK_REJOIN_NS for GP_LINK_REJOIN_FOR_NS after a
 *      hang-up, so a restarted daemon is re-joined within a second);
 *   2. refuses a server that is neither root nor this process's effective user (SO_PEERCRED): a
 *      foreign user's socket must not control us;
 *   3. sends one gp_hello and waits up to GP_LINK_WELCOME_MS for one gp_welcome carrying exactly
 *      two descriptors (ring, then control block); validates every field and both descriptors'
 *      sizes, maps the ring read-write and the control block read-only, closes the descriptors,
 *      and attaches both (ring.c, control.c). A refusal or anything malformed: every descriptor
 *      received is closed, nothing is attached, and it tries again after GP_LINK_RETRY_NS;
 *   4. names itself "gp-linked" while attached (what tests and `ps -L` see), and waits for the
 *      hang-up; anything the daemon sends meanwhile is read and ignored. At the hang-up it detaches
 *      both (pushes become no-ops, the limits lapse, the pool drains), names itself "gp-link"
 *      again, and goes back to 1.
 * The application's threads never wait on any of this: until the link attaches, hooks pass through.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "intercept.h"

#define GP_LINK_RETRY_NS      (1000ull * 1000000ull)
#define GP_LINK_REJOIN_NS     (100ull * 1000000ull)
#define GP_LINK_REJOIN_FOR_NS (10000ull * 1000000ull)
#define GP_LINK_WELCOME_MS    2000
/* 2^24 slots = 2 GiB of ring: a welcome asking for more is not a sane one. */
#define GP_LINK_MAX_CAPACITY (1u << 24)
/* Descriptors accepted in one message, so that a surplus is seen (and closed), not truncated. */
#define GP_LINK_MAX_FDS 8

/* The pid that started the thread (0: none in this process yet). */
static uint32_t gp_link_pid;
/* The connection, -1 when none: a forked child closes its copy. */
static int gp_link_fd = -1;
static struct sockaddr_un gp_link_addr;

enum gp_link_end {
	GP_LINK_NO_DAEMON, /* nobody listening, or a failure before the welcome */
	GP_LINK_REFUSED,   /* a daemon answered but we do not take what it said */
	GP_LINK_HUNG_UP,   /* attached, then the daemon left */
};

static uint64_t gp_link_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void gp_link_sleep(uint64_t ns)
{
	struct timespec ts = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Waits up to ms for events on fd; the revents, 0 on timeout. */
static short gp_link_wait(int fd, short events, int ms)
{
	struct pollfd p = {.fd = fd, .events = events};
	int rc;
	while ((rc = poll(&p, 1, ms)) < 0 && errno == EINTR)
		;
	return rc > 0 ? p.revents : 0;
}

static int gp_link_connect(void)
{
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	__atomic_store_n(&gp_link_fd, fd, __ATOMIC_RELEASE);
	if (connect(fd, (const struct sockaddr *)&gp_link_addr, sizeof(gp_link_addr)) != 0 &&
	    !(errno == EINPROGRESS && (gp_link_wait(fd, POLLOUT, GP_LINK_WELCOME_MS) & POLLOUT))) {
		/* ENOENT, ECONNREFUSED, EAGAIN (backlog full): no daemon for now. */
		__atomic_store_n(&gp_link_fd, -1, __ATOMIC_RELEASE);
		close(fd);
		return -1;
	}
	return fd;
}

static bool gp_link_peer_trusted(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || len != sizeof(cred))
		return false;
	if (cred.uid == 0 || cred.uid == geteuid())
		return true;
	gp_log(LOG_WARNING, "%s is served by uid %u, neither root nor us; not registering",
	       gp_link_addr.sun_path, (unsigned)cred.uid);
	return false;
}

struct gp_link_reply {
	struct gp_welcome welcome;
	int fds[GP_LINK_MAX_FDS];
	int nfds;
	ssize_t bytes;
	int msg_flags;
};

static void gp_link_close_fds(struct gp_link_reply *r)
{
	for (int i = 0; i < r->nfds; i++)
		close(r->fds[i]);
	r->nfds = 0;
}

/* One message; every descriptor it carried lands in r->fds. bytes: 0 = EOF, -1 = nothing. */
static void gp_link_receive(int fd, struct gp_link_reply *r)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * GP_LINK_MAX_FDS)];
		struct cmsghdr align;
	} control;
	struct iovec iov = {.iov_base = &r->welcome, .iov_len = sizeof(r->welcome)};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = control.buf,
			     .msg_controllen = sizeof(control.buf)};
	r->nfds = 0;
	memset(&r->welcome, 0, sizeof(r->welcome));
	do
		r->bytes = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	while (r->bytes < 0 && errno == EINTR);
	r->msg_flags = r->bytes >= 0 ? msg.msg_flags : 0;
	if (r->bytes < 0)
		return;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n && r->nfds < GP_LINK_MAX_FDS; i++)
			memcpy(&r->fds[r->nfds++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
	}
}

static bool gp_link_fd_holds(int fd, uint64_t bytes)
{
	struct stat st;
	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
	       (uint64_t)st.st_size >= bytes;
}

/* Why a welcome is not taken, or NULL when it is well-formed with its two descriptors. */
static const char *gp_link_check(const struct gp_link_reply *r)
{
	const struct gp_welcome *w = &r->welcome;
	if (r->bytes != (ssize_t)sizeof(*w) || (r->msg_flags & (MSG_TRUNC | MSG_CTRUNC)))
		return "a welcome of the wrong length";
	if (w->magic != GP_WELCOME_MAGIC || w->abi_version != GP_ABI_VERSION ||
	    w->size != GP_WELCOME_SIZE)
		return "a welcome with the wrong magic, version or size";
	if (w->status != GP_WELCOME_OK)
		return "a refusal";
	if (r->nfds != 2)
		return "a welcome without exactly two descriptors";
	uint32_t cap = w->ring_capacity;
	if (cap < 2 || cap > GP_LINK_MAX_CAPACITY || (cap & (cap - 1)) != 0)
		return "a ring capacity that is not a power of two in [2, 2^24]";
	if (w->ring_bytes != GP_RING_HEADER_SIZE + (uint64_t)cap * GP_RING_SLOT_SIZE)
		return "ring_bytes that disagree with the capacity";
	if (w->control_bytes < GP_CONTROL_SIZE)
		return "a control block smaller than GP_CONTROL_SIZE";
	if (!gp_link_fd_holds(r->fds[0], w->ring_bytes) ||
	    !gp_link_fd_holds(r->fds[1], w->control_bytes))
		return "descriptors smaller than the welcome says";
	return NULL;
}

/* Maps and attaches what a checked welcome carries; false (nothing attached) on any failure. */
static bool gp_link_attach(const struct gp_link_reply *r)
{
	const struct gp_welcome *w = &r->welcome;
	size_t ring_bytes = (size_t)w->ring_bytes;
	void *ring = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, r->fds[0], 0);
	if (ring == MAP_FAILED)
		return false;
	void *control = mmap(NULL, GP_CONTROL_SIZE, PROT_READ, MAP_SHARED, r->fds[1], 0);
	const struct gp_ring_header *h = ring;
	const char *why = NULL;
	if (control == MAP_FAILED)
		why = "cannot map the control block";
	else if (__atomic_load_n(&h->magic, __ATOMIC_ACQUIRE) != GP_RING_MAGIC ||
		 h->abi_version != GP_ABI_VERSION || h->header_size != GP_RING_HEADER_SIZE ||
		 h->slot_size != GP_RING_SLOT_SIZE || h->capacity != w->ring_capacity)
		why = "a ring header that disagrees with the welcome";
	else if (!gp_ring_attach(ring, ring_bytes, w->ring_capacity))
		why = "out of memory";
	if (why != NULL) {
		gp_log(LOG_WARNING, "daemon at %s sent %s; not registering", gp_link_addr.sun_path,
		       why);
		munmap(ring, ring_bytes);
		if (control != MAP_FAILED)
			munmap(control, GP_CONTROL_SIZE);
		return false;
	}
	gp_control_attach(control);
	return true;
}

/* Reads and drops whatever arrives until the daemon hangs up. */
static void gp_link_serve(int fd)
{
	for (;;) {
		short ev = gp_link_wait(fd, POLLIN, -1);
		if (ev & (POLLHUP | POLLERR | POLLNVAL))
			return;
		if (!(ev & POLLIN))
			continue;
		struct gp_link_reply r;
		gp_link_receive(fd, &r);
		gp_link_close_fds(&r);
		if (r.bytes == 0 || (r.bytes < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
			return;
	}
}

/* One connection, from connect to hang-up. */
static enum gp_link_end gp_link_session(void)
{
	int fd = gp_link_connect();
	enum gp_link_end end = GP_LINK_NO_DAEMON;
	if (fd < 0)
		goto out;
	end = GP_LINK_REFUSED;
	if (!gp_link_peer_trusted(fd))
		goto out;
	struct gp_hello hello = {.magic = GP_HELLO_MAGIC,
				 .abi_version = GP_ABI_VERSION,
				 .size = GP_HELLO_SIZE,
				 .pid = (uint32_t)getpid()};
	if (send(fd, &hello, sizeof(hello), MSG_NOSIGNAL) != (ssize_t)sizeof(hello)) {
		end = GP_LINK_NO_DAEMON;
		goto out;
	}
	struct gp_link_reply r = {.bytes = -1};
	if (gp_link_wait(fd, POLLIN, GP_LINK_WELCOME_MS) & (POLLIN | POLLHUP))
		gp_link_receive(fd, &r);
	if (r.bytes <= 0) {
		/* Closed or silent without an answer: a daemon starting or busy with a crowd of
		 * re-joining applications (it caps connections waiting for their hello), not a
		 * refusal: retried at the re-join pace. */
		gp_link_close_fds(&r);
		gp_log(LOG_WARNING, "no welcome from the daemon at %s", gp_link_addr.sun_path);
		end = GP_LINK_NO_DAEMON;
		goto out;
	}
	const char *why = gp_link_check(&r);
	if (why == NULL && !gp_link_attach(&r))
		why = "";
	gp_link_close_fds(&r);
	if (why != NULL) {
		if (why[0] != '\0')
			gp_log(LOG_WARNING, "daemon at %s sent %s (status %u); not registering",
			       gp_link_addr.sun_path, why, r.welcome.status);
		goto out;
	}
	gp_cupti_on_ring();
	prctl(PR_SET_NAME, "gp-linked", 0, 0, 0);
	gp_link_serve(fd);
	gp_control_detach();
	gp_ring_detach();
	prctl(PR_SET_NAME, "gp-link", 0, 0, 0);
	gp_log(LOG_NOTICE, "the daemon hung up; passing through until it is back");
	end = GP_LINK_HUNG_UP;
out:
	if (fd >= 0) {
		__atomic_store_n(&gp_link_fd, -1, __ATOMIC_RELEASE);
		close(fd);
	}
	return end;
}

static void *gp_link_main(void *arg)
{
	(void)arg;
	prctl(PR_SET_NAME, "gp-link", 0, 0, 0);
	uint64_t hung_up_at = 0;
	for (;;) {
		enum gp_link_end end = gp_link_session();
		uint64_t now = gp_link_now();
		if (end == GP_LINK_HUNG_UP)
			hung_up_at = now;
		bool rejoining = end != GP_LINK_REFUSED && hung_up_at != 0 &&
				 now - hung_up_at < GP_LINK_REJOIN_FOR_NS;
		gp_link_sleep(rejoining ? GP_LINK_REJOIN_NS : GP_LINK_RETRY_NS);
	}
	return NULL;
}

void gp_link_start(void)
{
	if (__atomic_load_n(&gp_link_pid, __ATOMIC_ACQUIRE) != 0)
		return;
	uint32_t expected = 0;
	if (!__atomic_compare_exchange_n(&gp_link_pid, &expected, gp_pid(), false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return;
	const char *path = getenv("GPUPREDICT_SOCKET");
	if (path == NULL || path[0] == '\0')
		path = GP_REGISTER_SOCKET;
	if (strlen(path) >= sizeof(gp_link_addr.sun_path)) {
		gp_log(LOG_WARNING, "GPUPREDICT_SOCKET is longer than a socket path can be; "
				    "not registering");
		return;
	}
	gp_link_addr.sun_family = AF_UNIX;
	strcpy(gp_link_addr.sun_path, path);
	int rc = gp_thread_start(gp_link_main);
	if (rc != 0)
		gp_log(LOG_WARNING, "no link thread (%s); not registering", strerror(rc));
}

void gp_link_after_fork_child(void)
{
	/* The thread does not exist here; the connection is the parent's registration, not ours. */
	int fd = __atomic_exchange_n(&gp_link_fd, -1, __ATOMIC_RELAXED);
	if (fd >= 0)
		close(fd);
	__atomic_store_n(&gp_link_pid, 0, __ATOMIC_RELAXED);
}
