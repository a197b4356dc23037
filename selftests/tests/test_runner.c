// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the runner's pure helpers (ktap.c) and the log
 * scanner (logscan.c), plus the recorded console logs in tests/logs/:
 * every FOO.log must yield exactly the hits listed in FOO.expected, both
 * in-process and through the logscan binary.
 *
 * test_runner --logscan BIN --logs DIR --sample FILE --out DIR
 *	       [--python PY --pytests DIR]
 *
 * Prints "ok N desc" / "not ok N desc" and ends with "N passed, N failed".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"
#include "logscan.h"

static unsigned int passed, failed;

static void __printf(2, 3) check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %u ", ok ? "" : "not ", passed + failed + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (ok)
		passed++;
	else
		failed++;
}

/* Run @fn against a memstream; returns its output, to be freed. */
static char *capture(void (*fn)(FILE *f, void *arg), void *arg)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		abort();
	fn(f, arg);
	fclose(f);
	return buf;
}

static void check_str(const char *got, const char *want, const char *what)
{
	int ok = !strcmp(got, want);

	check(ok, "%s", what);
	if (!ok)
		printf("# got:  \"%s\"\n# want: \"%s\"\n", got, want);
}

/* logscan */

static const struct {
	enum logscan_kind kind;
	const char *line;
} lines[] = {
	/* lockdep headers, v7.3 kernel/locking/lockdep.c */
	{ LOGSCAN_LOCKDEP,
	  "[   12.345678] WARNING: possible circular locking dependency detected" },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] WARNING: possible recursive locking detected" },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] WARNING: inconsistent lock state" },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] WARNING: possible irq lock inversion dependency detected" },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] WARNING: HARDIRQ-safe -> HARDIRQ-unsafe lock order detected" },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] WARNING: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected" },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] WARNING: chain_key collision" },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] WARNING: Nested lock was not taken" },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] WARNING: bad unlock balance detected!" },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] WARNING: bad contention detected!" },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] WARNING: held lock freed!" },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] WARNING: kvm_vcpu_ioctl/123 still has locks held!" },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] WARNING: lock held when returning to user space!" },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] WARNING: suspicious RCU usage" },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] [ BUG: Invalid wait context ]" },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] INFO: trying to register non-static key." },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] BUG: key ffff000012345678 has not been registered!" },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] BUG: looking up invalid subclass: 9" },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] lockdep:print_shortest_lock_dependencies bad path found in chain graph" },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] BUG: spinlock bad magic on CPU#1, kvm-vcpu-0/211" },
	{ LOGSCAN_LOCKDEP,
	  "[    1.000000] BUG: rwlock wrong owner on CPU#0, qemu/1, ffff0000c0a81230" },
	{ LOGSCAN_LOCKDEP,
	  "[ INFO: possible circular locking dependency detected ]" },
	/* lockdep switching itself off */
	{ LOGSCAN_LOCKDEP_OFF,
	  "[    1.000000] turning off the locking correctness validator." },
	{ LOGSCAN_LOCKDEP_OFF,
	  "[    1.000000] Please attach the output of /proc/lock_stat to the bug report" },
	{ LOGSCAN_LOCKDEP_OFF,
	  "[    1.000000] INFO: lockdep is turned off." },
	{ LOGSCAN_LOCKDEP_OFF,
	  "[    1.000000] BUG: MAX_LOCKDEP_ENTRIES too low!" },
	{ LOGSCAN_LOCKDEP_OFF,
	  "[    1.000000] BUG: MAX_LOCKDEP_CHAIN_HLOCKS too low!" },
	{ LOGSCAN_LOCKDEP_OFF,
	  "[    1.000000] DEBUG_LOCKS_WARN_ON(current->hardirq_context)" },
	{ LOGSCAN_LOCKDEP_OFF,
	  "[    1.000000] lockdep bfs error:-1" },
	/* WARN() in all its formats */
	{ LOGSCAN_WARNING,
	  "[    1.000000] WARNING: arch/arm64/kvm/vgic/vgic-init.c:123 at kvm_vgic_map_resources+0x1c/0x90, CPU#1: vgic_init/231" },
	{ LOGSCAN_WARNING,
	  "[    1.000000] WARNING: at kvm_vgic_map_resources+0x1c/0x90, CPU#1: vgic_init/231" },
	{ LOGSCAN_WARNING,
	  "[    1.000000] WARNING: CPU: 1 PID: 231 at arch/arm64/kvm/arm.c:99 kvm_arch_vcpu_ioctl+0x10/0x20" },
	{ LOGSCAN_NONE,
	  "[    1.000000] ------------[ cut here ]------------" },
	/* BUG */
	{ LOGSCAN_BUG,
	  "[    1.000000] BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580" },
	{ LOGSCAN_BUG,
	  "[    1.000000] BUG: scheduling while atomic: kvm/1/0x00000002" },
	{ LOGSCAN_BUG,
	  "[    1.000000] BUG: KASAN: slab-use-after-free in kvm_vgic_destroy+0x1c/0x90" },
	{ LOGSCAN_BUG,
	  "[    1.000000] BUG: unable to handle page fault for address: ffff8880deadbeef" },
	{ LOGSCAN_BUG,
	  "[    1.000000] BUG: using smp_processor_id() in preemptible [00000000] code: a/1" },
	{ LOGSCAN_BUG,
	  "[    1.000000] kernel BUG at arch/arm64/kvm/mmu.c:1234!" },
	{ LOGSCAN_BUG,
	  "[    1.000000] UBSAN: array-index-out-of-bounds in arch/arm64/kvm/vgic/vgic-mmio.c:10:5" },
	/* oops, panic */
	{ LOGSCAN_OOPS,
	  "[    1.000000] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008" },
	{ LOGSCAN_OOPS,
	  "[    1.000000] Unable to handle kernel paging request at virtual address dead000000000108" },
	{ LOGSCAN_OOPS,
	  "[    1.000000] Internal error: Oops: 0000000096000006 [#1]  SMP" },
	{ LOGSCAN_OOPS,
	  "[    1.000000] Internal error: Oops - BUG: 00000000f2000800 [#1]  SMP" },
	{ LOGSCAN_PANIC,
	  "[    1.000000] Kernel panic - not syncing: Oops: Fatal exception" },
	{ LOGSCAN_NONE,
	  "[    1.000000] ---[ end Kernel panic - not syncing: Oops: Fatal exception ]---" },
	/* hung tasks, stalls, lockups */
	{ LOGSCAN_HUNG_TASK,
	  "[  245.1] INFO: task vgic_init:231 blocked for more than 122 seconds." },
	{ LOGSCAN_HUNG_TASK,
	  "[  245.1] INFO: task kworker/0:1:12 blocked in I/O wait for more than 61 seconds." },
	{ LOGSCAN_NONE,
	  "[  245.1] INFO: task vgic_init:231 is blocked on a mutex likely owned by task vgic_init:230." },
	{ LOGSCAN_RCU_STALL,
	  "[   60.1] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:" },
	{ LOGSCAN_RCU_STALL,
	  "[   60.1] rcu: INFO: rcu_preempt self-detected stall on CPU" },
	{ LOGSCAN_RCU_STALL,
	  "[   60.1] rcu: INFO: rcu_preempt detected expedited stalls on CPUs/tasks: { 1-... } 21003 jiffies s: 201 root: 0x2/." },
	{ LOGSCAN_RCU_STALL,
	  "[   60.1] INFO: rcu_tasks detected stalls on tasks:" },
	{ LOGSCAN_NONE,
	  "[   60.1] rcu: INFO: Stall ended before state dump start" },
	{ LOGSCAN_SOFT_LOCKUP,
	  "[   60.1] watchdog: BUG: soft lockup - CPU#1 stuck for 26s! [vgic_init:231]" },
	{ LOGSCAN_SOFT_LOCKUP,
	  "[   60.1] watchdog: CPU1: Watchdog detected hard LOCKUP on cpu 1" },
	{ LOGSCAN_SOFT_LOCKUP,
	  "[   60.1] BUG: workqueue lockup - pool cpus=1 node=0 flags=0x0 nice=0 stuck for 31s!" },
	/* prefixes */
	{ LOGSCAN_LOCKDEP,
	  "<4>[   12.345678] WARNING: possible recursive locking detected" },
	{ LOGSCAN_LOCKDEP,
	  "4,1234,12345678,-;WARNING: possible recursive locking detected" },
	{ LOGSCAN_LOCKDEP,
	  "4,1234,12345678,-,caller=T231;WARNING: held lock freed!" },
	{ LOGSCAN_LOCKDEP,
	  "[   12.345678][  T231] WARNING: held lock freed!" },
	{ LOGSCAN_SOFT_LOCKUP,
	  "[   12.345678][    C1] watchdog: BUG: soft lockup - CPU#1 stuck for 26s! [a:1]" },
	{ LOGSCAN_LOCKDEP,
	  "WARNING: possible recursive locking detected" },
	{ LOGSCAN_PANIC,
	  "Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100\r" },
	/* a printk in the middle of user output on the console */
	{ LOGSCAN_BUG,
	  "# line 12 of 2[   12.345678] BUG: scheduling while atomic: a/1/0x2" },
	/* things that must not count */
	{ LOGSCAN_NONE,
	  "" },
	{ LOGSCAN_NONE,
	  "[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x000f0510]" },
	{ LOGSCAN_NONE,
	  "[    0.000000] Lock dependency validator: Copyright (c) 2006 Red Hat, Inc., Ingo Molnar" },
	{ LOGSCAN_NONE,
	  "[    0.000000] ... MAX_LOCKDEP_ENTRIES:     32768" },
	{ LOGSCAN_NONE,
	  "[    1.000000] kvm [1]: Hyp nVHE mode initialized successfully" },
	{ LOGSCAN_NONE,
	  "[    1.000000] the existing dependency chain (in reverse order) is:" },
	{ LOGSCAN_NONE,
	  "[    1.000000] ---[ end trace 0000000000000000 ]---" },
	{ LOGSCAN_NONE,
	  "[    1.000000] Call trace:" },
	{ LOGSCAN_NONE,
	  "[    1.000000] no WARNING here" },
	{ LOGSCAN_NONE,
	  "# WARNING: possible circular locking dependency detected" },
	{ LOGSCAN_NONE,
	  "# BUG: this is a test printing BUG:" },
	{ LOGSCAN_NONE,
	  "# ==== Test Assertion Failure ====" },
	{ LOGSCAN_NONE,
	  "#   arm64/vgic_init.c:123: !ret" },
	{ LOGSCAN_NONE,
	  "not ok 3 vgic_init # exit=254" },
	{ LOGSCAN_NONE,
	  "ok 1 kvm_smoke" },
	{ LOGSCAN_NONE,
	  "# selftests: kvm: WARNING" },
	{ LOGSCAN_NONE,
	  "Bail out! no /dev/kvm in the guest" },
	{ LOGSCAN_NONE,
	  "# vcpulock: splat lockdep: [   12.3] WARNING: possible circular locking dependency detected" },
	{ LOGSCAN_NONE,
	  "# vcpulock: debug_locks 0" },
	{ LOGSCAN_NONE,
	  "[ 1.0] rcu: Hierarchical RCU implementation." },
	{ LOGSCAN_NONE,
	  "[ 1.0] rcu: \tRCU lockdep checking is enabled." },
	{ LOGSCAN_NONE,
	  "[ 1.0] watchdog: Delayed init of the lockup detector failed: -19" },
	{ LOGSCAN_NONE,
	  "[ 1.0] INFO: task foo:1 is blocked on a semaphore, but the last holder is not found." },
	{ LOGSCAN_NONE,
	  "[ 1.0] [ 2.0 ] WARNING: not a timestamp" },
};

