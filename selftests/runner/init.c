// SPDX-License-Identifier: GPL-2.0
/*
 * init: PID 1 of the vcpulock test initramfs.
 *
 * Mounts the pseudo filesystems, runs the tests listed in
 * /etc/vcpulock/tests one at a time and reports them as KTAP on the
 * console, scans the kernel log for splats, then powers off. The console
 * is the only channel back to the host.
 *
 * The kernel log is read from /dev/kmsg while the tests run, so a long
 * run cannot push a splat out of the ring buffer before it is seen.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"
#include "logscan.h"

#define TEST_LIST	"/etc/vcpulock/tests"
#define ONLY_PARAM	"vcpulock.only"
#define HOLD_VM_PARAM	"vcpulock.hold_vm"
#define KILL_GRACE_MS	10000	/* for a test in D state after SIGKILL */
#define DRAIN_GRACE_MS	2000	/* test gone, its pipe still held open */
#define KMSG_REC_MAX	16384	/* > CONSOLE_EXT_LOG_MAX */

#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_SIZE_BUFFER	10

struct hit {
	enum logscan_kind kind;
	char *line;
};

static int kmsg_fd = -1;
static unsigned long kmsg_overruns;
static struct hit *hits;
static size_t nr_hits, max_hits;
static unsigned int kind_count[LOGSCAN_NR_KINDS];

static void __printf(1, 2) diag(const char *fmt, ...)
{
	va_list ap;

	fputs(KTAP_DIAG, stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void __noreturn poweroff(void);

/* No "runner done" line after this: the host sees a truncated run. */
static void __noreturn out_of_memory(void)
{
	diag("out of memory");
	poweroff();
}

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p)
		out_of_memory();
	return p;
}

