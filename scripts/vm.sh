#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a kernel in QEMU with virtme-ng (the host's root filesystem, copy on
# write) and run one command in it.
#
# KVM is used only when a short timed probe shows that a KVM guest gets as far
# as printing the kernel banner: on some machines /dev/kvm exists but guests
# hang before that. Otherwise the guest runs under TCG. The whole run has a
# hard time limit, so a hung guest fails the run instead of hanging it. The
# guest's console output, kernel messages included, is kept in LOG; the
# command's output is also shown.
#
# Usage: vm.sh IMAGE LOG SECONDS COMMAND
#   KVM=auto|1|0   use the probe (default), force KVM, or force TCG
#   VNG            the vng executable
#   VM_APPEND      extra kernel command line
#   VM_CPUS        guest CPUs (default 2: transitions and test-syscall.sh on
#                  more than one CPU; 1 makes the upstream scripts about 2.5
#                  times faster under TCG, as no task runs on another CPU
#                  when the core tries to switch it)
#   VM_TCG_THREAD  single (default) or multi: TCG runs the guest CPUs in one
#                  host thread, or in one each (MTTCG). Under MTTCG, code a
#                  CPU patches with text_poke_bp() (ftrace, static keys,
#                  live patches) can still run its int3 on another CPU after
#                  the kernel's sync_core() IPIs: "Oops: int3" in a function
#                  ftrace just patched

set -euo pipefail

image=$1 log=$2 limit=$3 cmd=$4

kvm_works() {
	[ -w /dev/kvm ] || return 1
	local out
	out=$(timeout -s KILL "${KVM_PROBE_SECONDS:-10}" \
		qemu-system-x86_64 -enable-kvm -cpu host -m 256M -nographic \
		-no-reboot -kernel "$image" \
		-append "console=ttyS0 panic=-1 rdinit=/none init=/none" \
		2>&1 || true)
	grep -q "Linux version" <<<"$out"
}

case "${KVM:-auto}" in
1) use_kvm=1 ;;
0) use_kvm=0 ;;
*) if kvm_works; then use_kvm=1; else use_kvm=0; fi ;;
esac
if [ "$use_kvm" = 1 ]; then
	accel=() how=KVM
else
	accel=(--disable-kvm "--qemu-opts=-accel tcg,thread=${VM_TCG_THREAD:-single}")
	how="TCG (no working KVM), thread=${VM_TCG_THREAD:-single}"
fi
echo "vm: booting $image with $how, limit ${limit}s, console log $log"

# vng runs the other virtme programs of its venv.
vng=${VNG:-vng}
PATH=$(dirname "$(command -v "$vng")"):$PATH

mkdir -p "$(dirname "$log")"
status=0
timeout -k 10 "$limit" "$vng" --run "$image" "${accel[@]}" \
	--memory 1G --cpus "${VM_CPUS:-2}" --verbose \
	--append "root=/dev/root ${VM_APPEND:-}" \
	--exec "$cmd" </dev/null >"$log" 2>&1 || status=$?

# Show the command's output: the console from its first line on, without the
# kernel's messages unless asked for (they stay in the log either way).
awk -v kernel="${VM_SHOW_KERNEL:-0}" '
	{ sub(/\r$/, "") }
	/virtme-ng-init: starting script/ { started = 1; next }
	/virtme-ng-init: script exited/ { exit }
	started && (kernel == 1 || !/^\[ *[0-9]+\.[0-9]+\] /)
' "$log"

if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
	echo "vm: the guest did not finish within ${limit}s (see $log)" >&2
	exit 1
fi
# Without udev in the guest, virtme-ng-init runs the command on the serial
# console and vng cannot return its exit status: virtme-ng-init logs it. No
# such line means the command never finished (a panic, say).
code=$(sed -n 's/.*virtme-ng-init: script exited with code \([0-9]*\).*/\1/p' "$log" | tail -n1)
if [ -z "$code" ]; then
	echo "vm: the command did not finish (see $log)" >&2
	exit 1
fi
exit "$code"
