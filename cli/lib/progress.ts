// A one-line progress bar on stderr, only on a terminal, only for ingests that take more than a
// second, redrawn with \r at most 10 times a second.
import type { IngestProgress } from '../../ingest/ingest.js';
import { safeText } from './terminal-text.js';

export class ProgressBar {
  private readonly started = Date.now();
  private lastDraw = 0;
  private shown = false;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly delayMs = 1000,
  ) {}

  get enabled(): boolean {
    return !!this.stream.isTTY;
  }

  update(p: IngestProgress): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.started < this.delayMs || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.draw(p, now);
  }

  private draw(p: IngestProgress, now: number): void {
    const secs = (now - this.started) / 1000;
    const mb = p.bytes / 1e6;
    const rate = mb / Math.max(secs, 0.001);
    const parts: string[] = [];
    const width = this.stream.columns ?? 80;
    if (p.totalBytes) {
      const frac = Math.min(1, p.bytes / p.totalBytes);
      const barWidth = Math.max(10, Math.min(30, width - 70));
      const fill = Math.round(frac * barWidth);
      parts.push(`[${'#'.repeat(fill)}${'-'.repeat(barWidth - fill)}] ${(frac * 100).toFixed(0).padStart(3)}%`);
      parts.push(`${mb.toFixed(1)}/${(p.totalBytes / 1e6).toFixed(1)} MB`);
    } else parts.push(`${mb.toFixed(1)} MB`);
    parts.push(`${p.lines.toLocaleString('en-US')} lines`);
    parts.push(`${rate.toFixed(1)} MB/s`);
    if (p.totalBytes && rate > 0) parts.push(`ETA ${clock((p.totalBytes / 1e6 - mb) / rate)}`);
    if (p.inputs > 1) parts.push(`file ${Math.min(p.inputsDone + 1, p.inputs)}/${p.inputs}`);
    let line = parts.join('  ');
    const name = p.current[0];
    if (name) line += `  ${safeText(name)}`;
    if (line.length > width - 1) line = line.slice(0, width - 1);
    this.stream.write(`\r${line}\x1b[K`);
    this.shown = true;
  }

  /** Remove the bar (before the summary is printed). */
  done(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}
