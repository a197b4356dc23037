// SPDX-License-Identifier: GPL-2.0
/*
 * aia_contention - RISC-V AIA device creation against busy vCPU threads.
 *
 * aia_create() keeps every vCPU out of KVM_RUN while it creates the
 * in-kernel AIA. Check that it
 *
 *  1. never fails because the vCPU threads are in other vCPU ioctls: each
 *     of N fresh VMs gets its AIA while two threads loop on
 *     KVM_GET_ONE_REG (7.3.4's kvm_trylock_all_vcpus() fails here);
 *  2. fails with -EBUSY while a vCPU is in KVM_RUN, without waiting for
 *     the guest, which spins until told to stop: an operation that waited
 *     for it is caught asleep in its ioctl instead.
 *
 * Raw ioctls on the kernel's UAPI headers: static, no KVM selftest library.
 * KTAP on stdout; exit 0 if every case passed, 1 if one failed, 4 if KVM
 * has no AIA here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NR_VCPUS	2
#define GUEST_BASE	0x80000000UL
#define GUEST_SIZE	0x10000UL
#define GUEST_FLAG	(GUEST_BASE + 0x1000)

/* sw a1, 0(a0); j . -- set the flag at a0, then spin */
static const uint32_t guest_code[] = { 0x00b52023, 0x0000006f };

#define CORE_REG(name)	(KVM_REG_RISCV | KVM_REG_SIZE_U64 | KVM_REG_RISCV_CORE | \
			 KVM_REG_RISCV_CORE_REG(name))

static int nr_vms = 200;
static int kvm_fd;
static int passed, failed;

static void __attribute__((noreturn, format(printf, 1, 2))) fatal(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(1);
}

static void result(bool ok, const char *fmt, ...)
{
	static int n;
	va_list ap;

	printf("%sok %d ", ok ? "" : "not ", ++n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (ok)
		passed++;
	else
		failed++;
}

struct vm {
	int fd;
	int vcpu_fd[NR_VCPUS];
	volatile uint32_t *flag;	/* the guest's flag, as the host sees it */
};

static void vm_create(struct vm *vm)
{
	int i;

	vm->fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		fatal("KVM_CREATE_VM: %s", strerror(errno));
	for (i = 0; i < NR_VCPUS; i++) {
		vm->vcpu_fd[i] = ioctl(vm->fd, KVM_CREATE_VCPU, i);
		if (vm->vcpu_fd[i] < 0)
			fatal("KVM_CREATE_VCPU %d: %s", i, strerror(errno));
	}
	vm->flag = NULL;
}

static void vm_free(struct vm *vm)
{
	int i;

	for (i = 0; i < NR_VCPUS; i++)
		close(vm->vcpu_fd[i]);
	close(vm->fd);
	if (vm->flag)
		munmap((void *)((uintptr_t)vm->flag - (GUEST_FLAG - GUEST_BASE)), GUEST_SIZE);
}

static void set_reg(int vcpu_fd, uint64_t id, uint64_t val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&val };

	if (ioctl(vcpu_fd, KVM_SET_ONE_REG, &reg))
		fatal("KVM_SET_ONE_REG %#llx: %s", (unsigned long long)id, strerror(errno));
}

/* Memory with the guest code, and vCPU 0 pointed at it */
static void vm_load_guest(struct vm *vm)
{
	struct kvm_userspace_memory_region region = {
		.guest_phys_addr = GUEST_BASE,
		.memory_size = GUEST_SIZE,
	};
	void *mem = mmap(NULL, GUEST_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (mem == MAP_FAILED)
		fatal("mmap: %s", strerror(errno));
	memcpy(mem, guest_code, sizeof(guest_code));
	region.userspace_addr = (uintptr_t)mem;
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region))
		fatal("KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
	vm->flag = (volatile uint32_t *)((char *)mem + (GUEST_FLAG - GUEST_BASE));
	set_reg(vm->vcpu_fd[0], CORE_REG(regs.pc), GUEST_BASE);
	set_reg(vm->vcpu_fd[0], CORE_REG(regs.a0), GUEST_FLAG);
	set_reg(vm->vcpu_fd[0], CORE_REG(regs.a1), 1);
}

/* 0 or -errno; anything but -EBUSY ends the run */
static int create_aia(struct vm *vm)
{
	struct kvm_create_device dev = { .type = KVM_DEV_TYPE_RISCV_AIA };
	int r = ioctl(vm->fd, KVM_CREATE_DEVICE, &dev) ? -errno : 0;

	if (r && r != -EBUSY)
		fatal("KVM_CREATE_DEVICE(AIA): unexpected error %d (%s)", r, strerror(-r));
	if (!r)
		close(dev.fd);
	return r;
}

struct contender {
	pthread_t thread;
	int vcpu_fd;
	bool busy;
	bool stop;
};

