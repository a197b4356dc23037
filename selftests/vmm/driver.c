// SPDX-License-Identifier: GPL-2.0
/*
 * vmm-driver: the L1 side of the VMM test (selftests/vmm/).
 *
 * Runs in the lockdep L1 guest as one test of the runner's plan. Mounts
 * the root that holds Debian's arm64 QEMU (an ext4 image on a virtio-mmio
 * disk, or a 9p export), and in a chroot there runs
 *
 *   qemu-system-aarch64 -accel kvm -cpu host -M virt,gic-version=3,its=on
 *
 * (gic-version=2 on the GICv2 machine) with a 2-vCPU L2 guest whose init
 * (l2-init.c) prints a heartbeat. Over QMP on a unix socket it then:
 *
 *   1. waits until the heartbeat reaches N;
 *   2. per round trip: stop, migrate "exec:cat > FILE", quit; a fresh QEMU
 *      with -S -incoming defer, migrate-incoming "exec:cat FILE", cont;
 *      the heartbeat must continue at N+1 and keep going, every counter
 *      (timer and IPI per vCPU, MSIs) advancing at every beat;
 *   3. system_reset: L2 must boot again and beat from 1.
 *
 * QEMU traces its device ioctls (-trace kvm_device_ioctl): each trip counts
 * the KVM_GET_DEVICE_ATTR of the save and the KVM_SET_DEVICE_ATTR of the
 * restore, the reset its KVM_SET_DEVICE_ATTR; none at all is a failure.
 *
 * Every step has a deadline. L2's console is relayed as "l2| ", QEMU's
 * stderr as "l2-qemu| ". One "vmm-json: {...}" line per boot, trip and
 * reset, and a summary, are what the host parses (selftests/vmm/parse.py).
 * A failure is one "vmm: error: ..." line, the last L2 console and QEMU
 * lines, and exit status 1.
 *
 * Options, as --key=value or on L1's kernel command line as
 * vcpulock_vmm.key=value (the command line wins): machine, trips, hb,
 * beats, boot_timeout, step_timeout, root_dev, root_fs (ext4|9p), mem,
 * fault (none|no-heartbeat|bad-migration|hang: the error paths' tests).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROOT		"/vmm"
#define QEMU_BIN	"/usr/bin/qemu-system-aarch64"
#define L2_KERNEL	"/l2/Image"
#define L2_INITRD	"/l2/initramfs.cpio"
#define LINE_MAX_LEN	4096
#define TAIL_LINES	20
#define NCPU		2

static struct {
	char machine[16];
	char root_dev[64];
	char root_fs[16];
	char mem[16];
	char fault[32];
	int trips, hb, beats, boot_timeout, step_timeout;
} opt = {
	.machine = "gicv3", .root_dev = "/dev/vda", .root_fs = "ext4",
	.mem = "64M", .fault = "none",
	.trips = 3, .hb = 5, .beats = 3, .boot_timeout = 300,
	.step_timeout = 120,
};

struct linebuf {
	char buf[LINE_MAX_LEN];
	size_t len;
};

struct qemu {
	int id;
	pid_t pid;
	int out, err, qmp;
	int exited, status;
	struct linebuf errlb, qmplb;
	char reply[LINE_MAX_LEN];
	int have_reply;
	char sock[64];
	char trace[64];
};

/*
 * The device ioctls of a QEMU (its kvm_device_ioctl trace event): every
 * vGIC and ITS register it saves or restores is one of these.
 */
struct attrs {
	unsigned long get, set, has;
};

#define KVM_SET_DEVICE_ATTR_NR	"0x4018aee1"
#define KVM_GET_DEVICE_ATTR_NR	"0x4018aee2"
#define KVM_HAS_DEVICE_ATTR_NR	"0x4018aee3"

struct beat {
	unsigned long n, timer[NCPU], ipi[NCPU], msi, pp;
	long long up_ms;
};

/* What L2's console said, across every QEMU of the run. */
static struct {
	struct linebuf lb;	/* one stream: a line may span a migration */
	char tail[TAIL_LINES][256];
	unsigned int ntail;
	unsigned int boots;	/* "vmm-l2: start" lines */
	struct beat last;
	int have_last;		/* a beat since the last boot */
	unsigned long beats;	/* beats since the driver started */
	char msi_chip[64];
	char error[512];	/* L2 reported an error or panicked */
	char violation[512];	/* a beat that broke the sequence */
} con;

static char qemu_tail[TAIL_LINES][256];
static unsigned int nqemu_tail;
static char qemu_version[128] = "unknown";
static struct qemu *cur;
static int next_id = 1;

/* For the summary line, also printed after an error. */
static struct {
	int round_trips, reset_ok, resumed;
	double boot_s, reset_s, mount_s, probe_s;
	char failed_step[64];
} sum;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static double secs_since(long long t0)
{
	return (now_ms() - t0) / 1000.0;
}

static void json_str(char *dst, size_t size, const char *s)
{
	size_t n = 0;

	for (; *s && n + 7 < size; s++) {
		if (*s == '"' || *s == '\\') {
			dst[n++] = '\\';
			dst[n++] = *s;
		} else if ((unsigned char)*s < 0x20) {
			n += snprintf(dst + n, size - n, "\\u%04x", *s);
		} else {
			dst[n++] = *s;
		}
	}
	dst[n] = '\0';
}

