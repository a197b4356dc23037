// SPDX-License-Identifier: GPL-2.0
/*
 * l2-init: PID 1 of the L2 guest in the VMM test (selftests/vmm/).
 *
 * Proves, once per heartbeat, that the three kinds of interrupt a migrated
 * vGIC must keep delivering still arrive:
 *
 *  - timer: both vCPUs sleep in nanosleep(), so each takes arch timer
 *    interrupts (the "arch_timer" row of /proc/interrupts, per CPU);
 *  - IPIs: a process pinned to CPU 1 and this one, pinned to CPU 0, play
 *    ping-pong over pipes; every wake-up of the other, idle, vCPU is an IPI
 *    (the IPIn rows, per CPU, received);
 *  - MSI: a blocking read of 256 bytes from /dev/hwrng needs several
 *    virtio-rng-pci requests (the driver buffers 64 bytes), each answered
 *    by an MSI-X: through the ITS on GICv3, through the GICv2m frame on
 *    GICv2 (the "virtio" rows).
 *
 * A heartbeat line is printed only after all three happened in that
 * period; a lost interrupt stops the heartbeat, which the L1 driver sees.
 * The counters live in guest memory, so after a migration they continue.
 *
 *   vmm-l2: hb N up_ms=U timer=T0,T1 ipi=I0,I1 msi=M pp=P
 *
 * Kernel command line: vmm_l2.period_ms=MS (default 300), vmm_l2.hb=0
 * (never beat: the driver's "no heartbeat" error case). A broken setup
 * (one vCPU, no /dev/hwrng) prints "vmm-l2: error: ..." and never beats.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PINGS_PER_BEAT	8
#define MAX_CPUS	8

struct irq_counts {
	unsigned long timer[MAX_CPUS];
	unsigned long ipi[MAX_CPUS];
	unsigned long msi;
	char msi_chip[64];
};

static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	/* One write per line: the driver reads whole lines. */
	if (write(STDOUT_FILENO, buf, n) < 0)
		return;
}

static void __attribute__((noreturn)) stall(const char *why)
{
	say("vmm-l2: error: %s; no heartbeat from here on", why);
	for (;;)
		pause();
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		char why[64];

		snprintf(why, sizeof(why), "cannot pin to CPU %d: %s", cpu,
			 strerror(errno));
		stall(why);
	}
}

static unsigned long cmdline_ul(const char *key, unsigned long def)
{
	char buf[1024], *p;
	ssize_t n;
	int fd;

	fd = open("/proc/cmdline", O_RDONLY);
	if (fd < 0)
		return def;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return def;
	buf[n] = '\0';
	for (p = buf; (p = strstr(p, key)); p++) {
		if ((p == buf || p[-1] == ' ') && p[strlen(key)] == '=')
			return strtoul(p + strlen(key) + 1, NULL, 10);
	}
	return def;
}

/* /proc/interrupts: "IRQ: c0 c1 ... chip hwirq type name" per row. */
static int read_irqs(struct irq_counts *c, int ncpu)
{
	static char buf[16384];
	char *line, *next, *p, *end;
	ssize_t len = 0, n;
	int fd, i;

	memset(c, 0, sizeof(*c));
	fd = open("/proc/interrupts", O_RDONLY);
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';

	for (line = strchr(buf, '\n'); line; line = next) {
		unsigned long cnt[MAX_CPUS] = { 0 };
		int is_ipi;

		line++;
		next = strchr(line, '\n');
		if (next)
			*next = '\0';
		p = line;
		while (*p == ' ')
			p++;
		is_ipi = !strncmp(p, "IPI", 3);
		p = strchr(p, ':');
		if (!p)
			continue;
		p++;
		for (i = 0; i < ncpu; i++) {
			cnt[i] = strtoul(p, &end, 10);
			if (end == p)
				break;
			p = end;
		}
		if (i < ncpu)
			continue;
		if (is_ipi) {
			for (i = 0; i < ncpu; i++)
				c->ipi[i] += cnt[i];
		} else if (strstr(p, "arch_timer")) {
			for (i = 0; i < ncpu; i++)
				c->timer[i] += cnt[i];
		} else if (strstr(p, "virtio")) {
			for (i = 0; i < ncpu; i++)
				c->msi += cnt[i];
			if (!c->msi_chip[0]) {
				while (*p == ' ')
					p++;
				snprintf(c->msi_chip, sizeof(c->msi_chip),
					 "%.*s", (int)strcspn(p, " "), p);
			}
		}
	}
	return 0;
}

