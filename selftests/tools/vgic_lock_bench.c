// SPDX-License-Identifier: GPL-2.0
/*
 * vgic_lock_bench - what locking the vCPUs costs userspace.
 *
 * Part A: -EBUSY rate of one operation while 1/2/4/8 vCPU threads loop
 *         KVM_GET_ONE_REG, before (prerun) and after (postrun) the first
 *         KVM_RUN: vGIC register gets per group, and
 *         KVM_ARM_SET_COUNTER_OFFSET. -N operations for the distributor and
 *         the counter offset after the first run, -n for the rest.
 *   bench ebusy GROUP STATE THREADS ACCESSES EBUSY_COUNT
 * Part D: the same for KVM_CREATE_DEVICE of the vGIC, one fresh VM per try.
 *   bench ebusy CREATE_DEVICE-v3|v2 prerun THREADS VMS EBUSY_COUNT
 * Part E: how long an operation takes to fail while vCPU 0 sits in
 *         KVM_RUN (a wfi guest), after the first run.
 *   bench busy GROUP SAMPLES EBUSY_COUNT MEDIAN_NS P99_NS
 * Part B: ns per pre-run access vs the number of vCPUs (no contention).
 *         Median and p90 of the cell and of a 1-vCPU reference VM, from the
 *         median of 5 burst pairs timed alternately (see cost()).
 *   bench cost prerun GROUP NVCPUS MEDIAN_NS P90_NS
 *   bench ref prerun GROUP NVCPUS MEDIAN_NS P90_NS
 * Part C: the same after every vCPU ran once (quiesced).
 *   bench cost postrun GROUP NVCPUS MEDIAN_NS P90_NS
 *   bench ref postrun GROUP NVCPUS MEDIAN_NS P90_NS
 * Every part: the emulator's speed in this boot, as the median ns of a
 * KVM_CHECK_EXTENSION on the VM, to compare boots with each other.
 *   bench null NS
 *
 * Framed by "bench v2 kernel=<release>" and "bench done"; '#' lines are
 * informational. bench_report.py turns the runs of several kernels into
 * tables, plots and goal checks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <sys/resource.h>

#include "vgic_util.h"

/* Register offsets / encodings (arm-gic-v3.h is not UAPI). */
#define GICD_CTLR		0x0000
#define GICD_IIDR		0x0008
#define GICR_TYPER		0x0008
#define GITS_CTLR		0x0000
#define GICC_CTLR		0x0000
#define ICC_PMR_EL1_INSTR	((3 << 14) | (0 << 11) | (4 << 7) | (6 << 3) | 0)

enum gstate { PREINIT, INIT, POSTRUN };

/* One timed operation: a vGIC register get, or the counter offset */
struct bgroup {
	const char *name;
	int gic_type;
	u32 grp;		/* 0: KVM_ARM_SET_COUNTER_OFFSET */
	u64 attr;
	bool main;		/* -N operations after the first run */
};

#define COUNTER_OFFSET	0

/* Per-vCPU groups target vCPU 0, whose MPIDR/CPUID attr field is 0. */
static const struct bgroup preinit_groups[] = {
	{ "v3-DIST-IIDR", KVM_DEV_TYPE_ARM_VGIC_V3,
	  KVM_DEV_ARM_VGIC_GRP_DIST_REGS, GICD_IIDR, false },
};

static const struct bgroup groups[] = {
	{ "v3-DIST", KVM_DEV_TYPE_ARM_VGIC_V3,
	  KVM_DEV_ARM_VGIC_GRP_DIST_REGS, GICD_CTLR, true },
	{ "v3-REDIST", KVM_DEV_TYPE_ARM_VGIC_V3,
	  KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, GICR_TYPER, false },
	{ "v3-CPU_SYSREGS", KVM_DEV_TYPE_ARM_VGIC_V3,
	  KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, ICC_PMR_EL1_INSTR, false },
	{ "v3-LEVEL_INFO", KVM_DEV_TYPE_ARM_VGIC_V3,
	  KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO, 32, false },
	{ "ITS_REGS", KVM_DEV_TYPE_ARM_VGIC_V3,
	  KVM_DEV_ARM_VGIC_GRP_ITS_REGS, GITS_CTLR, false },
	{ "COUNTER_OFFSET", KVM_DEV_TYPE_ARM_VGIC_V3, COUNTER_OFFSET, 0, true },
	{ "v2-DIST", KVM_DEV_TYPE_ARM_VGIC_V2,
	  KVM_DEV_ARM_VGIC_GRP_DIST_REGS, GICD_CTLR, true },
	{ "v2-CPU", KVM_DEV_TYPE_ARM_VGIC_V2,
	  KVM_DEV_ARM_VGIC_GRP_CPU_REGS, GICC_CTLR, false },
	{ "COUNTER_OFFSET", KVM_DEV_TYPE_ARM_VGIC_V2, COUNTER_OFFSET, 0, true },
};