/* Whole file, NUL terminated; /proc files report no size, so just read. */
static char *read_file(const char *path)
{
	size_t len = 0, size = 4096;
	char *buf;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = xrealloc(NULL, size);
	for (;;) {
		if (len + 1 == size) {
			size *= 2;
			buf = xrealloc(buf, size);
		}
		n = read(fd, buf + len, size - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			free(buf);
			close(fd);
			errno = err;
			return NULL;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void __noreturn poweroff(void)
{
	fflush(stdout);
	/* Let the UART drain, or the last lines die with the machine. */
	tcdrain(STDOUT_FILENO);
	sync();
	reboot(RB_POWER_OFF);
	diag("reboot: %s", strerror(errno));
	fflush(stdout);
	for (;;)
		pause();
}

static void mount_fs(const char *type, const char *dir)
{
	mkdir(dir, 0755);
	/* EBUSY: devtmpfs already there thanks to CONFIG_DEVTMPFS_MOUNT */
	if (mount(type, dir, type, MS_NOSUID, NULL) && errno != EBUSY)
		diag("mount %s on %s: %s", type, dir, strerror(errno));
}

static void setup_console(void)
{
	int err = 0;

	mkdir("/dev", 0755);
	if (mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, NULL) &&
	    errno != EBUSY)
		err = errno;

	/*
	 * Without a /dev/console in the initramfs the kernel starts us with
	 * no fds at all; get the console now that devtmpfs has one.
	 */
	if (!err) {
		int con = open("/dev/console", O_RDWR | O_NOCTTY);
		int null = open("/dev/null", O_RDWR);

		if (null >= 0 && null != STDIN_FILENO) {
			dup2(null, STDIN_FILENO);
			close(null);
		}
		if (con >= 0) {
			dup2(con, STDOUT_FILENO);
			dup2(con, STDERR_FILENO);
			if (con > STDERR_FILENO)
				close(con);
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (err)
		diag("mount devtmpfs on /dev: %s", strerror(err));
}

static void record_hit(enum logscan_kind kind, const char *line)
{
	if (nr_hits == max_hits) {
		max_hits = max_hits ? 2 * max_hits : 64;
		hits = xrealloc(hits, max_hits * sizeof(*hits));
	}
	hits[nr_hits].kind = kind;
	hits[nr_hits].line = strdup(line);
	if (!hits[nr_hits].line)
		out_of_memory();
	nr_hits++;
	kind_count[kind]++;
}

/* Scan '\n' separated lines; @text is cut up in place. */
static void scan_text(char *text)
{
	char *line, *next;

	for (line = text; line; line = next) {
		enum logscan_kind kind;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		kind = logscan_line(line);
		if (kind != LOGSCAN_NONE)
			record_hit(kind, line);
	}
}

static void drain_kmsg(void)
{
	static char rec[KMSG_REC_MAX], text[5 * KMSG_REC_MAX];
	ssize_t n;

	while (kmsg_fd >= 0) {
		n = read(kmsg_fd, rec, sizeof(rec));
		if (n > 0) {
			if (ktap_kmsg_format(rec, n, text, sizeof(text)) >= 0)
				scan_text(text);
			continue;
		}
		if (!n || errno == EAGAIN)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EPIPE) {
			/* Records were overwritten before we got to them. */
			kmsg_overruns++;
			continue;
		}
		diag("read /dev/kmsg: %s", strerror(errno));
		close(kmsg_fd);
		kmsg_fd = -1;
	}
}

/* Fallback without /dev/kmsg: whatever the ring buffer still holds. */
static void scan_klog(void)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	char *buf, *line, *next;
	int n;

	if (size <= 0) {
		diag("klogctl: %s", strerror(errno));
		return;
	}
	buf = xrealloc(NULL, size + 1);
	n = klogctl(SYSLOG_ACTION_READ_ALL, buf, size);
	if (n < 0) {
		diag("klogctl: %s", strerror(errno));
		free(buf);
		return;
	}
	buf[n] = '\0';
	for (line = buf; line; line = next) {
		enum logscan_kind kind;
		char *msg = line;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* Drop the "<4>" level so the line reads as on the console. */
		if (*msg == '<' && strchr(msg, '>'))
			msg = strchr(msg, '>') + 1;
		kind = logscan_line(msg);
		if (kind != LOGSCAN_NONE)
			record_hit(kind, msg);
	}
	free(buf);
}

/*
 * Open /dev/kvm and, unless vcpulock.hold_vm=0, create a VM that stays
 * open until poweroff. KVM flips the preempt_notifier_key static key
 * whenever the number of VMs goes 0 <-> 1, and QEMU's multi-threaded TCG
 * before 8.1 can keep executing the unpatched copy of a patched call site
 * (fixed by "accel/tcg: Always lock pages before translation"): a vCPU is
 * then sched in without having been sched out, and KVM_BUG_ON()s in
 * kvm_arch_vcpu_load_debug_state_flags(). With one VM always alive the key
 * is flipped once, before any test runs (docs/known-splat-sysregs.md).
 * Return NULL, or why KVM can't be used.
 */
static const char *check_kvm(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	const char *hold = NULL;
	char *cmdline;
	size_t len;
	int version;

	if (fd < 0) {
		diag("open /dev/kvm: %s", strerror(errno));
		return "no /dev/kvm in the guest";
	}
	version = ioctl(fd, KVM_GET_API_VERSION, 0);
	diag("/dev/kvm: KVM_GET_API_VERSION %d", version);

	cmdline = read_file("/proc/cmdline");
	if (cmdline)
		hold = ktap_cmdline_find(cmdline, HOLD_VM_PARAM, &len);
	if (hold && len == 1 && *hold == '0') {
		diag("%s=0: no VM held open", HOLD_VM_PARAM);
	} else if (ioctl(fd, KVM_CREATE_VM, 0) < 0) {
		diag("KVM_CREATE_VM for the VM held open: %s", strerror(errno));
		free(cmdline);
		close(fd);
		return "KVM_CREATE_VM fails in the guest";
	} else {
		diag("holding one VM open for the whole run (%s=0 to not)",
		     HOLD_VM_PARAM);
	}
	free(cmdline);
	close(fd);
	return NULL;
}

/*
 * Read the test list, keeping only the vcpulock.only= tests if given.
 * The tests point into the returned buffer. Returns NULL after a bail out.
 */
static char *load_tests(struct ktap_test **testsp, unsigned int *nrp)
{
	struct ktap_test *tests = NULL;
	const char *only = NULL, *err;
	unsigned int nr = 0, lineno = 0, i;
	char *buf, *cmdline, *line, *next, msg[256];
	size_t only_len = 0;

	buf = read_file(TEST_LIST);
	if (!buf) {
		snprintf(msg, sizeof(msg), "cannot read %s: %s", TEST_LIST,
			 strerror(errno));
		ktap_print_bailout(stdout, msg);
		return NULL;
	}

	cmdline = read_file("/proc/cmdline");
	if (cmdline)
		only = ktap_cmdline_find(cmdline, ONLY_PARAM, &only_len);

	for (line = buf; line; line = next) {
		struct ktap_test t;
		int ret;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		ret = ktap_parse_test(line, &t, &err);
		if (!ret)
			continue;
		if (ret < 0) {
			snprintf(msg, sizeof(msg), "%s:%u: %s", TEST_LIST,
				 lineno, err);
			goto bail;
		}
		for (i = 0; i < nr; i++) {
			if (!strcmp(tests[i].name, t.name)) {
				snprintf(msg, sizeof(msg),
					 "%s:%u: duplicate test %s",
					 TEST_LIST, lineno, t.name);
				goto bail;
			}
		}
		tests = xrealloc(tests, (nr + 1) * sizeof(*tests));
		tests[nr++] = t;
	}

	/* An empty vcpulock.only= is no filter at all. */
	if (only && only_len) {
		const char *p = only, *end = only + only_len;
		unsigned int kept = 0;

		/* A typo in the filter must not look like a clean run. */
		while (p < end) {
			const char *comma = memchr(p, ',', end - p);
			int len = (comma ? comma : end) - p;

			for (i = 0; i < nr; i++) {
				if ((int)strlen(tests[i].name) == len &&
				    !strncmp(tests[i].name, p, len))
					break;
			}
			if (len && i == nr) {
				snprintf(msg, sizeof(msg),
					 "%s: no test named %.*s in %s",
					 ONLY_PARAM, len, p, TEST_LIST);
				goto bail;
			}
			p += len + 1;
		}
		for (i = 0; i < nr; i++) {
			if (ktap_list_has(only, only_len, tests[i].name))
				tests[kept++] = tests[i];
		}
		diag("%s: running %u of %u tests", ONLY_PARAM, kept, nr);
		nr = kept;
	}

	free(cmdline);
	*testsp = tests;
	*nrp = nr;
	return buf;

bail:
	ktap_print_bailout(stdout, msg);
	free(cmdline);
	free(tests);
	free(buf);
	return NULL;
}

static void __noreturn exec_test(const struct ktap_test *t, int out)
{
	static char *const envp[] = {
		"PATH=/bin:/sbin:/usr/bin:/usr/sbin",
		"HOME=/tmp",
		NULL,
	};
	sigset_t none;
	int null;

	/* Own process group, so a timeout can take out its children too. */
	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	null = open("/dev/null", O_RDONLY);
	if (null < 0 || dup2(null, STDIN_FILENO) < 0 ||
	    dup2(out, STDOUT_FILENO) < 0 || dup2(out, STDERR_FILENO) < 0)
		_exit(126);
	if (chdir("/tmp"))
		dprintf(STDERR_FILENO, "vcpulock: chdir /tmp: %s\n",
			strerror(errno));

	execve(t->argv[0], t->argv, envp);
	dprintf(STDERR_FILENO, "vcpulock: exec %s: %s\n", t->argv[0],
		strerror(errno));
	_exit(127);
}

/* Has @pid exited? Leaves it a zombie, so its pid and pgid stay ours. */
static int child_exited(pid_t pid)
{
	siginfo_t si = { 0 };

	if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT))
		return 0;
	return si.si_pid == pid;
}

