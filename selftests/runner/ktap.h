/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The runner's pure logic, kept apart from init.c so that the host can
 * unit-test it: the test list, KTAP output, wait status mapping,
 * /proc parsing and /dev/kmsg record decoding.
 */
#ifndef VCPULOCK_KTAP_H
#define VCPULOCK_KTAP_H

#include <stddef.h>
#include <stdio.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif
#ifndef __noreturn
#define __noreturn	__attribute__((noreturn))
#endif

/* Exit codes from tools/testing/selftests/kselftest.h */
#define KSFT_PASS	0
#define KSFT_FAIL	1
#define KSFT_SKIP	4

/* Every diagnostic of the runner's own starts with this. */
#define KTAP_DIAG	"# vcpulock: "

#define KTAP_MAX_ARGS	64		/* per test, path included */
#define KTAP_MAX_TIMEOUT 86400		/* seconds */
#define KTAP_LINE_MAX	4096		/* longer output lines are split */

/* One line of /etc/vcpulock/tests: NAME TIMEOUT_SECONDS PATH [ARGS...] */
struct ktap_test {
	const char *name;
	unsigned int timeout;
	int argc;
	char *argv[KTAP_MAX_ARGS + 1];	/* argv[0] is PATH */
};

/*
 * Parse @line in place. Returns 1 for a test, 0 for a blank or comment
 * line, -1 with *@err set if the line is malformed.
 */
int ktap_parse_test(char *line, struct ktap_test *t, const char **err);

enum ktap_result {
	KTAP_PASS,
	KTAP_SKIP,
	KTAP_FAIL,	/* code is the exit status */
	KTAP_SIGNAL,	/* code is the signal number */
	KTAP_TIMEOUT,	/* code is the timeout in seconds */
};

struct ktap_outcome {
	enum ktap_result result;
	int code;
};

/* Map a waitpid() status; only 0 passes and only KSFT_SKIP skips. */
struct ktap_outcome ktap_outcome_from_wait(int wstatus);
struct ktap_outcome ktap_outcome_timeout(unsigned int seconds);

/* "SIGSEGV", or "SIG<n>" for numbers without a name; @buf holds 16. */
const char *ktap_signame(int sig, char *buf, size_t size);

struct ktap_counts {
	unsigned int pass, fail, skip;
};

void ktap_print_header(FILE *f);
void ktap_print_plan(FILE *f, unsigned int tests);
void ktap_print_bailout(FILE *f, const char *reason);
void ktap_print_test_start(FILE *f, const char *name);
void ktap_print_output(FILE *f, const char *line, size_t len);
void ktap_print_result(FILE *f, unsigned int num, const char *name,
		       struct ktap_outcome o, struct ktap_counts *counts);
void ktap_print_splat(FILE *f, const char *kind, const char *line);
void ktap_print_splat_counts(FILE *f, const unsigned int *counts);
void ktap_print_debug_locks(FILE *f, int debug_locks);
void ktap_print_log_result(FILE *f, unsigned int num, unsigned int splats,
			   int debug_locks, unsigned long overruns,
			   struct ktap_counts *counts);
void ktap_print_totals(FILE *f, const struct ktap_counts *counts);
void ktap_print_done(FILE *f);

/*
 * Cut a test's output stream into "# " lines as it arrives. A line
 * longer than KTAP_LINE_MAX is printed in pieces, never dropped.
 */
struct ktap_linebuf {
	size_t len;
	char buf[KTAP_LINE_MAX];
};

void ktap_linebuf_feed(struct ktap_linebuf *lb, const char *data, size_t n,
		       FILE *f);
void ktap_linebuf_flush(struct ktap_linebuf *lb, FILE *f);

/*
 * Find "key=value" on the kernel command line; returns the value and its
 * length in *@len, or NULL.
 */
const char *ktap_cmdline_find(const char *cmdline, const char *key,
			      size_t *len);
/* Is @name one of the comma separated names in @list[0..@len)? */
int ktap_list_has(const char *list, size_t len, const char *name);

/* debug_locks from /proc/lockdep_stats, or -1 if it is not there */
int ktap_parse_debug_locks(const char *stats);

/*
 * Turn one /dev/kmsg record into console style lines, "[  12.345678] msg",
 * '\n' separated, with the \xNN escapes undone. Returns the length
 * written to @out (always NUL terminated), or -1 if @rec is not a record.
 */
int ktap_kmsg_format(const char *rec, size_t len, char *out, size_t size);

#endif /* VCPULOCK_KTAP_H */