/*
 * Part A default: 100000 gets per cell is the goal's count; a GICv3 guest
 * under QEMU TCG takes several minutes for part A at that count, so
 * `make test` does not run the benchmark and `make bench` passes -n.
 */
#define DEFAULT_ACCESSES	10000
#define DEFAULT_VMS		1000

static const int thread_counts[] = { 1, 2, 4, 8 };
static const int vcpu_counts[] = { 1, 8, 64, 256, 512 };

static struct {
	long accesses;
	long main_accesses;
	long vms;
	int samples;
	const char *parts;
	int max_vcpus;
} opt = { .accesses = DEFAULT_ACCESSES, .main_accesses = DEFAULT_ACCESSES,
	  .vms = DEFAULT_VMS, .samples = 2000,
	  .parts = "ABCDE", .max_vcpus = 512 };

static const char *state_name(enum gstate st)
{
	return st == POSTRUN ? "postrun" : "prerun";
}

static bool have_counter_offset(struct vm *vm)
{
	return ioctl(vm->fd, KVM_CHECK_EXTENSION, KVM_CAP_COUNTER_OFFSET) > 0;
}

/* The operation of @g: 0 or a positive errno */
static int op(struct vm *vm, const struct bgroup *g)
{
	struct kvm_arm_counter_offset off = { 0 };
	u64 val;

	if (g->grp == COUNTER_OFFSET)
		return ioctl(vm->fd, KVM_ARM_SET_COUNTER_OFFSET, &off) ? errno : 0;
	return attr_get(g->grp == KVM_DEV_ARM_VGIC_GRP_ITS_REGS ? vm->its_fd :
			vm->gic_fd, g->grp, g->attr, &val);
}

static void report_other(const char *what, long other, int err)
{
	if (other)
		printf("# warning: %s: %ld other failures (last %s)\n", what,
		       other, errno_name(err));
}

/* One part A cell: @opt.accesses operations while @nt threads loop GET_ONE_REG. */
static void ebusy_cell(struct vm *vm, struct contention *c,
		       const struct bgroup *g, enum gstate st, int nt)
{
	long i, n, ebusy = 0, other = 0;
	int r, other_err = 0;
	u64 t0, iters = 0;

	if (g->grp == COUNTER_OFFSET && !have_counter_offset(vm))
		return;
	n = g->main && st == POSTRUN ? opt.main_accesses : opt.accesses;
	cont_start(c, vm, CONT_LOOP, 0, nt);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		r = op(vm, g);
		if (r == EBUSY) {
			ebusy++;
		} else if (r) {
			other++;
			other_err = r;
		}
	}
	t0 = now_ns() - t0;
	cont_stop(c);
	for (i = 0; i < nt; i++)
		iters += c->t[i].iters;
	printf("bench ebusy %s %s %d %ld %ld\n", g->name, state_name(st), nt,
	       n, ebusy);
	printf("# %s %s threads=%d secs=%.1f contender_ioctls=%llu\n", g->name,
	       state_name(st), nt, t0 / 1e9, (unsigned long long)iters);
	report_other(g->name, other, other_err);
}

static void gic_init_or_die(struct vm *vm)
{
	int r = vm_gic_init(vm);

	if (r)
		die("CTRL_INIT with %d vCPUs: %s", vm->nr_vcpus, errno_name(r));
}

/*
 * Part A: one VM per (vGIC model, thread count), taken through its states:
 * preinit groups, CTRL_INIT, every group, the first run, every group again.
 */