static void test_logscan(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		enum logscan_kind got = logscan_line(lines[i].line);

		check(got == lines[i].kind, "logscan %s: %.60s",
		      logscan_kind_name(lines[i].kind), lines[i].line);
		if (got != lines[i].kind)
			printf("# got %s\n", logscan_kind_name(got));
	}

	check_str(logscan_message("<4>[   12.345678] msg"), "msg",
		  "logscan_message strips level and timestamp");
	check_str(logscan_message("6,339,5140900,-,caller=T1;msg"), "msg",
		  "logscan_message strips a kmsg header");
	check_str(logscan_message("[    0.000000][    T0] msg"), "msg",
		  "logscan_message strips a caller id");
	check_str(logscan_message("[ BUG: x ]"), "[ BUG: x ]",
		  "logscan_message keeps a bracketed header");
	check_str(logscan_message("12,msg"), "12,msg",
		  "logscan_message keeps a non-kmsg comma line");
	check_str(logscan_kind_name(LOGSCAN_SOFT_LOCKUP), "soft_lockup",
		  "logscan_kind_name");
	check_str(logscan_kind_name(LOGSCAN_NR_KINDS), "unknown",
		  "logscan_kind_name out of range");
}

/* test list */

static void test_parse(void)
{
	struct ktap_test t;
	const char *err = NULL;
	char line[256];
	unsigned int i;
	static const char *const bad[] = {
		"name 10",
		"name 0 /bin/x",
		"name -1 /bin/x",
		"name 10s /bin/x",
		"name 86401 /bin/x",
		"name 10 bin/x",
		"na#me 10 /bin/x",
		"a,b 10 /bin/x",
	};

	snprintf(line, sizeof(line),
		 "  arm64/vgic_init\t120 /kvm/vgic_init -n 4  # comment\n");
	check(ktap_parse_test(line, &t, &err) == 1 &&
	      !strcmp(t.name, "arm64/vgic_init") && t.timeout == 120 &&
	      t.argc == 3 && !strcmp(t.argv[0], "/kvm/vgic_init") &&
	      !strcmp(t.argv[1], "-n") && !strcmp(t.argv[2], "4") &&
	      !t.argv[3], "parse: test line with args and comment");

	snprintf(line, sizeof(line), "%s", "x 1 /x");
	check(ktap_parse_test(line, &t, &err) == 1 && t.argc == 1 &&
	      !t.argv[1], "parse: minimal test line");

	snprintf(line, sizeof(line), "%s", "");
	check(ktap_parse_test(line, &t, &err) == 0, "parse: empty line");
	snprintf(line, sizeof(line), "%s", " \t\r");
	check(ktap_parse_test(line, &t, &err) == 0, "parse: blank line");
	snprintf(line, sizeof(line), "%s", "# x 1 /x");
	check(ktap_parse_test(line, &t, &err) == 0, "parse: comment");

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(line, sizeof(line), "%s", bad[i]);
		err = NULL;
		check(ktap_parse_test(line, &t, &err) == -1 && err,
		      "parse: rejects \"%s\" (%s)", bad[i],
		      err ? err : "no error");
	}

	snprintf(line, sizeof(line), "%s", "x 1 /x");
	for (i = 0; i < KTAP_MAX_ARGS; i++)
		strcat(line, " a");
	check(ktap_parse_test(line, &t, &err) == -1,
	      "parse: rejects too many arguments");
	snprintf(line, sizeof(line), "%s", "x 1 /x");
	for (i = 1; i < KTAP_MAX_ARGS; i++)
		strcat(line, " a");
	check(ktap_parse_test(line, &t, &err) == 1 &&
	      t.argc == KTAP_MAX_ARGS && !t.argv[KTAP_MAX_ARGS],
	      "parse: takes KTAP_MAX_ARGS arguments");
}

