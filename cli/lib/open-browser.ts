// --open: the system's browser on a URL. Not finding one is only a warning: the URL is printed.
import { spawn } from 'node:child_process';

function opener(): { cmd: string; args: string[] } {
  if (process.platform === 'darwin') return { cmd: 'open', args: [] };
  if (process.platform === 'win32') return { cmd: 'cmd', args: ['/c', 'start', '""'] };
  return { cmd: 'xdg-open', args: [] };
}

export function openBrowser(url: string, warn: (msg: string) => void): void {
  const { cmd, args } = opener();
  const fail = (why: string) => warn(`could not open a browser (${cmd} ${why}); open ${url} yourself`);
  try {
    const child = spawn(cmd, [...args, url], { stdio: 'ignore', detached: true });
    child.on('error', (e) => fail((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'is not installed' : e.message));
    child.on('exit', (code) => {
      if (code) fail(`exited with ${code}`);
    });
    child.unref();
  } catch (e) {
    fail((e as Error).message);
  }
}