/* Print each line of @text as a diagnostic, after @prefix */
static void diag_lines(const char *prefix, char *text)
{
	char *line, *next;

	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		diag("%s%s", prefix, line);
	}
}

/* The state and process group of /proc/@dir/stat, after the comm */
static int proc_stat(const char *dir, char *state, pid_t *pgrp)
{
	char path[64], *buf, *p;
	int ok;

	snprintf(path, sizeof(path), "%s/stat", dir);
	buf = read_file(path);
	p = buf ? strrchr(buf, ')') : NULL;
	ok = p && sscanf(p + 1, " %c %*d %d", state, pgrp) == 2;
	free(buf);
	return ok ? 0 : -1;
}

/*
 * A test ran out of time: say where each of its threads is (state, system
 * call, kernel stack), and let lockdep list the locks every task holds
 * (SysRq d), so the console shows where it hung.
 */
static void show_test_tasks(const struct ktap_test *t, pid_t pgid)
{
	char path[64], prefix[32], state;
	struct dirent *pe, *te;
	DIR *procs, *tasks;
	pid_t pid, tid, pgrp;
	char *text;
	int fd;

	diag("%s: timed out after %us; its threads and the held locks follow",
	     t->name, t->timeout);
	procs = opendir("/proc");
	while (procs && (pe = readdir(procs))) {
		pid = atoi(pe->d_name);
		snprintf(path, sizeof(path), "/proc/%d", pid);
		if (pid <= 0 || proc_stat(path, &state, &pgrp) || pgrp != pgid)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", pid);
		tasks = opendir(path);
		while (tasks && (te = readdir(tasks))) {
			tid = atoi(te->d_name);
			snprintf(path, sizeof(path), "/proc/%d/task/%d", pid, tid);
			if (tid <= 0 || proc_stat(path, &state, &pgrp))
				continue;
			snprintf(prefix, sizeof(prefix), "  %d/%d: ", pid, tid);
			snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall",
				 pid, tid);
			text = read_file(path);
			diag("%sstate %c, syscall %s", prefix, state,
			     text ? strtok(text, "\n") : "?");
			free(text);
			snprintf(path, sizeof(path), "/proc/%d/task/%d/stack",
				 pid, tid);
			text = read_file(path);
			diag_lines(prefix, text);
			free(text);
		}
		if (tasks)
			closedir(tasks);
	}
	if (procs)
		closedir(procs);

	fd = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "d", 1) != 1)
		diag("/proc/sysrq-trigger: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
}