static void add_tail(char tail[][256], unsigned int *n, const char *line)
{
	snprintf(tail[*n % TAIL_LINES], 256, "%s", line);
	(*n)++;
}

static void print_tail(const char *what, char tail[][256], unsigned int n)
{
	unsigned int i = n > TAIL_LINES ? n - TAIL_LINES : 0;

	printf("vmm: last %s lines:\n", what);
	if (i == n)
		printf("vmm:   (none)\n");
	for (; i < n; i++)
		printf("vmm:   | %s\n", tail[i % TAIL_LINES]);
}

static void print_summary(void)
{
	char ver[256], chip[128], step[128];

	json_str(ver, sizeof(ver), qemu_version);
	json_str(chip, sizeof(chip), con.msi_chip);
	json_str(step, sizeof(step), sum.failed_step);
	printf("vmm-json: {\"event\": \"summary\", \"machine\": \"%s\", "
	       "\"qemu_version\": \"%s\", \"msi_chip\": \"%s\", "
	       "\"round_trips\": %d, \"trips_wanted\": %d, \"resumed\": %s, "
	       "\"reset_ok\": %s, \"boot_s\": %.2f, \"reset_s\": %.2f, "
	       "\"root_fs\": \"%s\", \"mount_s\": %.2f, \"version_probe_s\": %.2f, "
	       "\"failed_step\": \"%s\", \"fault\": \"%s\"}\n",
	       opt.machine, ver, chip, sum.round_trips, opt.trips,
	       sum.resumed ? "true" : "false", sum.reset_ok ? "true" : "false",
	       sum.boot_s, sum.reset_s, opt.root_fs, sum.mount_s, sum.probe_s,
	       step, opt.fault);
}

static void kill_qemu(struct qemu *q)
{
	if (!q || q->exited || q->pid <= 0)
		return;
	kill(-q->pid, SIGKILL);
	kill(q->pid, SIGKILL);
	waitpid(q->pid, &q->status, 0);
	q->exited = 1;
}

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kill_qemu(cur);
	print_summary();
	print_tail("L2 console", con.tail, con.ntail);
	print_tail("QEMU stderr", qemu_tail, nqemu_tail);
	/* Last, so that it is the line the host quotes. */
	printf("vmm: error: %s\n", msg);
	fflush(stdout);
	exit(1);
}

/* ---- options ---- */

static void set_opt(const char *key, const char *val)
{
	struct { const char *name; char *s; size_t size; int *i; } tab[] = {
		{ "machine", opt.machine, sizeof(opt.machine), NULL },
		{ "root_dev", opt.root_dev, sizeof(opt.root_dev), NULL },
		{ "root_fs", opt.root_fs, sizeof(opt.root_fs), NULL },
		{ "mem", opt.mem, sizeof(opt.mem), NULL },
		{ "fault", opt.fault, sizeof(opt.fault), NULL },
		{ "trips", NULL, 0, &opt.trips },
		{ "hb", NULL, 0, &opt.hb },
		{ "beats", NULL, 0, &opt.beats },
		{ "boot_timeout", NULL, 0, &opt.boot_timeout },
		{ "step_timeout", NULL, 0, &opt.step_timeout },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (strcmp(key, tab[i].name))
			continue;
		if (tab[i].s) {
			snprintf(tab[i].s, tab[i].size, "%s", val);
		} else {
			char *end;
			long v = strtol(val, &end, 10);

			if (*end || v < 1 || v > 86400)
				fail("option %s=%s: want a number 1..86400", key, val);
			*tab[i].i = v;
		}
		return;
	}
	fail("unknown option %s", key);
}

static void parse_opts(int argc, char **argv)
{
	char buf[4096], *tok, *save, *eq;
	int fd, i;
	ssize_t n;

	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) || !(eq = strchr(argv[i], '=')))
			fail("bad argument '%s' (want --key=value)", argv[i]);
		*eq = '\0';
		set_opt(argv[i] + 2, eq + 1);
	}
	fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save)) {
		if (strncmp(tok, "vcpulock_vmm.", 13) || !(eq = strchr(tok, '=')))
			continue;
		*eq = '\0';
		set_opt(tok + 13, eq + 1);
	}
	if (strcmp(opt.machine, "gicv3") && strcmp(opt.machine, "gicv2"))
		fail("machine=%s: want gicv3 or gicv2", opt.machine);
	if (strcmp(opt.fault, "none") && strcmp(opt.fault, "no-heartbeat") &&
	    strcmp(opt.fault, "bad-migration") && strcmp(opt.fault, "hang"))
		fail("fault=%s: want none, no-heartbeat, bad-migration or hang",
		     opt.fault);
}

/* ---- L2's console ---- */

static int parse_beat(const char *line, struct beat *b)
{
	return sscanf(line, "vmm-l2: hb %lu up_ms=%lld timer=%lu,%lu ipi=%lu,%lu msi=%lu pp=%lu",
		      &b->n, &b->up_ms, &b->timer[0], &b->timer[1], &b->ipi[0],
		      &b->ipi[1], &b->msi, &b->pp) == 8;
}

