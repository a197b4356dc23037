// SPDX-License-Identifier: GPL-2.0-only
/// Use vgic_lock_for_uaccess() and vgic_unlock_for_uaccess() instead of
/// the open-coded vGIC userspace access lock sequence: kvm->lock, every
/// vCPU mutex through kvm_trylock_all_vcpus() (-EBUSY when one is busy),
/// then kvm->arch.config_lock, released in the reverse order.  The helpers
/// take the vCPU mutexes only when needed.  The conversion passes NULL
/// (all vCPUs); passing the target vCPU for per-vCPU register groups is
/// left to a hand edit.  Only the complete sequence, config_lock included,
/// is converted: other kvm_trylock_all_vcpus() users are left alone.
///
// Confidence: High
// Copyright: (C) 2026 The vcpulock workbench authors.
// URL: https://coccinelle.gitlabpages.inria.fr/website
// Comments: patch mode adds "struct vgic_uaccess_locks locks;" after the
//  last declaration at the top of the function.
// Options: --no-includes --include-headers

virtual patch
virtual context
virtual org
virtual report

// The whole sequence, lock to unlock: its_lock and gotos may sit between,
// but every path, error paths too, must reach the unlock sequence.
@site@
iterator name scoped_guard, scoped_cond_guard;
symbol locks;
expression X, E;
position p;
@@

mutex_lock@p(&X->lock);
if (kvm_trylock_all_vcpus(X)) {
	mutex_unlock(&X->lock);
	return E;
}
mutex_lock(&X->arch.config_lock);
... when strict
mutex_unlock(&X->arch.config_lock);
kvm_unlock_all_vcpus(X);
mutex_unlock(&X->lock);

@conv depends on patch@
expression site.X, site.E;
position site.p;
@@

- mutex_lock@p(&X->lock);
- if (kvm_trylock_all_vcpus(X)) {
-	mutex_unlock(&X->lock);
-	return E;
- }
- mutex_lock(&X->arch.config_lock);
+ if (vgic_lock_for_uaccess(&locks, X, NULL))
+	return E;
  ... when strict
- mutex_unlock(&X->arch.config_lock);
- kvm_unlock_all_vcpus(X);
- mutex_unlock(&X->lock);
+ vgic_unlock_for_uaccess(&locks);

@initialize:python@
@@
done = set()
sites = []

def top_level(pd):
    # Kernel style: the declarations of a function body sit one tab in.
    return int(pd[0].column) == 1

@script:python fname depends on conv@
p << site.p;
fn;
@@
coccinelle.fn = p[0].current_element

// After the last declaration at the top of the function.
@decl depends on patch@
identifier fname.fn;
declaration d;
statement S;
position pd : script:python () { top_level(pd) };
@@

fn(...) {
  ... when any
  d@pd
+ struct vgic_uaccess_locks locks;
  S
  ... when any
}

@script:python@
fn << fname.fn;
pd << decl.pd;
@@
# Transformed code lives in a temporary file: key on the name only.
done.add(fn)

@script:python fname_nodecl depends on conv@
p << site.p;
fn;
@@
if p[0].current_element in done:
    cocci.include_match(False)
else:
    coccinelle.fn = p[0].current_element

// No declaration at the top: start the body with it.
@decl_none depends on patch@
identifier fname_nodecl.fn;
@@

fn(...) {
+ struct vgic_uaccess_locks locks;
+
  ...
}

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
done.clear()
del sites[:]
