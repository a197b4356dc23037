// SPDX-License-Identifier: GPL-2.0
/*
 * vgic_lock_bench - what the vGIC device-attribute locking costs.
 *
 * Part A: spurious -EBUSY rate of register gets made before the first
 *         KVM_RUN while 1/2/4/8 vCPU threads loop KVM_GET_ONE_REG.
 *   bench ebusy GROUP THREADS ACCESSES EBUSY_COUNT RATE
 * Part B: ns per pre-run access vs the number of vCPUs (no contention):
 *         locking every vCPU mutex makes this O(nr_vcpus). Median and p90
 *         of the cell and of a 1-vCPU reference VM, from the median of 5
 *         burst pairs timed alternately (see cost()).
 *   bench cost prerun GROUP NVCPUS MEDIAN_NS P90_NS
 *   bench ref prerun GROUP NVCPUS MEDIAN_NS P90_NS
 * Part C: the same after every vCPU ran once (quiesced).
 *   bench cost postrun GROUP NVCPUS MEDIAN_NS P90_NS
 *   bench ref postrun GROUP NVCPUS MEDIAN_NS P90_NS
 *
 * Framed by "bench v1 kernel=<release>" and "bench done"; '#' lines are
 * informational. bench_report.py turns a baseline/patched pair into tables,
 * plots and goal checks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

enum gstate { PREINIT, INIT };

struct bgroup {
	const char *name;
	int gic_type;
	enum gstate st;
	u32 grp;
	u64 attr;
};

/* Per-vCPU groups target vCPU 0, whose MPIDR/CPUID attr field is 0. */
static const struct bgroup ebusy_groups[] = {
	{ "v3-DIST-IIDR-preinit", KVM_DEV_TYPE_ARM_VGIC_V3, PREINIT,
	  KVM_DEV_ARM_VGIC_GRP_DIST_REGS, GICD_IIDR },
	{ "v3-DIST", KVM_DEV_TYPE_ARM_VGIC_V3, INIT,
	  KVM_DEV_ARM_VGIC_GRP_DIST_REGS, GICD_CTLR },
	{ "v3-REDIST", KVM_DEV_TYPE_ARM_VGIC_V3, INIT,
	  KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, GICR_TYPER },
	{ "v3-CPU_SYSREGS", KVM_DEV_TYPE_ARM_VGIC_V3, INIT,
	  KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, ICC_PMR_EL1_INSTR },
	{ "v3-LEVEL_INFO", KVM_DEV_TYPE_ARM_VGIC_V3, INIT,
	  KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO, 32 },
	{ "ITS_REGS", KVM_DEV_TYPE_ARM_VGIC_V3, INIT,
	  KVM_DEV_ARM_VGIC_GRP_ITS_REGS, GITS_CTLR },
	{ "v2-DIST", KVM_DEV_TYPE_ARM_VGIC_V2, INIT,
	  KVM_DEV_ARM_VGIC_GRP_DIST_REGS, GICD_CTLR },
	{ "v2-CPU", KVM_DEV_TYPE_ARM_VGIC_V2, INIT,
	  KVM_DEV_ARM_VGIC_GRP_CPU_REGS, GICC_CTLR },
};

/*
 * Part A default: 100000 gets per cell took 383 s for part A alone on a
 * GICv3 guest under QEMU TCG (plus 92 s for parts B/C), so the default is
 * halved to keep a run near five minutes. -n 100000 restores the full count.
 */
#define DEFAULT_ACCESSES	50000

static const int thread_counts[] = { 1, 2, 4, 8 };
static const int vcpu_counts[] = { 1, 8, 64, 256, 512 };

static struct {
	long accesses;
	int samples;
	const char *parts;
	int max_vcpus;
} opt = { .accesses = DEFAULT_ACCESSES, .samples = 2000, .parts = "ABC",
	  .max_vcpus = 512 };

static int attr_fd(struct vm *vm, const struct bgroup *g)
{
	return g->grp == KVM_DEV_ARM_VGIC_GRP_ITS_REGS ? vm->its_fd : vm->gic_fd;
}

