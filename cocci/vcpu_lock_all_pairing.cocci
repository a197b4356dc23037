// SPDX-License-Identifier: GPL-2.0-only
/// Find missing vCPU unlocks: a path that leaves the function after a
/// successful kvm_trylock_all_vcpus(), kvm_lock_all_vcpus() or
/// kvm_lock_all_vcpus_unless_running() without kvm_unlock_all_vcpus() on
/// the same struct kvm, or after a successful
/// kvm_lock_vcpu_unless_running(V) without mutex_unlock(&V->mutex).
/// Modelled on locks/mini_lock.cocci.  Success is the path past
/// "if (f(K)) <fail>", past "V = f(K); if (V) <fail>", or into the branch
/// of "if (!f(K)) <success>".
///
/// A function that never releases what it locked on that kvm (or vCPU) is
/// taken to be a lock helper that returns with the vCPUs locked on
/// purpose (tdx_acquire_vm_state_locks(), vgic_lock_for_uaccess()) and is
/// not reported; nor is the lock API itself, which
/// kvm_lock_all_vcpus_unless_running() builds on
/// kvm_lock_vcpu_unless_running().  Falling off the end of a void function is not seen as a
/// leak.
///
// Confidence: Moderate
// Copyright: (C) 2026 The vcpulock workbench authors.
// URL: https://coccinelle.gitlabpages.inria.fr/website
// Comments:
// Options: --no-includes --include-headers

virtual context
virtual org
virtual report

@initialize:python@
@@
unlocks = set()     # (file, function, kvm or vcpu) with its release
leaks = {}          # call key -> (call pos, api, kvm, [return pos])
branch_leaks = {}   # if (!f(K)) calls whose branch can leave unlocked

def key(p):
    return (p.file, int(p.line), int(p.column))

def src(p):
    # The kvm expression as the author spelled it.
    import linecache
    if p.line != p.line_end:
        return " ".join(linecache.getline(p.file, i).strip()
                        for i in range(int(p.line), int(p.line_end) + 1))
    return linecache.getline(p.file, int(p.line))[int(p.column):int(p.column_end)]

def balanced(p, k):
    # The function releases the vCPUs of this kvm somewhere: it pairs.
    return (p.file, p.current_element, str(k)) in unlocks

# The lock API itself returns with what it locked held
LOCK_APIS = {"kvm_trylock_all_vcpus", "kvm_lock_all_vcpus",
             "kvm_lock_all_vcpus_unless_running",
             "kvm_lock_vcpu_unless_running"}

def add_leak(p, api, k, pr):
    if p.current_element in LOCK_APIS:
        return
    ent = leaks.setdefault(key(p), (p, api, k, {}))
    ent[3][key(pr)] = pr

def in_branch_leaks(p):
    return key(p) in branch_leaks

def release(api, k):
    if api == "kvm_lock_vcpu_unless_running":
        return "the vCPU mutex locked (missing mutex_unlock(&%s->mutex))" % k
    return "the vCPU mutexes locked (missing kvm_unlock_all_vcpus())"

def released_by(api, k):
    if api == "kvm_lock_vcpu_unless_running":
        return "mutex_unlock(&%s->mutex)" % k
    return "kvm_unlock_all_vcpus()"

// The names spelled out, not an identifier set: spatch then only parses
// the files that mention them (coccicheck over a whole tree).
@lk@
iterator name scoped_guard, scoped_cond_guard;
symbol mutex;
expression K;
position p, pk;
@@

(
kvm_trylock_all_vcpus@p(K@pk)
|
kvm_lock_all_vcpus@p(K@pk)
|
kvm_lock_all_vcpus_unless_running@p(K@pk)
|
kvm_lock_vcpu_unless_running@p(K@pk)
)

// The release of either kind: a struct kvm has no ->mutex and a vCPU is
// no struct kvm, so each form only ever matches its own lock.
@unl@
expression lk.K;
position pu;
@@

(
kvm_unlock_all_vcpus@pu(K)
|
mutex_unlock@pu(&K->mutex)
)

@script:python@
K << lk.K;
pu << unl.pu;
@@
unlocks.add((pu[0].file, pu[0].current_element, str(K)))

// if (f(K)) <fail>  ... return, no unlock on the way
@leak_if disable neg_if, drop_else exists@
identifier api;
expression lk.K;
position lk.p;
position pr : script:python (p, K) { balanced(p[0], K) };
statement S;
@@

(
if (api@p(K)) S
|
if (api@p(K) < 0) S
|
if (api@p(K) != 0) S
)
... when != kvm_unlock_all_vcpus(K)
    when != mutex_unlock(&K->mutex)
return@pr ...;

@script:python@
pk << lk.pk;
p << lk.p;
pr << leak_if.pr;
@@
add_leak(p[0], src(p[0]), src(pk[0]), pr[0])

// V = f(K); if (V) <fail>  ... return, no unlock on the way
@leak_var disable neg_if, drop_else exists@
identifier api;
expression lk.K, E;
position lk.p;
position pr : script:python (p, K) { balanced(p[0], K) };
identifier V;
statement S;
@@

V = api@p(K);
... when != V = E
(
if (V) S
|
if (V < 0) S
|
if (V != 0) S
)
... when != kvm_unlock_all_vcpus(K)
    when != mutex_unlock(&K->mutex)
return@pr ...;

@script:python@
pk << lk.pk;
p << lk.p;
pr << leak_var.pr;
@@
add_leak(p[0], src(p[0]), src(pk[0]), pr[0])

