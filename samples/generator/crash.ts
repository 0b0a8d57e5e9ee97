// The text a crashing kubelet writes to stderr without klog headers: Go's SIGABRT goroutine dump
// (as in samples/real 16) or a `panic:` with the panicking goroutine's stack, and the stack that
// apimachinery's HandleCrash logs with `Observed a panic` just before.

import type { Rng } from './rng.js';
import type { Profile } from './versions.js';

export type CrashKind = 'sigabrt' | 'panic';

/** The panic the simulated kubelet hits (a nil map/pointer in the pod workers, the common kind). */
export const PANIC_VALUE = 'invalid memory address or nil pointer dereference';
export const PANIC_TEXT = `runtime error: ${PANIC_VALUE}`;

interface Frame {
  fn: string;
  file: string;
  line: number;
}

function goMinor(prof: Profile): number {
  return Number(/^go1\.(\d+)/.exec(prof.go)?.[1] ?? 0);
}

function hex(rng: Rng, digits: number): string {
  return '0x' + rng.hex(digits).replace(/^0+/, '');
}

/** Source paths as the kubelet binary records them: a dockerized GOPATH build ≤1.20, -trimpath later. */
function srcPath(prof: Profile, file: string): string {
  const goroot = file.startsWith('runtime/') || file.startsWith('sync/') || file.startsWith('net/') || file.startsWith('time/');
  if (prof.minor <= 20) return goroot ? `/usr/local/go/src/${file}` : `/go/src/k8s.io/kubernetes/_output/dockerized/go/src/k8s.io/kubernetes/${file}`;
  return goroot ? `/usr/local/go/src/${file}` : `k8s.io/kubernetes/${file}`;
}

function frames(rng: Rng, prof: Profile, list: readonly Frame[], withFp: boolean): string[] {
  const out: string[] = [];
  for (const f of list) {
    const args = f.fn.endsWith('(...)') ? '' : `(${hex(rng, 10)}, ${hex(rng, 10)})`;
    out.push(f.fn.endsWith('(...)') ? f.fn : f.fn + args);
    const pc = `+0x${rng.intIn(0x10, 0xfff).toString(16)}`;
    out.push(`\t${srcPath(prof, f.file)}:${f.line} ${pc}` + (withFp ? ` fp=${hex(rng, 10)} sp=${hex(rng, 10)} pc=${hex(rng, 7)}` : ''));
  }
  return out;
}

const RUNTIME_IDLE: Frame[] = [
  { fn: 'runtime.futex', file: 'runtime/sys_linux_amd64.s', line: 557 },
  { fn: 'runtime.futexsleep', file: 'runtime/os_linux.go', line: 69 },
  { fn: 'runtime.notesleep', file: 'runtime/lock_futex.go', line: 160 },
  { fn: 'runtime.stoplockedm', file: 'runtime/proc.go', line: 2715 },
  { fn: 'runtime.schedule', file: 'runtime/proc.go', line: 3558 },
  { fn: 'runtime.park_m', file: 'runtime/proc.go', line: 3745 },
  { fn: 'runtime.mcall', file: 'runtime/asm_amd64.s', line: 458 },
];

function gopark(): Frame[] {
  return [
    { fn: 'runtime.gopark', file: 'runtime/proc.go', line: 398 },
    { fn: 'runtime.selectgo', file: 'runtime/select.go', line: 327 },
  ];
}

/** Kubelet goroutines that are always there (main, sync loop, PLEG, status manager, …). */
function kubeletGoroutines(prof: Profile, uptimeMin: number, workers: number): Array<{ state: string; frames: Frame[] }> {
  const kl = 'pkg/kubelet/kubelet.go';
  const up = uptimeMin > 0 ? `, ${uptimeMin} minutes` : '';
  const out: Array<{ state: string; frames: Frame[] }> = [
    {
      state: `select${up}`,
      frames: [
        ...gopark(),
        { fn: 'k8s.io/kubernetes/cmd/kubelet/app.run', file: 'cmd/kubelet/app/server.go', line: prof.minor <= 20 ? 806 : 890 },
        { fn: 'k8s.io/kubernetes/cmd/kubelet/app.Run', file: 'cmd/kubelet/app/server.go', line: prof.minor <= 20 ? 421 : 466 },
        { fn: 'main.main', file: 'cmd/kubelet/kubelet.go', line: prof.minor <= 20 ? 41 : 37 },
      ],
    },
    {
      state: `select${up}`,
      frames: [
        ...gopark(),
        { fn: 'k8s.io/kubernetes/pkg/kubelet.(*Kubelet).syncLoopIteration', file: kl, line: prof.minor <= 20 ? 1873 : 2383 },
        { fn: 'k8s.io/kubernetes/pkg/kubelet.(*Kubelet).syncLoop', file: kl, line: prof.minor <= 20 ? 1846 : 2339 },
        { fn: 'k8s.io/kubernetes/pkg/kubelet.(*Kubelet).Run', file: kl, line: prof.minor <= 20 ? 1429 : 1629 },
      ],
    },
    {
      state: 'select',
      frames: [
        ...gopark(),
        { fn: 'k8s.io/kubernetes/pkg/kubelet/status.(*manager).Start.func1', file: 'pkg/kubelet/status/status_manager.go', line: prof.minor <= 20 ? 166 : 230 },
      ],
    },
    {
      state: 'chan receive',
      frames: [
        { fn: 'runtime.gopark', file: 'runtime/proc.go', line: 398 },
        { fn: 'runtime.chanrecv', file: 'runtime/chan.go', line: 583 },
        { fn: 'k8s.io/kubernetes/pkg/kubelet/pleg.(*GenericPLEG).Relist', file: 'pkg/kubelet/pleg/generic.go', line: prof.minor <= 20 ? 191 : 244 },
      ],
    },
  ];
  for (let i = 0; i < workers; i++) {
    out.push({
      state: `select${up}`,
      frames: [
        ...gopark(),
        {
          fn: prof.newWorker ? 'k8s.io/kubernetes/pkg/kubelet.(*podWorkers).podWorkerLoop' : 'k8s.io/kubernetes/pkg/kubelet.(*podWorkers).managePodLoop',
          file: 'pkg/kubelet/pod_workers.go',
          line: prof.newWorker ? 1212 : 165,
        },
        { fn: 'k8s.io/kubernetes/pkg/kubelet.(*podWorkers).UpdatePod.func1', file: 'pkg/kubelet/pod_workers.go', line: prof.newWorker ? 945 : 235 },
      ],
    });
  }
  return out;
}

