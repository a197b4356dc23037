// SPDX-License-Identifier: GPL-2.0
/*
 * preempt_key_stress - toggle KVM's preempt notifier static key while
 * vCPU threads are scheduled in and out, and count the VMs KVM marks bugged.
 *
 * kvm_create_vm() enables the static key preempt_notifier_key when the
 * number of VMs goes from 0 to 1, and kvm_destroy_vm() disables it on the
 * way back, which patches an instruction in the scheduler's context switch
 * path on every CPU. Each round here creates a VM, so the key is enabled,
 * runs its vCPUs in a spinning guest while other threads force them to be
 * preempted and migrated between CPUs, then destroys it. A vCPU that is
 * scheduled in while still loaded hits KVM_BUG_ON(SYSREGS_ON_CPU) in
 * kvm_vcpu_load_debug() and its VM is bugged: every later ioctl on it
 * fails with -EIO.
 *
 * With -k, one extra VM stays open for the whole run, so the key never
 * toggles: the control experiment.
 *
 *   preempt-stress v1 kernel=<release> rounds=N keep=0|1
 *   preempt-stress done rounds=N runs=R bugged=B
 * Exits 1 if any VM was bugged.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vgic_util.h"

#define NR_VCPUS	2

static volatile int stop_hogs;

/* Keep every CPU busy, so that the vCPU threads get preempted */
static void *hog(void *arg)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET((long)arg, &set);
	sched_setaffinity(0, sizeof(set), &set);
	while (!stop_hogs)
		;
	return NULL;
}

struct vcpu_thread {
	pthread_t tid;
	struct vm *vm;
	int idx;
	volatile int stop;
	long runs;
	int eio;
};

static void kick(int sig)
{
	(void)sig;
}

/* KVM_RUN on a "b ." guest, hopping between CPUs, until told to stop */
static void *vcpu_thread(void *arg)
{
	struct vcpu_thread *t = arg;
	int ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;
	int cpu = t->idx;

	while (!t->stop) {
		CPU_ZERO(&set);
		CPU_SET(cpu++ % ncpus, &set);
		sched_setaffinity(0, sizeof(set), &set);
		if (!ioctl(t->vm->vcpu_fd[t->idx], KVM_RUN, 0) || errno == EINTR) {
			t->runs++;
			continue;
		}
		if (errno == EIO)
			t->eio = 1;
		else
			die("KVM_RUN: %s", errno_name(errno));
		break;
	}
	return NULL;
}

/* One VM: run its vCPUs for @ms, then report whether KVM bugged it */
static int one_round(int ms, long *runs)
{
	static const u32 spin[] = { 0x14000000 };	/* b . */
	struct vcpu_thread t[NR_VCPUS];
	struct vm vm;
	int i, e, bugged = 0;

	vm_create(&vm, NR_VCPUS, 0, false);
	e = vm_create_gic(&vm, KVM_DEV_TYPE_ARM_VGIC_V3);
	if (e == ENODEV)
		e = vm_create_gic(&vm, KVM_DEV_TYPE_ARM_VGIC_V2);
	if (e)
		die("create the vGIC: %s", errno_name(e));
	e = vm_gic_init(&vm);
	if (e)
		die("CTRL_INIT: %s", errno_name(e));
	memcpy(vm.mem, spin, sizeof(spin));

	for (i = 0; i < NR_VCPUS; i++) {
		t[i] = (struct vcpu_thread){ .vm = &vm, .idx = i };
		pthread_create(&t[i].tid, NULL, vcpu_thread, &t[i]);
	}
	usleep(ms * 1000);
	for (i = 0; i < NR_VCPUS; i++) {
		t[i].stop = 1;
		/* A signal makes KVM_RUN return -EINTR */
		while (pthread_tryjoin_np(t[i].tid, NULL) == EBUSY) {
			pthread_kill(t[i].tid, SIGUSR1);
			usleep(1000);
		}
		*runs += t[i].runs;
		bugged |= t[i].eio;
	}
	vm_destroy(&vm);
	return bugged;
}

int main(int argc, char **argv)
{
	int rounds = 500, ms = 20, keep = 0, ch, r, ncpus;
	long runs = 0, bugged = 0;
	struct sigaction sa = { .sa_handler = kick };
	pthread_t hogs[64];
	char rel[128];
	long i;

	while ((ch = getopt(argc, argv, "r:t:k")) != -1) {
		switch (ch) {
		case 'r':
			rounds = atoi(optarg);
			break;
		case 't':
			ms = atoi(optarg);
			break;
		case 'k':
			keep = 1;
			break;
		default:
			fprintf(stderr, "usage: %s [-r ROUNDS] [-t MS_PER_ROUND] [-k]\n",
				argv[0]);
			return 2;
		}
	}
	if (rounds < 1 || ms < 1) {
		fprintf(stderr, "%s: -r and -t want positive numbers\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGUSR1, &sa, NULL);
	kernel_release(rel, sizeof(rel));
	printf("preempt-stress v1 kernel=%s rounds=%d keep=%d\n", rel, rounds, keep);

	/* A VM that outlives every round keeps the key enabled */
	if (keep) {
		int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);

		if (kvm < 0 || ioctl(kvm, KVM_CREATE_VM, 0) < 0)
			die("keeper VM: %s", strerror(errno));
	}

	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	for (i = 0; i < ncpus && i < 64; i++)
		pthread_create(&hogs[i], NULL, hog, (void *)i);

	for (r = 0; r < rounds; r++) {
		if (one_round(ms, &runs)) {
			bugged++;
			printf("preempt-stress bugged round=%d\n", r);
		}
	}
	stop_hogs = 1;
	for (i = 0; i < ncpus && i < 64; i++)
		pthread_join(hogs[i], NULL);
	printf("preempt-stress done rounds=%d runs=%ld bugged=%ld\n", rounds, runs,
	       bugged);
	return bugged ? 1 : 0;
}
