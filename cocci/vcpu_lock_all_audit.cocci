// SPDX-License-Identifier: GPL-2.0-only
/// Audit the callers of the vCPU lock-all API: kvm_trylock_all_vcpus()
/// (Linux 7.3), kvm_lock_all_vcpus(), kvm_lock_all_vcpus_unless_running(),
/// kvm_lock_vcpu_unless_running() and kvm_unlock_all_vcpus().  For each
/// call, report the enclosing function, whether kvm->lock is held at the
/// call, whether kvm->arch.config_lock is taken after it, what the failure
/// path returns and which userspace entry point reaches it.  Only the call
/// sites are exact; the other columns are heuristics over the file that
/// holds the call (see the //# notes).  kvm_lock_vcpu_unless_running() is
/// released with a plain mutex_unlock(&vcpu->mutex), which is not a row.
///
// Confidence: High for the call sites, Moderate for the derived columns
// Copyright: (C) 2026 The vcpulock workbench authors.
// URL: https://coccinelle.gitlabpages.inria.fr/website
// Comments: -D records prints one tab-separated key=value line per call.
// Options: --no-includes --include-headers
//# kvm_lock_held is "yes:" followed by the evidence found, or "no" when
//# there is none.  K is the kvm expression passed to the call; for
//# kvm_lock_vcpu_unless_running(V) it is V->kvm, and a lock of another
//# struct kvm expression E of the function counts too, marked [E] (e.g.
//# "mutex_lock[kvm]"): the audit does not prove that V belongs to E.
//#   mutex_lock     mutex_lock*(&K->lock) or mutex_trylock() on a path
//#                  before the call, not released on that path
//#   guard          guard(mutex)(&K->lock) on a path before the call
//#   scoped_guard   the call is in scoped_guard(mutex, &K->lock)
//#   lockdep        lockdep_assert_held(&K->lock) before the call
//#   helper(F)      an earlier F(..., K, ...) where F, defined in the same
//#                  file, takes that parameter's ->lock and may return
//#                  holding it (sev_lock_two_vms)
//#   unlocked-after kvm_unlock_all_vcpus() followed by
//#                  mutex_unlock(&K->lock): a release helper
//#   comment        a comment before the function, or before the call in
//#                  its body, names kvm->lock and says held/hold/locked
//#   create         the function is a kvm_device_ops .create method:
//#                  kvm_ioctl_create_device() holds kvm->lock around it
//#   callers(F,..)  every call of the function in the file is made with
//#                  some *kvm->lock held (any of the above), transitively
//# config_lock_after is yes/no, n/a for kvm_unlock_all_vcpus(); after
//# kvm_lock_vcpu_unless_running(V), any E->arch.config_lock counts.
//# failure_return is the returned expression, with [=C] when the returned
//# variable holds C on that path, [=call] when it holds the call's value,
//# [via:LABEL] when the failure path jumps to LABEL, [via:else] for
//# "if (!f(K)) ... else ...", [via:fallthrough] for "V = f(K); if (!V)
//# ...", followed by the return it reaches, "call" for "return f(K);",
//# "fallthrough" when the failure path of "if (!f(K))" just continues,
//# n/a for kvm_unlock_all_vcpus().
//# entry_point lists what reaches the function through the in-file call
//# graph: ops:VAR.FIELD for a function stored in a *_ops/*operations
//# initializer, ioctl:FN for a function named *ioctl*, comment:KVM_X for
//# a root whose leading comment names a KVM_X ioctl; "unknown" otherwise.

virtual report
virtual org
virtual records

@initialize:python@
@@
import re
import linecache

APIS = ("kvm_trylock_all_vcpus", "kvm_lock_all_vcpus",
        "kvm_lock_all_vcpus_unless_running", "kvm_lock_vcpu_unless_running",
        "kvm_unlock_all_vcpus")
VCPU_API = "kvm_lock_vcpu_unless_running"
EV_ORDER = ("mutex_lock", "guard", "scoped_guard", "lockdep", "helper",
            "unlocked-after")