/* Pinned to CPU 1: wait for a ping, sleep a little (timer), answer. */
static void __attribute__((noreturn)) ponger(int in, int out)
{
	char b;

	pin(1);
	for (;;) {
		if (read(in, &b, 1) != 1)
			_exit(1);
		sleep_ms(1);
		if (write(out, &b, 1) != 1)
			_exit(1);
	}
}

static void setup(void)
{
	int con;

	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	con = open("/dev/console", O_RDWR | O_NOCTTY);
	if (con >= 0) {
		dup2(con, STDIN_FILENO);
		dup2(con, STDOUT_FILENO);
		dup2(con, STDERR_FILENO);
		if (con > STDERR_FILENO)
			close(con);
	}
	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	if (mount("proc", "/proc", "proc", 0, NULL))
		stall("cannot mount /proc");
	mount("sysfs", "/sys", "sysfs", 0, NULL);
}

int main(void)
{
	int ping[2], pong[2], rng, ncpu, i;
	unsigned long period, hb = 0, pp = 0;
	struct irq_counts c;
	char b = 'p', rbuf[256];
	pid_t pid;

	setup();
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	period = cmdline_ul("vmm_l2.period_ms", 300);
	say("vmm-l2: start cpus=%d period_ms=%lu", ncpu, period);
	if (ncpu < 2)
		stall("the IPI check needs 2 or more vCPUs");
	if (ncpu > MAX_CPUS)
		ncpu = MAX_CPUS;
	rng = open("/dev/hwrng", O_RDONLY);
	if (rng < 0)
		stall("cannot open /dev/hwrng (no virtio-rng device?)");
	if (pipe(ping) || pipe(pong))
		stall("pipe failed");
	pid = fork();
	if (pid < 0)
		stall("fork failed");
	if (!pid)
		ponger(ping[0], pong[1]);
	pin(0);

	if (read(rng, rbuf, sizeof(rbuf)) <= 0)
		stall("cannot read /dev/hwrng");
	if (read_irqs(&c, ncpu))
		stall("cannot read /proc/interrupts");
	say("vmm-l2: msi chip %s", c.msi_chip[0] ? c.msi_chip : "none");
	if (!cmdline_ul("vmm_l2.hb", 1)) {
		/* Silent on purpose: the driver must notice the missing beat. */
		say("vmm-l2: heartbeat off (vmm_l2.hb=0)");
		for (;;)
			pause();
	}

	for (;;) {
		for (i = 0; i < PINGS_PER_BEAT; i++) {
			if (write(ping[1], &b, 1) != 1 ||
			    read(pong[0], &b, 1) != 1)
				stall("the CPU 1 process is gone");
			pp++;
		}
		if (read(rng, rbuf, sizeof(rbuf)) != sizeof(rbuf))
			stall("read /dev/hwrng failed");
		if (read_irqs(&c, ncpu))
			stall("cannot read /proc/interrupts");
		hb++;
		say("vmm-l2: hb %lu up_ms=%lld timer=%lu,%lu ipi=%lu,%lu msi=%lu pp=%lu",
		    hb, now_ms(), c.timer[0], c.timer[1], c.ipi[0], c.ipi[1],
		    c.msi, pp);
		sleep_ms(period);
	}
}
