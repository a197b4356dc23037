// SPDX-License-Identifier: GPL-2.0
/*
 * vgic_util.c - VM, vCPU and vGIC setup plus vCPU contention threads for
 * the vGIC locking tools. Mirrors what tools/testing/selftests/kvm/lib does,
 * by hand, so the tools build against libc and the UAPI headers only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>

#include "vgic_util.h"

/* Not UAPI (arch/arm64/kvm/vgic/vgic.h), but the ABI the docs describe. */
#define RDIST_COUNT_SHIFT	52

void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	fprintf(stderr, "FATAL: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

const char *errno_name(int e)
{
	static char buf[4][16];
	static int slot;

	switch (e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case ENXIO: return "ENXIO";
	case E2BIG: return "E2BIG";
	case ENOEXEC: return "ENOEXEC";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case ERANGE: return "ERANGE";
	case ENOSYS: return "ENOSYS";
	case ENOTTY: return "ENOTTY";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EDEADLK: return "EDEADLK";
	case ETIMEDOUT: return "ETIMEDOUT";
	}
	slot = (slot + 1) % 4;
	snprintf(buf[slot], sizeof(buf[slot]), "E%d", e);
	return buf[slot];
}

u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void kernel_release(char *buf, size_t len)
{
	struct utsname u;

	if (uname(&u))
		snprintf(buf, len, "unknown");
	else
		snprintf(buf, len, "%s", u.release);
}

int dev_attr(int fd, unsigned long req, u32 group, u64 attr, void *addr)
{
	struct kvm_device_attr a = {
		.group = group,
		.attr = attr,
		.addr = (u64)(unsigned long)addr,
	};

	return ioctl(fd, req, &a) ? errno : 0;
}

static int create_device(int vm_fd, u32 type)
{
	struct kvm_create_device cd = { .type = type };

	if (ioctl(vm_fd, KVM_CREATE_DEVICE, &cd))
		return -errno;
	return cd.fd;
}

static void set_pc(int vcpu_fd, u64 pc)
{
	struct kvm_one_reg reg = {
		.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
		      KVM_REG_ARM_CORE_REG(regs.pc),
		.addr = (u64)(unsigned long)&pc,
	};

	if (ioctl(vcpu_fd, KVM_SET_ONE_REG, &reg))
		die("KVM_SET_ONE_REG(pc): %s", strerror(errno));
}

static void must_set(int fd, u32 group, u64 attr, void *p, const char *what)
{
	int r = attr_set(fd, group, attr, p);

	if (r)
		die("%s: %s", what, errno_name(r));
}

int kvm_max_vcpus(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC), vm, r = 0;

	if (kvm < 0)
		return 0;
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm >= 0) {
		r = ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
		close(vm);
	}
	close(kvm);
	return r > 0 ? r : 0;
}

int vm_create(struct vm *vm, int nr_vcpus, int gic_type, bool its)
{
	/* wfi; b .-4: parks the vCPU in kvm_vcpu_block() holding its mutex */
	static const u32 guest_code[] = { 0xd503207f, 0x17ffffff };
	struct kvm_userspace_memory_region mr;
	struct kvm_vcpu_init init;
	int i, fd, r;
	u64 a;

	memset(vm, 0, sizeof(*vm));
	vm->its_fd = -1;
	vm->gic_fd = -1;
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		die("open /dev/kvm: %s", strerror(errno));
	vm->fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		die("KVM_CREATE_VM: %s", strerror(errno));
	vm->run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);

	vm->mem = mmap(NULL, GUEST_MEM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->mem == MAP_FAILED)
		die("mmap guest memory");
	memcpy(vm->mem, guest_code, sizeof(guest_code));
	mr = (struct kvm_userspace_memory_region) {
		.slot = 0,
		.guest_phys_addr = GUEST_MEM_BASE,
		.memory_size = GUEST_MEM_SIZE,
		.userspace_addr = (u64)(unsigned long)vm->mem,
	};
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &mr))
		die("KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));

	if (ioctl(vm->fd, KVM_ARM_PREFERRED_TARGET, &init))
		die("KVM_ARM_PREFERRED_TARGET: %s", strerror(errno));

	/* vCPUs first: kvm_vgic_create() sizes the VM from them (v2 max 8) */
	for (i = 0; i < nr_vcpus; i++) {
		vm->vcpu_fd[i] = ioctl(vm->fd, KVM_CREATE_VCPU, i);
		if (vm->vcpu_fd[i] < 0)
			die("KVM_CREATE_VCPU %d: %s", i, strerror(errno));
		vm->run[i] = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE,
				  MAP_SHARED, vm->vcpu_fd[i], 0);
		if (vm->run[i] == MAP_FAILED)
			die("mmap kvm_run %d", i);
		if (ioctl(vm->vcpu_fd[i], KVM_ARM_VCPU_INIT, &init))
			die("KVM_ARM_VCPU_INIT %d: %s", i, strerror(errno));
		set_pc(vm->vcpu_fd[i], GUEST_MEM_BASE);
		vm->nr_vcpus++;
	}

	if (!gic_type)
		return 0;
	r = vm_create_gic(vm, gic_type);
	if (r)
		return r;

	if (its && gic_type == KVM_DEV_TYPE_ARM_VGIC_V3) {
		fd = create_device(vm->fd, KVM_DEV_TYPE_ARM_VGIC_ITS);
		if (fd < 0)
			die("create ITS: %s", errno_name(-fd));
		vm->its_fd = fd;
		a = V3_ITS_BASE;
		must_set(fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE,
			 &a, "ITS addr");
	}
	return 0;
}