def reset():
    global local_names, calls, local, edges, ops, site_ev, creates, cfg, fr, labels
    global pre_assign, branch_assign, vassign
    calls = {}          # key -> record
    local = {}          # (file, fn) -> first line of the definition
    edges = {}          # (file, callee) -> set of (caller, key)
    ops = {}            # (file, fn) -> set of "VAR.FIELD"
    site_ev = {}        # key -> list of (kind, expression)
    creates = set()     # (file, fn) of kvm_device_ops .create methods
    cfg = set()         # keys with config_lock taken after
    fr = {}             # key -> list of (kind, returned text, label)
    labels = {}         # (file, fn, label) -> list of returned text
    pre_assign = {}     # (key, var) -> set of assigned text
    branch_assign = {}  # (key, var) -> set of assigned text
    vassign = {}        # key -> variable holding the value of the call
    local_names = set() # names in local, for the script constraints

reset()

def key(p):
    return (p.file, int(p.line), int(p.column))

def norm(s):
    return re.sub(r"\s+", "", str(s))

def src(p):
    # The source text of a matched term, as the author spelled it.
    l0, l1 = int(p.line), int(p.line_end)
    c0, c1 = int(p.column), int(p.column_end)
    lines = [linecache.getline(p.file, i) for i in range(l0, l1 + 1)]
    if not lines or not lines[0]:
        return ""
    if l0 == l1:
        return lines[0][c0:c1].strip()
    lines[0] = lines[0][c0:]
    lines[-1] = lines[-1][:c1]
    return " ".join(l.strip() for l in lines).strip()

def is_site(g):
    return g in APIS or g in local_names

def is_local(g):
    return g in local_names

KVMISH = re.compile(r"(^|->|\.)\w*kvm$")

def kvmish(e):
    return KVMISH.search(norm(e)) is not None

HELD_RE = re.compile(r"\b(held|hold|holds|holding|locked)\b", re.I)
LOCK_RE = re.compile(r"\bkvm->lock\b")
COMMENT_RE = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)

def lines_of(f, a, b):
    return "".join(linecache.getline(f, i) for i in range(max(a, 1), b))

def leading_comment(f, start):
    # The comment block just above a definition (kerneldoc or plain).
    i = start - 1
    while i > 0 and linecache.getline(f, i).strip() == "":
        i -= 1
    if not linecache.getline(f, i).rstrip().endswith("*/"):
        return ""
    end = i
    while i > 0 and "/*" not in linecache.getline(f, i):
        i -= 1
    return lines_of(f, i, end + 1)

NEG_RE = re.compile(r"\b(not|nobody|no one|never|without|dropped|released)\b|n't\b", re.I)

def says_held(text):
    # A clause that names kvm->lock as held, and does not deny it.
    for c in COMMENT_RE.findall(text):
        c = re.sub(r"[\s*/]+", " ", c)
        for clause in re.split(r"[.;:!?]\s", c):
            if LOCK_RE.search(clause) and HELD_RE.search(clause) and \
               not NEG_RE.search(clause):
                return True
    return False

def comment_evidence(f, fn, line):
    start = local.get((f, fn))
    if start is None:
        return False
    return says_held(leading_comment(f, start)) or \
        says_held(lines_of(f, start, line))

def held_on_entry(f, fn, seen):
    # True when each in-file call of fn is made with a kvm->lock held.
    if (f, fn) in seen:
        return False
    seen = seen | {(f, fn)}
    if (f, fn) in creates:
        return True
    if comment_evidence(f, fn, local.get((f, fn), 0) + 1):
        return True
    sites = edges.get((f, fn), set())
    if not sites:
        return False
    for caller, k in sites:
        if any(kvmish(e) for _, e in site_ev.get(k, [])):
            continue
        if held_on_entry(f, caller, seen) or \
           comment_evidence(f, caller, k[1]):
            continue
        return False
    return True

def evidence_kind(r, kind, e):
    # The kind, if E->lock is the lock that the call needs.
    if r["api"] != VCPU_API:
        return kind if norm(e) == norm(r["K"]) else None
    if norm(e) == norm(r["K"]) + "->kvm":
        return kind
    return "%s[%s]" % (kind, norm(e)) if kvmish(e) else None