static void check_beat(const struct beat *b)
{
	const struct beat *p = &con.last;
	const char *what = NULL;

	if (con.violation[0])
		return;
	if (!con.have_last) {
		if (b->n != 1)
			snprintf(con.violation, sizeof(con.violation),
				 "the first heartbeat after a boot is %lu, not 1", b->n);
		return;
	}
	if (b->n != p->n + 1) {
		snprintf(con.violation, sizeof(con.violation),
			 "heartbeat %lu follows %lu (not monotonic by one)", b->n, p->n);
		return;
	}
	if (b->up_ms <= p->up_ms)
		what = "L2's clock (up_ms)";
	else if (b->timer[0] <= p->timer[0])
		what = "CPU 0 timer interrupts";
	else if (b->timer[1] <= p->timer[1])
		what = "CPU 1 timer interrupts";
	else if (b->ipi[0] <= p->ipi[0])
		what = "IPIs received by CPU 0";
	else if (b->ipi[1] <= p->ipi[1])
		what = "IPIs received by CPU 1";
	else if (b->msi <= p->msi)
		what = "virtio-rng MSIs";
	else if (b->pp <= p->pp)
		what = "ping-pong rounds";
	if (what)
		snprintf(con.violation, sizeof(con.violation),
			 "heartbeat %lu: %s did not advance since heartbeat %lu",
			 b->n, what, p->n);
}

static void console_line(char *line)
{
	struct beat b;
	size_t len = strlen(line);

	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		line[--len] = '\0';
	printf("l2| %s\n", line);
	add_tail(con.tail, &con.ntail, line);

	if (!strncmp(line, "vmm-l2: start", 13)) {
		con.boots++;
		con.have_last = 0;
	} else if (!strncmp(line, "vmm-l2: msi chip ", 17)) {
		snprintf(con.msi_chip, sizeof(con.msi_chip), "%s", line + 17);
	} else if (!strncmp(line, "vmm-l2: error", 13) && !con.error[0]) {
		snprintf(con.error, sizeof(con.error), "L2 says: %s", line + 8);
	} else if (strstr(line, "Kernel panic") && !con.error[0]) {
		snprintf(con.error, sizeof(con.error), "L2 panicked: %s", line);
	} else if (parse_beat(line, &b)) {
		check_beat(&b);
		con.last = b;
		con.have_last = 1;
		con.beats++;
	}
}

static void qemu_err_line(char *line)
{
	printf("l2-qemu| %s\n", line);
	add_tail(qemu_tail, &nqemu_tail, line);
}

static void qmp_line(struct qemu *q, char *line)
{
	if (strstr(line, "\"event\"")) {
		if (!strstr(line, "\"MIGRATION_PASS\""))
			printf("vmm: qmp event: %s\n", line);
		return;
	}
	snprintf(q->reply, sizeof(q->reply), "%s", line);
	q->have_reply = 1;
}

/* Feed @n bytes to @lb, calling @fn for every complete line. */
static void feed(struct linebuf *lb, const char *data, size_t n,
		 void (*fn)(struct qemu *, char *), struct qemu *q)
{
	while (n--) {
		char c = *data++;

		if (c == '\n' || lb->len == sizeof(lb->buf) - 1) {
			lb->buf[lb->len] = '\0';
			fn(q, lb->buf);
			lb->len = 0;
			if (c == '\n')
				continue;
		}
		lb->buf[lb->len++] = c;
	}
}

static void console_fn(struct qemu *q, char *l) { (void)q; console_line(l); }
static void err_fn(struct qemu *q, char *l) { (void)q; qemu_err_line(l); }
static void qmp_fn(struct qemu *q, char *l) { qmp_line(q, l); }

