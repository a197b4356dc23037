// SPDX-License-Identifier: GPL-2.0
/*
 * vgic_abi_sweep - record the errno of every vGIC device-attribute access
 * cell so two kernels can be diffed (abi_diff.py).
 *
 * A cell is DEVICE GROUP STATE OP CONTENTION OFFSET. For each device (v2 if
 * the host can create it, v3, ITS) the VM walks preinit (before CTRL_INIT)
 * -> init (before the first KVM_RUN) -> ran (every vCPU ran once, now
 * quiesced), and in each state every group is swept:
 *
 *   none  every offset of the register frame at a 4-byte stride (has, get,
 *         set; set writes back what get returned, or 0), plus invalid
 *         offsets, offset+1/+2 of every existing register, bad user
 *         pointers and a non-existent target vCPU;
 *   loop  one thread per vCPU looping KVM_GET_ONE_REG: racy, so each cell
 *         is tried -r times and the set of errnos is recorded; every
 *         existing register, a sample of the rest, and all variants;
 *   run   (ran only) every vCPU parked in KVM_RUN on a wfi: deterministic;
 *   run1  (ran only) only vCPUs 1..n-1 parked in KVM_RUN, so a per-vCPU
 *         group aimed at vCPU 0 shows whether only the target is locked.
 *
 * Output (stdout, meant for a serial console, hence range-compressed):
 *   abi-sweep v1 kernel=<release>
 *   abi DEV GROUP STATE OP CONT OFF[-END/STRIDE] ERRNO[|ERRNO...]
 *   abi-sweep summary ...
 *   abi-sweep done cells=N
 * Lines starting with '#' are informational.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "vgic_util.h"

#define NR_VCPUS	2
/* LEVEL_INFO: every vINTID up to this, then only i*32 and i*32+1 */
#define LEVEL_DENSE	(TOOL_NR_IRQS + 64)
#define BLOCKED		10000	/* pseudo errno: access hit the watchdog */
#define KADDR		0xffff800000000000ULL

enum op { OP_HAS, OP_GET, OP_SET, NR_OPS };
static const char * const op_names[NR_OPS] = { "has", "get", "set" };

enum state { ST_PREINIT, ST_INIT, ST_RAN };
static const char * const state_names[] = { "preinit", "init", "ran" };

enum gkind { G_FRAME, G_SYSREG, G_LEVEL, G_LIST };
enum ptr { PTR_OK, PTR_ADDR1, PTR_NOACCESS, PTR_KADDR };

/* Offsets past a register frame (OFFSET_MASK keeps 32 bits). */
#define NR_EXTRAS	5
static void frame_extras(u32 frame, u64 *x)
{
	x[0] = frame;
	x[1] = frame + 4;
	x[2] = frame + 0x10000;
	x[3] = 0x7ffffffc;
	x[4] = 0xfffffffc;
}

struct group {
	const char *dev;
	const char *name;
	int *fd;
	u32 grp;
	u64 hi;			/* target vCPU bits of attr */
	int width;		/* bytes behind attr.addr */
	enum gkind kind;
	u32 frame;		/* G_FRAME: frame size */
	const u64 *list;	/* G_LIST */
	int nlist;
	bool percpu;		/* gets a non-existent-target variant */
	u64 badhi;		/* attr hi bits naming no vCPU */
	bool ctrl_init_guard;	/* never set CTRL_INIT (attr 0) in preinit */
};

struct variant {
	char name[64];
	const struct group *g;
	u64 hi;
	int delta;
	enum ptr ptr;
	bool has_op;
	int n;
	u64 *off;
	u64 *val;
	bool *exists;
	bool *sel;		/* swept under contention */
	bool *noset;
	u64 *res[NR_OPS];
};

static struct {
	int tries;
	int sample;
	bool quick;
	bool want_v2, want_v3;
} opt = { .tries = 3, .sample = 16, .want_v2 = true, .want_v3 = true };

static u64 ncells;
static u64 nlines;
static void *noaccess_page;

/* Result sets are bitmasks over the errnos seen so far. */
static int errs[64];
static int nerrs;