def lock_held(r):
    f, fn, k = r["file"], r["function"], r["key"]
    kinds = []
    for kind, e in site_ev.get(k, []):
        kind = evidence_kind(r, kind, e)
        if kind and kind not in kinds:
            kinds.append(kind)
    kinds.sort(key=lambda s: EV_ORDER.index(re.split(r"[(\[]", s)[0]))
    if comment_evidence(f, fn, k[1]):
        kinds.append("comment")
    if (f, fn) in creates:
        kinds.append("create")
    callers = sorted({c for c, _ in edges.get((f, fn), set())})
    if callers and not (f, fn) in creates and \
       held_on_entry(f, fn, set()) and "comment" not in kinds:
        kinds.append("callers(%s)" % ",".join(callers))
    # A later mutex_unlock() only says something when nothing else does.
    if len(kinds) > 1 and "unlocked-after" in kinds:
        kinds.remove("unlocked-after")
    return "yes:" + "+".join(kinds) if kinds else "no"

def annotate(r, text, var_of_call, k):
    t = norm(text)
    if var_of_call:
        if t == var_of_call:
            return text + "[=call]"
        if re.search(r"\b%s\b" % re.escape(var_of_call), text):
            return text + "[%s=call]" % var_of_call
    if re.match(r"^\w+$", t) and not re.match(r"^[A-Z0-9_]+$", t):
        vals = branch_assign.get((k, t)) or pre_assign.get((k, t))
        if vals:
            return text + "[=%s]" % "|".join(sorted(vals))
    return text

def failure_return(r):
    if r["api"] == "kvm_unlock_all_vcpus":
        return "n/a"
    k = r["key"]
    got = fr.get(k, [])
    # goto before ret: "{ ... return R; }" also matches through a goto.
    for want in ("return", "goto", "ret", "vgoto", "vret", "else-assign",
                 "else-ret", "vnot", "fallthrough"):
        hits = [h for h in got if h[0] == want]
        if hits:
            break
    else:
        return "unknown"
    if want == "return":
        return "call"
    if want == "fallthrough":
        return "fallthrough"
    v = vassign.get(k) if want in ("vret", "vgoto", "vnot") else None
    out = []
    for _, text, label in hits:
        if want in ("goto", "vgoto"):
            rets = labels.get((r["file"], r["function"], label), [])
            for t in rets or ["?"]:
                out.append(annotate(r, t, v, k) + "[via:%s]" % label)
        elif want == "else-assign":
            out.append("%s[=%s][via:else]" % (label, text))
        elif want == "else-ret":
            out.append(annotate(r, text, v, k) + "[via:else]")
        elif want == "vnot":
            out.append(annotate(r, text, v, k) + "[via:fallthrough]")
        else:
            out.append(annotate(r, text, v, k))
    return "|".join(sorted(set(out)))

def entry_point(f, fn):
    out, seen, todo = set(), set(), [fn]
    while todo:
        g = todo.pop()
        if g in seen:
            continue
        seen.add(g)
        for o in ops.get((f, g), ()):
            out.add("ops:" + o)
        if "ioctl" in g:
            out.add("ioctl:" + g)
        callers = {c for c, _ in edges.get((f, g), set())}
        if not callers and not ops.get((f, g)) and (f, g) in local:
            c = leading_comment(f, local[(f, g)])
            # "the KVM_CREATE_DEVICE API ioctl": a name shortly before "ioctl"
            for name in re.findall(r"\b(KVM_[A-Z0-9_]+)\b(?:\s+\w+){0,2}\s+ioctl", c):
                out.add("comment:" + name)
        todo.extend(sorted(callers))
    return ",".join(sorted(out)) if out else "unknown"

FIELDS = ("file", "line", "function", "api", "kvm", "kvm_lock_held",
          "config_lock_after", "failure_return", "entry_point")

def finish():
    recs = []
    for k in sorted(calls):
        r = calls[k]
        r["kvm_lock_held"] = lock_held(r)
        if r["api"] == "kvm_unlock_all_vcpus":
            r["config_lock_after"] = "n/a"
        else:
            r["config_lock_after"] = "yes" if k in cfg else "no"
        r["failure_return"] = failure_return(r)
        r["entry_point"] = entry_point(r["file"], r["function"])
        recs.append(r)
    return recs

def message(r):
    return ("%s(%s) in %s(): kvm->lock held: %s; config_lock after: %s; "
            "failure returns: %s; entry: %s" %
            (r["api"], r["kvm"], r["function"], r["kvm_lock_held"],
             r["config_lock_after"], r["failure_return"], r["entry_point"]))

// The names spelled out, not an identifier set: spatch then only parses
// the files that mention them (coccicheck over a whole tree).
@call@
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
|
kvm_unlock_all_vcpus@p(K@pk)
)

