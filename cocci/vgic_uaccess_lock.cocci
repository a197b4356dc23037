// SPDX-License-Identifier: GPL-2.0-only
/// Use vgic_lock_for_uaccess() and vgic_unlock_for_uaccess() instead of
/// the open-coded vGIC userspace access lock sequence of Linux 7.3:
/// kvm->lock, every vCPU mutex through kvm_trylock_all_vcpus() (-EBUSY
/// when one is busy), then kvm->arch.config_lock, released in the reverse
/// order.  The helpers take the vCPU mutexes only once the VM has started
/// running, with kvm_lock_all_vcpus_unless_running().  The conversion
/// passes NULL (all vCPUs); passing the addressed vCPU for the per-vCPU
/// register groups is left to a hand edit.  Only the complete sequence,
/// config_lock included, is converted: other kvm_trylock_all_vcpus()
/// users are left alone.
///
/// vgic_lock_for_uaccess() fails with -EBUSY or -EINTR.  Where the
/// function returns an int variable V after the unlock, and V's old value
/// is not seen after the lock (every path assigns V before reading it, or
/// V is initialised to 0 and not touched before the lock: the helper's
/// success leaves 0 in V either way), the conversion returns that error
/// through V.  Otherwise it keeps returning the sequence's constant.
///
// Confidence: High
// Copyright: (C) 2026 The vcpulock workbench authors.
// URL: https://coccinelle.gitlabpages.inria.fr/website
// Comments: an assignment through a pointer or a compound assignment to V
//  counts as a read of V: such a site keeps the constant.
// Options: --no-includes --include-headers

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
cands = {}      # site -> set of variables returned after the unlock
fresh = set()   # (site, V): V assigned on every path before any read
zdecl = set()   # (site, V): int V = 0; before the site
zused = set()   # (site, V): V mentioned between that declaration and the site
picked = {}     # site -> V, for the sites that return the error of the helper
sites = []

def key(p):
    return (p[0].file, int(p[0].line), int(p[0].column))

// The whole sequence, lock to unlock: its_lock and gotos may sit between,
// but every path, error paths too, must reach the unlock sequence.
@site@
iterator name scoped_guard, scoped_cond_guard;
expression X, E;
position p, pc, pu;
@@

mutex_lock@p(&X->lock);
if (kvm_trylock_all_vcpus(X)) {
	mutex_unlock(&X->lock);
	return E;
}
mutex_lock@pc(&X->arch.config_lock);
... when strict
mutex_unlock(&X->arch.config_lock);
kvm_unlock_all_vcpus(X);
mutex_unlock@pu(&X->lock);

// The int variable that the function returns after the unlock.
@retvar exists@
expression site.X;
position site.pu;
local idexpression int V;
@@

mutex_unlock@pu(&X->lock);
... when any
return V;

// The same variable as an identifier, for its declaration.
@script:python rv@
p << site.p;
v << retvar.V;
rvid;
@@
cands.setdefault(key(p), set()).add(v)
coccinelle.rvid = v

// Every path from the lock assigns V before it reads V.
@assigned forall@
expression site.X;
position site.pc;
local idexpression int retvar.V;
expression E;
position hit;
@@

mutex_lock@pc(&X->arch.config_lock);
... when != V
    when strict
V@hit = E;

@script:python@
p << site.p;
v << retvar.V;
hit << assigned.hit;
@@
fresh.add((key(p), v))

@zero exists@
expression site.X;
position site.p;
identifier rv.rvid;
type T;
position hit;
@@

T rvid@hit = 0;
... when any
mutex_lock@p(&X->lock);

@script:python@
p << site.p;
v << retvar.V;
hit << zero.hit;
@@
zdecl.add((key(p), v))

@zero_used exists@
expression site.X;
position site.p;
identifier rv.rvid;
type T;
position hit;
@@

T rvid = 0;
... when any
rvid@hit
... when any
mutex_lock@p(&X->lock);

@script:python@
p << site.p;
v << retvar.V;
hit << zero_used.hit;
@@
zused.add((key(p), v))

@script:python pick@
p << site.p;
v << retvar.V;
out;
@@
k = key(p)
ok = (k, v) in fresh or ((k, v) in zdecl and (k, v) not in zused)
if len(cands.get(k, ())) == 1 and ok:
    picked[k] = v
    coccinelle.out = v
else:
    cocci.include_match(False)

@conv_var depends on patch@
expression site.X, site.E;
position site.p;
identifier pick.out;
@@

- mutex_lock@p(&X->lock);
- if (kvm_trylock_all_vcpus(X)) {
-	mutex_unlock(&X->lock);
-	return E;
- }
- mutex_lock(&X->arch.config_lock);
+ out = vgic_lock_for_uaccess(X, NULL);
+ if (out)
+	return out;
  ... when strict
- mutex_unlock(&X->arch.config_lock);
- kvm_unlock_all_vcpus(X);
- mutex_unlock(&X->lock);
+ vgic_unlock_for_uaccess(X, NULL);

// No variable fits: keep returning the constant.
@conv_const depends on patch@
expression site.X, site.E;
position p : script:python () { key(p) not in picked };
@@

- mutex_lock@p(&X->lock);
- if (kvm_trylock_all_vcpus(X)) {
-	mutex_unlock(&X->lock);
-	return E;
- }
- mutex_lock(&X->arch.config_lock);
+ if (vgic_lock_for_uaccess(X, NULL))
+	return E;
  ... when strict
- mutex_unlock(&X->arch.config_lock);
- kvm_unlock_all_vcpus(X);
- mutex_unlock(&X->lock);
+ vgic_unlock_for_uaccess(X, NULL);

@ctx depends on context@
expression site.X;
position site.p;
@@

* mutex_lock@p(&X->lock);

@script:python depends on org || report@
p << site.p;
@@
sites.append(p[0])

// Sorted, once per file.
@script:python depends on site && org@
@@
for p in sorted(sites, key=lambda p: (p.file, int(p.line))):
    coccilib.org.print_todo(p, "%s(): open-coded vGIC uaccess locking: use vgic_lock_for_uaccess()" % p.current_element)

@script:python depends on site && report@
@@
for p in sorted(sites, key=lambda p: (p.file, int(p.line))):
    coccilib.report.print_report(p, "%s(): open-coded kvm->lock + kvm_trylock_all_vcpus() + config_lock: use vgic_lock_for_uaccess()/vgic_unlock_for_uaccess()" % p.current_element)

@script:python depends on site@
@@
for d in (cands, picked):
    d.clear()
for s in (fresh, zdecl, zused):
    s.clear()
del sites[:]