static u64 err_bit(int e)
{
	int i;

	for (i = 0; i < nerrs; i++)
		if (errs[i] == e)
			return 1ULL << i;
	if (nerrs == 64)
		die("too many distinct errnos");
	errs[nerrs] = e;
	return 1ULL << nerrs++;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void mask_str(u64 m, char *buf, size_t len)
{
	int v[64], n = 0, i;
	size_t pos = 0;

	for (i = 0; i < nerrs; i++)
		if (m & (1ULL << i))
			v[n++] = errs[i];
	qsort(v, n, sizeof(int), cmp_int);
	buf[0] = 0;
	for (i = 0; i < n; i++)
		pos += snprintf(buf + pos, len - pos, "%s%s", i ? "|" : "",
				v[i] == BLOCKED ? "BLOCKED" : errno_name(v[i]));
}

static void emit_run(const char *key, u64 start, u64 end, u64 stride, u64 m)
{
	char r[256];

	mask_str(m, r, sizeof(r));
	if (start == end)
		printf("abi %s 0x%llx %s\n", key, (unsigned long long)start, r);
	else
		printf("abi %s 0x%llx-0x%llx/%llu %s\n", key,
		       (unsigned long long)start, (unsigned long long)end,
		       (unsigned long long)stride, r);
	nlines++;
}

struct cell {
	u64 mask;
	u64 off;
};

static int cmp_cell(const void *a, const void *b)
{
	const struct cell *x = a, *y = b;

	if (x->mask != y->mask)
		return x->mask < y->mask ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/*
 * Print one (variant, op, contention) stream. Cells are grouped by result
 * first, so interleaved patterns (e.g. the ITS's 4/8-byte alignment rule)
 * still collapse into a few arithmetic runs.
 */
static void emit_stream(struct variant *v, const char *state, enum op op,
			const char *cont, bool contended)
{
	struct cell *cells = calloc(v->n ? v->n : 1, sizeof(*cells));
	char key[192];
	u64 start = 0, last = 0, stride = 0, m = 0;
	int i, n = 0, len = 0;

	if (!cells)
		die("oom");
	snprintf(key, sizeof(key), "%s %s %s %s %s", v->g->dev, v->name,
		 state, op_names[op], cont);
	for (i = 0; i < v->n; i++) {
		if (contended && !v->sel[i])
			continue;
		if (op == OP_HAS && !v->has_op)
			continue;
		if (op == OP_SET && v->noset[i])
			continue;
		cells[n].mask = v->res[op][i];
		cells[n++].off = v->off[i];
	}
	ncells += n;
	qsort(cells, n, sizeof(*cells), cmp_cell);
	for (i = 0; i < n; i++) {
		u64 o = cells[i].off;

		if (len && cells[i].mask == m &&
		    (len == 1 || o - last == stride)) {
			if (len == 1)
				stride = o - last;
			last = o;
			len++;
			continue;
		}
		if (len)
			emit_run(key, start, last, stride, m);
		start = last = o;
		m = cells[i].mask;
		len = 1;
	}
	if (len)
		emit_run(key, start, last, stride, m);
	free(cells);
}

static struct variant *variant_new(const struct group *g, const char *suffix,
				   int n)
{
	struct variant *v = calloc(1, sizeof(*v));
	int i;

	if (!v)
		die("oom");
	snprintf(v->name, sizeof(v->name), "%s%s", g->name, suffix);
	v->g = g;
	v->hi = g->hi;
	v->n = n;
	v->has_op = true;
	v->off = calloc(n ? n : 1, sizeof(u64));
	v->val = calloc(n ? n : 1, sizeof(u64));
	v->exists = calloc(n ? n : 1, sizeof(bool));
	v->sel = calloc(n ? n : 1, sizeof(bool));
	v->noset = calloc(n ? n : 1, sizeof(bool));
	for (i = 0; i < NR_OPS; i++)
		v->res[i] = calloc(n ? n : 1, sizeof(u64));
	if (!v->off || !v->val || !v->exists || !v->sel || !v->noset ||
	    !v->res[NR_OPS - 1])
		die("oom");
	return v;
}

static void variant_free(struct variant *v)
{
	int i;

	free(v->off);
	free(v->val);
	free(v->exists);
	free(v->sel);
	free(v->noset);
	for (i = 0; i < NR_OPS; i++)
		free(v->res[i]);
	free(v);
}

/* The full item list of a group in @st. */
static struct variant *base_variant(const struct group *g, enum state st)
{
	struct variant *v;
	int i, n = 0, nx = NR_EXTRAS;
	u64 x[NR_EXTRAS];

	switch (g->kind) {
	case G_FRAME:
		n = g->frame / 4 + nx;
		break;
	case G_SYSREG:
		n = 512 + 4;
		break;
	case G_LEVEL:
		n = LEVEL_DENSE + (1024 - LEVEL_DENSE) / 32 * 2 + 3;
		break;
	case G_LIST:
		n = g->nlist;
		break;
	}
	v = variant_new(g, "", n);
	n = 0;
	switch (g->kind) {
	case G_FRAME:
		for (i = 0; i < (int)(g->frame / 4); i++)
			v->off[n++] = i * 4;
		frame_extras(g->frame, x);
		for (i = 0; i < nx; i++) {
			v->sel[n] = true;
			v->off[n++] = x[i];
		}
		break;
	case G_SYSREG: {
		/* op0=3, op1 in {0 (ICC_*), 4 (ICH_*)}, CRn in {4, 12} */
		static const int op1s[] = { 0, 4 }, crns[] = { 4, 12 };
		int a, b, c;

		for (a = 0; a < 2; a++)
			for (b = 0; b < 2; b++)
				for (c = 0; c < 128; c++)
					v->off[n++] = (3 << 14) | (op1s[a] << 11) |
						      (crns[b] << 7) | c;
		/* invalid: op0=0, all ones, RES bits 16-31 set */
		v->off[n] = 0;
		v->sel[n++] = true;
		v->off[n] = 0xffff;
		v->sel[n++] = true;
		v->off[n] = 0x10000 | 0xc230;	/* ICC_PMR_EL1 + RES bit */
		v->sel[n++] = true;
		v->off[n] = 0xffff0000 | 0xc664;	/* ICC_CTLR_EL1 + RES */
		v->sel[n++] = true;
		break;
	}
	case G_LEVEL:
		for (i = 0; i < LEVEL_DENSE; i++)
			v->off[n++] = i;
		for (i = LEVEL_DENSE; i < 1024; i += 32) {
			v->off[n++] = i;
			v->off[n++] = i + 1;
		}
		/* info != VGIC_LEVEL_INFO_LINE_LEVEL */
		v->off[n] = 1 << KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT;
		v->sel[n++] = true;
		v->off[n] = (1 << KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT) | 32;
		v->sel[n++] = true;
		v->off[n] = 0xfffffc00;
		v->sel[n++] = true;
		break;
	case G_LIST:
		for (i = 0; i < g->nlist; i++) {
			v->off[n] = g->list[i];
			v->sel[n] = true;
			v->noset[n] = g->ctrl_init_guard && st == ST_PREINIT &&
				      g->list[i] == KVM_DEV_ARM_VGIC_CTRL_INIT;
			n++;
		}
		break;
	}
	if (n != v->n)
		die("item count mismatch in %s", g->name);
	return v;
}

static void *ptr_for(enum ptr p, void *good)
{
	switch (p) {
	case PTR_OK:
		return good;
	case PTR_ADDR1:
		return (void *)1UL;
	case PTR_NOACCESS:
		return noaccess_page;
	case PTR_KADDR:
		return (void *)(unsigned long)KADDR;
	}
	return good;
}

static int access1(struct variant *v, int i, enum op op, u64 *val,
		   struct contention *c)
{
	const struct group *g = v->g;
	u64 attr = v->hi | ((v->off[i] + v->delta) & 0xffffffffULL);
	unsigned long req;
	void *p;
	int e;

	if (g->kind == G_LIST)
		attr = v->off[i];
	switch (op) {
	case OP_HAS:
		return attr_has(*g->fd, g->grp, attr);
	case OP_GET:
		req = KVM_GET_DEVICE_ATTR;
		break;
	default:
		req = KVM_SET_DEVICE_ATTR;
		break;
	}
	p = ptr_for(v->ptr, val);
	if (c && c->mode == CONT_RUN)
		c->access_start = now_ns();
	e = dev_attr(*g->fd, req, g->grp, attr, p);
	if (c && c->mode == CONT_RUN) {
		c->access_start = 0;
		if (c->kicked)
			e = BLOCKED;
	}
	return e;
}

/* A watchdog kick ends the RUN threads: put them back for the next cell. */
static void run_restart(struct contention *c)
{
	struct vm *vm = c->vm;
	enum cont_mode mode = c->mode;
	int first = c->first;

	cont_stop(c);
	cont_start(c, vm, mode, first, vm->nr_vcpus - first);
}

static void sweep(struct variant *v, struct contention *c, int tries)
{
	bool contended = c && c->mode != CONT_NONE;
	int i, t;

	for (i = 0; i < v->n; i++) {
		u64 val;
		int e;

		if (contended && !v->sel[i])
			continue;
		v->res[OP_HAS][i] = v->res[OP_GET][i] = v->res[OP_SET][i] = 0;
		if (!contended && v->has_op) {
			e = access1(v, i, OP_HAS, NULL, NULL);
			v->res[OP_HAS][i] = err_bit(e);
			/* has_attr of an aligned register decides "exists" */
			if (v->delta == 0 && v->ptr == PTR_OK && !e)
				v->exists[i] = true;
		}
		for (t = 0; t < tries; t++) {
			val = 0;
			e = access1(v, i, OP_GET, &val, c);
			v->res[OP_GET][i] |= err_bit(e);
			if (!contended)
				v->val[i] = e ? 0 : (v->g->width == 4 ?
						     (u32)val : val);
			if (e == BLOCKED)
				run_restart(c);
		}
		if (v->noset[i])
			continue;
		for (t = 0; t < tries; t++) {
			val = v->val[i];
			e = access1(v, i, OP_SET, &val, c);
			v->res[OP_SET][i] |= err_bit(e);
			if (e == BLOCKED)
				run_restart(c);
		}
	}
}

/* Variants derived from the state's existing registers. */
static int derive(struct variant *base, struct variant **out)
{
	const struct group *g = base->g;
	int nex = 0, nshort = 0, i, k = 0, d, p;
	int shortidx[8];
	bool have_absent = false;
	static const char * const psfx[] = { "", "!addr1", "!noaccess", "!kaddr" };

	for (i = 0; i < base->n; i++) {
		if (base->exists[i]) {
			nex++;
			if (nshort < 4)
				shortidx[nshort++] = i;
		} else if (!have_absent && g->kind != G_LIST) {
			/* one non-existent item: the ENXIO/EINVAL paths */
			have_absent = true;
			shortidx[nshort++] = i;
		}
	}
	if (g->kind == G_LIST)	/* short lists: take them whole */
		for (nshort = 0; nshort < base->n && nshort < 8; nshort++)
			shortidx[nshort] = nshort;

	/* offset+1, +2 of every existing register */
	if (g->kind == G_FRAME) {
		for (d = 1; d <= 2; d++) {
			char sfx[8];
			struct variant *v;
			int j = 0;

			snprintf(sfx, sizeof(sfx), "+%d", d);
			v = variant_new(g, sfx, nex);
			v->delta = d;
			for (i = 0; i < base->n; i++)
				if (base->exists[i]) {
					v->off[j] = base->off[i];
					v->sel[j++] = true;
				}
			out[k++] = v;
		}
	}
	/* bad user pointers */
	for (p = PTR_ADDR1; p <= PTR_KADDR; p++) {
		struct variant *v = variant_new(g, psfx[p], nshort);

		v->ptr = p;
		v->has_op = false;
		for (i = 0; i < nshort; i++) {
			v->off[i] = base->off[shortidx[i]];
			v->noset[i] = base->noset[shortidx[i]];
			v->sel[i] = true;
		}
		out[k++] = v;
	}
	/* a target that names no vCPU (or junk in DIST's ignored hi bits) */
	if (g->percpu || (g->kind == G_FRAME && !g->hi && g->badhi)) {
		char nm[16];
		struct variant *v;
		const char *dot = strchr(g->name, '.');

		snprintf(nm, sizeof(nm), "%s", g->percpu ? ".novcpu" : ".junkhi");
		v = variant_new(g, nm, nshort);
		if (g->percpu && dot)	/* REDIST.vcpu0 -> REDIST.novcpu */
			snprintf(v->name, sizeof(v->name), "%.*s%s",
				 (int)(dot - g->name), g->name, nm);
		v->hi = g->badhi;
		for (i = 0; i < nshort; i++) {
			v->off[i] = base->off[shortidx[i]];
			v->sel[i] = true;
		}
		out[k++] = v;
	}
	return k;
}

/* Contended sweeps cover existing registers plus a sample of the rest. */
static void select_contended(struct variant *v)
{
	int i;

	for (i = 0; i < v->n; i++) {
		if (v->sel[i])
			continue;
		switch (v->g->kind) {
		case G_LEVEL:
			v->sel[i] = (v->off[i] % 32) < 2;
			break;
		default:
			v->sel[i] = v->exists[i] || (i % opt.sample) == 0;
			break;
		}
	}
}

#define MAX_GROUPS	40
#define MAX_VARIANTS	(MAX_GROUPS * 8)	/* base + at most 6 derived */

static void sweep_state(struct vm *vm, const struct group *groups, int ng,
			enum state st)
{
	static const struct {
		enum cont_mode mode;
		int first;
		const char *name;
	} conts[] = {
		{ CONT_LOOP, 0, "loop" },
		{ CONT_RUN, 0, "run" },
		{ CONT_RUN, 1, "run1" },
	};
	struct variant *vs[MAX_VARIANTS];
	struct contention *c = calloc(1, sizeof(*c));
	const char *sn = state_names[st];
	int nv = 0, nbase, i, k;
	u64 t0 = now_ns();

	if (!c)
		die("oom");
	for (i = 0; i < ng; i++)
		vs[nv++] = base_variant(&groups[i], st);
	nbase = nv;
	for (i = 0; i < nbase; i++) {
		sweep(vs[i], NULL, 1);
		for (k = 0; k < NR_OPS; k++)
			emit_stream(vs[i], sn, k, "none", false);
		if (nv + 6 > MAX_VARIANTS)
			die("too many variants");
		nv += derive(vs[i], vs + nv);
	}
	for (i = nbase; i < nv; i++) {
		sweep(vs[i], NULL, 1);
		for (k = 0; k < NR_OPS; k++)
			emit_stream(vs[i], sn, k, "none", false);
	}
	for (i = 0; i < nbase; i++)
		select_contended(vs[i]);
	printf("# %s %s none: %.1fs\n", groups[0].dev, sn,
	       (now_ns() - t0) / 1e9);

	for (k = 0; k < ARRAY_SIZE(conts); k++) {
		int tries = conts[k].mode == CONT_LOOP ? opt.tries : 1;

		if (conts[k].mode == CONT_RUN && st != ST_RAN)
			continue;
		t0 = now_ns();
		cont_start(c, vm, conts[k].mode, conts[k].first,
			   vm->nr_vcpus - conts[k].first);
		for (i = 0; i < nv; i++)
			sweep(vs[i], c, tries);
		cont_stop(c);
		for (i = 0; i < nv; i++) {
			emit_stream(vs[i], sn, OP_GET, conts[k].name, true);
			emit_stream(vs[i], sn, OP_SET, conts[k].name, true);
		}
		printf("# %s %s %s: %.1fs\n", groups[0].dev, sn, conts[k].name,
		       (now_ns() - t0) / 1e9);
	}
	for (i = 0; i < nv; i++)
		variant_free(vs[i]);
	free(c);
	fflush(stdout);
}

static const u64 unknown_groups_list[] = { 0, 8 };
static const u64 zero_list[] = { 0 };
static const u64 addr_list[] = { 0, 1, 2, 3, 4, 5, 6 };

struct unknown_grp {
	const char *name;
	u32 grp;
};

static struct group reg_grp(const char *dev, const char *name, int *fd,
			    u32 grp, enum gkind kind, u64 hi, u32 frame)
{
	return (struct group){
		.dev = dev, .name = name, .fd = fd, .grp = grp, .kind = kind,
		.hi = hi, .frame = frame, .width = kind == G_SYSREG ? 8 : 4,
	};
}

/* The first per-vCPU instance also probes a target that is no vCPU. */
static struct group percpu_grp(struct group g, u64 badhi)
{
	g.percpu = true;
	g.badhi = badhi;
	return g;
}

static struct group list_grp(const char *dev, const char *name, int *fd,
			     u32 grp, int width, const u64 *list, int nlist)
{
	return (struct group){
		.dev = dev, .name = name, .fd = fd, .grp = grp, .kind = G_LIST,
		.width = width, .list = list, .nlist = nlist,
	};
}

static int add_unknown(struct group *g, const char *dev, int *fd,
		       const struct unknown_grp *u, int nu)
{
	int i;

	for (i = 0; i < nu; i++)
		g[i] = list_grp(dev, u[i].name, fd, u[i].grp, 8,
				unknown_groups_list, 2);
	return nu;
}

static int setup_groups_v3(struct group *g, int *gic_fd, int *its_fd)
{
	static const u64 v3_ctrl[] = { 0, 1, 2, 3, 4, 5, 6, 0xffffffff };
	static const u64 its_ctrl[] = { 0, 1, 2, 3, 4, 5, 0xffffffff };
	static const struct unknown_grp v3_unknown[] = {
		{ "GRP2", 2 }, { "GRP8", 8 }, { "GRP10", 10 }, { "GRP11", 11 },
		{ "GRP64", 64 }, { "GRPmax", 0xffffffff },
	}, its_unknown[] = {
		{ "GRP1", 1 }, { "GRP2", 2 }, { "GRP3", 3 }, { "GRP5", 5 },
		{ "GRP6", 6 }, { "GRP7", 7 }, { "GRP9", 9 }, { "GRP10", 10 },
		{ "GRPmax", 0xffffffff },
	};
	u64 bad = v3_mpidr_attr(7);	/* no such vCPU: NR_VCPUS is 2 */
	int n = 0;

	/* DIST ignores the attr's MPIDR bits: junk there must not matter */
	g[n] = reg_grp("v3", "DIST", gic_fd, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
		       G_FRAME, 0, 0x10000);
	g[n++].badhi = 0xdeadbeefULL << 32;
	g[n++] = percpu_grp(reg_grp("v3", "REDIST.vcpu0", gic_fd,
				    KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, G_FRAME,
				    v3_mpidr_attr(0), 0x20000), bad);
	g[n++] = reg_grp("v3", "REDIST.vcpu1", gic_fd,
			 KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, G_FRAME,
			 v3_mpidr_attr(1), 0x20000);
	g[n++] = percpu_grp(reg_grp("v3", "CPU_SYSREGS.vcpu0", gic_fd,
				    KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, G_SYSREG,
				    v3_mpidr_attr(0), 0), bad);
	g[n++] = reg_grp("v3", "CPU_SYSREGS.vcpu1", gic_fd,
			 KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, G_SYSREG,
			 v3_mpidr_attr(1), 0);
	g[n++] = percpu_grp(reg_grp("v3", "LEVEL_INFO.vcpu0", gic_fd,
				    KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO, G_LEVEL,
				    v3_mpidr_attr(0), 0), bad);
	g[n++] = reg_grp("v3", "LEVEL_INFO.vcpu1", gic_fd,
			 KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO, G_LEVEL,
			 v3_mpidr_attr(1), 0);
	g[n] = list_grp("v3", "CTRL", gic_fd, KVM_DEV_ARM_VGIC_GRP_CTRL, 8,
			v3_ctrl, ARRAY_SIZE(v3_ctrl));
	g[n++].ctrl_init_guard = true;
	g[n++] = list_grp("v3", "ADDR", gic_fd, KVM_DEV_ARM_VGIC_GRP_ADDR, 8,
			  addr_list, ARRAY_SIZE(addr_list));
	g[n++] = list_grp("v3", "NR_IRQS", gic_fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS,
			  4, zero_list, 1);
	g[n++] = list_grp("v3", "MAINT_IRQ", gic_fd,
			  KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ, 4, zero_list, 1);
	n += add_unknown(g + n, "v3", gic_fd, v3_unknown, ARRAY_SIZE(v3_unknown));

	g[n] = reg_grp("its", "ITS_REGS", its_fd, KVM_DEV_ARM_VGIC_GRP_ITS_REGS,
		       G_FRAME, 0, 0x10000);
	g[n++].width = 8;	/* the ITS ABI always passes a __u64 */
	g[n++] = list_grp("its", "CTRL", its_fd, KVM_DEV_ARM_VGIC_GRP_CTRL, 8,
			  its_ctrl, ARRAY_SIZE(its_ctrl));
	g[n++] = list_grp("its", "ADDR", its_fd, KVM_DEV_ARM_VGIC_GRP_ADDR, 8,
			  addr_list, ARRAY_SIZE(addr_list));
	n += add_unknown(g + n, "its", its_fd, its_unknown, ARRAY_SIZE(its_unknown));
	return n;
}

static int setup_groups_v2(struct group *g, int *gic_fd)
{
	static const u64 v2_ctrl[] = { 0, 1, 3, 0xffffffff };
	static const struct unknown_grp v2_unknown[] = {
		{ "GRP5", 5 }, { "GRP6", 6 }, { "GRP7", 7 }, { "GRP8", 8 },
		{ "GRP9", 9 }, { "GRP10", 10 }, { "GRPmax", 0xffffffff },
	};
	u64 bad = v2_cpuid_attr(7);
	int n = 0;

	g[n++] = percpu_grp(reg_grp("v2", "DIST.cpu0", gic_fd,
				    KVM_DEV_ARM_VGIC_GRP_DIST_REGS, G_FRAME,
				    v2_cpuid_attr(0), 0x1000), bad);
	g[n++] = reg_grp("v2", "DIST.cpu1", gic_fd,
			 KVM_DEV_ARM_VGIC_GRP_DIST_REGS, G_FRAME,
			 v2_cpuid_attr(1), 0x1000);
	g[n++] = percpu_grp(reg_grp("v2", "CPU.cpu0", gic_fd,
				    KVM_DEV_ARM_VGIC_GRP_CPU_REGS, G_FRAME,
				    v2_cpuid_attr(0), 0x2000), bad);
	g[n++] = reg_grp("v2", "CPU.cpu1", gic_fd,
			 KVM_DEV_ARM_VGIC_GRP_CPU_REGS, G_FRAME,
			 v2_cpuid_attr(1), 0x2000);
	g[n] = list_grp("v2", "CTRL", gic_fd, KVM_DEV_ARM_VGIC_GRP_CTRL, 8,
			v2_ctrl, ARRAY_SIZE(v2_ctrl));
	g[n++].ctrl_init_guard = true;
	g[n++] = list_grp("v2", "ADDR", gic_fd, KVM_DEV_ARM_VGIC_GRP_ADDR, 8,
			  addr_list, ARRAY_SIZE(addr_list) - 1);
	g[n++] = list_grp("v2", "NR_IRQS", gic_fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS,
			  4, zero_list, 1);
	n += add_unknown(g + n, "v2", gic_fd, v2_unknown, ARRAY_SIZE(v2_unknown));
	return n;
}

/* Sweep the groups of one device family through the three VM states. */
static void run_family(int type)
{
	struct group groups[MAX_GROUPS];
	const char *dev = type == KVM_DEV_TYPE_ARM_VGIC_V3 ? "v3" : "v2";
	struct vm *vm = calloc(1, sizeof(*vm));
	int ng, r, i;
	u64 t0 = now_ns();

	if (!vm)
		die("oom");
	r = vm_create(vm, NR_VCPUS, type, type == KVM_DEV_TYPE_ARM_VGIC_V3);
	if (r) {
		/* e.g. no GICv2 compat on a GICv3 host: say so, don't fail */
		printf("abi-sweep device %s unavailable %s\n", dev, errno_name(r));
		vm_destroy(vm);
		free(vm);
		return;
	}
	if (type == KVM_DEV_TYPE_ARM_VGIC_V3)
		ng = setup_groups_v3(groups, &vm->gic_fd, &vm->its_fd);
	else
		ng = setup_groups_v2(groups, &vm->gic_fd);
	if (ng > MAX_GROUPS)
		die("too many groups");
	if (opt.quick)
		for (i = 0; i < ng; i++)
			if (groups[i].kind == G_FRAME && groups[i].frame > 0x1000)
				groups[i].frame = 0x1000;

	sweep_state(vm, groups, ng, ST_PREINIT);
	r = vm_gic_init(vm);
	if (r)
		die("%s CTRL_INIT: %s", dev, errno_name(r));
	sweep_state(vm, groups, ng, ST_INIT);
	vm_run_once_all(vm);
	sweep_state(vm, groups, ng, ST_RAN);
	vm_destroy(vm);
	free(vm);
	printf("# %s family: %.1fs\n", dev, (now_ns() - t0) / 1e9);
}

/*
 * The VM-wide operations that lock every vCPU: the counter offset, and
 * creating the vGIC. A cell's set collects opt.tries tries; vGIC creation
 * needs a fresh VM per try.
 */
enum vm_op { VM_COUNTER_OFFSET, VM_BAD_OFFSET, VM_CREATE, VM_IRQCHIP };

static int vm_op(struct vm *vm, enum vm_op op, int type)
{
	struct kvm_arm_counter_offset off = { .reserved = op == VM_BAD_OFFSET };
	int r;

	switch (op) {
	case VM_COUNTER_OFFSET:
	case VM_BAD_OFFSET:
		return ioctl(vm->fd, KVM_ARM_SET_COUNTER_OFFSET, &off) ? errno : 0;
	case VM_CREATE:
		r = vm_create_gic(vm, type);
		break;
	case VM_IRQCHIP:
		r = ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0) ? errno : 0;
		if (!r)
			vm->gic_fd = -1;	/* no device fd to close */
		break;
	}
	return r;
}

static void emit_vm_cell(const char *grp, const char *state, const char *cont,
			 u64 mask)
{
	char key[128];

	snprintf(key, sizeof(key), "vm %s %s set %s", grp, state, cont);
	emit_run(key, 0, 0, 0, mask);
	ncells++;
}

/* One try of @op on @vm in @state under @cont */
static u64 vm_try(struct vm *vm, enum vm_op op, int type, const char *cont)
{
	struct contention *c = calloc(1, sizeof(*c));
	enum cont_mode mode = !strcmp(cont, "none") ? CONT_NONE :
			      !strcmp(cont, "loop") ? CONT_LOOP : CONT_RUN;
	int first = !strcmp(cont, "run1");
	u64 m;

	if (!c)
		die("oom");
	cont_start(c, vm, mode, first, NR_VCPUS);
	if (mode == CONT_RUN)
		c->access_start = now_ns();
	m = err_bit(vm_op(vm, op, type));
	c->access_start = 0;
	cont_stop(c);
	if (c->kicked)
		m = err_bit(BLOCKED);
	free(c);
	return m;
}

/* The counter offset, in every state of a VM with a @type vGIC */
static void sweep_counter_offset(int type)
{
	static const char * const conts[] = { "none", "loop", "run", "run1" };
	struct vm vm;
	int st, k, t;

	if (vm_create(&vm, NR_VCPUS, type, false)) {
		vm_destroy(&vm);
		return;
	}
	for (st = ST_PREINIT; st <= ST_RAN; st++) {
		if (st == ST_INIT && vm_gic_init(&vm))
			die("CTRL_INIT for the counter offset");
		if (st == ST_RAN)
			vm_run_once_all(&vm);
		for (k = 0; k < ARRAY_SIZE(conts); k++) {
			u64 m = 0, bad = 0;

			if (k >= 2 && st != ST_RAN)
				continue;
			for (t = 0; t < (k == 1 ? opt.tries : 1); t++) {
				m |= vm_try(&vm, VM_COUNTER_OFFSET, type, conts[k]);
				bad |= vm_try(&vm, VM_BAD_OFFSET, type, conts[k]);
			}
			emit_vm_cell(type == KVM_DEV_TYPE_ARM_VGIC_V3 ?
				     "COUNTER_OFFSET.v3" : "COUNTER_OFFSET.v2",
				     state_names[st], conts[k], m);
			emit_vm_cell(type == KVM_DEV_TYPE_ARM_VGIC_V3 ?
				     "COUNTER_OFFSET!reserved.v3" :
				     "COUNTER_OFFSET!reserved.v2",
				     state_names[st], conts[k], bad);
		}
	}
	vm_destroy(&vm);
}

/*
 * Creating the vGIC: before any run (preinit), with a vGIC already there
 * (exists), and after the vCPUs ran once without one (ran).
 */
static void sweep_create(const char *grp, enum vm_op op, int type)
{
	static const struct { const char *state, *cont; } cells[] = {
		{ "preinit", "none" }, { "preinit", "loop" },
		{ "exists", "none" }, { "exists", "loop" },
		{ "ran", "none" }, { "ran", "loop" }, { "ran", "run" },
	};
	int k, t;

	for (k = 0; k < ARRAY_SIZE(cells); k++) {
		u64 m = 0;

		for (t = 0; t < (!strcmp(cells[k].cont, "loop") ? opt.tries : 1); t++) {
			struct vm vm;

			vm_create(&vm, NR_VCPUS, 0, false);
			if (!strcmp(cells[k].state, "exists") && vm_op(&vm, op, type))
				die("%s: first vGIC", grp);
			if (!strcmp(cells[k].state, "ran"))
				vm_run_once_all(&vm);
			m |= vm_try(&vm, op, type, cells[k].cont);
			vm_destroy(&vm);
		}
		emit_vm_cell(grp, cells[k].state, cells[k].cont, m);
	}
}

static void run_vm_ops(void)
{
	u64 t0 = now_ns();
	struct vm probe;
	bool v2, v3;

	v3 = !vm_create(&probe, 1, KVM_DEV_TYPE_ARM_VGIC_V3, false);
	vm_destroy(&probe);
	v2 = !vm_create(&probe, 1, KVM_DEV_TYPE_ARM_VGIC_V2, false);
	vm_destroy(&probe);
	if (v3) {
		sweep_counter_offset(KVM_DEV_TYPE_ARM_VGIC_V3);
		sweep_create("CREATE_DEVICE.v3", VM_CREATE, KVM_DEV_TYPE_ARM_VGIC_V3);
	}
	if (v2) {
		sweep_counter_offset(KVM_DEV_TYPE_ARM_VGIC_V2);
		sweep_create("CREATE_DEVICE.v2", VM_CREATE, KVM_DEV_TYPE_ARM_VGIC_V2);
		sweep_create("CREATE_IRQCHIP", VM_IRQCHIP, KVM_DEV_TYPE_ARM_VGIC_V2);
	}
	printf("# vm family: %.1fs\n", (now_ns() - t0) / 1e9);
}

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [-2|-3] [-q] [-r TRIES] [-S SAMPLE]\n"
		"  -2 / -3     only the v2 / only the v3+ITS family\n"
		"  -q          quick: frames cut to 4 KiB (smoke test only)\n"
		"  -r TRIES    tries per contended cell (default 3)\n"
		"  -S SAMPLE   contended sweep also takes every SAMPLE-th\n"
		"              non-existent offset (default 16)\n", argv0);
	exit(2);
}

