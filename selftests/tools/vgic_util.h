/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vgic_util.h - minimal KVM/arm64 VM + vGIC plumbing shared by
 * vgic_abi_sweep and vgic_lock_bench. Only libc, pthreads and the UAPI
 * headers: these tools run in a bare initramfs without the selftest library.
 */
#ifndef VGIC_UTIL_H
#define VGIC_UTIL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/kvm.h>
#include <asm/kvm.h>

typedef uint32_t u32;
typedef uint64_t u64;

#define MAX_VCPUS	512

#define ARRAY_SIZE(a)	((int)(sizeof(a) / sizeof((a)[0])))

/* Guest physical layout; the redistributor window fits 512 vCPUs. */
#define V3_DIST_BASE	0x08000000ULL
#define V3_ITS_BASE	0x08080000ULL
#define V3_REDIST_BASE	0x10000000ULL
#define V2_DIST_BASE	0x08000000ULL
#define V2_CPU_BASE	0x08010000ULL
#define GUEST_MEM_BASE	0x40000000ULL
#define GUEST_MEM_SIZE	0x10000ULL

/* Default number of interrupts (SGIs + PPIs + SPIs) the tools configure. */
#define TOOL_NR_IRQS	128

struct vm {
	int kvm_fd;
	int fd;
	int nr_vcpus;
	int vcpu_fd[MAX_VCPUS];
	struct kvm_run *run[MAX_VCPUS];
	size_t run_size;
	int gic_type;		/* KVM_DEV_TYPE_ARM_VGIC_V2 or _V3 */
	int gic_fd;
	int its_fd;		/* -1 if none */
	void *mem;
};

/* Error helpers: tools abort on setup failures, never on measured ioctls. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
const char *errno_name(int e);
u64 now_ns(void);
void kernel_release(char *buf, size_t len);

/*
 * vm_create - VM with @nr_vcpus initialised vCPUs, a memslot holding a
 * "wfi; b ." guest whose PC every vCPU starts at, and a vGIC of @gic_type
 * (none if 0) with its addresses and NR_IRQS set (not initialised). With @its, an ITS
 * device with its base address is added (v3 only).
 * Returns 0 or a positive errno from device creation (e.g. ENODEV when the
 * host cannot provide that vGIC model); other failures abort.
 */
int vm_create(struct vm *vm, int nr_vcpus, int gic_type, bool its);
/* Give a VM made with gic_type 0 its vGIC now: 0 or a positive errno */
int vm_create_gic(struct vm *vm, int gic_type);
void vm_destroy(struct vm *vm);
int vm_gic_init(struct vm *vm);
/* Run each vCPU once with immediate_exit so the VM counts as "has run". */
void vm_run_once_all(struct vm *vm);
/* KVM_CAP_MAX_VCPUS of a fresh VM (before any vGIC narrows it) */
int kvm_max_vcpus(void);

/* Device attribute ioctls; return 0 or the positive errno. */
int dev_attr(int fd, unsigned long req, u32 group, u64 attr, void *addr);
static inline int attr_get(int fd, u32 group, u64 attr, void *p)
{
	return dev_attr(fd, KVM_GET_DEVICE_ATTR, group, attr, p);
}
static inline int attr_set(int fd, u32 group, u64 attr, void *p)
{
	return dev_attr(fd, KVM_SET_DEVICE_ATTR, group, attr, p);
}
static inline int attr_has(int fd, u32 group, u64 attr)
{
	return dev_attr(fd, KVM_HAS_DEVICE_ATTR, group, attr, NULL);
}

/* The MPIDR-affinity field KVM gives vCPU @id, as the v3 attr encodes it. */
static inline u64 v3_mpidr_attr(int id)
{
	u64 aff = (id & 0xf) | (((id >> 4) & 0xff) << 8) | (((id >> 12) & 0xff) << 16);

	return aff << KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT;
}

static inline u64 v2_cpuid_attr(int id)
{
	return (u64)id << KVM_DEV_ARM_VGIC_CPUID_SHIFT;
}

/*
 * Contention: one thread per vCPU, either looping KVM_GET_ONE_REG (LOOP;
 * the vCPU mutex is held only inside each ioctl, so the overlap with an
 * access is racy) or sitting in KVM_RUN on the guest's wfi (RUN; the vCPU
 * mutex is held for the whole access, deterministic).
 */
enum cont_mode { CONT_NONE, CONT_LOOP, CONT_RUN };

struct cont_thread {
	pthread_t tid;
	pid_t ktid;
	int idx;
	volatile int started;
	volatile int done;
	u64 iters;
	u64 odd_exits;		/* RUN: KVM_RUN returns that were not -EINTR */
	struct contention *c;
};

struct contention {
	struct vm *vm;
	enum cont_mode mode;
	int first;		/* threads drive vCPUs first..first+nthreads-1 */
	int nthreads;
	volatile int stop;
	struct cont_thread t[MAX_VCPUS];
	/* RUN watchdog: kicks the vCPUs out if an access blocks too long */
	pthread_t wd;
	volatile u64 access_start;
	volatile int kicked;
	volatile int wd_stop;
};

void cont_start(struct contention *c, struct vm *vm, enum cont_mode mode,
		int first, int nthreads);
void cont_stop(struct contention *c);

/* Watchdog deadline for a single access while vCPUs sit in KVM_RUN. */
#define RUN_ACCESS_TIMEOUT_NS	(3ULL * 1000 * 1000 * 1000)

#endif