@script:python@
K << call.K;
p << call.p;
pk << call.pk;
@@
calls[key(p[0])] = {"key": key(p[0]), "pos": p[0], "file": p[0].file,
                    "line": int(p[0].line), "function": p[0].current_element,
                    "api": src(p[0]), "K": K, "kvm": src(pk[0]) or norm(K)}

// Every function definition: the in-file call graph and the comments
// are keyed by it.
@fn depends on call@
identifier F;
position pf;
@@

F@pf(...) { ... }

@script:python@
f << fn.F;
pf << fn.pf;
@@
start = int(pf[0].current_element_line) if pf[0].current_element_line else int(pf[0].line)
local[(pf[0].file, f)] = start
local_names.add(f)

// Struct initializers of *_ops / *operations types name the callbacks
// userspace reaches (kvm_device_ops .set_attr, .get_attr, .create, ...).
@opsinit depends on call@
identifier S =~ "_ops$|operations$";
identifier I, fld, F;
position po;
@@

struct S I@po = { ..., .fld = F, ..., };

@script:python@
s << opsinit.S;
i << opsinit.I;
fld << opsinit.fld;
f << opsinit.F;
po << opsinit.po;
@@
ops.setdefault((po[0].file, f), set()).add("%s.%s" % (i, fld))
if s == "kvm_device_ops" and fld == "create":
    creates.add((po[0].file, f))

// In-file call graph.
@cg depends on call@
identifier G : script:python () { is_local(G) };
position q;
@@

G@q(...)

@script:python@
g << cg.G;
q << cg.q;
@@
if q[0].current_element != g:
    edges.setdefault((q[0].file, g), set()).add((q[0].current_element, key(q[0])))

// Lock evidence at API calls and at in-file calls (free E: the callers
// do not use the callee's name for the kvm).
@ev_mutex depends on call exists@
identifier G : script:python () { is_site(G) };
expression E;
position q;
@@

(
mutex_lock(&E->lock)
|
mutex_lock_nested(&E->lock, ...)
|
mutex_lock_killable(&E->lock)
|
mutex_lock_killable_nested(&E->lock, ...)
|
mutex_lock_interruptible(&E->lock)
|
mutex_trylock(&E->lock)
)
... when != mutex_unlock(&E->lock)
    when any
G@q(...)

@script:python@
E << ev_mutex.E;
q << ev_mutex.q;
@@
site_ev.setdefault(key(q[0]), []).append(("mutex_lock", E))

@ev_guard depends on call exists@
identifier G : script:python () { is_site(G) };
expression E;
position q;
@@

guard(mutex)(&E->lock);
... when any
G@q(...)

@script:python@
E << ev_guard.E;
q << ev_guard.q;
@@
site_ev.setdefault(key(q[0]), []).append(("guard", E))

@ev_scoped depends on call@
identifier G : script:python () { is_site(G) };
expression E;
position q;
@@

scoped_guard(mutex, &E->lock) { <+... G@q(...) ...+> }

@script:python@
E << ev_scoped.E;
q << ev_scoped.q;
@@
for x in q:
    site_ev.setdefault(key(x), []).append(("scoped_guard", E))

@ev_lockdep depends on call exists@
identifier G : script:python () { is_site(G) };
expression E;
position q;
@@

(
lockdep_assert_held(&E->lock);
|
lockdep_assert_held_once(&E->lock);
)
... when any
G@q(...)

@script:python@
E << ev_lockdep.E;
q << ev_lockdep.q;
@@
site_ev.setdefault(key(q[0]), []).append(("lockdep", E))

// A function of the file that takes a struct kvm parameter's ->lock and
// can return holding it, e.g. sev_lock_two_vms().
@lockhelper depends on call exists@
identifier F, P;
parameter list[n] ps;
@@

F(ps, struct kvm *P, ...) {
  ... when any
(
  mutex_lock(&P->lock)
|
  mutex_lock_nested(&P->lock, ...)
|
  mutex_lock_killable(&P->lock)
|
  mutex_lock_killable_nested(&P->lock, ...)
|
  mutex_lock_interruptible(&P->lock)
)
  ... when != mutex_unlock(&P->lock)
}

@ev_helper exists@
identifier lockhelper.F;
expression list[lockhelper.n] es;
identifier G : script:python () { is_site(G) };
expression E;
position q;
@@

F(es, E, ...)
... when any
G@q(...)