int main(int argc, char **argv)
{
	char rel[128];
	u64 t0 = now_ns();
	int ch;

	while ((ch = getopt(argc, argv, "23qr:S:h")) != -1) {
		switch (ch) {
		case '2':
			opt.want_v3 = false;
			break;
		case '3':
			opt.want_v2 = false;
			break;
		case 'q':
			opt.quick = true;
			break;
		case 'r':
			opt.tries = atoi(optarg);
			break;
		case 'S':
			opt.sample = atoi(optarg);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (opt.tries < 1 || opt.sample < 1)
		usage(argv[0]);
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* A PROT_NONE page stays reserved: a stable "unmapped" pointer. */
	noaccess_page = mmap(NULL, 4096, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (noaccess_page == MAP_FAILED)
		die("mmap PROT_NONE");

	kernel_release(rel, sizeof(rel));
	printf("abi-sweep v1 kernel=%s\n", rel);
	printf("# tries=%d sample=%d quick=%d vcpus=%d nr_irqs=%d\n",
	       opt.tries, opt.sample, opt.quick, NR_VCPUS, TOOL_NR_IRQS);
	if (opt.want_v2)
		run_family(KVM_DEV_TYPE_ARM_VGIC_V2);
	if (opt.want_v3)
		run_family(KVM_DEV_TYPE_ARM_VGIC_V3);
	run_vm_ops();
	printf("abi-sweep summary cells=%llu lines=%llu secs=%.1f\n",
	       (unsigned long long)ncells, (unsigned long long)nlines,
	       (now_ns() - t0) / 1e9);
	printf("abi-sweep done cells=%llu\n", (unsigned long long)ncells);
	return 0;
}