@leak_decl disable neg_if, drop_else exists@
identifier api;
expression lk.K, E;
position lk.p;
position pr : script:python (p, K) { balanced(p[0], K) };
identifier V;
type T;
statement S;
@@

T V = api@p(K);
... when != V = E
(
if (V) S
|
if (V < 0) S
|
if (V != 0) S
)
... when != kvm_unlock_all_vcpus(K)
    when != mutex_unlock(&K->mutex)
return@pr ...;

@script:python@
pk << lk.pk;
p << lk.p;
pr << leak_decl.pr;
@@
add_leak(p[0], src(p[0]), src(pk[0]), pr[0])

// if (!f(K)) { ... return, no unlock on the way }
@leak_not disable neg_if, drop_else exists@
identifier api;
expression lk.K;
position lk.p;
position pr : script:python (p, K) { balanced(p[0], K) };
statement S2;
@@

(
if (!api@p(K)) {
  ... when != kvm_unlock_all_vcpus(K)
      when != mutex_unlock(&K->mutex)
  return@pr ...;
} else S2
|
if (!api@p(K)) {
  ... when != kvm_unlock_all_vcpus(K)
      when != mutex_unlock(&K->mutex)
  return@pr ...;
}
|
if (api@p(K) == 0) {
  ... when != kvm_unlock_all_vcpus(K)
      when != mutex_unlock(&K->mutex)
  return@pr ...;
} else S2
|
if (api@p(K) == 0) {
  ... when != kvm_unlock_all_vcpus(K)
      when != mutex_unlock(&K->mutex)
  return@pr ...;
}
)

@script:python@
pk << lk.pk;
p << lk.p;
pr << leak_not.pr;
@@
add_leak(p[0], src(p[0]), src(pk[0]), pr[0])

// The branch of if (!f(K)) must reach the unlock on every path, error
// exits included: a branch that falls or jumps out unlocked is not a
// return inside the branch, so leak_not does not see it.
@not_shape disable neg_if, drop_else@
identifier api;
expression lk.K;
position lk.p, hit;
statement S1, S2;
@@

(
if (!api@p@hit(K)) S1 else S2
|
if (!api@p@hit(K)) S1
|
if (api@p@hit(K) == 0) S1 else S2
|
if (api@p@hit(K) == 0) S1
)

@script:python@
K << lk.K;
pk << lk.pk;
p << not_shape.hit;
@@
if balanced(p[0], K) and p[0].current_element not in LOCK_APIS:
    branch_leaks[key(p[0])] = (p[0], src(p[0]), src(pk[0]))

@not_ok disable neg_if, drop_else forall@
identifier api;
expression lk.K;
position lk.p, hit;
statement S2;
@@

(
if (!api@p@hit(K)) {
  ... when strict
  \( kvm_unlock_all_vcpus(K); \| mutex_unlock(&K->mutex); \)
  ... when strict
} else S2
|
if (!api@p@hit(K)) {
  ... when strict
  \( kvm_unlock_all_vcpus(K); \| mutex_unlock(&K->mutex); \)
  ... when strict
}
|
if (api@p@hit(K) == 0) {
  ... when strict
  \( kvm_unlock_all_vcpus(K); \| mutex_unlock(&K->mutex); \)
  ... when strict
} else S2
|
if (api@p@hit(K) == 0) {
  ... when strict
  \( kvm_unlock_all_vcpus(K); \| mutex_unlock(&K->mutex); \)
  ... when strict
}
)

@script:python@
p << not_ok.hit;
@@
branch_leaks.pop(key(p[0]), None)

@script:python depends on lk@
@@
# A return already reported for the call says more than the branch does.
for k in list(branch_leaks):
    if k in leaks:
        del branch_leaks[k]

@ctx_ret depends on context exists@
identifier api;
expression lk.K;
position lk.p;
position leak_if.pr;
@@

* api@p(K)
... when any
* return@pr ...;

@ctx_var depends on context exists@
identifier api;
expression lk.K;
position lk.p;
position leak_var.pr;
@@

* api@p(K)
... when any
* return@pr ...;

@ctx_decl depends on context exists@
identifier api;
expression lk.K;
position lk.p;
position leak_decl.pr;
@@

* api@p(K)
... when any
* return@pr ...;

@ctx_not depends on context exists@
identifier api;
expression lk.K;
position lk.p;
position leak_not.pr;
@@

* api@p(K)
... when any
* return@pr ...;

@ctx_branch depends on context@
identifier api;
expression lk.K;
position lk.p;
position hit : script:python () { in_branch_leaks(hit[0]) };
@@

* api@p@hit(K)

@script:python depends on lk && report@
@@
for k in sorted(leaks):
    p, api, kvm, rets = leaks[k]
    for rk in sorted(rets):
        coccilib.report.print_report(rets[rk],
            "%s(%s) on line %s: this return leaves %s" %
            (api, kvm, p.line, release(api, kvm)))
for k in sorted(branch_leaks):
    p, api, kvm = branch_leaks[k]
    coccilib.report.print_report(p,
        "%s(%s) succeeded: a path through the branch leaves it without "
        "%s" % (api, kvm, released_by(api, kvm)))

@script:python depends on lk && org@
@@
for k in sorted(leaks):
    p, api, kvm, rets = leaks[k]
    cocci.print_main(api, [p])
    cocci.print_secs("return", [rets[rk] for rk in sorted(rets)])
for k in sorted(branch_leaks):
    p, api, kvm = branch_leaks[k]
    cocci.print_main(api + ": branch leaves locked", [p])

@script:python depends on lk@
@@
unlocks.clear()
leaks.clear()
branch_leaks.clear()