@script:python@
f << lockhelper.F;
E << ev_helper.E;
q << ev_helper.q;
@@
site_ev.setdefault(key(q[0]), []).append(("helper(%s)" % f, E))

@ev_after depends on call exists@
expression E;
position q;
@@

kvm_unlock_all_vcpus@q(...)
... when any
mutex_unlock(&E->lock)

@script:python@
E << ev_after.E;
q << ev_after.q;
@@
site_ev.setdefault(key(q[0]), []).append(("unlocked-after", E))

@cfg_after exists@
identifier api;
expression call.K;
position call.p, hit;
statement S;
@@

api@p@hit(K)
... when any
(
mutex_lock(&K->arch.config_lock);
|
guard(mutex)(&K->arch.config_lock);
|
scoped_guard(mutex, &K->arch.config_lock) S
)

@script:python@
p << cfg_after.hit;
@@
cfg.add(key(p[0]))

// The vCPU variant has no struct kvm argument: any VM's config_lock.
@cfg_after_vcpu exists@
expression call.K, E;
position call.p, hit;
statement S;
@@

kvm_lock_vcpu_unless_running@p@hit(K)
... when any
(
mutex_lock(&E->arch.config_lock);
|
guard(mutex)(&E->arch.config_lock);
|
scoped_guard(mutex, &E->arch.config_lock) S
)

@script:python@
p << cfg_after_vcpu.hit;
@@
cfg.add(key(p[0]))

// The failure path, by shape.  if (f(K)) { ... return R; }
@fr_ret disable neg_if, drop_else exists@
identifier api;
expression call.K;
position call.p;
expression R;
position pr;
@@

(
if (api@p(K)) { ... return R@pr; }
|
if (api@p(K) < 0) { ... return R@pr; }
|
if (api@p(K) != 0) { ... return R@pr; }
)

@script:python@
p << call.p;
pr << fr_ret.pr;
@@
fr.setdefault(key(p[0]), []).append(("ret", src(pr[0]), None))

@fr_goto disable neg_if, drop_else exists@
identifier api;
expression call.K;
position call.p;
identifier l;
@@

(
if (api@p(K)) { ... goto l; }
|
if (api@p(K) < 0) { ... goto l; }
|
if (api@p(K) != 0) { ... goto l; }
)

@script:python@
p << call.p;
l << fr_goto.l;
@@
fr.setdefault(key(p[0]), []).append(("goto", None, l))

// V = f(K); ... if (V) { ... return R; } or goto
@fr_var@
identifier api;
expression call.K;
position call.p;
identifier V;
@@

V = api@p(K)

@script:python@
p << call.p;
v << fr_var.V;
@@
vassign[key(p[0])] = v

@fr_var_decl@
identifier api;
expression call.K;
position call.p;
identifier V;
type T;
@@

T V = api@p(K);

@script:python@
p << call.p;
v << fr_var_decl.V;
@@
vassign[key(p[0])] = v

@fr_vret disable neg_if, drop_else exists@
identifier api;
expression call.K;
position call.p;
identifier V;
expression R, E2;
position pr;
@@

api@p(K)
... when != V = E2
(
if (V) { ... return R@pr; }
|
if (V < 0) { ... return R@pr; }
|
if (V != 0) { ... return R@pr; }
)

@script:python@
p << call.p;
v << fr_vret.V;
pr << fr_vret.pr;
@@
if vassign.get(key(p[0])) == v:
    fr.setdefault(key(p[0]), []).append(("vret", src(pr[0]), None))

@fr_vgoto disable neg_if, drop_else exists@
identifier api;
expression call.K;
position call.p;
identifier V;
expression E2;
identifier l;
@@

api@p(K)
... when != V = E2
(
if (V) { ... goto l; }
|
if (V < 0) { ... goto l; }
|
if (V != 0) { ... goto l; }
)

@script:python@
p << call.p;
v << fr_vgoto.V;
l << fr_vgoto.l;
@@
if vassign.get(key(p[0])) == v:
    fr.setdefault(key(p[0]), []).append(("vgoto", None, l))

// if (!f(K)) { success } else { failure }
@fr_else_assign disable neg_if, drop_else exists@
identifier api;
expression call.K;
position call.p;
statement S1;
identifier V;
expression C;
position pc;
@@