/* One part A cell: @opt.accesses gets while @nt threads loop GET_ONE_REG. */
static void ebusy_cell(struct vm *vm, struct contention *c,
		       const struct bgroup *g, int nt)
{
	long i, ebusy = 0, other = 0;
	int r, other_err = 0;
	u64 t0, iters = 0, val;

	cont_start(c, vm, CONT_LOOP, 0, nt);
	t0 = now_ns();
	for (i = 0; i < opt.accesses; i++) {
		r = attr_get(attr_fd(vm, g), g->grp, g->attr, &val);
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
	printf("bench ebusy %s %d %ld %ld %.6f\n", g->name, nt, opt.accesses,
	       ebusy, (double)ebusy / opt.accesses);
	printf("# %s threads=%d secs=%.1f contender_ioctls=%llu\n", g->name,
	       nt, t0 / 1e9, (unsigned long long)iters);
	if (other)
		printf("# warning: %s: %ld other failures (last %s)\n",
		       g->name, other, errno_name(other_err));
}

/* Part A: one VM per (vGIC model, thread count), shared by its groups. */
static void part_a(void)
{
	static const int types[] = { KVM_DEV_TYPE_ARM_VGIC_V2,
				     KVM_DEV_TYPE_ARM_VGIC_V3 };
	struct contention *c = calloc(1, sizeof(*c));
	struct vm *vm = calloc(1, sizeof(*vm));
	int ti, gi, k, r;

	if (!c || !vm)
		die("oom");
	printf("# part A: %ld get accesses per cell\n", opt.accesses);
	for (k = 0; k < ARRAY_SIZE(types); k++) {
		int type = types[k];

		for (ti = 0; ti < ARRAY_SIZE(thread_counts); ti++) {
			int nt = thread_counts[ti];
			bool inited = false;

			r = vm_create(vm, nt, type, type == KVM_DEV_TYPE_ARM_VGIC_V3);
			if (r) {
				printf("# part A: %s unavailable (%s)\n",
				       type == KVM_DEV_TYPE_ARM_VGIC_V2 ? "v2" : "v3",
				       errno_name(r));
				vm_destroy(vm);
				break;
			}
			for (gi = 0; gi < ARRAY_SIZE(ebusy_groups); gi++) {
				const struct bgroup *g = &ebusy_groups[gi];

				if (g->gic_type != type)
					continue;
				/* the table lists preinit groups first */
				if (g->st == INIT && !inited) {
					r = vm_gic_init(vm);
					if (r)
						die("CTRL_INIT: %s", errno_name(r));
					inited = true;
				}
				ebusy_cell(vm, c, g, nt);
			}
			vm_destroy(vm);
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

static void gic_init_or_die(struct vm *vm)
{
	int r = vm_gic_init(vm);

	if (r)
		die("CTRL_INIT with %d vCPUs: %s", vm->nr_vcpus, errno_name(r));
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

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [-n ACCESSES] [-c SAMPLES] [-p PARTS] [-V MAXVCPUS]\n"
		"  -n  gets per part A cell (default %d)\n"
		"  -c  timed gets per part B/C cell, at least 5 (default 2000)\n"
		"  -p  parts to run, any of ABC (default ABC)\n"
		"  -V  largest vCPU count for parts B/C (default 512)\n",
		argv0, DEFAULT_ACCESSES);
	exit(2);
}

int main(int argc, char **argv)
{
	char rel[128];
	u64 t0 = now_ns();
	int ch;

	while ((ch = getopt(argc, argv, "n:c:p:V:h")) != -1) {
		switch (ch) {
		case 'n':
			opt.accesses = atol(optarg);
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
	if (opt.accesses < 1 || opt.samples < COST_BURSTS)
		usage(argv[0]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	kernel_release(rel, sizeof(rel));
	printf("bench v1 kernel=%s\n", rel);
	printf("# accesses=%ld samples=%d parts=%s max_vcpus=%d\n",
	       opt.accesses, opt.samples, opt.parts, opt.max_vcpus);
	if (strchr(opt.parts, 'A'))
		part_a();
	if (strchr(opt.parts, 'B') || strchr(opt.parts, 'C'))
		part_bc(strchr(opt.parts, 'B'), strchr(opt.parts, 'C'));
	printf("# total secs=%.1f\n", (now_ns() - t0) / 1e9);
	printf("bench done\n");
	return 0;
}
