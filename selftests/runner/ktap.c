// SPDX-License-Identifier: GPL-2.0
/*
 * Pure helpers of the in-guest runner: no syscalls beyond stdio, so the
 * host unit tests exercise exactly what runs in the guest.
 *
 * The output follows tools/testing/selftests/kselftest/runner.sh: a
 * "# selftests: kvm: NAME" header, the test's output behind "# ", then
 * "ok"/"not ok" with "# SKIP", "# exit=RC" or "# TIMEOUT" directives.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "ktap.h"
#include "logscan.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

/* Names end up in KTAP lines and in vcpulock.only= lists. */
static int valid_name(const char *s)
{
	for (; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("._+:/-", *s))
			continue;
		return 0;
	}
	return 1;
}

int ktap_parse_test(char *line, struct ktap_test *t, const char **err)
{
	char *tok[KTAP_MAX_ARGS + 2];
	unsigned long timeout;
	char *p = line, *end;
	int n = 0, i;

	for (;;) {
		while (is_space(*p))
			p++;
		if (!*p || *p == '#')
			break;
		if (n == KTAP_MAX_ARGS + 2) {
			*err = "too many arguments";
			return -1;
		}
		tok[n++] = p;
		while (*p && !is_space(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}

	if (!n)
		return 0;
	if (n < 3) {
		*err = "want NAME TIMEOUT_SECONDS PATH [ARGS...]";
		return -1;
	}
	if (!valid_name(tok[0])) {
		*err = "test name may only use [A-Za-z0-9._+:/-]";
		return -1;
	}
	timeout = strtoul(tok[1], &end, 10);
	if (*end || tok[1][0] == '-' || !timeout ||
	    timeout > KTAP_MAX_TIMEOUT) {
		*err = "timeout must be 1..86400 seconds";
		return -1;
	}
	if (tok[2][0] != '/') {
		*err = "test path must be absolute";
		return -1;
	}

	t->name = tok[0];
	t->timeout = timeout;
	t->argc = n - 2;
	for (i = 0; i < t->argc; i++)
		t->argv[i] = tok[i + 2];
	t->argv[i] = NULL;
	return 1;
}

struct ktap_outcome ktap_outcome_from_wait(int wstatus)
{
	struct ktap_outcome o;

	if (WIFSIGNALED(wstatus)) {
		o.result = KTAP_SIGNAL;
		o.code = WTERMSIG(wstatus);
		return o;
	}

	/*
	 * runner.sh also knows KSFT_XFAIL and KSFT_XPASS, but exit 2 and 3
	 * are ordinary failures for a KVM test; do not let them pass.
	 */
	o.code = WEXITSTATUS(wstatus);
	if (o.code == KSFT_PASS)
		o.result = KTAP_PASS;
	else if (o.code == KSFT_SKIP)
		o.result = KTAP_SKIP;
	else
		o.result = KTAP_FAIL;
	return o;
}

struct ktap_outcome ktap_outcome_timeout(unsigned int seconds)
{
	struct ktap_outcome o = { .result = KTAP_TIMEOUT, .code = seconds };

	return o;
}

static const struct {
	int sig;
	const char *name;
} signames[] = {
	{ SIGHUP, "SIGHUP" },	{ SIGINT, "SIGINT" },
	{ SIGQUIT, "SIGQUIT" },	{ SIGILL, "SIGILL" },
	{ SIGTRAP, "SIGTRAP" },	{ SIGABRT, "SIGABRT" },
	{ SIGBUS, "SIGBUS" },	{ SIGFPE, "SIGFPE" },
	{ SIGKILL, "SIGKILL" },	{ SIGUSR1, "SIGUSR1" },
	{ SIGSEGV, "SIGSEGV" },	{ SIGUSR2, "SIGUSR2" },
	{ SIGPIPE, "SIGPIPE" },	{ SIGALRM, "SIGALRM" },
	{ SIGTERM, "SIGTERM" },	{ SIGCHLD, "SIGCHLD" },
	{ SIGCONT, "SIGCONT" },	{ SIGSTOP, "SIGSTOP" },
	{ SIGTSTP, "SIGTSTP" },	{ SIGTTIN, "SIGTTIN" },
	{ SIGTTOU, "SIGTTOU" },	{ SIGURG, "SIGURG" },
	{ SIGXCPU, "SIGXCPU" },	{ SIGXFSZ, "SIGXFSZ" },
	{ SIGVTALRM, "SIGVTALRM" }, { SIGPROF, "SIGPROF" },
	{ SIGWINCH, "SIGWINCH" }, { SIGIO, "SIGIO" },
	{ SIGPWR, "SIGPWR" },	{ SIGSYS, "SIGSYS" },
};

const char *ktap_signame(int sig, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(signames); i++) {
		if (signames[i].sig == sig)
			return signames[i].name;
	}
	snprintf(buf, size, "SIG%d", sig);
	return buf;
}

void ktap_print_header(FILE *f)
{
	fputs("KTAP version 1\n", f);
}

void ktap_print_plan(FILE *f, unsigned int tests)
{
	fprintf(f, "1..%u\n", tests);
}

void ktap_print_bailout(FILE *f, const char *reason)
{
	fprintf(f, "Bail out! %s\n", reason);
}

void ktap_print_test_start(FILE *f, const char *name)
{
	fprintf(f, "# selftests: kvm: %s\n", name);
}

void ktap_print_output(FILE *f, const char *line, size_t len)
{
	/* The console adds its own CR; a test's "\r\n" would double it. */
	if (len && line[len - 1] == '\r')
		len--;
	fputs("# ", f);
	fwrite(line, 1, len, f);
	fputc('\n', f);
}

static void count(struct ktap_counts *counts, enum ktap_result r)
{
	if (!counts)
		return;
	if (r == KTAP_PASS)
		counts->pass++;
	else if (r == KTAP_SKIP)
		counts->skip++;
	else
		counts->fail++;
}

void ktap_print_result(FILE *f, unsigned int num, const char *name,
		       struct ktap_outcome o, struct ktap_counts *counts)
{
	char buf[16];

	switch (o.result) {
	case KTAP_PASS:
		fprintf(f, "ok %u %s\n", num, name);
		break;
	case KTAP_SKIP:
		fprintf(f, "ok %u %s # SKIP\n", num, name);
		break;
	case KTAP_FAIL:
		fprintf(f, "not ok %u %s # exit=%d\n", num, name, o.code);
		break;
	case KTAP_SIGNAL:
		fprintf(f, "not ok %u %s # SIGNAL %s\n", num, name,
			ktap_signame(o.code, buf, sizeof(buf)));
		break;
	case KTAP_TIMEOUT:
		fprintf(f, "not ok %u %s # TIMEOUT %ds\n", num, name, o.code);
		break;
	}
	count(counts, o.result);
}

void ktap_print_splat(FILE *f, const char *kind, const char *line)
{
	fprintf(f, LOGSCAN_REPORT_PREFIX "%s: %s\n", kind, line);
}

void ktap_print_splat_counts(FILE *f, const unsigned int *counts)
{
	unsigned int total = 0;
	int k;

	for (k = LOGSCAN_NONE + 1; k < LOGSCAN_NR_KINDS; k++)
		total += counts[k];
	fprintf(f, KTAP_DIAG "splats total=%u", total);
	for (k = LOGSCAN_NONE + 1; k < LOGSCAN_NR_KINDS; k++)
		fprintf(f, " %s=%u", logscan_kind_name(k), counts[k]);
	fputc('\n', f);
}

void ktap_print_debug_locks(FILE *f, int debug_locks)
{
	if (debug_locks < 0)
		fputs(KTAP_DIAG "debug_locks unknown\n", f);
	else
		fprintf(f, KTAP_DIAG "debug_locks %d\n", debug_locks);
}

void ktap_print_log_result(FILE *f, unsigned int num, unsigned int splats,
			   int debug_locks, unsigned long overruns,
			   struct ktap_counts *counts)
{
	/*
	 * debug_locks 0 means lockdep stopped looking, and a kmsg overrun
	 * may have eaten a splat: neither log can be called clean.
	 */
	if (!splats && debug_locks && !overruns) {
		fprintf(f, "ok %u kernel_log_clean\n", num);
		count(counts, KTAP_PASS);
		return;
	}
	fprintf(f, "not ok %u kernel_log_clean # splats=%u", num, splats);
	if (!debug_locks)
		fputs(" debug_locks=0", f);
	if (overruns)
		fprintf(f, " kmsg_overruns=%lu", overruns);
	fputc('\n', f);
	count(counts, KTAP_FAIL);
}

void ktap_print_totals(FILE *f, const struct ktap_counts *c)
{
	fprintf(f,
		"# Totals: pass:%u fail:%u xfail:0 xpass:0 skip:%u error:0\n",
		c->pass, c->fail, c->skip);
}

void ktap_print_done(FILE *f)
{
	fputs(KTAP_DIAG "runner done\n", f);
}

void ktap_linebuf_feed(struct ktap_linebuf *lb, const char *data, size_t n,
		       FILE *f)
{
	while (n) {
		const char *nl = memchr(data, '\n', n);
		size_t take = nl ? (size_t)(nl - data) : n;
		size_t room = sizeof(lb->buf) - lb->len;

		if (take >= room) {
			/* Too long: print what fits, keep going. */
			memcpy(lb->buf + lb->len, data, room);
			ktap_print_output(f, lb->buf, sizeof(lb->buf));
			lb->len = 0;
			data += room;
			n -= room;
			continue;
		}
		memcpy(lb->buf + lb->len, data, take);
		lb->len += take;
		data += take;
		n -= take;
		if (nl) {
			ktap_print_output(f, lb->buf, lb->len);
			lb->len = 0;
			data++;
			n--;
		}
	}
}

void ktap_linebuf_flush(struct ktap_linebuf *lb, FILE *f)
{
	if (lb->len)
		ktap_print_output(f, lb->buf, lb->len);
	lb->len = 0;
}

const char *ktap_cmdline_find(const char *cmdline, const char *key,
			      size_t *len)
{
	size_t klen = strlen(key);
	const char *p = cmdline;

	while (*p) {
		const char *end;

		while (is_space(*p))
			p++;
		for (end = p; *end && !is_space(*end); end++)
			;
		if ((size_t)(end - p) > klen && !strncmp(p, key, klen) &&
		    p[klen] == '=') {
			*len = end - p - klen - 1;
			return p + klen + 1;
		}
		p = end;
	}
	return NULL;
}

int ktap_list_has(const char *list, size_t len, const char *name)
{
	size_t nlen = strlen(name);
	const char *end = list + len;

	while (list < end) {
		const char *comma = memchr(list, ',', end - list);
		size_t ilen = (comma ? comma : end) - list;

		if (ilen == nlen && !strncmp(list, name, nlen))
			return 1;
		if (!comma)
			break;
		list = comma + 1;
	}
	return 0;
}

int ktap_parse_debug_locks(const char *stats)
{
	static const char key[] = "debug_locks:";
	const char *p = stats;

	/* Only at a line start, like " debug_locks:   1" */
	while (p) {
		const char *s = p;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!strncmp(s, key, sizeof(key) - 1)) {
			char *end;
			long v = strtol(s + sizeof(key) - 1, &end, 10);

			if (end != s + sizeof(key) - 1)
				return v ? 1 : 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append @c to @out, quietly dropping what does not fit. */
static void put(char *out, size_t size, size_t *o, char c)
{
	if (*o + 1 < size)
		out[(*o)++] = c;
}

int ktap_kmsg_format(const char *rec, size_t len, char *out, size_t size)
{
	const char *p = rec, *end = rec + len, *msg;
	unsigned long long usec = 0;
	char prefix[32];
	size_t o = 0;
	int field;

	if (!size)
		return -1;
	out[0] = '\0';

	/* "prio,seq,usec,flags[,...];" */
	for (field = 0; field < 3; field++) {
		unsigned long long v = 0;

		if (p == end || *p < '0' || *p > '9')
			return -1;
		while (p < end && *p >= '0' && *p <= '9')
			v = v * 10 + (*p++ - '0');
		if (p == end || *p++ != ',')
			return -1;
		if (field == 2)
			usec = v;
	}
	msg = memchr(p, ';', end - p);
	if (!msg)
		return -1;
	msg++;

	snprintf(prefix, sizeof(prefix), "[%5llu.%06llu] ",
		 usec / 1000000, usec % 1000000);

	for (p = prefix; *p; p++)
		put(out, size, &o, *p);
	for (p = msg; p < end && *p != '\n'; p++) {
		char c = *p;
		const char *q;

		if (c == '\\' && end - p >= 4 && p[1] == 'x' &&
		    hexval(p[2]) >= 0 && hexval(p[3]) >= 0) {
			c = hexval(p[2]) << 4 | hexval(p[3]);
			p += 3;
		}
		put(out, size, &o, c);
		/* Each line of a multi-line record gets its own prefix. */
		if (c == '\n') {
			for (q = prefix; *q; q++)
				put(out, size, &o, *q);
		}
	}
	out[o] = '\0';
	return o;
}