int vm_create_gic(struct vm *vm, int gic_type)
{
	u32 nr_irqs = TOOL_NR_IRQS;
	int fd;
	u64 a;

	fd = create_device(vm->fd, gic_type);
	if (fd < 0)
		return -fd;
	vm->gic_fd = fd;
	vm->gic_type = gic_type;

	must_set(fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs, "NR_IRQS");
	if (gic_type == KVM_DEV_TYPE_ARM_VGIC_V3) {
		a = V3_DIST_BASE;
		must_set(fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			 KVM_VGIC_V3_ADDR_TYPE_DIST, &a, "v3 DIST addr");
		/* one region, index 0, flags 0, room for exactly nr_vcpus */
		a = V3_REDIST_BASE | ((u64)vm->nr_vcpus << RDIST_COUNT_SHIFT);
		must_set(fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			 KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, &a,
			 "v3 REDIST_REGION addr");
	} else {
		a = V2_DIST_BASE;
		must_set(fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			 KVM_VGIC_V2_ADDR_TYPE_DIST, &a, "v2 DIST addr");
		a = V2_CPU_BASE;
		must_set(fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			 KVM_VGIC_V2_ADDR_TYPE_CPU, &a, "v2 CPU addr");
	}
	return 0;
}

int vm_gic_init(struct vm *vm)
{
	return attr_set(vm->gic_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
			KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
}

void vm_run_once_all(struct vm *vm)
{
	int i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		/*
		 * kvm_arch_vcpu_run_pid_change() (vgic map, HAS_RAN_ONCE)
		 * runs before the immediate_exit check, so this is a real
		 * first run that never enters the guest.
		 */
		vm->run[i]->immediate_exit = 1;
		if (!ioctl(vm->vcpu_fd[i], KVM_RUN, 0) || errno != EINTR)
			die("first KVM_RUN on vCPU %d: expected EINTR, got %s",
			    i, errno_name(errno));
		vm->run[i]->immediate_exit = 0;
	}
}

void vm_destroy(struct vm *vm)
{
	int i;

	if (vm->its_fd >= 0)
		close(vm->its_fd);
	if (vm->gic_fd >= 0)
		close(vm->gic_fd);
	for (i = 0; i < vm->nr_vcpus; i++) {
		munmap(vm->run[i], vm->run_size);
		close(vm->vcpu_fd[i]);
	}
	close(vm->fd);
	close(vm->kvm_fd);
	munmap(vm->mem, GUEST_MEM_SIZE);
}

static void kick_handler(int sig)
{
	(void)sig;
}

static void *loop_thread(void *arg)
{
	struct cont_thread *t = arg;
	struct contention *c = t->c;
	u64 x0;
	struct kvm_one_reg reg = {
		.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
		      KVM_REG_ARM_CORE_REG(regs.regs[0]),
		.addr = (u64)(unsigned long)&x0,
	};
	int fd = c->vm->vcpu_fd[t->idx];

	t->ktid = gettid();
	t->started = 1;
	while (!c->stop) {
		ioctl(fd, KVM_GET_ONE_REG, &reg);
		t->iters++;
	}
	t->done = 1;
	return NULL;
}

