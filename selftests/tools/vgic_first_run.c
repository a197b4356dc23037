// SPDX-License-Identifier: GPL-2.0
/*
 * vgic_first_run - userspace vGIC writes racing the VM's first KVM_RUN.
 *
 * The first KVM_RUN maps the vGIC's resources, makes the timer PPIs
 * hw-mapped and enables the PMU before the vCPU loads anything. A write
 * that lands in that window must leave a state the unpatched kernel could
 * have reached: the one where the write came before the first run, or the
 * one where it failed with -EBUSY and was repeated after the vCPU exited.
 *
 * Each round builds two reference VMs without a race (write then run; run
 * then write), and one VM where a thread issues every write while vCPU 0
 * makes its first KVM_RUN, at a random point of it. A write that returned
 * -EBUSY is repeated after the vCPU exited. Then every written register
 * must read back as in one of the references: the "before" one if the
 * racing write succeeded, the "after" one if it was repeated.
 *
 * Output:
 *   first-run v1 kernel=<release> gic=v3|v2 rounds=N
 *   first-run write REG OK_BEFORE OK_DURING EBUSY MISMATCHES
 *   first-run mismatch ROUND REG got=X want=Y (before=B after=A) rc=RC
 *   first-run done rounds=N writes=W ebusy=E mismatches=M
 * and exits 1 on any mismatch or unexpected error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vgic_util.h"

#define SGI_FRAME	0x10000
#define TIMER_PPIS	((1u << 27) | (1u << 30))	/* vtimer, ptimer */

struct reg {
	const char *name;
	u32 group;
	u64 offset;
	u32 value;
};

/* Distributor, timer PPI (vCPU 0) and CPU interface state, as written */
static const struct reg v3_regs[] = {
	{ "GICD_CTLR",		KVM_DEV_ARM_VGIC_GRP_DIST_REGS,   0x0000, 0x2 },
	{ "GICD_ISENABLER1",	KVM_DEV_ARM_VGIC_GRP_DIST_REGS,   0x0104, 0xffff },
	{ "GICD_IPRIORITYR8",	KVM_DEV_ARM_VGIC_GRP_DIST_REGS,   0x0420, 0xa0b0c0d0 },
	{ "GICR_ISENABLER0",	KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, SGI_FRAME + 0x100, TIMER_PPIS | 0x2 },
	{ "GICR_IPRIORITYR6",	KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, SGI_FRAME + 0x418, 0x80706050 },
	{ "GICR_IPRIORITYR7",	KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, SGI_FRAME + 0x41c, 0x40302010 },
	{ "GICR_ISPENDR0",	KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, SGI_FRAME + 0x200, TIMER_PPIS },
	{ "GICR_ISACTIVER0",	KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, SGI_FRAME + 0x300, TIMER_PPIS },
};

static const struct reg v2_regs[] = {
	{ "GICD_CTLR",		KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0x000, 0x1 },
	{ "GICD_ISENABLER1",	KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0x104, 0xffff },
	{ "GICD_IPRIORITYR8",	KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0x420, 0xa0b0c0d0 },
	{ "GICD_ISENABLER0",	KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0x100, TIMER_PPIS | 0x2 },
	{ "GICD_IPRIORITYR6",	KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0x418, 0x80706050 },
	{ "GICD_IPRIORITYR7",	KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0x41c, 0x40302010 },
	{ "GICD_ISPENDR0",	KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0x200, TIMER_PPIS },
	{ "GICD_ISACTIVER0",	KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0x300, TIMER_PPIS },
	{ "GICC_PMR",		KVM_DEV_ARM_VGIC_GRP_CPU_REGS,  0x004, 0xf0 },
};

#define MAX_REGS	ARRAY_SIZE(v2_regs)

static const struct reg *regs;
static int nr_regs;
static int gic_type;

struct stats {
	long ok_before, ok_during, ebusy, mismatches;
};

static struct stats stats[MAX_REGS];

/* vCPU 0's MPIDR (v3) or CPUID (v2) field in the attribute is 0 */
static int reg_write(struct vm *vm, const struct reg *r)
{
	u32 val = r->value;

	return attr_set(vm->gic_fd, r->group, r->offset, &val);
}

static u32 reg_read(struct vm *vm, const struct reg *r)
{
	u32 val;
	int e = attr_get(vm->gic_fd, r->group, r->offset, &val);

	if (e)
		die("read %s: %s", r->name, errno_name(e));
	return val;
}

static void write_or_die(struct vm *vm, const struct reg *r)
{
	int e = reg_write(vm, r);

	if (e)
		die("write %s without contention: %s", r->name, errno_name(e));
}

/* "movz x1, #0x1000; str x0, [x1]; b .": one exit on an MMIO write */
static void first_run(struct vm *vm)
{
	static const u32 code[] = { 0xd2820001, 0xf9000020, 0x14000000 };
	int r;

	memcpy(vm->mem, code, sizeof(code));
	do {
		r = ioctl(vm->vcpu_fd[0], KVM_RUN, 0);
	} while (r && errno == EINTR);
	if (r)
		die("first KVM_RUN: %s", errno_name(errno));
	if (vm->run[0]->exit_reason != KVM_EXIT_MMIO)
		die("first KVM_RUN: exit reason %u, want KVM_EXIT_MMIO",
		    vm->run[0]->exit_reason);
}

static void vm_setup(struct vm *vm)
{
	int e = vm_create(vm, 2, gic_type, false);

	if (e)
		die("create the vGIC: %s", errno_name(e));
	e = vm_gic_init(vm);
	if (e)
		die("CTRL_INIT: %s", errno_name(e));
}

