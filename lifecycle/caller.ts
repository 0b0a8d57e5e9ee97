// A record's caller as the call tables key it: the source file's basename and the line.

/** `kubelet.go:2389`, `kubelet/kubelet.go:2389` (JSON caller) or `pkg/kubelet/kubelet.go:2389` (--add_dir_header) → basename and line. */
export function callerOf(caller: string | undefined): { file: string; line: number } | undefined {
  const m = caller ? /(?:^|\/)([^/:]+\.go):(\d+)$/.exec(caller) : null;
  return m ? { file: m[1]!, line: Number(m[2]) } : undefined;
}