static void *run_thread(void *arg)
{
	struct cont_thread *t = arg;
	struct contention *c = t->c;
	int fd = c->vm->vcpu_fd[t->idx];

	t->ktid = gettid();
	t->started = 1;
	while (!c->stop && !c->kicked) {
		if (ioctl(fd, KVM_RUN, 0) && errno == EINTR)
			continue;
		/* the guest only does wfi: anything else is worth a note */
		if (++t->odd_exits > 1000)
			break;
	}
	t->done = 1;
	return NULL;
}

/* Get every RUN thread out of KVM_RUN; a signal alone could be missed. */
static void kick_all(struct contention *c)
{
	int i, pending;

	for (i = 0; i < c->nthreads; i++)
		c->vm->run[c->t[i].idx]->immediate_exit = 1;
	do {
		pending = 0;
		for (i = 0; i < c->nthreads; i++) {
			if (c->t[i].done)
				continue;
			pending = 1;
			pthread_kill(c->t[i].tid, SIGUSR1);
		}
		if (pending)
			usleep(1000);
	} while (pending);
}

static void *watchdog_thread(void *arg)
{
	struct contention *c = arg;

	while (!c->wd_stop) {
		u64 s = c->access_start;

		if (s && !c->kicked && now_ns() - s > RUN_ACCESS_TIMEOUT_NS) {
			c->kicked = 1;
			kick_all(c);
		}
		usleep(20000);
	}
	return NULL;
}

/* True once thread @t is blocked inside ioctl(KVM_RUN). */
static bool in_kvm_run(struct cont_thread *t)
{
	char path[64], buf[128];
	unsigned long nr, fd, req;
	ssize_t n;
	int f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", t->ktid);
	f = open(path, O_RDONLY);
	if (f < 0)
		return false;
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	if (n <= 0)
		return false;
	buf[n] = 0;
	if (sscanf(buf, "%lu %lx %lx", &nr, &fd, &req) != 3)
		return false;
	return nr == 29 /* __NR_ioctl on arm64 */ && req == KVM_RUN;
}

void cont_start(struct contention *c, struct vm *vm, enum cont_mode mode,
		int first, int nthreads)
{
	struct sigaction sa = { .sa_handler = kick_handler };
	u64 deadline;
	int i;

	memset(c, 0, sizeof(*c));
	c->vm = vm;
	c->mode = mode;
	if (mode == CONT_NONE)
		return;
	if (first + nthreads > vm->nr_vcpus)
		nthreads = vm->nr_vcpus - first;
	c->first = first;
	c->nthreads = nthreads;
	/* no SA_RESTART: KVM_RUN must come back with EINTR */
	sigaction(SIGUSR1, &sa, NULL);

	for (i = 0; i < nthreads; i++) {
		c->t[i].idx = first + i;
		c->t[i].c = c;
		vm->run[first + i]->immediate_exit = 0;
		if (pthread_create(&c->t[i].tid, NULL,
				   mode == CONT_RUN ? run_thread : loop_thread,
				   &c->t[i]))
			die("pthread_create");
	}
	for (i = 0; i < nthreads; i++)
		while (!c->t[i].started)
			usleep(100);
	if (mode != CONT_RUN)
		return;

	/* Deterministic contention needs every vCPU parked in KVM_RUN. */
	deadline = now_ns() + 20ULL * 1000 * 1000 * 1000;
	for (i = 0; i < nthreads; i++) {
		while (!in_kvm_run(&c->t[i])) {
			if (now_ns() > deadline) {
				printf("# warning: vCPU %d not seen in KVM_RUN\n",
				       c->t[i].idx);
				break;
			}
			usleep(1000);
		}
	}
	if (pthread_create(&c->wd, NULL, watchdog_thread, c))
		die("pthread_create watchdog");
}

void cont_stop(struct contention *c)
{
	int i;

	if (c->mode == CONT_NONE)
		return;
	c->stop = 1;
	if (c->mode == CONT_RUN) {
		c->wd_stop = 1;
		pthread_join(c->wd, NULL);
		kick_all(c);
	}
	for (i = 0; i < c->nthreads; i++) {
		pthread_join(c->t[i].tid, NULL);
		c->vm->run[c->t[i].idx]->immediate_exit = 0;
		if (c->t[i].odd_exits)
			printf("# warning: vCPU %d left KVM_RUN %llu times unexpectedly (exit_reason %u)\n",
			       c->t[i].idx, (unsigned long long)c->t[i].odd_exits,
			       c->vm->run[c->t[i].idx]->exit_reason);
	}
}