static void read_into(int *fd, struct linebuf *lb,
		      void (*fn)(struct qemu *, char *), struct qemu *q)
{
	char buf[4096];
	ssize_t n;

	for (;;) {
		n = read(*fd, buf, sizeof(buf));
		if (n > 0) {
			feed(lb, buf, n, fn, q);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		close(*fd);
		*fd = -1;
		return;
	}
}

/* One round of I/O for @q, waiting at most until @until (ms). */
static void pump(struct qemu *q, long long until)
{
	struct pollfd fds[3];
	int nfds = 0, io = -1, ie = -1, iq = -1, wait;
	long long now = now_ms();

	wait = until > now ? (int)(until - now) : 0;
	if (wait > 100)
		wait = 100;
	if (q->out >= 0) {
		io = nfds;
		fds[nfds++] = (struct pollfd){ q->out, POLLIN, 0 };
	}
	if (q->err >= 0) {
		ie = nfds;
		fds[nfds++] = (struct pollfd){ q->err, POLLIN, 0 };
	}
	if (q->qmp >= 0) {
		iq = nfds;
		fds[nfds++] = (struct pollfd){ q->qmp, POLLIN, 0 };
	}
	if (poll(fds, nfds, wait) < 0 && errno != EINTR)
		fail("poll: %s", strerror(errno));
	if (io >= 0 && fds[io].revents)
		read_into(&q->out, &con.lb, console_fn, q);
	if (ie >= 0 && fds[ie].revents)
		read_into(&q->err, &q->errlb, err_fn, q);
	if (iq >= 0 && fds[iq].revents)
		read_into(&q->qmp, &q->qmplb, qmp_fn, q);
	if (!q->exited && waitpid(q->pid, &q->status, WNOHANG) == q->pid) {
		long long end = now_ms() + 1000;

		q->exited = 1;
		/* What it said last is usually the reason. */
		while ((q->out >= 0 || q->err >= 0) && now_ms() < end) {
			if (q->out >= 0)
				read_into(&q->out, &con.lb, console_fn, q);
			if (q->err >= 0)
				read_into(&q->err, &q->errlb, err_fn, q);
			usleep(10000);
		}
	}
}

static const char *exit_text(int status)
{
	static char buf[64];

	if (WIFSIGNALED(status))
		snprintf(buf, sizeof(buf), "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, sizeof(buf), "exit status %d", WEXITSTATUS(status));
	return buf;
}

/* The QEMU died: name the KVM error if it printed one. */
static void __attribute__((noreturn)) qemu_died(struct qemu *q, const char *during)
{
	const char *why = "";
	unsigned int i;

	/* Its last line, unless a vGIC attribute access failed before. */
	for (i = nqemu_tail > TAIL_LINES ? nqemu_tail - TAIL_LINES : 0; i < nqemu_tail; i++) {
		const char *l = qemu_tail[i % TAIL_LINES];

		why = l;
		if (strstr(l, "_DEVICE_ATTR failed"))
			break;
	}
	fail("%s: QEMU %d exited (%s)%s%s", during, q->id, exit_text(q->status),
	     *why ? ": " : "", why);
}

static void check_l2(struct qemu *q, const char *during)
{
	if (con.error[0])
		fail("%s: %s", during, con.error);
	if (con.violation[0])
		fail("%s: %s", during, con.violation);
	if (q->exited)
		qemu_died(q, during);
}

/* ---- QEMU and QMP ---- */

/* What QEMU @q has traced so far (the trace file is flushed per event). */
static struct attrs attrs_now(const struct qemu *q)
{
	struct attrs a = { 0 };
	char path[96], line[512];
	FILE *f;

	snprintf(path, sizeof(path), ROOT "%s", q->trace);
	f = fopen(path, "re");
	if (!f)
		return a;
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, "kvm_device_ioctl"))
			continue;
		if (strstr(line, KVM_SET_DEVICE_ATTR_NR))
			a.set++;
		else if (strstr(line, KVM_GET_DEVICE_ATTR_NR))
			a.get++;
		else if (strstr(line, KVM_HAS_DEVICE_ATTR_NR))
			a.has++;
	}
	fclose(f);
	return a;
}

static void attrs_json(char *buf, size_t size, struct attrs a, struct attrs b)
{
	snprintf(buf, size, "{\"get\": %lu, \"set\": %lu, \"has\": %lu}",
		 b.get - a.get, b.set - a.set, b.has - a.has);
}

