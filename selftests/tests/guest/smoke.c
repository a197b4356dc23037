// SPDX-License-Identifier: GPL-2.0
/*
 * smoke: stand-in tests for checking the runner itself in a real guest.
 *
 *   smoke pass [LINES]	print LINES lines and one very long line, exit 0
 *   smoke skip		exit KSFT_SKIP
 *   smoke exit CODE	exit CODE
 *   smoke signal SIGNO	die by signal SIGNO
 *   smoke sleep SECONDS	sleep, with a child in the same process group
 *   smoke kvm		run one vCPU instruction sequence to an MMIO exit
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define KSFT_SKIP	4
#define LONG_LINE	10000	/* > the runner's line buffer */
#define MMIO_ADDR	0x10000000UL

static int pass(int lines)
{
	int i;

	printf("TAP version 13\n1..1\n");
	for (i = 0; i < lines; i++)
		printf("line %d of %d\n", i + 1, lines);
	for (i = 0; i < LONG_LINE; i++)
		putchar('a' + i % 26);
	putchar('\n');
	fprintf(stderr, "this went to stderr\n");
	printf("ok 1 pass\n");
	printf("no newline at the end");
	return 0;
}

static int sleeper(int seconds)
{
	pid_t pid = fork();

	/* The runner must kill the whole group, not just us. */
	if (!pid) {
		sleep(seconds);
		_exit(0);
	}
	printf("sleeping %d s, child %d\n", seconds, pid);
	fflush(stdout);
	sleep(seconds);
	return 0;
}

#define CHECK(cond, what)						\
	do {								\
		if (!(cond)) {						\
			printf("not ok 1 kvm: %s: %s\n", what,		\
			       strerror(errno));			\
			return 1;					\
		}							\
	} while (0)

/* movz x0, #0x1000, lsl #16; movz x1, #0x42; str x1, [x0]; b . */
static const uint32_t guest_code[] = {
	0xd2a20000, 0xd2800841, 0xf9000001, 0x14000000,
};

static int kvm(void)
{
	struct kvm_userspace_memory_region region = { 0 };
	struct kvm_vcpu_init init;
	struct kvm_one_reg reg;
	struct kvm_run *run;
	int kvm_fd, vm, vcpu, size, ret;
	uint64_t pc = 0;
	void *mem;

	printf("TAP version 13\n1..1\n");
	kvm_fd = open("/dev/kvm", O_RDWR);
	CHECK(kvm_fd >= 0, "open /dev/kvm");
	vm = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	CHECK(vm >= 0, "KVM_CREATE_VM");

	mem = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(mem != MAP_FAILED, "mmap");
	memcpy(mem, guest_code, sizeof(guest_code));
	region.memory_size = 0x10000;
	region.userspace_addr = (uintptr_t)mem;
	ret = ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region);
	CHECK(!ret, "KVM_SET_USER_MEMORY_REGION");

	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	CHECK(vcpu >= 0, "KVM_CREATE_VCPU");
	ret = ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init);
	CHECK(!ret, "KVM_ARM_PREFERRED_TARGET");
	ret = ioctl(vcpu, KVM_ARM_VCPU_INIT, &init);
	CHECK(!ret, "KVM_ARM_VCPU_INIT");
	reg.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
		 (offsetof(struct kvm_regs, regs.pc) / sizeof(uint32_t));
	reg.addr = (uintptr_t)&pc;
	ret = ioctl(vcpu, KVM_SET_ONE_REG, &reg);
	CHECK(!ret, "KVM_SET_ONE_REG pc");

	size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	CHECK(size > 0, "KVM_GET_VCPU_MMAP_SIZE");
	run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	CHECK(run != MAP_FAILED, "mmap vcpu");
	ret = ioctl(vcpu, KVM_RUN, 0);
	CHECK(!ret, "KVM_RUN");

	printf("# exit_reason %u mmio addr %#llx len %u write %u data %#x\n",
	       run->exit_reason, (unsigned long long)run->mmio.phys_addr,
	       run->mmio.len, run->mmio.is_write, run->mmio.data[0]);
	if (run->exit_reason != KVM_EXIT_MMIO ||
	    run->mmio.phys_addr != MMIO_ADDR || !run->mmio.is_write ||
	    run->mmio.data[0] != 0x42) {
		printf("not ok 1 kvm: unexpected exit\n");
		return 1;
	}
	printf("ok 1 kvm\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int arg = argc > 2 ? atoi(argv[2]) : 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "pass"))
		return pass(arg ? arg : 10);
	if (!strcmp(mode, "skip")) {
		printf("skipping: nothing to see\n");
		return KSFT_SKIP;
	}
	if (!strcmp(mode, "exit"))
		return arg;
	if (!strcmp(mode, "signal")) {
		printf("raising signal %d\n", arg);
		fflush(stdout);
		raise(arg);
		return 1;
	}
	if (!strcmp(mode, "sleep"))
		return sleeper(arg);
	if (!strcmp(mode, "kvm"))
		return kvm();
	fprintf(stderr, "usage: smoke pass|skip|exit|signal|sleep|kvm [N]\n");
	return 2;
}
