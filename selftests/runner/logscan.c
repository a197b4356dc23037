// SPDX-License-Identifier: GPL-2.0
/*
 * logscan: classify kernel log lines as splats.
 *
 * Matching is on the start of the message, after the printk decorations,
 * so that test output ("# no WARNING here") and report bodies never
 * count. Headers are taken from the v7.3 sources: kernel/locking/lockdep.c,
 * spinlock_debug.c, kernel/panic.c, lib/bug.c, kernel/hung_task.c,
 * kernel/rcu/tree_stall.h, tree_exp.h, kernel/watchdog.c, kernel/workqueue.c
 * and arch/arm64/{kernel/traps.c,mm/fault.c}. Older spellings stay in
 * where they cost nothing.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logscan.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Patterns match a prefix of the message, '*' matching any run of
 * characters. Lists are tried in the order of rules[], so the specific
 * headers come before the "BUG: " and "WARNING: " catch-alls.
 */

/* Lock validation stopped: whatever follows is unchecked. */
static const char *const lockdep_off[] = {
	"turning off the locking correctness validator",
	"Please attach the output of /proc/lock_stat",
	"INFO: lockdep is turned off",
	"BUG: MAX_* too low!",
	/* debug_locks_off() is silent, these WARN() texts are its trace */
	"DEBUG_LOCKS_WARN_ON(",
	"lockdep bfs error:",
	NULL
};

/* lockdep.c and spinlock_debug.c report headers */
static const char *const lockdep[] = {
	"WARNING: possible circular locking dependency detected",
	"WARNING: possible recursive locking detected",
	"WARNING: inconsistent lock state",
	"WARNING: possible irq lock inversion dependency detected",
	"WARNING: *-safe -> *-unsafe lock order detected",
	"WARNING: chain_key collision",
	"WARNING: Nested lock was not taken",
	"WARNING: bad unlock balance detected!",
	"WARNING: bad contention detected!",
	"WARNING: held lock freed!",
	"WARNING: * still has locks held!",
	"WARNING: lock held when returning to user space!",
	"WARNING: suspicious RCU usage",
	"INFO: trying to register non-static key",
	"BUG: key * has not been registered!",
	"BUG: looking up invalid subclass: ",
	"lockdep:* bad path found in chain graph",
	"BUG: spinlock * on CPU#",
	"BUG: rwlock * on CPU#",
	/* "[ BUG: Invalid wait context ]", and all headers before v4.11 */
	"[ BUG: ",
	"[ INFO: ",
	NULL
};

static const char *const hung_task[] = {
	"INFO: task * blocked* for more than * seconds",
	NULL
};

static const char *const rcu_stall[] = {
	"rcu: INFO: * detected stall",
	"rcu: INFO: * detected expedited stall",
	"rcu: INFO: * self-detected stall",
	"INFO: * detected stall",
	"INFO: * detected expedited stall",
	"INFO: * self-detected stall",
	NULL
};

static const char *const soft_lockup[] = {
	"watchdog: BUG: soft lockup",
	"BUG: soft lockup",
	"watchdog: CPU*: Watchdog detected hard LOCKUP",
	"NMI watchdog: Watchdog detected hard LOCKUP",
	"Watchdog detected hard LOCKUP",
	"BUG: workqueue lockup",
	NULL
};

static const char *const panic[] = {
	"Kernel panic - not syncing",
	NULL
};

static const char *const oops[] = {
	"Internal error: ",
	"Unable to handle kernel ",
	"Oops: ",
	"Oops - ",
	NULL
};

static const char *const bug[] = {
	"kernel BUG at ",
	"UBSAN: ",
	"BUG: ",
	NULL
};

/*
 * "WARNING: CPU: 0 PID: 1 at file:line func" before v7.0,
 * "WARNING: file:line at func, CPU#0: comm/1" and
 * "WARNING: at func, CPU#0: comm/1" since. The "cut here" line
 * before it is not counted.
 */
static const char *const warning[] = {
	"WARNING: ",
	NULL
};

static const struct {
	enum logscan_kind kind;
	const char *const *patterns;
} rules[] = {
	{ LOGSCAN_LOCKDEP_OFF, lockdep_off },
	{ LOGSCAN_LOCKDEP, lockdep },
	{ LOGSCAN_HUNG_TASK, hung_task },
	{ LOGSCAN_RCU_STALL, rcu_stall },
	{ LOGSCAN_SOFT_LOCKUP, soft_lockup },
	{ LOGSCAN_PANIC, panic },
	{ LOGSCAN_OOPS, oops },
	{ LOGSCAN_BUG, bug },
	{ LOGSCAN_WARNING, warning },
};

