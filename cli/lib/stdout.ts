// Writing NDJSON to stdout with backpressure, and stopping quietly when the reader goes away
// (`kubelog parse big.log | head`), instead of dying on EPIPE.
export class StdoutWriter {
  private buf: string[] = [];
  private size = 0;
  closed = false;
  needsDrain = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') this.closed = true;
      else throw e;
    });
  }

  write(s: string): void {
    if (this.closed) return;
    this.buf.push(s);
    this.size += s.length;
    if (this.size >= 1 << 16) this.flush();
  }

  private flush(): void {
    if (!this.buf.length || this.closed) return;
    const ok = this.stream.write(this.buf.join(''));
    this.buf = [];
    this.size = 0;
    if (!ok) this.needsDrain = true;
  }

  drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        // both listeners go, whichever fired: one left behind per wait added up to
        // MaxListenersExceededWarning on a long `kubelog parse FILE | wc -l`
        this.stream.off('drain', done);
        this.stream.off('close', done);
        this.needsDrain = false;
        resolve();
      };
      if (this.closed) return done();
      this.stream.once('drain', done);
      this.stream.once('close', done);
    });
  }

  async finish(): Promise<void> {
    this.flush();
    if (this.needsDrain) await this.drained();
  }
}
