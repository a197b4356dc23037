// SPDX-License-Identifier: GPL-2.0-only
/// kvm_trylock_all_vcpus() is deprecated.  It takes every vCPU mutex and
/// fails as soon as one vCPU is in an ioctl, even a vCPU the operation
/// does not touch, so a busy VMM sees spurious -EBUSY failures.  Use
/// kvm_lock_all_vcpus() where blocking is fine, or lock only the vCPUs
/// the operation needs, e.g. vgic_lock_for_uaccess() for vGIC userspace
/// accesses.
///
// Confidence: High
// Copyright: (C) 2026 The vcpulock workbench authors.
// URL: https://coccinelle.gitlabpages.inria.fr/website
// Comments: every use is reported, calls and function pointers alike;
//  the definition, its prototype and its EXPORT_SYMBOL*() are not uses.
// Options: --no-includes --include-headers

virtual context
virtual org
virtual report

@initialize:python@
@@
import linecache
import re

EXPORT = re.compile(r"^\s*EXPORT_SYMBOL\w*\s*\(\s*kvm_trylock_all_vcpus\s*\)")
MSG = ("kvm_trylock_all_vcpus() is deprecated: use kvm_lock_all_vcpus() "
       "where blocking is fine, or lock only the vCPUs the operation "
       "needs (e.g. vgic_lock_for_uaccess())")

uses = []

def use(p):
    # Part of the definition: the export names the function, not a use.
    return not EXPORT.match(linecache.getline(p[0].file, int(p[0].line)))

@r@
iterator name scoped_guard, scoped_cond_guard;
symbol kvm_trylock_all_vcpus;
position p : script:python () { use(p) };
@@

* kvm_trylock_all_vcpus@p

@script:python depends on org || report@
p << r.p;
@@

uses.append(p[0])

// Sorted, once per file.
@script:python depends on r && org@
@@

for p in sorted(uses, key=lambda p: (p.file, int(p.line), int(p.column))):
    coccilib.org.print_todo(p, MSG)

@script:python depends on r && report@
@@

for p in sorted(uses, key=lambda p: (p.file, int(p.line), int(p.column))):
    coccilib.report.print_report(p, "WARNING: " + MSG)

@script:python depends on r@
@@

del uses[:]