static pid_t spawn(char *const argv[], int *out, int *err)
{
	static char *const envp[] = {
		"PATH=/usr/bin:/bin:/usr/sbin:/sbin", "HOME=/tmp", "TMPDIR=/tmp",
		NULL,
	};
	int po[2], pe[2], null;
	pid_t pid;

	if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC))
		fail("pipe: %s", strerror(errno));
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (!pid) {
		setpgid(0, 0);
		if (null < 0 || dup2(null, 0) < 0 || dup2(po[1], 1) < 0 ||
		    dup2(pe[1], 2) < 0)
			_exit(126);
		if (chroot(ROOT) || chdir("/")) {
			dprintf(2, "chroot %s: %s\n", ROOT, strerror(errno));
			_exit(127);
		}
		execve(argv[0], argv, envp);
		dprintf(2, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	close(po[1]);
	close(pe[1]);
	if (null >= 0)
		close(null);
	fcntl(po[0], F_SETFL, O_NONBLOCK);
	fcntl(pe[0], F_SETFL, O_NONBLOCK);
	*out = po[0];
	*err = pe[0];
	return pid;
}

static void qemu_version_probe(void)
{
	char *argv[] = { QEMU_BIN, "--version", NULL };
	struct qemu q = { .id = 0, .qmp = -1 };
	long long t0 = now_ms(), end = t0 + opt.step_timeout * 1000LL;
	char *nl;

	q.pid = spawn(argv, &q.out, &q.err);
	/* Its stdout is no L2 console: read it by hand. */
	{
		char buf[512];
		size_t len = 0;
		ssize_t n;

		while (now_ms() < end && len < sizeof(buf) - 1) {
			struct pollfd p = { q.out, POLLIN, 0 };

			if (poll(&p, 1, 100) <= 0)
				continue;
			n = read(q.out, buf + len, sizeof(buf) - 1 - len);
			if (n <= 0)
				break;
			len += n;
		}
		buf[len] = '\0';
		close(q.out);
		q.out = -1;
		if (waitpid(q.pid, &q.status, 0) != q.pid || !WIFEXITED(q.status) ||
		    WEXITSTATUS(q.status)) {
			q.exited = 1;
			while (q.err >= 0)
				read_into(&q.err, &q.errlb, err_fn, &q);
			qemu_died(&q, QEMU_BIN " --version");
		}
		nl = strchr(buf, '\n');
		if (nl)
			*nl = '\0';
		if (!strncmp(buf, "QEMU emulator version ", 22))
			snprintf(qemu_version, sizeof(qemu_version), "%s", buf + 22);
		else
			snprintf(qemu_version, sizeof(qemu_version), "%s", buf);
	}
	close(q.err);
	sum.probe_s = secs_since(t0);
	printf("vmm: qemu_version %s\n", qemu_version);
	printf("vmm: the first exec of QEMU (--version, cold page cache) took %.2fs\n",
	       sum.probe_s);
}

static int qmp_send(struct qemu *q, const char *json)
{
	size_t len = strlen(json), off = 0;

	while (off < len) {
		ssize_t n = write(q->qmp, json + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += n;
	}
	return write(q->qmp, "\n", 1) == 1 ? 0 : -1;
}

/*
 * QMP is gone: QEMU is most likely on its way out, and its exit status
 * is the error worth reporting.
 */
static void __attribute__((noreturn)) qmp_lost(struct qemu *q, const char *step, const char *what)
{
	long long t = now_ms() + 5000;

	while (!q->exited && now_ms() < t)
		pump(q, t);
	if (q->exited)
		qemu_died(q, step);
	fail("%s: QEMU %d %s", step, q->id, what);
}

/* Run one QMP command; returns the reply line; fails the run on error. */
static const char *qmp(struct qemu *q, const char *json, int timeout_s,
		       const char *step)
{
	long long end = now_ms() + timeout_s * 1000LL;
	char what[256];

	q->have_reply = 0;
	if (q->exited)
		qemu_died(q, step);
	if (q->qmp < 0)
		qmp_lost(q, step, "closed its QMP connection");
	if (qmp_send(q, json)) {
		snprintf(what, sizeof(what), "did not take %s on QMP: %s",
			 json, strerror(errno));
		qmp_lost(q, step, what);
	}
	while (!q->have_reply) {
		if (q->exited)
			qemu_died(q, step);
		if (q->qmp < 0)
			qmp_lost(q, step, "closed its QMP connection");
		if (now_ms() >= end)
			fail("%s: QEMU %d did not answer %s within %ds (hung?)",
			     step, q->id, json, timeout_s);
		pump(q, end);
	}
	if (strstr(q->reply, "\"error\""))
		fail("%s: %s failed: %s", step, json, q->reply);
	return q->reply;
}

static void qmp_connect(struct qemu *q, int timeout_s, const char *step)
{
	long long end = now_ms() + timeout_s * 1000LL;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	snprintf(sa.sun_path, sizeof(sa.sun_path), ROOT "%s", q->sock);
	for (;;) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0)
			fail("socket: %s", strerror(errno));
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
			fcntl(fd, F_SETFL, O_NONBLOCK);
			q->qmp = fd;
			break;
		}
		close(fd);
		if (q->exited)
			qemu_died(q, step);
		if (now_ms() >= end)
			fail("%s: no QMP socket %s from QEMU %d within %ds (hung?)",
			     step, sa.sun_path, q->id, timeout_s);
		pump(q, now_ms() + 50);
	}
	/* The greeting comes first, unasked. */
	q->have_reply = 0;
	while (!q->have_reply) {
		if (q->exited)
			qemu_died(q, step);
		if (now_ms() >= end)
			fail("%s: no QMP greeting from QEMU %d within %ds (hung?)",
			     step, q->id, timeout_s);
		pump(q, end);
	}
	qmp(q, "{\"execute\": \"qmp_capabilities\"}", timeout_s, step);
}

static struct qemu *qemu_start(int incoming, const char *step)
{
	static char machine[64], append[256], qmp_arg[128], trace_arg[128];
	struct qemu *q = calloc(1, sizeof(*q));
	char *argv[48];
	int n = 0;

	if (!q)
		fail("out of memory");
	q->id = next_id++;
	q->qmp = -1;
	snprintf(q->sock, sizeof(q->sock), "/tmp/qmp%d.sock", q->id);
	snprintf(qmp_arg, sizeof(qmp_arg), "unix:%s,server=on,wait=off", q->sock);
	snprintf(q->trace, sizeof(q->trace), "/tmp/qemu%d.trace", q->id);
	snprintf(trace_arg, sizeof(trace_arg), "enable=kvm_device_ioctl,file=%s", q->trace);
	snprintf(machine, sizeof(machine), "%s",
		 strcmp(opt.machine, "gicv3") ? "virt,gic-version=2" :
		 "virt,gic-version=3,its=on");
	snprintf(append, sizeof(append),
		 "console=ttyAMA0 quiet panic=0 rng_core.default_quality=0%s",
		 strcmp(opt.fault, "no-heartbeat") ? "" : " vmm_l2.hb=0");
	argv[n++] = QEMU_BIN;
	argv[n++] = "-nodefaults";
	argv[n++] = "-no-user-config";
	argv[n++] = "-display";
	argv[n++] = "none";
	argv[n++] = "-machine";
	argv[n++] = machine;
	argv[n++] = "-accel";
	argv[n++] = "kvm";
	argv[n++] = "-cpu";
	argv[n++] = "host";
	argv[n++] = "-smp";
	argv[n++] = "2";
	argv[n++] = "-m";
	argv[n++] = opt.mem;
	argv[n++] = "-kernel";
	argv[n++] = L2_KERNEL;
	argv[n++] = "-initrd";
	argv[n++] = L2_INITRD;
	argv[n++] = "-append";
	argv[n++] = append;
	argv[n++] = "-serial";
	argv[n++] = "stdio";
	argv[n++] = "-monitor";
	argv[n++] = "none";
	argv[n++] = "-qmp";
	argv[n++] = qmp_arg;
	argv[n++] = "-device";
	argv[n++] = "virtio-rng-pci";
	argv[n++] = "-trace";
	argv[n++] = trace_arg;
	if (incoming) {
		argv[n++] = "-S";
		argv[n++] = "-incoming";
		argv[n++] = "defer";
	}
	argv[n] = NULL;