function goroutineBlocks(rng: Rng, prof: Profile, list: Array<{ state: string; frames: Frame[] }>, firstId: number, withFp: boolean): string[] {
  const out: string[] = [];
  let id = firstId;
  for (const g of list) {
    out.push('');
    out.push(`goroutine ${id} [${g.state}]:`);
    out.push(...frames(rng, prof, g.frames, withFp));
    const creator = g.frames.at(-1)?.fn.includes('podWorkers') ? 'k8s.io/kubernetes/pkg/kubelet.(*podWorkers).UpdatePod' : 'k8s.io/kubernetes/pkg/kubelet.(*Kubelet).Run';
    if (!g.frames.some((f) => f.fn === 'main.main')) {
      // Go 1.21+ names the creating goroutine
      out.push(`created by ${creator}` + (goMinor(prof) >= 21 ? ` in goroutine ${rng.intIn(1, 400)}` : ''));
      out.push(`\t${srcPath(prof, 'pkg/kubelet/kubelet.go')}:${rng.intIn(1400, 1700)} +0x${rng.intIn(0x10, 0xfff).toString(16)}`);
    }
    id += rng.intIn(1, 90);
  }
  return out;
}

/** `SIGABRT: abort` and every goroutine's stack (GOTRACEBACK=crash style, as systemd's watchdog abort gives). */
export function sigabrtDump(rng: Rng, prof: Profile, uptimeMin: number, workers: number): string[] {
  const out = ['SIGABRT: abort', `PC=${hex(rng, 6)} m=0 sigcode=0`, '', 'goroutine 0 [idle]:', ...frames(rng, prof, RUNTIME_IDLE, true)];
  out.push(...goroutineBlocks(rng, prof, kubeletGoroutines(prof, uptimeMin, workers), 1, true));
  const regs = ['rax', 'rbx', 'rcx', 'rdx', 'rdi', 'rsi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip', 'rflags', 'cs', 'fs', 'gs'];
  out.push('');
  for (const r of regs) out.push(`${r.padEnd(4)}   ${hex(rng, r.length > 3 ? 4 : 12)}`);
  return out;
}

/** The panicking goroutine's stack (what HandleCrash logs and `panic:` prints again). */
export function panicStack(rng: Rng, prof: Profile, goroutine: number): string[] {
  const f: Frame[] = [
    { fn: 'k8s.io/apimachinery/pkg/util/runtime.logPanic', file: 'vendor/k8s.io/apimachinery/pkg/util/runtime/runtime.go', line: prof.minor >= 30 ? 107 : 75 },
    { fn: 'k8s.io/apimachinery/pkg/util/runtime.HandleCrash', file: 'vendor/k8s.io/apimachinery/pkg/util/runtime/runtime.go', line: prof.minor >= 30 ? 82 : 49 },
    { fn: 'panic', file: 'runtime/panic.go', line: 914 },
    { fn: 'k8s.io/kubernetes/pkg/kubelet/status.(*manager).updateStatusInternal', file: 'pkg/kubelet/status/status_manager.go', line: prof.minor <= 20 ? 412 : 724 },
    { fn: 'k8s.io/kubernetes/pkg/kubelet/status.(*manager).SetPodStatus', file: 'pkg/kubelet/status/status_manager.go', line: prof.minor <= 20 ? 166 : 273 },
    { fn: 'k8s.io/kubernetes/pkg/kubelet.(*Kubelet).syncPod', file: 'pkg/kubelet/kubelet.go', line: prof.minor <= 20 ? 1552 : 1747 },
  ];
  return [`goroutine ${goroutine} [running]:`, ...frames(rng, prof, f, false)];
}

/** What Go prints after HandleCrash re-panics (GOTRACEBACK=single): `panic: … [recovered]`, the signal, the stack. */
export function panicDump(rng: Rng, stack: readonly string[]): string[] {
  return [`panic: ${PANIC_TEXT} [recovered]`, `\tpanic: ${PANIC_TEXT}`, `[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=${hex(rng, 7)}]`, '', ...stack];
}