static const char *const kind_names[LOGSCAN_NR_KINDS] = {
	[LOGSCAN_NONE]		= "none",
	[LOGSCAN_LOCKDEP]	= "lockdep",
	[LOGSCAN_WARNING]	= "warning",
	[LOGSCAN_BUG]		= "bug",
	[LOGSCAN_OOPS]		= "oops",
	[LOGSCAN_PANIC]		= "panic",
	[LOGSCAN_HUNG_TASK]	= "hung_task",
	[LOGSCAN_RCU_STALL]	= "rcu_stall",
	[LOGSCAN_SOFT_LOCKUP]	= "soft_lockup",
	[LOGSCAN_LOCKDEP_OFF]	= "lockdep_off",
};

const char *logscan_kind_name(enum logscan_kind kind)
{
	if ((unsigned int)kind >= LOGSCAN_NR_KINDS)
		return "unknown";
	return kind_names[kind];
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *skip_digits(const char *s)
{
	while (is_digit(*s))
		s++;
	return s;
}

/* Does @s start with @pattern, '*' matching any run of characters? */
static int match_prefix(const char *pattern, const char *s)
{
	for (; *pattern; pattern++, s++) {
		if (*pattern == '*') {
			for (;; s++) {
				if (match_prefix(pattern + 1, s))
					return 1;
				if (!*s)
					return 0;
			}
		}
		if (*s != *pattern)
			return 0;
	}
	return 1;
}

/* "4,123,456,-;" or "4,123,456,-,caller=T1;" from /dev/kmsg */
static const char *skip_kmsg_header(const char *s)
{
	const char *p = s;
	int i;

	for (i = 0; i < 3; i++) {
		if (!is_digit(*p))
			return s;
		p = skip_digits(p);
		if (*p++ != ',')
			return s;
	}
	p = strchr(p, ';');
	return p ? p + 1 : s;
}

/* "<4>" from syslog(2) and most log collectors */
static const char *skip_level(const char *s)
{
	const char *p;

	if (*s != '<' || !is_digit(s[1]))
		return s;
	p = skip_digits(s + 1);
	return *p == '>' ? p + 1 : s;
}

/* "[   12.345678]", then "[    T1]" or "[  C0]" with CONFIG_PRINTK_CALLER */
static const char *skip_timestamp(const char *s)
{
	const char *p = s;

	if (*p++ != '[')
		return s;
	while (*p == ' ')
		p++;
	if (!is_digit(*p))
		return s;
	p = skip_digits(p);
	if (*p++ != '.' || !is_digit(*p))
		return s;
	p = skip_digits(p);
	if (*p++ != ']')
		return s;

	if (p[0] == '[') {
		const char *q = p + 1;

		while (*q == ' ')
			q++;
		if ((*q == 'T' || *q == 'C') && is_digit(q[1])) {
			q = skip_digits(q + 1);
			if (*q == ']')
				p = q + 1;
		}
	}
	if (*p == ' ')
		p++;
	return p;
}

const char *logscan_message(const char *line)
{
	const char *s = skip_kmsg_header(line);

	s = skip_level(s);
	return skip_timestamp(s);
}

static enum logscan_kind classify(const char *msg)
{
	const char *const *p;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rules); i++) {
		for (p = rules[i].patterns; *p; p++) {
			if (match_prefix(*p, msg))
				return rules[i].kind;
		}
	}
	return LOGSCAN_NONE;
}

enum logscan_kind logscan_line(const char *line)
{
	enum logscan_kind kind;
	const char *p;

	if (!strncmp(line, LOGSCAN_REPORT_PREFIX,
		     strlen(LOGSCAN_REPORT_PREFIX)))
		return LOGSCAN_NONE;

	kind = classify(logscan_message(line));
	if (kind != LOGSCAN_NONE)
		return kind;

	/*
	 * On a serial console a printk can land in the middle of a line
	 * of user output; its timestamp still marks where it starts.
	 */
	for (p = strchr(line + (*line != 0), '['); p; p = strchr(p + 1, '[')) {
		const char *msg = skip_timestamp(p);

		if (msg != p) {
			kind = classify(msg);
			if (kind != LOGSCAN_NONE)
				return kind;
		}
	}
	return LOGSCAN_NONE;
}

int logscan_stream(FILE *in, FILE *out)
{
	char *line = NULL;
	size_t size = 0;
	ssize_t len;

	while ((len = getline(&line, &size, in)) >= 0) {
		enum logscan_kind kind;

		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		kind = logscan_line(line);
		if (kind != LOGSCAN_NONE)
			fprintf(out, "%s\t%s\n", logscan_kind_name(kind), line);
	}
	free(line);
	return ferror(in) ? -1 : 0;
}