	printf("vmm: QEMU %d:", q->id);
	for (n = 0; argv[n]; n++)
		printf(" %s", argv[n]);
	printf("\n");
	q->pid = spawn(argv, &q->out, &q->err);
	cur = q;
	qmp_connect(q, opt.step_timeout, step);
	return q;
}

static void qemu_quit(struct qemu *q, const char *step)
{
	long long end = now_ms() + opt.step_timeout * 1000LL;

	q->have_reply = 0;
	/* A QEMU that has closed QMP is leaving anyway: judge its exit. */
	if (q->qmp >= 0)
		qmp_send(q, "{\"execute\": \"quit\"}");
	while (!q->exited) {
		if (now_ms() >= end)
			fail("%s: QEMU %d did not exit within %ds of quit (hung?)",
			     step, q->id, opt.step_timeout);
		pump(q, end);
	}
	if (!WIFEXITED(q->status) || WEXITSTATUS(q->status))
		fail("%s: QEMU %d quit with %s", step, q->id, exit_text(q->status));
	if (q->out >= 0)
		close(q->out);
	if (q->err >= 0)
		close(q->err);
	if (q->qmp >= 0)
		close(q->qmp);
	cur = NULL;
	free(q);
}

/* "status": "..." of a query-migrate reply (empty before any migration). */
static void migrate_status(const char *reply, char *st, size_t size)
{
	const char *p = strstr(reply, "\"status\": \"");

	st[0] = '\0';
	if (p)
		snprintf(st, size, "%.*s", (int)strcspn(p + 11, "\""), p + 11);
}

static void wait_migration(struct qemu *q, const char *step)
{
	long long end = now_ms() + opt.step_timeout * 1000LL;
	char st[64];

	for (;;) {
		const char *r = qmp(q, "{\"execute\": \"query-migrate\"}",
				    opt.step_timeout, step);

		migrate_status(r, st, sizeof(st));
		if (!strcmp(st, "completed"))
			return;
		if (!strcmp(st, "failed") || !strcmp(st, "cancelled")) {
			const char *e = strstr(r, "\"error-desc\": \"");

			fail("%s: migration %s%s%.*s", step, st, e ? ": " : "",
			     e ? (int)strcspn(e + 15, "\"") : 0, e ? e + 15 : "");
		}
		if (now_ms() >= end)
			fail("%s: migration still '%s' after %ds (hung?)", step, st,
			     opt.step_timeout);
		{
			long long t = now_ms() + 100;

			while (now_ms() < t && !q->exited)
				pump(q, t);
		}
		check_l2(q, step);
	}
}

/* Wait until L2 has beaten @count more times, or up to heartbeat @upto. */
static void wait_beats(struct qemu *q, unsigned long count, unsigned long upto,
		       int timeout_s, const char *step)
{
	long long end = now_ms() + timeout_s * 1000LL;
	unsigned long target = con.beats + count;

	for (;;) {
		check_l2(q, step);
		if (count && con.beats >= target)
			return;
		if (upto && con.have_last && con.last.n >= upto)
			return;
		if (now_ms() >= end) {
			if (!con.beats)
				fail("%s: L2 never reached its heartbeat within %ds "
				     "(no heartbeat at all)", step, timeout_s);
			fail("%s: L2's heartbeat stalled: %lu of %lu more heartbeats "
			     "within %ds (last: %lu)", step,
			     count ? count - (target - con.beats) : 0, count ? count : upto,
			     timeout_s, con.have_last ? con.last.n : 0);
		}
		pump(q, end);
	}
}

/* Let the console go quiet: what L2 printed before "stop" is all read. */
static void drain(struct qemu *q, int ms)
{
	long long end = now_ms() + ms;

	while (now_ms() < end && !q->exited)
		pump(q, end);
}

static void mount_root(void)
{
	static const struct { const char *type, *dir; } fs[] = {
		{ "tmpfs", ROOT "/tmp" }, { "devtmpfs", ROOT "/dev" },
		{ "proc", ROOT "/proc" }, { "sysfs", ROOT "/sys" },
	};
	long long t0 = now_ms();
	size_t i;
	int ret;

	mkdir(ROOT, 0755);
	if (!strcmp(opt.root_fs, "9p"))
		ret = mount(opt.root_dev, ROOT, "9p", MS_RDONLY,
			    "trans=virtio,version=9p2000.L,msize=512000,cache=loose");
	else
		ret = mount(opt.root_dev, ROOT, opt.root_fs, MS_RDONLY, NULL);
	if (ret)
		fail("cannot mount the QEMU root %s (%s) on " ROOT ": %s",
		     opt.root_dev, opt.root_fs, strerror(errno));
	for (i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
		if (mount(fs[i].type, fs[i].dir, fs[i].type, 0, NULL))
			fail("cannot mount %s on %s: %s", fs[i].type, fs[i].dir,
			     strerror(errno));
	}
	sum.mount_s = secs_since(t0);
	printf("vmm: root %s (%s) mounted in %.2fs\n", opt.root_dev, opt.root_fs,
	       sum.mount_s);
}

