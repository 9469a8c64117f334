# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Sourced by the multi-process test scripts: reserve 2 MB hugepages for a
# primary and its secondaries, give them back, start and stop the
# processes.
#
# huge_reserve NEED: as root, takes the machine-wide lock (runs of these
# tests take turns: each raises vm.nr_hugepages by what it lacks and puts
# back what it found, which only adds up when runs do not overlap), makes
# WORK (a temporary directory), mounts a private hugetlbfs at HUGE and
# raises nr_hugepages until NEED pages are free. Without root, hugetlbfs
# or the pages it skips (exit 77, saying why).
# huge_release: unmounts (which frees the pages the processes left in
# it), puts nr_hugepages back and removes WORK. The caller runs it on
# exit, after killing its processes.

SYSCTL=/proc/sys/vm/nr_hugepages
HUGE_LOCK=/run/lock/mbuf-extension-multiprocess.lock
WORK=
HUGE=
HUGE_MOUNTED=0
HUGE_RAISED=0
HUGE_ORIG_NR=

skip() {
	echo "skipped: $*"
	exit 77
}

huge_reserve() {
	need=$1
	[ "$(id -u)" -eq 0 ] || skip "needs root to reserve hugepages (a" \
		"secondary process cannot attach without them)"
	grep -qw hugetlbfs /proc/filesystems || skip "no hugetlbfs in this kernel"
	[ -w $SYSCTL ] || skip "$SYSCTL not writable"
	command -v timeout >/dev/null || skip "no timeout(1)"
	if command -v flock >/dev/null && [ -d "$(dirname $HUGE_LOCK)" ]; then
		# The DPDK processes are started with 9>&-: only this shell
		# holds the lock.
		exec 9>"$HUGE_LOCK"
		flock -w 60 9 || skip "another run of these tests holds $HUGE_LOCK"
	fi
	WORK=$(mktemp -d)
	HUGE=$WORK/huge
	mkdir "$HUGE"
	HUGE_ORIG_NR=$(cat $SYSCTL)
	mount -t hugetlbfs -o pagesize=2M nodev "$HUGE" 2>"$WORK/mount.err" ||
		skip "cannot mount hugetlbfs: $(cat "$WORK/mount.err")"
	HUGE_MOUNTED=1
	free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
	if [ "${free:-0}" -lt "$need" ]; then
		HUGE_RAISED=1
		echo $((HUGE_ORIG_NR + need - ${free:-0})) > $SYSCTL 2>/dev/null
		free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
		[ "${free:-0}" -ge "$need" ] ||
			skip "cannot reserve $need hugepages of 2 MB ($free free)"
		echo "nr_hugepages $HUGE_ORIG_NR -> $(cat $SYSCTL)"
	fi
	echo "hugetlbfs at $HUGE, $free pages of 2 MB free"
}

# stop_procs PID...: stop processes started as "timeout ... &". timeout
# puts itself and its command in a process group of their own and passes
# SIGTERM on, but cannot pass SIGKILL: TERM first, then KILL the whole
# group, so that no DPDK process outlives the script (holding the lock or
# the hugepages).
stop_procs() {
	for p in "$@"; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in "$@"; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 20 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL -- "-$p" 2>/dev/null
		kill -KILL "$p" 2>/dev/null
	done
	wait 2>/dev/null
}

# wait_for FILE PATTERN PID: until FILE has a line matching PATTERN, while
# PID lives, at most 30 s. Returns 1 otherwise.
wait_for() {
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		if ! kill -0 "$3" 2>/dev/null || [ $i -gt 300 ]; then
			return 1
		fi
		sleep 0.1
	done
}

# After the processes: nr_hugepages goes back only once nothing maps the
# pages (stop_procs first).
huge_release() {
	if [ $HUGE_MOUNTED -eq 1 ]; then
		# A lazy unmount frees the pages once nothing maps them.
		umount "$HUGE" 2>/dev/null || umount -l "$HUGE" ||
			echo "cannot unmount $HUGE"
		HUGE_MOUNTED=0
	fi
	if [ $HUGE_RAISED -eq 1 ]; then
		echo "$HUGE_ORIG_NR" > $SYSCTL
		echo "nr_hugepages back to $(cat $SYSCTL) (found $HUGE_ORIG_NR)"
		HUGE_RAISED=0
	fi
	[ -n "$WORK" ] && rm -rf "$WORK"
}