static void part_a(void)
{
	static const int types[] = { KVM_DEV_TYPE_ARM_VGIC_V3,
				     KVM_DEV_TYPE_ARM_VGIC_V2 };
	struct contention *c = calloc(1, sizeof(*c));
	struct vm *vm = calloc(1, sizeof(*vm));
	int ti, gi, k, r;
	enum gstate st;

	if (!c || !vm)
		die("oom");
	printf("# part A: %ld accesses per cell, %ld for the main ones\n",
	       opt.accesses, opt.main_accesses);
	for (k = 0; k < ARRAY_SIZE(types); k++) {
		int type = types[k];

		for (ti = 0; ti < ARRAY_SIZE(thread_counts); ti++) {
			int nt = thread_counts[ti];

			r = vm_create(vm, nt, type, type == KVM_DEV_TYPE_ARM_VGIC_V3);
			if (r) {
				printf("# part A: %s unavailable (%s)\n",
				       type == KVM_DEV_TYPE_ARM_VGIC_V2 ? "v2" : "v3",
				       errno_name(r));
				vm_destroy(vm);
				break;
			}
			for (gi = 0; gi < ARRAY_SIZE(preinit_groups); gi++)
				if (preinit_groups[gi].gic_type == type)
					ebusy_cell(vm, c, &preinit_groups[gi], PREINIT, nt);
			gic_init_or_die(vm);
			for (st = INIT; st <= POSTRUN; st++) {
				if (st == POSTRUN)
					vm_run_once_all(vm);
				for (gi = 0; gi < ARRAY_SIZE(groups); gi++)
					if (groups[gi].gic_type == type)
						ebusy_cell(vm, c, &groups[gi], st, nt);
			}
			vm_destroy(vm);
		}
	}
	free(vm);
	free(c);
}