static void ktap(int ok, int num, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d ", ok ? "" : "not ", num);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void round_trip(struct qemu **qp, int trip)
{
	struct qemu *q = *qp;
	char step[64], path[64], hostpath[80], json[512];
	struct beat before;
	struct attrs a0, a1, b0, b1;
	char save_attrs[128], restore_attrs[128];
	long long t0;
	double stop_s, save_s, quit_s, start_s, restore_s, resume_s;
	struct stat st;
	long long size = -1;

	snprintf(step, sizeof(step), "trip %d: stop", trip);
	snprintf(sum.failed_step, sizeof(sum.failed_step), "%s", step);
	if (!strcmp(opt.fault, "hang") && trip == 1) {
		printf("vmm: fault: SIGSTOP to QEMU %d before stop\n", q->id);
		kill(-q->pid, SIGSTOP);
	}
	a0 = attrs_now(q);
	t0 = now_ms();
	qmp(q, "{\"execute\": \"stop\"}", opt.step_timeout, step);
	stop_s = secs_since(t0);
	drain(q, 500);
	check_l2(q, step);
	if (!con.have_last)
		fail("%s: no heartbeat before the stop", step);
	before = con.last;

	snprintf(step, sizeof(step), "trip %d: save", trip);
	snprintf(sum.failed_step, sizeof(sum.failed_step), "%s", step);
	snprintf(path, sizeof(path), "/tmp/vmm-trip%d.mig", trip);
	snprintf(json, sizeof(json),
		 "{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"exec:cat > %s\"}}",
		 path);
	t0 = now_ms();
	qmp(q, json, opt.step_timeout, step);
	wait_migration(q, step);
	save_s = secs_since(t0);
	a1 = attrs_now(q);
	attrs_json(save_attrs, sizeof(save_attrs), a0, a1);
	if (a1.get == a0.get)
		fail("%s: QEMU %d saved no vGIC state (no KVM_GET_DEVICE_ATTR in %s)",
		     step, q->id, q->trace);
	snprintf(hostpath, sizeof(hostpath), ROOT "%s", path);
	if (!stat(hostpath, &st))
		size = st.st_size;
	if (size <= 0)
		fail("%s: the migration file %s is empty or missing", step, path);

	snprintf(step, sizeof(step), "trip %d: quit", trip);
	snprintf(sum.failed_step, sizeof(sum.failed_step), "%s", step);
	t0 = now_ms();
	qemu_quit(q, step);
	quit_s = secs_since(t0);
	*qp = NULL;

	if (!strcmp(opt.fault, "bad-migration") && trip == 1) {
		printf("vmm: fault: truncating %s to %lld bytes\n", path, size / 2);
		if (truncate(hostpath, size / 2))
			fail("truncate %s: %s", hostpath, strerror(errno));
	}

	snprintf(step, sizeof(step), "trip %d: restore", trip);
	snprintf(sum.failed_step, sizeof(sum.failed_step), "%s", step);
	t0 = now_ms();
	q = qemu_start(1, step);
	*qp = q;
	start_s = secs_since(t0);
	snprintf(json, sizeof(json),
		 "{\"execute\": \"migrate-incoming\", \"arguments\": {\"uri\": \"exec:cat %s\"}}",
		 path);
	b0 = attrs_now(q);
	t0 = now_ms();
	qmp(q, json, opt.step_timeout, step);
	wait_migration(q, step);
	restore_s = secs_since(t0);
	b1 = attrs_now(q);
	attrs_json(restore_attrs, sizeof(restore_attrs), b0, b1);
	if (b1.set == b0.set)
		fail("%s: QEMU %d restored no vGIC state (no KVM_SET_DEVICE_ATTR in %s)",
		     step, q->id, q->trace);
	{
		const char *r = qmp(q, "{\"execute\": \"query-status\"}",
				    opt.step_timeout, step);

		if (strstr(r, "\"running\": true"))
			fail("%s: L2 runs before cont: %s", step, r);
	}

	snprintf(step, sizeof(step), "trip %d: resume", trip);
	snprintf(sum.failed_step, sizeof(sum.failed_step), "%s", step);
	t0 = now_ms();
	qmp(q, "{\"execute\": \"cont\"}", opt.step_timeout, step);
	wait_beats(q, 1, 0, opt.step_timeout, step);
	resume_s = secs_since(t0);
	if (con.last.n != before.n + 1)
		fail("%s: the heartbeat went from %lu to %lu across the migration",
		     step, before.n, con.last.n);
	{
		struct beat after = con.last;

		wait_beats(q, opt.beats - 1 > 0 ? opt.beats - 1 : 1, 0,
			   opt.step_timeout, step);
		unlink(hostpath);
		printf("vmm-json: {\"event\": \"trip\", \"trip\": %d, "
		       "\"heartbeat_before\": %lu, \"heartbeat_after\": %lu, "
		       "\"heartbeat_last\": %lu, \"stop_s\": %.2f, \"save_s\": %.2f, "
		       "\"quit_s\": %.2f, \"qemu_start_s\": %.2f, \"restore_s\": %.2f, "
		       "\"resume_s\": %.2f, \"file_bytes\": %lld, "
		       "\"guest_gap_ms\": %lld, "
		       "\"timer_before\": [%lu, %lu], \"timer_last\": [%lu, %lu], "
		       "\"ipi_before\": [%lu, %lu], \"ipi_last\": [%lu, %lu], "
		       "\"msi_before\": %lu, \"msi_last\": %lu, "
		       "\"device_attr_save\": %s, \"device_attr_restore\": %s}\n",
		       trip, before.n, after.n, con.last.n, stop_s, save_s, quit_s,
		       start_s, restore_s, resume_s, size, after.up_ms - before.up_ms,
		       before.timer[0], before.timer[1], con.last.timer[0],
		       con.last.timer[1], before.ipi[0], before.ipi[1],
		       con.last.ipi[0], con.last.ipi[1], before.msi, con.last.msi,
		       save_attrs, restore_attrs);
	}
	sum.round_trips = trip;
	ktap(1, trip + 1, "round trip %d: heartbeat %lu -> %lu, save %.2fs "
	     "(%lu KVM_GET_DEVICE_ATTR), restore %.2fs (%lu KVM_SET_DEVICE_ATTR)",
	     trip, before.n, before.n + 1, save_s, a1.get - a0.get, restore_s,
	     b1.set - b0.set);
}

int main(int argc, char **argv)
{
	struct qemu *q;
	struct attrs a0, a1;
	char reset_attrs[128];
	long long t0;
	unsigned int boots;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	parse_opts(argc, argv);
	printf("vmm: machine %s, %d round trips, heartbeat %d before the first, "
	       "%d after each; timeouts: boot %ds, step %ds; fault %s\n",
	       opt.machine, opt.trips, opt.hb, opt.beats, opt.boot_timeout,
	       opt.step_timeout, opt.fault);
	if (access("/dev/kvm", R_OK | W_OK))
		fail("no usable /dev/kvm in L1: %s", strerror(errno));

	snprintf(sum.failed_step, sizeof(sum.failed_step), "setup");
	mount_root();
	qemu_version_probe();
	printf("1..%d\n", opt.trips + 2);

	snprintf(sum.failed_step, sizeof(sum.failed_step), "boot");
	t0 = now_ms();
	q = qemu_start(0, "boot");
	wait_beats(q, 0, opt.hb, opt.boot_timeout, "boot");
	sum.boot_s = secs_since(t0);
	printf("vmm-json: {\"event\": \"boot\", \"seconds\": %.2f, \"heartbeat\": %lu}\n",
	       sum.boot_s, con.last.n);
	ktap(1, 1, "L2 booted to heartbeat %lu in %.2fs (MSIs via %s)", con.last.n,
	     sum.boot_s, con.msi_chip[0] ? con.msi_chip : "?");
	if (!strcmp(con.msi_chip, "none") || !con.msi_chip[0])
		fail("boot: L2 found no virtio-rng interrupt in /proc/interrupts");
	if (strstr(con.msi_chip, "MSI") == NULL)
		fail("boot: L2's virtio-rng interrupt is not an MSI (%s)", con.msi_chip);

	for (i = 1; i <= opt.trips; i++)
		round_trip(&q, i);
	sum.resumed = 1;

	snprintf(sum.failed_step, sizeof(sum.failed_step), "system_reset");
	boots = con.boots;
	a0 = attrs_now(q);
	t0 = now_ms();
	qmp(q, "{\"execute\": \"system_reset\"}", opt.step_timeout, "system_reset");
	{
		long long end = now_ms() + opt.boot_timeout * 1000LL;

		while (con.boots == boots) {
			check_l2(q, "system_reset");
			if (now_ms() >= end)
				fail("system_reset: L2 did not boot again within %ds",
				     opt.boot_timeout);
			pump(q, end);
		}
	}
	wait_beats(q, opt.beats, 0, opt.boot_timeout, "system_reset");
	sum.reset_s = secs_since(t0);
	sum.reset_ok = 1;
	a1 = attrs_now(q);
	attrs_json(reset_attrs, sizeof(reset_attrs), a0, a1);
	if (a1.set == a0.set)
		fail("system_reset: QEMU %d rewrote no vGIC register (no "
		     "KVM_SET_DEVICE_ATTR in %s)", q->id, q->trace);
	printf("vmm-json: {\"event\": \"reset\", \"seconds\": %.2f, \"heartbeat\": %lu, "
	       "\"device_attr\": %s}\n", sum.reset_s, con.last.n, reset_attrs);
	ktap(1, opt.trips + 2, "system_reset: L2 booted again, heartbeat 1..%lu in %.2fs",
	     con.last.n, sum.reset_s);

	snprintf(sum.failed_step, sizeof(sum.failed_step), "quit");
	qemu_quit(q, "quit");
	sum.failed_step[0] = '\0';
	print_summary();
	printf("vmm: ok\n");
	return 0;
}