/* outcomes and result lines */

static int real_status(int how, int arg)
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		if (how)
			raise(arg);
		_exit(arg);
	}
	waitpid(pid, &status, 0);
	return status;
}

struct result_arg {
	struct ktap_outcome o;
	struct ktap_counts counts;
};

static void print_result(FILE *f, void *arg)
{
	struct result_arg *ra = arg;

	ktap_print_result(f, 7, "arm64/vgic_init", ra->o, &ra->counts);
}

static void test_results(void)
{
	static const struct {
		int how, arg;
		const char *line;
	} cases[] = {
		{ 0, 0, "ok 7 arm64/vgic_init\n" },
		{ 0, 4, "ok 7 arm64/vgic_init # SKIP\n" },
		{ 0, 1, "not ok 7 arm64/vgic_init # exit=1\n" },
		{ 0, 2, "not ok 7 arm64/vgic_init # exit=2\n" },
		{ 0, 254, "not ok 7 arm64/vgic_init # exit=254\n" },
		{ 1, SIGSEGV, "not ok 7 arm64/vgic_init # SIGNAL SIGSEGV\n" },
		{ 1, SIGABRT, "not ok 7 arm64/vgic_init # SIGNAL SIGABRT\n" },
		{ 1, SIGKILL, "not ok 7 arm64/vgic_init # SIGNAL SIGKILL\n" },
	};
	struct result_arg ra = { 0 };
	char buf[16], *out;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ra.o = ktap_outcome_from_wait(real_status(cases[i].how,
							  cases[i].arg));
		out = capture(print_result, &ra);
		check_str(out, cases[i].line, "result line for a real exit");
		free(out);
	}
	check(ra.counts.pass == 1 && ra.counts.skip == 1 &&
	      ra.counts.fail == 6, "result counts");

	ra.o = ktap_outcome_timeout(3);
	out = capture(print_result, &ra);
	check_str(out, "not ok 7 arm64/vgic_init # TIMEOUT 3s\n",
		  "result line for a timeout");
	free(out);

	check_str(ktap_signame(SIGSEGV, buf, sizeof(buf)), "SIGSEGV",
		  "signame SIGSEGV");
	check_str(ktap_signame(77, buf, sizeof(buf)), "SIG77",
		  "signame without a name");
}

