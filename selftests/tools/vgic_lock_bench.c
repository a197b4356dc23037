// SPDX-License-Identifier: GPL-2.0
/*
 * vgic_lock_bench - what the vGIC device-attribute locking costs.
 *
 * Part A: spurious -EBUSY rate of register gets made before the first
 *         KVM_RUN while 1/2/4/8 vCPU threads loop KVM_GET_ONE_REG.
 *   bench ebusy GROUP THREADS ACCESSES EBUSY_COUNT RATE
 * Part B: ns per pre-run access vs the number of vCPUs (no contention):
 *         locking every vCPU mutex makes this O(nr_vcpus). Median and p90
 *         of the quietest of 5 bursts (see cost()).
 *   bench cost prerun GROUP NVCPUS MEDIAN_NS P90_NS
 * Part C: the same after every vCPU ran once (quiesced).
 *   bench cost postrun GROUP NVCPUS MEDIAN_NS P90_NS
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

/*
 * Time @opt.samples single gets in COST_BURSTS bursts a little apart, and
 * print the median and p90 of the burst with the lowest median. The guest
 * clock is wall time under TCG, so a transient stall of the emulator or of
 * the guest's other CPU would otherwise read as a locking cost; a cost that
 * is real shows in every burst. The five bursts span about 100 ms at 2000
 * samples, so only a shorter stall is filtered out.
 */
#define COST_BURSTS	5
static void cost(struct vm *vm, const char *phase, const char *name,
		 u32 grp, u64 attr, u64 *ns)
{
	int per = opt.samples / COST_BURSTS;
	int b, i, fails = 0, last = 0, best = -1;
	u64 med[COST_BURSTS], p90[COST_BURSTS];
	u64 val;

	for (b = 0; b < COST_BURSTS; b++) {
		u64 *s = ns + b * per;

		if (b)
			usleep(20000);
		for (i = 0; i < per; i++) {
			u64 t0 = now_ns();
			int r = attr_get(vm->gic_fd, grp, attr, &val);

			s[i] = now_ns() - t0;
			if (r) {
				fails++;
				last = r;
			}
		}
		qsort(s, per, sizeof(u64), cmp_u64);
		med[b] = s[per / 2];
		p90[b] = s[(per * 9) / 10];
		if (best < 0 || med[b] < med[best])
			best = b;
	}
	printf("bench cost %s %s %d %llu %llu\n", phase, name, vm->nr_vcpus,
	       (unsigned long long)med[best], (unsigned long long)p90[best]);
	printf("# burst medians %s %s %d:", phase, name, vm->nr_vcpus);
	for (b = 0; b < COST_BURSTS; b++)
		printf(" %llu", (unsigned long long)med[b]);
	printf("\n");
	if (fails)
		printf("# warning: %s %s: %d of %d gets failed (last %s)\n",
		       phase, name, fails, per * COST_BURSTS, errno_name(last));
}

/* Parts B and C share the VMs: pre-run measurements, then run, then post. */
static void part_bc(bool do_b, bool do_c)
{
	u64 *ns = calloc(opt.samples, sizeof(u64));
	int vi, max, r;
	struct vm *vm = calloc(1, sizeof(*vm));
	struct rlimit rl;

	if (!ns || !vm)
		die("oom");
	/* 512 vCPU fds fit in the usual 1024, but leave headroom */
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
		printf("# %d vCPUs created in %.1fs\n", n, (now_ns() - t0) / 1e9);
		if (do_b)
			cost(vm, "prerun", "v3-DIST-IIDR-preinit",
			     KVM_DEV_ARM_VGIC_GRP_DIST_REGS, GICD_IIDR, ns);
		r = vm_gic_init(vm);
		if (r)
			die("CTRL_INIT: %s", errno_name(r));
		if (do_b) {
			cost(vm, "prerun", "v3-DIST",
			     KVM_DEV_ARM_VGIC_GRP_DIST_REGS, GICD_CTLR, ns);
			cost(vm, "prerun", "v3-REDIST",
			     KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
			     v3_mpidr_attr(0) | GICR_TYPER, ns);
		}
		if (do_c) {
			vm_run_once_all(vm);
			/* The group that locks only its own vCPU after a run */
			cost(vm, "postrun", "v3-CPU_SYSREGS",
			     KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
			     v3_mpidr_attr(0) | ICC_PMR_EL1_INSTR, ns);
			cost(vm, "postrun", "v3-REDIST",
			     KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
			     v3_mpidr_attr(0) | GICR_TYPER, ns);
			cost(vm, "postrun", "v3-DIST",
			     KVM_DEV_ARM_VGIC_GRP_DIST_REGS, GICD_CTLR, ns);
		}
		vm_destroy(vm);
		printf("# %d vCPUs done in %.1fs\n", n, (now_ns() - t0) / 1e9);
	}
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