/* The state after every write, made before (or after) the first run */
static void reference(u32 *state, bool writes_first)
{
	struct vm vm;
	int i;

	vm_setup(&vm);
	if (!writes_first)
		first_run(&vm);
	for (i = 0; i < nr_regs; i++)
		write_or_die(&vm, &regs[i]);
	if (writes_first)
		first_run(&vm);
	for (i = 0; i < nr_regs; i++)
		state[i] = reg_read(&vm, &regs[i]);
	vm_destroy(&vm);
}

struct writer {
	pthread_t tid;
	struct vm *vm;
	pthread_barrier_t *go;
	u64 delay_ns;
	volatile int *run_started, *run_done;
	int rc[MAX_REGS];
	int when[MAX_REGS];	/* 0: before KVM_RUN began, 1: during it */
};

static void *writer(void *arg)
{
	struct writer *w = arg;
	u64 t0;
	int i;

	pthread_barrier_wait(w->go);
	t0 = now_ns();
	while (now_ns() - t0 < w->delay_ns)
		;
	for (i = 0; i < nr_regs; i++) {
		w->when[i] = *w->run_started && !*w->run_done;
		w->rc[i] = reg_write(w->vm, &regs[i]);
	}
	return NULL;
}

static int one_round(int round, const u32 *before, const u32 *after,
		     u64 run_ns)
{
	volatile int run_started = 0, run_done = 0;
	pthread_barrier_t go;
	struct writer w = {
		.go = &go,
		.run_started = &run_started,
		.run_done = &run_done,
	};
	int i, bad = 0;
	struct vm vm;
	u32 got, want;

	vm_setup(&vm);
	w.vm = &vm;
	/* Anywhere from just before the first run to its end */
	w.delay_ns = random() % (run_ns + run_ns / 4);
	pthread_barrier_init(&go, NULL, 2);
	pthread_create(&w.tid, NULL, writer, &w);
	pthread_barrier_wait(&go);
	run_started = 1;
	first_run(&vm);
	run_done = 1;
	pthread_join(w.tid, NULL);
	pthread_barrier_destroy(&go);

	for (i = 0; i < nr_regs; i++) {
		if (w.rc[i] == EBUSY) {
			stats[i].ebusy++;
			write_or_die(&vm, &regs[i]);
		} else if (w.rc[i]) {
			die("racing write %s: %s", regs[i].name, errno_name(w.rc[i]));
		} else if (w.when[i]) {
			stats[i].ok_during++;
		} else {
			stats[i].ok_before++;
		}
	}
	for (i = 0; i < nr_regs; i++) {
		got = reg_read(&vm, &regs[i]);
		want = w.rc[i] ? after[i] : before[i];
		/* A write that succeeded mid-run may also have come after it */
		if (got == want || (!w.rc[i] && got == after[i]))
			continue;
		stats[i].mismatches++;
		bad++;
		printf("first-run mismatch %d %s got=%#x want=%#x (before=%#x after=%#x) rc=%s\n",
		       round, regs[i].name, got, want, before[i], after[i],
		       errno_name(w.rc[i]));
	}
	vm_destroy(&vm);
	return bad;
}

/* How long a first KVM_RUN takes here: where the writes should land */
static u64 time_first_run(void)
{
	struct vm vm;
	u64 t0, t;

	vm_setup(&vm);
	t0 = now_ns();
	first_run(&vm);
	t = now_ns() - t0;
	vm_destroy(&vm);
	return t;
}

int main(int argc, char **argv)
{
	u32 before[MAX_REGS], after[MAX_REGS];
	long writes = 0, ebusy = 0, mismatches = 0;
	int rounds = 200, ch, i, r;
	char rel[128];
	struct vm probe;
	u64 run_ns;

	while ((ch = getopt(argc, argv, "r:")) != -1) {
		switch (ch) {
		case 'r':
			rounds = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: %s [-r ROUNDS]\n", argv[0]);
			return 2;
		}
	}
	if (rounds < 1) {
		fprintf(stderr, "%s: -r wants a positive number\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* The machine's vGIC: v3 if it can be created, else v2 */
	gic_type = KVM_DEV_TYPE_ARM_VGIC_V3;
	if (vm_create(&probe, 1, gic_type, false))
		gic_type = KVM_DEV_TYPE_ARM_VGIC_V2;
	vm_destroy(&probe);
	regs = gic_type == KVM_DEV_TYPE_ARM_VGIC_V3 ? v3_regs : v2_regs;
	nr_regs = gic_type == KVM_DEV_TYPE_ARM_VGIC_V3 ? ARRAY_SIZE(v3_regs) :
							 ARRAY_SIZE(v2_regs);

	kernel_release(rel, sizeof(rel));
	printf("first-run v1 kernel=%s gic=%s rounds=%d\n", rel,
	       gic_type == KVM_DEV_TYPE_ARM_VGIC_V3 ? "v3" : "v2", rounds);
	reference(before, true);
	reference(after, false);
	run_ns = time_first_run();
	printf("# first KVM_RUN takes %llu us\n", (unsigned long long)run_ns / 1000);
	srandom(1);

	for (r = 0; r < rounds; r++)
		mismatches += one_round(r, before, after, run_ns);

	for (i = 0; i < nr_regs; i++) {
		printf("first-run write %s %ld %ld %ld %ld\n", regs[i].name,
		       stats[i].ok_before, stats[i].ok_during, stats[i].ebusy,
		       stats[i].mismatches);
		writes += stats[i].ok_before + stats[i].ok_during + stats[i].ebusy;
		ebusy += stats[i].ebusy;
	}
	printf("first-run done rounds=%d writes=%ld ebusy=%ld mismatches=%ld\n",
	       rounds, writes, ebusy, mismatches);
	return mismatches ? 1 : 0;
}