struct log_arg {
	unsigned int splats;
	int debug_locks;
	unsigned long overruns;
};

static void print_log_result(FILE *f, void *arg)
{
	struct log_arg *la = arg;

	ktap_print_log_result(f, 4, la->splats, la->debug_locks,
			      la->overruns, NULL);
}

static void test_log_result(void)
{
	static const struct {
		struct log_arg la;
		const char *line;
	} cases[] = {
		{ { 0, 1, 0 }, "ok 4 kernel_log_clean\n" },
		{ { 0, -1, 0 }, "ok 4 kernel_log_clean\n" },
		{ { 2, 1, 0 }, "not ok 4 kernel_log_clean # splats=2\n" },
		{ { 2, 0, 0 },
		  "not ok 4 kernel_log_clean # splats=2 debug_locks=0\n" },
		{ { 0, 0, 0 },
		  "not ok 4 kernel_log_clean # splats=0 debug_locks=0\n" },
		{ { 0, 1, 3 },
		  "not ok 4 kernel_log_clean # splats=0 kmsg_overruns=3\n" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *out = capture(print_log_result,
				    (void *)&cases[i].la);

		check_str(out, cases[i].line, "kernel_log_clean line");
		free(out);
	}
}

/* streaming output */

struct feed_arg {
	const char *data;
	size_t len;
	size_t chunk;
};

static void feed(FILE *f, void *arg)
{
	struct feed_arg *fa = arg;
	struct ktap_linebuf *lb = calloc(1, sizeof(*lb));
	size_t off, n;

	for (off = 0; off < fa->len; off += n) {
		n = fa->len - off < fa->chunk ? fa->len - off : fa->chunk;
		ktap_linebuf_feed(lb, fa->data + off, n, f);
	}
	ktap_linebuf_flush(lb, f);
	free(lb);
}

static void test_linebuf(void)
{
	struct feed_arg fa;
	size_t i, longlen = 3 * KTAP_LINE_MAX + 17, chunks[] = { 1, 7, 4096 };
	char *data, *want, *out, *p;

	fa.data = "one\ntwo\r\n\nthree";
	fa.len = strlen(fa.data);
	for (i = 0; i < 3; i++) {
		fa.chunk = chunks[i];
		out = capture(feed, &fa);
		check_str(out, "# one\n# two\n# \n# three\n",
			  "linebuf: lines, CRLF, empty line, no final newline");
		free(out);
	}

	/* A line of 3 buffers and a bit: split in 4, no byte lost. */
	data = malloc(longlen + 3);
	for (i = 0; i < longlen; i++)
		data[i] = 'a' + i % 26;
	strcpy(data + longlen, "\nz");
	want = malloc(longlen + 64);
	p = want;
	for (i = 0; i < longlen; i += KTAP_LINE_MAX) {
		size_t n = longlen - i < KTAP_LINE_MAX ? longlen - i :
							 KTAP_LINE_MAX;

		p += sprintf(p, "# %.*s\n", (int)n, data + i);
	}
	strcpy(p, "# z\n");
	fa.data = data;
	fa.len = longlen + 2;
	for (i = 0; i < 3; i++) {
		fa.chunk = chunks[i];
		out = capture(feed, &fa);
		check(!strcmp(out, want),
		      "linebuf: %zu byte line split, chunks of %zu", longlen,
		      chunks[i]);
		free(out);
	}
	free(data);
	free(want);
}

/* /proc parsing and kmsg */

static void test_proc(void)
{
	static const char cmdline[] =
		"console=ttyAMA0 vcpulock.only=a,arm64/b panic=-1 only=x\n";
	static const char stats[] =
		" lock-classes:                         1234 [max: 8192]\n"
		" hardirq-unsafe locks:                   40\n"
		" debug_locks:                             1\n"
		" zapped classes:                          0\n";
	const char *v;
	size_t len = 0;

	v = ktap_cmdline_find(cmdline, "vcpulock.only", &len);
	check(v && len == 9 && !strncmp(v, "a,arm64/b", len),
	      "cmdline: finds vcpulock.only");
	v = ktap_cmdline_find(cmdline, "only", &len);
	check(v && len == 1 && *v == 'x', "cmdline: whole words only");
	check(!ktap_cmdline_find(cmdline, "vcpulock", &len),
	      "cmdline: absent key");
	v = ktap_cmdline_find("vcpulock.only=", "vcpulock.only", &len);
	check(v && !len, "cmdline: empty value");

	check(ktap_list_has("a,arm64/b", 9, "a") &&
	      ktap_list_has("a,arm64/b", 9, "arm64/b") &&
	      !ktap_list_has("a,arm64/b", 9, "arm64") &&
	      !ktap_list_has("a,arm64/b", 9, "b") &&
	      !ktap_list_has("a,arm64/b", 1, "arm64/b"),
	      "list_has: exact names only");

	check(ktap_parse_debug_locks(stats) == 1, "debug_locks: 1");
	check(ktap_parse_debug_locks(" debug_locks:   0\n") == 0,
	      "debug_locks: 0");
	check(ktap_parse_debug_locks(" lock-classes: 1\n") == -1,
	      "debug_locks: absent");
	check(ktap_parse_debug_locks("x debug_locks: 0\n") == -1,
	      "debug_locks: only at a line start");
}

static void test_kmsg(void)
{
	static const char rec1[] =
		"4,1234,12345678,-;WARNING: held lock freed!\n";
	static const char rec2[] =
		"4,77,5000001,-,caller=T1;a\\x0ab\\x5cc\n SUBSYSTEM=x\n";
	char out[128];
	int n;

	n = ktap_kmsg_format(rec1, strlen(rec1), out, sizeof(out));
	check(n > 0 && !strcmp(out, "[   12.345678] WARNING: held lock freed!"),
	      "kmsg: record to console line");
	n = ktap_kmsg_format(rec2, strlen(rec2), out, sizeof(out));
	check(n > 0 && !strcmp(out, "[    5.000001] a\n[    5.000001] b\\c"),
	      "kmsg: escapes, multi-line record, dictionary dropped");
	n = ktap_kmsg_format("hello", 5, out, sizeof(out));
	check(n == -1, "kmsg: not a record");
	n = ktap_kmsg_format(rec1, strlen(rec1), out, 10);
	check(n == 9 && strlen(out) == 9, "kmsg: truncates to the buffer");
	check(logscan_line("[   12.345678] WARNING: held lock freed!") ==
	      LOGSCAN_LOCKDEP, "kmsg: formatted line scans");
}

/* sample KTAP for the python parser */

static void feed_str(struct ktap_linebuf *lb, const char *s, FILE *f)
{
	ktap_linebuf_feed(lb, s, strlen(s), f);
}

/* The runner's output for a made-up run, through the runner's functions. */
static void write_sample(FILE *f, void *arg)
{
	static const char *const splat_lines[] = {
		"[  101.234567] WARNING: possible circular locking dependency detected",
		"[  101.300000] turning off the locking correctness validator.",
	};
	unsigned int counts[LOGSCAN_NR_KINDS] = { 0 };
	struct ktap_counts c = { 0 };
	struct ktap_linebuf lb = { 0 };
	unsigned int i;

	(void)arg;
	ktap_print_header(f);
	fputs(KTAP_DIAG "kernel 7.3.4 #1 SMP PREEMPT aarch64\n", f);
	fputs(KTAP_DIAG "/dev/kvm: KVM_GET_API_VERSION 12\n", f);
	ktap_print_plan(f, 6);

	ktap_print_test_start(f, "arm64/arch_timer");
	feed_str(&lb, "TAP version 13\n1..2\nok 1 vtimer\nok 2 ptimer\n", f);
	feed_str(&lb,
		 "# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0\n", f);
	ktap_linebuf_flush(&lb, f);
	ktap_print_result(f, 1, "arm64/arch_timer",
			  ktap_outcome_from_wait(0), &c);

	ktap_print_test_start(f, "arm64/vgic_lpi_stress");
	feed_str(&lb, "1..0 # SKIP ITS not supported\n", f);
	ktap_linebuf_flush(&lb, f);
	ktap_print_result(f, 2, "arm64/vgic_lpi_stress",
			  ktap_outcome_from_wait(KSFT_SKIP << 8), &c);

	ktap_print_test_start(f, "arm64/vgic_init");
	feed_str(&lb, "==== Test Assertion Failure ====\n", f);
	feed_str(&lb, "  arm64/vgic_init.c:123: !ret\n", f);
	/* no newline: flushed by ktap_linebuf_flush() */
	feed_str(&lb, "  pid=231 tid=231 errno=16 - Device or resource busy", f);
	ktap_linebuf_flush(&lb, f);
	ktap_print_result(f, 3, "arm64/vgic_init",
			  ktap_outcome_from_wait(254 << 8), &c);

	ktap_print_test_start(f, "arm64/set_id_regs");
	ktap_print_result(f, 4, "arm64/set_id_regs",
			  ktap_outcome_from_wait(SIGSEGV), &c);

	ktap_print_test_start(f, "arm64/vcpu_width_config");
	feed_str(&lb, "sleeping\n", f);
	ktap_print_result(f, 5, "arm64/vcpu_width_config",
			  ktap_outcome_timeout(3), &c);

	for (i = 0; i < 2; i++) {
		enum logscan_kind kind = logscan_line(splat_lines[i]);

		counts[kind]++;
		ktap_print_splat(f, logscan_kind_name(kind), splat_lines[i]);
	}
	ktap_print_splat_counts(f, counts);
	fputs(KTAP_DIAG "tainted 0\n", f);
	ktap_print_debug_locks(f, 0);
	ktap_print_log_result(f, 6, 2, 0, 0, &c);
	ktap_print_totals(f, &c);
	ktap_print_done(f);
}

static char *slurp(const char *path)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = fopen(path, "r"), *m;
	int c;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &size);
	while ((c = getc(f)) != EOF)
		putc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