/* Part D: KVM_CREATE_DEVICE of the vGIC in @opt.vms fresh VMs per cell */
static void part_d(void)
{
	static const struct { int type; const char *name; } types[] = {
		{ KVM_DEV_TYPE_ARM_VGIC_V3, "CREATE_DEVICE-v3" },
		{ KVM_DEV_TYPE_ARM_VGIC_V2, "CREATE_DEVICE-v2" },
	};
	struct contention *c = calloc(1, sizeof(*c));
	struct vm *vm = calloc(1, sizeof(*vm));
	int ti, k, r, other_err = 0;
	long i, ebusy, other;
	u64 t0;

	if (!c || !vm)
		die("oom");
	printf("# part D: %ld VMs per cell\n", opt.vms);
	for (k = 0; k < ARRAY_SIZE(types); k++) {
		/* Can this host make that vGIC at all? */
		r = vm_create(vm, 1, types[k].type, false);
		vm_destroy(vm);
		if (r) {
			printf("# part D: %s unavailable (%s)\n", types[k].name,
			       errno_name(r));
			continue;
		}
		for (ti = 0; ti < ARRAY_SIZE(thread_counts); ti++) {
			int nt = thread_counts[ti];

			ebusy = other = 0;
			t0 = now_ns();
			for (i = 0; i < opt.vms; i++) {
				vm_create(vm, nt, 0, false);
				cont_start(c, vm, CONT_LOOP, 0, nt);
				r = vm_create_gic(vm, types[k].type);
				cont_stop(c);
				if (r == EBUSY) {
					ebusy++;
				} else if (r) {
					other++;
					other_err = r;
				}
				vm_destroy(vm);
			}
			printf("bench ebusy %s prerun %d %ld %ld\n", types[k].name,
			       nt, opt.vms, ebusy);
			printf("# %s threads=%d secs=%.1f\n", types[k].name, nt,
			       (now_ns() - t0) / 1e9);
			report_other(types[k].name, other, other_err);
		}
	}
	free(vm);
	free(c);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Time @per gets into @s; return their median and store their p90 in @p90. */
static u64 burst(struct vm *vm, u32 grp, u64 attr, u64 *s, int per,
		 u64 *p90, int *fails, int *last)
{
	u64 val;
	int i;

	for (i = 0; i < per; i++) {
		u64 t0 = now_ns();
		int r = attr_get(vm->gic_fd, grp, attr, &val);

		s[i] = now_ns() - t0;
		if (r) {
			(*fails)++;
			*last = r;
		}
	}
	qsort(s, per, sizeof(u64), cmp_u64);
	*p90 = s[(per * 9) / 10];
	return s[per / 2];
}

#define COST_BURSTS	5	/* odd, so that one pair is the median */

/*
 * The burst pair whose vm/ref ratio (med[1][b] / med[0][b]) is the median:
 * as many pairs have a lower ratio as a higher one, ties broken by index.
 */
static int median_pair(u64 med[2][COST_BURSTS])
{
	int b, i;

	for (b = 0; b < COST_BURSTS; b++) {
		int below = 0;

		for (i = 0; i < COST_BURSTS; i++) {
			/* vm_i/ref_i vs vm_b/ref_b, without division */
			u64 l = med[1][i] * med[0][b], r = med[1][b] * med[0][i];

			below += l < r || (l == r && i < b);
		}
		if (below == COST_BURSTS / 2)
			return b;
	}
	return 0;	/* not reached: the order is total */
}

/*
 * Time @opt.samples gets on @vm and as many on @ref, a 1-vCPU VM in the
 * same state, in COST_BURSTS burst pairs 20 ms apart: ref then vm, vm then
 * ref, and so on, so that neither always runs first after the sleep.
 * The guest clock is wall time under TCG, so the emulator's speed reads as
 * cost; the two bursts of a pair see about the same speed. Print the
 * median and p90 of both bursts of the pair whose vm/ref ratio is the
 * median of the pairs: a stall that hits one burst and a drift over the
 * run both drop out, while a real O(nr_vcpus) cost shows in every pair.
 * bench_report.py compares each cell with its own reference.
 */
static void cost(struct vm *ref, struct vm *vm, const char *phase,
		 const char *name, u32 grp, u64 attr, u64 *ns)
{
	int per = opt.samples / COST_BURSTS;
	struct vm *pair[2] = { ref, vm };
	u64 med[2][COST_BURSTS], p90[2][COST_BURSTS];
	int b, i, k, mid, fails = 0, last = 0;

	for (b = 0; b < COST_BURSTS; b++) {
		if (b)
			usleep(20000);
		for (i = 0; i < 2; i++) {
			k = i ^ (b & 1);
			med[k][b] = burst(pair[k], grp, attr, ns, per, &p90[k][b],
					  &fails, &last);
		}
	}
	mid = median_pair(med);
	for (k = 1; k >= 0; k--) {
		const char *kind = k ? "cost" : "ref";

		printf("bench %s %s %s %d %llu %llu\n", kind, phase, name,
		       vm->nr_vcpus, (unsigned long long)med[k][mid],
		       (unsigned long long)p90[k][mid]);
		printf("# burst medians %s %s %s %d:", kind, phase, name,
		       vm->nr_vcpus);
		for (b = 0; b < COST_BURSTS; b++)
			printf(" %llu", (unsigned long long)med[k][b]);
		printf("\n");
	}
	if (fails)
		printf("# warning: %s %s: %d of %d gets failed (last %s)\n",
		       phase, name, fails, 2 * per * COST_BURSTS,
		       errno_name(last));
}

/*
 * Parts B and C share the VMs: pre-run measurements, then run, then post.
 * Every N-vCPU VM has a fresh 1-vCPU reference VM that goes through the
 * same states beside it (see cost()).
 */
static void part_bc(bool do_b, bool do_c)
{
	u64 *ns = calloc(opt.samples, sizeof(u64));
	struct vm *vm = calloc(1, sizeof(*vm));
	struct vm *ref = calloc(1, sizeof(*ref));
	int vi, max, r;
	struct rlimit rl;

	if (!ns || !vm || !ref)
		die("oom");
	/* 512 + 1 vCPU fds fit in the usual 1024, but leave headroom */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < 2048) {
		rl.rlim_cur = rl.rlim_max < 2048 ? rl.rlim_max : 2048;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	for (vi = 0; vi < ARRAY_SIZE(vcpu_counts); vi++) {
		int n = vcpu_counts[vi];
		u64 t0 = now_ns();

		if (n > opt.max_vcpus)
			break;
		max = kvm_max_vcpus();
		if (n > max) {
			printf("# part B/C: %d vCPUs > KVM_CAP_MAX_VCPUS %d, skipped\n",
			       n, max);
			break;
		}
		r = vm_create(vm, n, KVM_DEV_TYPE_ARM_VGIC_V3, false);
		if (r) {
			/* a GICv2-only host has no v3 vGIC: nothing to scale */
			printf("# part B/C: v3 vGIC with %d vCPUs unavailable (%s), skipped\n",
			       n, errno_name(r));
			vm_destroy(vm);
			break;
		}
		r = vm_create(ref, 1, KVM_DEV_TYPE_ARM_VGIC_V3, false);
		if (r)
			die("1-vCPU reference VM: %s", errno_name(r));
		printf("# %d vCPUs created in %.1fs\n", n, (now_ns() - t0) / 1e9);
		if (do_b)
			cost(ref, vm, "prerun", "v3-DIST-IIDR-preinit",
			     KVM_DEV_ARM_VGIC_GRP_DIST_REGS, GICD_IIDR, ns);
		gic_init_or_die(vm);
		gic_init_or_die(ref);
		if (do_b) {
			cost(ref, vm, "prerun", "v3-DIST",
			     KVM_DEV_ARM_VGIC_GRP_DIST_REGS, GICD_CTLR, ns);
			cost(ref, vm, "prerun", "v3-REDIST",
			     KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
			     v3_mpidr_attr(0) | GICR_TYPER, ns);
		}
		if (do_c) {
			vm_run_once_all(vm);
			vm_run_once_all(ref);
			/* The group that locks only its own vCPU after a run */
			cost(ref, vm, "postrun", "v3-CPU_SYSREGS",
			     KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
			     v3_mpidr_attr(0) | ICC_PMR_EL1_INSTR, ns);
			cost(ref, vm, "postrun", "v3-REDIST",
			     KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
			     v3_mpidr_attr(0) | GICR_TYPER, ns);
			cost(ref, vm, "postrun", "v3-DIST",
			     KVM_DEV_ARM_VGIC_GRP_DIST_REGS, GICD_CTLR, ns);
		}
		vm_destroy(ref);
		vm_destroy(vm);
		printf("# %d vCPUs done in %.1fs\n", n, (now_ns() - t0) / 1e9);
	}
	free(ref);
	free(vm);
	free(ns);
}

/*
 * Part E: vCPU 0 sits in KVM_RUN on a wfi; time each operation, which
 * must fail with -EBUSY without waiting for the guest.
 */
static void part_e(void)
{
	static const struct bgroup busy_groups[] = {
		{ "v3-DIST", KVM_DEV_TYPE_ARM_VGIC_V3,
		  KVM_DEV_ARM_VGIC_GRP_DIST_REGS, GICD_CTLR, false },
		{ "v3-CPU_SYSREGS", KVM_DEV_TYPE_ARM_VGIC_V3,
		  KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, ICC_PMR_EL1_INSTR, false },
		{ "COUNTER_OFFSET", KVM_DEV_TYPE_ARM_VGIC_V3, COUNTER_OFFSET, 0, false },
		{ "v2-DIST", KVM_DEV_TYPE_ARM_VGIC_V2,
		  KVM_DEV_ARM_VGIC_GRP_DIST_REGS, GICD_CTLR, false },
		{ "v2-CPU", KVM_DEV_TYPE_ARM_VGIC_V2,
		  KVM_DEV_ARM_VGIC_GRP_CPU_REGS, GICC_CTLR, false },
		{ "COUNTER_OFFSET", KVM_DEV_TYPE_ARM_VGIC_V2, COUNTER_OFFSET, 0, false },
	};
	struct contention *c = calloc(1, sizeof(*c));
	struct vm *vm = calloc(1, sizeof(*vm));
	u64 *ns = calloc(opt.samples, sizeof(u64));
	int type = KVM_DEV_TYPE_ARM_VGIC_V3, gi, i, r;

	if (!c || !vm || !ns)
		die("oom");
	r = vm_create(vm, 2, type, false);
	if (r == ENODEV) {
		vm_destroy(vm);
		type = KVM_DEV_TYPE_ARM_VGIC_V2;
		r = vm_create(vm, 2, type, false);
	}
	if (r)
		die("part E: no vGIC: %s", errno_name(r));
	gic_init_or_die(vm);
	vm_run_once_all(vm);
	cont_start(c, vm, CONT_RUN, 0, 1);
	for (gi = 0; gi < ARRAY_SIZE(busy_groups); gi++) {
		const struct bgroup *g = &busy_groups[gi];
		long ebusy = 0, other = 0;
		int other_err = 0;

		if (g->gic_type != type ||
		    (g->grp == COUNTER_OFFSET && !have_counter_offset(vm)))
			continue;
		for (i = 0; i < opt.samples; i++) {
			u64 t0 = now_ns();

			c->access_start = t0;
			r = op(vm, g);
			ns[i] = now_ns() - t0;
			if (r == EBUSY) {
				ebusy++;
			} else {
				other++;
				other_err = r;
			}
		}
		c->access_start = 0;
		qsort(ns, opt.samples, sizeof(u64), cmp_u64);
		printf("bench busy %s %d %ld %llu %llu\n", g->name, opt.samples,
		       ebusy, (unsigned long long)ns[opt.samples / 2],
		       (unsigned long long)ns[(opt.samples * 99) / 100]);
		report_other(g->name, other, other_err);
	}
	if (c->kicked)
		printf("# warning: part E: an operation waited for the guest, "
		       "vCPU 0 was kicked out of KVM_RUN\n");
	cont_stop(c);
	vm_destroy(vm);
	free(ns);
	free(vm);
	free(c);
}

/* The emulator's speed in this boot: a VM ioctl that takes no lock */
static void null_ioctl(void)
{
	u64 *ns = calloc(opt.samples, sizeof(u64));
	struct vm *vm = calloc(1, sizeof(*vm));
	int i;

	if (!ns || !vm)
		die("oom");
	vm_create(vm, 1, 0, false);
	for (i = 0; i < opt.samples; i++) {
		u64 t0 = now_ns();

		ioctl(vm->fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_VM_IPA_SIZE);
		ns[i] = now_ns() - t0;
	}
	qsort(ns, opt.samples, sizeof(u64), cmp_u64);
	printf("bench null %llu\n", (unsigned long long)ns[opt.samples / 2]);
	vm_destroy(vm);
	free(vm);
	free(ns);
}

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [-n ACCESSES] [-N ACCESSES] [-m VMS] [-c SAMPLES] [-p PARTS] [-V MAXVCPUS]\n"
		"  -n  operations per part A cell (default %d)\n"
		"  -N  operations per main part A cell after the first run\n"
		"      (the distributor and the counter offset; default: -n)\n"
		"  -m  fresh VMs per part D cell (default %d)\n"
		"  -c  timed operations per part B/C/E cell, at least 5 (default 2000)\n"
		"  -p  parts to run, any of ABCDE (default ABCDE)\n"
		"  -V  largest vCPU count for parts B/C (default 512)\n",
		argv0, DEFAULT_ACCESSES, DEFAULT_VMS);
	exit(2);
}