/* Back-to-back vCPU ioctls other than KVM_RUN */
static void *contend(void *arg)
{
	struct contender *c = arg;
	uint64_t val;
	struct kvm_one_reg reg = { .id = CORE_REG(regs.pc), .addr = (uintptr_t)&val };

	while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED)) {
		if (ioctl(c->vcpu_fd, KVM_GET_ONE_REG, &reg))
			fatal("KVM_GET_ONE_REG: %s", strerror(errno));
		__atomic_store_n(&c->busy, true, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void test_contention(void)
{
	struct contender c[NR_VCPUS];
	int i, j, busy = 0;
	struct vm vm;

	for (i = 0; i < nr_vms; i++) {
		vm_create(&vm);
		for (j = 0; j < NR_VCPUS; j++) {
			c[j] = (struct contender){ .vcpu_fd = vm.vcpu_fd[j] };
			if (pthread_create(&c[j].thread, NULL, contend, &c[j]))
				fatal("pthread_create failed");
		}
		for (j = 0; j < NR_VCPUS; j++)
			while (!__atomic_load_n(&c[j].busy, __ATOMIC_RELAXED))
				sched_yield();
		busy += create_aia(&vm) == -EBUSY;
		for (j = 0; j < NR_VCPUS; j++) {
			__atomic_store_n(&c[j].stop, true, __ATOMIC_RELAXED);
			pthread_join(c[j].thread, NULL);
		}
		vm_free(&vm);
	}
	result(!busy, "KVM_CREATE_DEVICE(AIA), busy vCPU threads: %d of %d -EBUSY",
	       busy, nr_vms);
}

/* /proc/self/task/TID/stat's state, and whether it sleeps in ioctl() */
static bool asleep_in_ioctl(pid_t tid)
{
	char path[64], buf[512], *p;
	long nr = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return false;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	if (!p || (p[2] != 'S' && p[2] != 'D'))
		return false;
	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
	f = fopen(path, "r");
	if (!f)
		fatal("cannot read %s: %s", path, strerror(errno));
	if (fgets(buf, sizeof(buf), f))
		nr = strtol(buf, NULL, 0);
	fclose(f);
	return nr == __NR_ioctl;
}

struct task {
	pthread_t thread;
	struct vm *vm;
	pid_t tid;
	int r;
	bool done;
};

static void *run_vcpu0(void *arg)
{
	struct task *t = arg;
	int r = ioctl(t->vm->vcpu_fd[0], KVM_RUN, 0);

	/* Only the test's signal ends this guest: -EINTR */
	if (r >= 0 || errno != EINTR)
		fatal("KVM_RUN: %d (%s), want -EINTR", r, strerror(errno));
	return NULL;
}

static void *create_task(void *arg)
{
	struct task *t = arg;

	__atomic_store_n(&t->tid, gettid(), __ATOMIC_RELEASE);
	t->r = create_aia(t->vm);
	__atomic_store_n(&t->done, true, __ATOMIC_RELEASE);
	return NULL;
}

static void on_sigusr1(int sig)
{
	(void)sig;
}

static void test_running(void)
{
	struct task runner = { 0 }, op = { 0 };
	bool waited_for_guest = false;
	struct vm vm;

	vm_create(&vm);
	vm_load_guest(&vm);
	runner.vm = op.vm = &vm;
	if (pthread_create(&runner.thread, NULL, run_vcpu0, &runner))
		fatal("pthread_create failed");
	while (!*vm.flag)
		sched_yield();

	if (pthread_create(&op.thread, NULL, create_task, &op))
		fatal("pthread_create failed");
	while (!__atomic_load_n(&op.tid, __ATOMIC_ACQUIRE))
		sched_yield();
	while (!__atomic_load_n(&op.done, __ATOMIC_ACQUIRE) &&
	       !(waited_for_guest = asleep_in_ioctl(op.tid)))
		sched_yield();

	/* Out of the guest, so that an operation that waited can return */
	pthread_kill(runner.thread, SIGUSR1);
	pthread_join(runner.thread, NULL);
	pthread_join(op.thread, NULL);
	vm_free(&vm);
	result(!waited_for_guest && op.r == -EBUSY,
	       "KVM_CREATE_DEVICE(AIA) with vCPU 0 in KVM_RUN: %s (want -EBUSY at once)",
	       waited_for_guest ? "waited for the guest" : op.r ? strerror(-op.r) : "success");
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	struct kvm_create_device test = {
		.type = KVM_DEV_TYPE_RISCV_AIA, .flags = KVM_CREATE_DEVICE_TEST,
	};
	struct vm vm;
	int opt;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n' || (nr_vms = atoi(optarg)) <= 0) {
			fprintf(stderr, "usage: %s [-n VMs]\n", argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (sigaction(SIGUSR1, &sa, NULL))
		fatal("sigaction: %s", strerror(errno));

	printf("TAP version 13\n");
	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm_fd < 0)
		fatal("/dev/kvm: %s", strerror(errno));
	vm_create(&vm);
	if (ioctl(vm.fd, KVM_CREATE_DEVICE, &test)) {
		printf("1..0 # SKIP no in-kernel AIA: %s\n", strerror(errno));
		return 4;
	}
	vm_free(&vm);

	printf("1..2\n");
	test_contention();
	test_running();
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n",
	       passed, failed);
	return !!failed;
}