(
if (!api@p(K)) S1 else { ... V = C@pc; ... }
|
if (api@p(K) == 0) S1 else { ... V = C@pc; ... }
)

@script:python@
p << call.p;
v << fr_else_assign.V;
pc << fr_else_assign.pc;
@@
fr.setdefault(key(p[0]), []).append(("else-assign", src(pc[0]), v))

@fr_else_ret disable neg_if, drop_else exists@
identifier api;
expression call.K;
position call.p;
statement S1;
expression R;
position pr;
@@

(
if (!api@p(K)) S1 else { ... return R@pr; }
|
if (api@p(K) == 0) S1 else { ... return R@pr; }
)

@script:python@
p << call.p;
pr << fr_else_ret.pr;
@@
fr.setdefault(key(p[0]), []).append(("else-ret", src(pr[0]), None))

@fr_noelse disable neg_if, drop_else@
identifier api;
expression call.K;
position call.p, hit;
statement S1;
@@

(
if (!api@p@hit(K)) S1
|
if (api@p@hit(K) == 0) S1
)

@script:python@
p << fr_noelse.hit;
@@
fr.setdefault(key(p[0]), []).append(("fallthrough", None, None))

// V = f(K); if (!V) <success>: the failure falls through to a return.
@fr_vnot disable neg_if, drop_else exists@
identifier api;
expression call.K;
position call.p;
identifier V;
statement S1;
expression E2, R;
position pr;
@@

api@p(K)
... when != V = E2
(
if (!V) S1
|
if (V == 0) S1
)
... when != V = E2
return R@pr;

@script:python@
p << call.p;
v << fr_vnot.V;
pr << fr_vnot.pr;
@@
if vassign.get(key(p[0])) == v:
    fr.setdefault(key(p[0]), []).append(("vnot", src(pr[0]), None))

@fr_return@
identifier api;
expression call.K;
position call.p, hit;
@@

return api@p@hit(K);

@script:python@
p << fr_return.hit;
@@
fr.setdefault(key(p[0]), []).append(("return", None, None))

// What a failure path that jumps to a label ends up returning.
@fr_label depends on fr_goto || fr_vgoto exists@
identifier l;
expression R;
position pr;
@@

l:
...
return R@pr;

@script:python@
l << fr_label.l;
pr << fr_label.pr;
@@
labels.setdefault((pr[0].file, pr[0].current_element, l), []).append(src(pr[0]))

// Values a returned variable holds on the failure path: assigned before
// the call, or inside the failure branch.
@fr_pre exists@
identifier api;
expression call.K;
position call.p;
identifier V;
expression C, E2;
position pc;
@@

V = C@pc;
... when != V = E2
api@p(K)

@script:python@
p << call.p;
v << fr_pre.V;
pc << fr_pre.pc;
@@
if norm(src(pc[0])) != norm(src(p[0])):
    pre_assign.setdefault((key(p[0]), v), set()).add(src(pc[0]))

@fr_pre_decl exists@
identifier api;
expression call.K;
position call.p;
identifier V;
type T;
expression C, E2;
position pc;
@@

T V = C@pc;
... when != V = E2
api@p(K)

@script:python@
p << call.p;
v << fr_pre_decl.V;
pc << fr_pre_decl.pc;
@@
if norm(src(pc[0])) != norm(src(p[0])):
    pre_assign.setdefault((key(p[0]), v), set()).add(src(pc[0]))

@fr_branch disable neg_if, drop_else exists@
identifier api;
expression call.K;
position call.p;
identifier V;
expression C;
position pc;
@@

(
if (api@p(K)) { ... V = C@pc; ... }
|
if (api@p(K) < 0) { ... V = C@pc; ... }
|
if (api@p(K) != 0) { ... V = C@pc; ... }
)

@script:python@
p << call.p;
v << fr_branch.V;
pc << fr_branch.pc;
@@
branch_assign.setdefault((key(p[0]), v), set()).add(src(pc[0]))

// Output, once per file (or file group), sorted by position.
@script:python depends on call && records@
@@
for r in finish():
    print("\t".join("%s=%s" % (f, r[f]) for f in FIELDS))

@script:python depends on call && report && !records@
@@
for r in finish():
    coccilib.report.print_report(r["pos"], message(r))

@script:python depends on call && org && !records@
@@
for r in finish():
    coccilib.org.print_todo(r["pos"], message(r))

@script:python depends on call@
@@
reset()