static void test_sample(const char *committed, const char *outdir)
{
	char *out = capture(write_sample, NULL), *want, path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/runner-sample.ktap", outdir);
	f = fopen(path, "w");
	if (f) {
		fputs(out, f);
		fclose(f);
	}
	check(f != NULL, "sample KTAP written to %s", path);

	want = slurp(committed);
	check(want && !strcmp(out, want), "sample KTAP matches %s", committed);
	if (want && strcmp(out, want))
		printf("# diff -u %s %s\n", committed, path);
	free(want);
	free(out);
}

/* recorded logs */

static char *scan_file(const char *path)
{
	char *buf = NULL;
	size_t bsize = 0;
	FILE *f = fopen(path, "r"), *m;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &bsize);
	logscan_stream(f, m);
	fclose(f);
	fclose(m);
	return buf;
}

/* Say which expected hits were missed and which were extra. */
static void explain(const char *got, const char *want)
{
	const char *p, *nl;

	for (p = want; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		if (!memmem(got, strlen(got), p, nl - p + 1))
			printf("# missed: %.*s\n", (int)(nl - p), p);
	}
	for (p = got; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		if (!memmem(want, strlen(want), p, nl - p + 1))
			printf("# extra: %.*s\n", (int)(nl - p), p);
	}
}