static struct ktap_outcome run_test(const struct ktap_test *t)
{
	static struct ktap_linebuf lb;
	static char buf[4096];
	long long deadline, kill_deadline = 0, drain_deadline = 0;
	int pfd[2], pidfd, status = 0, exited = 0, timed_out = 0;
	struct ktap_outcome fail = { KTAP_FAIL, -1 };
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC)) {
		diag("pipe: %s", strerror(errno));
		return fail;
	}
	fflush(stdout);
	pid = fork();
	if (!pid)
		exec_test(t, pfd[1]);
	close(pfd[1]);
	if (pid < 0) {
		diag("fork: %s", strerror(errno));
		close(pfd[0]);
		return fail;
	}
	setpgid(pid, pid);	/* also here: we may kill before it runs */

	/* pidfd wakes poll() on exit; without it, poll in 100ms steps. */
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	deadline = now_ms() + t->timeout * 1000LL;
	lb.len = 0;

	while (pfd[0] >= 0 || !exited) {
		struct pollfd fds[3];
		int nfds = 0, out_i = -1, kmsg_i = -1;
		long long now = now_ms(), until;
		ssize_t n;

		if (!exited && !timed_out && now >= deadline) {
			show_test_tasks(t, pid);
			kill(-pid, SIGKILL);
			timed_out = 1;
			kill_deadline = now + KILL_GRACE_MS;
		}
		if (!exited && timed_out && now >= kill_deadline) {
			diag("%s: pid %d ignored SIGKILL for %ds, moving on",
			     t->name, pid, KILL_GRACE_MS / 1000);
			break;
		}
		if (exited && now >= drain_deadline) {
			diag("%s: output still open after exit, not waiting",
			     t->name);
			break;
		}

		if (exited)
			until = drain_deadline;
		else if (timed_out)
			until = kill_deadline;
		else
			until = deadline;
		if (pidfd < 0 && !exited && until > now + 100)
			until = now + 100;

		if (pfd[0] >= 0) {
			out_i = nfds;
			fds[nfds++] = (struct pollfd){ pfd[0], POLLIN, 0 };
		}
		if (pidfd >= 0 && !exited)
			fds[nfds++] = (struct pollfd){ pidfd, POLLIN, 0 };
		if (kmsg_fd >= 0) {
			kmsg_i = nfds;
			fds[nfds++] = (struct pollfd){ kmsg_fd, POLLIN, 0 };
		}
		if (poll(fds, nfds, until - now) < 0 && errno != EINTR) {
			diag("poll: %s", strerror(errno));
			break;
		}

		if (out_i >= 0 && fds[out_i].revents) {
			n = read(pfd[0], buf, sizeof(buf));
			if (n > 0) {
				ktap_linebuf_feed(&lb, buf, n, stdout);
			} else if (!n || (errno != EINTR && errno != EAGAIN)) {
				ktap_linebuf_flush(&lb, stdout);
				close(pfd[0]);
				pfd[0] = -1;
			}
		}
		if (!exited && child_exited(pid)) {
			/* Leftovers must not run into the next test. */
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			exited = 1;
			drain_deadline = now_ms() + DRAIN_GRACE_MS;
		}
		if (kmsg_i >= 0 && fds[kmsg_i].revents)
			drain_kmsg();
	}

	if (pfd[0] >= 0) {
		ktap_linebuf_flush(&lb, stdout);
		close(pfd[0]);
	}
	if (pidfd >= 0)
		close(pidfd);
	/* We are PID 1: reap whatever the test left behind. */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;

	if (timed_out)
		return ktap_outcome_timeout(t->timeout);
	if (!exited)
		return fail;
	return ktap_outcome_from_wait(status);
}

