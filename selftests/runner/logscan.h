/* SPDX-License-Identifier: GPL-2.0 */
/*
 * logscan: classify kernel log lines as splats.
 *
 * One scanner for both sides: the in-guest runner feeds it /dev/kmsg
 * records, the host tool feeds it QEMU console logs. A hit is a line,
 * not an incident: one incident can yield several hits (a lockdep
 * report followed by "turning off the locking correctness validator",
 * an "Unable to handle kernel ..." followed by "Internal error: Oops").
 */
#ifndef VCPULOCK_LOGSCAN_H
#define VCPULOCK_LOGSCAN_H

#include <stdio.h>

enum logscan_kind {
	LOGSCAN_NONE,
	LOGSCAN_LOCKDEP,	/* lockdep / lock debugging report header */
	LOGSCAN_WARNING,	/* WARN() and friends */
	LOGSCAN_BUG,		/* BUG: ..., kernel BUG at ..., UBSAN */
	LOGSCAN_OOPS,
	LOGSCAN_PANIC,
	LOGSCAN_HUNG_TASK,
	LOGSCAN_RCU_STALL,
	LOGSCAN_SOFT_LOCKUP,	/* soft/hard lockup, workqueue lockup */
	LOGSCAN_LOCKDEP_OFF,	/* lock validation was switched off */
	LOGSCAN_NR_KINDS,
};

/*
 * The runner quotes every hit on the console behind this prefix; such
 * lines are reports about a hit, never hits themselves.
 */
#define LOGSCAN_REPORT_PREFIX "# vcpulock: splat "

enum logscan_kind logscan_line(const char *line);
const char *logscan_kind_name(enum logscan_kind kind);

/*
 * Skip the printk decorations in front of a message: a /dev/kmsg
 * "4,123,456,-;" header, a syslog "<4>" level, a "[   12.345678]"
 * timestamp and a "[    T1]" caller id.
 */
const char *logscan_message(const char *line);

/*
 * Write "KIND<TAB>LINE" to @out for every splat line read from @in, with
 * the serial console's "\r\n" stripped. Returns -1 on a read error.
 */
int logscan_stream(FILE *in, FILE *out);

#endif /* VCPULOCK_LOGSCAN_H */