static char *run_cli(const char *logscan, const char *path, int *status)
{
	char *cmd, *buf = NULL;
	size_t size = 0;
	FILE *p, *m;
	int c;

	if (asprintf(&cmd, "'%s' '%s' 2>/dev/null", logscan, path) < 0)
		abort();
	p = popen(cmd, "r");
	free(cmd);
	if (!p)
		return NULL;
	m = open_memstream(&buf, &size);
	while ((c = getc(p)) != EOF)
		putc(c, m);
	fclose(m);
	*status = pclose(p);
	return buf;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_log(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return len > 4 && !strcmp(d->d_name + len - 4, ".log");
}

static void test_logs(const char *dir, const char *logscan)
{
	struct dirent **names;
	char path[4096], expected[4096];
	unsigned int hits_total = 0;
	int i, n, status;

	n = scandir(dir, &names, is_log, by_name);
	check(n > 0, "recorded logs found in %s", dir);
	for (i = 0; i < n; i++) {
		char *got, *want, *cli;
		const char *p;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		snprintf(expected, sizeof(expected), "%.*s.expected",
			 (int)(strlen(path) - 4), path);
		got = scan_file(path);
		want = slurp(expected);
		if (!want) {
			check(0, "%s: no %s", names[i]->d_name, expected);
			free(got);
			free(names[i]);
			continue;
		}
		check(got && !strcmp(got, want), "%s: hits as expected",
		      names[i]->d_name);
		if (got && strcmp(got, want))
			explain(got, want);
		for (p = want; (p = strchr(p, '\n')); p++)
			hits_total++;

		cli = run_cli(logscan, path, &status);
		check(cli && !strcmp(cli, want) && WIFEXITED(status) &&
		      !WEXITSTATUS(status), "%s: logscan binary agrees",
		      names[i]->d_name);
		free(cli);
		free(got);
		free(want);
		free(names[i]);
	}
	free(names);
	printf("# %u expected hits in %d recorded logs\n", hits_total, n);

	snprintf(path, sizeof(path), "%s/does-not-exist.log", dir);
	free(run_cli(logscan, path, &status));
	check(WIFEXITED(status) && WEXITSTATUS(status),
	      "logscan binary fails on a missing file");
}

static void test_python(const char *python, const char *dir,
			const char *outdir)
{
	char *cmd, *line = NULL;
	size_t size = 0;
	int status;
	FILE *p;

	/* The python tests also parse the sample written above. */
	if (asprintf(&cmd,
		     "VCPULOCK_SAMPLE='%s/runner-sample.ktap' '%s' -m unittest "
		     "discover -s '%s' -p 'test_*.py' 2>&1",
		     outdir, python, dir) < 0)
		abort();
	fflush(stdout);
	p = popen(cmd, "r");
	free(cmd);
	if (!p) {
		check(0, "python unittest in %s: popen failed", dir);
		return;
	}
	while (getline(&line, &size, p) >= 0)
		printf("# %s", line);
	free(line);
	status = pclose(p);
	check(WIFEXITED(status) && !WEXITSTATUS(status),
	      "python unittest in %s", dir);
}

int main(int argc, char **argv)
{
	const char *logscan = NULL, *logs = NULL, *sample = NULL;
	const char *out = NULL, *python = NULL, *pytests = NULL;
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--logscan"))
			logscan = argv[i + 1];
		else if (!strcmp(argv[i], "--logs"))
			logs = argv[i + 1];
		else if (!strcmp(argv[i], "--sample"))
			sample = argv[i + 1];
		else if (!strcmp(argv[i], "--out"))
			out = argv[i + 1];
		else if (!strcmp(argv[i], "--python"))
			python = argv[i + 1];
		else if (!strcmp(argv[i], "--pytests"))
			pytests = argv[i + 1];
	}
	if (i != argc || !logscan || !logs || !sample || !out) {
		fprintf(stderr,
			"usage: test_runner --logscan BIN --logs DIR --sample FILE --out DIR\n"
			"                   [--python PY --pytests DIR]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	test_logscan();
	test_parse();
	test_results();
	test_log_result();
	test_linebuf();
	test_proc();
	test_kmsg();
	test_sample(sample, out);
	test_logs(logs, logscan);
	/* PYTHON= (empty) leaves the python tests to their own runner. */
	if (python && *python && pytests)
		test_python(python, pytests, out);

	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