static int read_debug_locks(void)
{
	char *stats = read_file("/proc/lockdep_stats");
	int ret;

	if (!stats)
		return -1;
	ret = ktap_parse_debug_locks(stats);
	free(stats);
	return ret;
}

static void print_tainted(void)
{
	char *tainted = read_file("/proc/sys/kernel/tainted");

	if (tainted) {
		tainted[strcspn(tainted, "\n")] = '\0';
		diag("tainted %s", tainted);
		free(tainted);
	}
}

int main(void)
{
	struct ktap_counts counts = { 0 };
	struct ktap_test *tests = NULL;
	unsigned int nr = 0, i;
	const char *kvm_error;
	struct utsname uts;
	int debug_locks;
	char *list;

	setup_console();
	mount_fs("proc", "/proc");
	mount_fs("sysfs", "/sys");
	mount_fs("debugfs", "/sys/kernel/debug");
	mount_fs("tmpfs", "/tmp");

	/* From the start of the ring buffer: boot splats count too. */
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	ktap_print_header(stdout);
	if (!uname(&uts))
		diag("kernel %s %s %s", uts.release, uts.version,
		     uts.machine);
	if (kmsg_fd < 0)
		diag("open /dev/kmsg: %s, using syslog(2) at the end",
		     strerror(errno));

	kvm_error = check_kvm();
	if (kvm_error) {
		ktap_print_bailout(stdout, kvm_error);
		goto out;
	}
	list = load_tests(&tests, &nr);
	if (!list)
		goto out;

	ktap_print_plan(stdout, nr + 1);
	for (i = 0; i < nr; i++) {
		long long start = now_ms();
		struct ktap_outcome o;

		ktap_print_test_start(stdout, tests[i].name);
		o = run_test(&tests[i]);
		/* The host's timings come from here (selftests/host/ktap.py) */
		diag("time %s %lld ms", tests[i].name, now_ms() - start);
		ktap_print_result(stdout, i + 1, tests[i].name, o, &counts);
		drain_kmsg();
	}

	if (kmsg_fd >= 0)
		drain_kmsg();
	else
		scan_klog();
	for (i = 0; i < nr_hits; i++)
		ktap_print_splat(stdout, logscan_kind_name(hits[i].kind),
				 hits[i].line);
	ktap_print_splat_counts(stdout, kind_count);
	if (kmsg_overruns)
		diag("kmsg overruns %lu", kmsg_overruns);
	print_tainted();
	debug_locks = read_debug_locks();
	ktap_print_debug_locks(stdout, debug_locks);
	ktap_print_log_result(stdout, nr + 1, nr_hits, debug_locks,
			      kmsg_overruns, &counts);
	ktap_print_totals(stdout, &counts);
out:
	ktap_print_done(stdout);
	poweroff();
}