int main(int argc, char **argv)
{
	char rel[128];
	u64 t0 = now_ns();
	int ch;

	while ((ch = getopt(argc, argv, "n:N:m:c:p:V:h")) != -1) {
		switch (ch) {
		case 'n':
			opt.accesses = atol(optarg);
			break;
		case 'N':
			opt.main_accesses = atol(optarg);
			break;
		case 'm':
			opt.vms = atol(optarg);
			break;
		case 'c':
			opt.samples = atoi(optarg);
			break;
		case 'p':
			opt.parts = optarg;
			break;
		case 'V':
			opt.max_vcpus = atoi(optarg);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (opt.main_accesses == DEFAULT_ACCESSES)
		opt.main_accesses = opt.accesses;
	if (opt.accesses < 1 || opt.main_accesses < 1 || opt.vms < 1 ||
	    opt.samples < COST_BURSTS)
		usage(argv[0]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	kernel_release(rel, sizeof(rel));
	printf("bench v2 kernel=%s\n", rel);
	printf("# accesses=%ld main_accesses=%ld vms=%ld samples=%d parts=%s max_vcpus=%d\n",
	       opt.accesses, opt.main_accesses, opt.vms, opt.samples, opt.parts,
	       opt.max_vcpus);
	null_ioctl();
	if (strchr(opt.parts, 'A'))
		part_a();
	if (strchr(opt.parts, 'D'))
		part_d();
	if (strchr(opt.parts, 'E'))
		part_e();
	if (strchr(opt.parts, 'B') || strchr(opt.parts, 'C'))
		part_bc(strchr(opt.parts, 'B'), strchr(opt.parts, 'C'));
	printf("# total secs=%.1f\n", (now_ns() - t0) / 1e9);
	printf("bench done\n");
	return 0;
}
