// A program's stdio as web streams: what the library hands its caller.
// Output arrives in the kernel's flush batches, in order; it is buffered
// without limit until read, so a caller should read (or cancel) both streams.
import type { HostStat, HostStdio } from "../platform/platform.js";

// Where fd 0 reads from: nothing (/dev/null), a pipe the caller writes
// (child.stdin), fixed bytes, or a stream.
export type StdinSource = "null" | "pipe" | string | Uint8Array | ReadableStream<Uint8Array>;

const S_IFIFO = 0o010000, S_IFCHR = 0o020000;

function fileStat(mode: number, rdev: number, ino: number): HostStat {
  return { mode, size: 0, ino, dev: 0xc, nlink: 1, uid: 0, gid: 0, rdev, blksize: 4096, blocks: 0,
    atimeMs: 0, mtimeMs: 0, ctimeMs: 0 };
}

export class StreamStdio implements HostStdio {
  readonly stdout: ReadableStream<Uint8Array>;
  readonly stderr: ReadableStream<Uint8Array>;
  readonly stdin: WritableStream<Uint8Array> | null = null;
  private out: ReadableStreamDefaultController<Uint8Array> | null = null;
  private err: ReadableStreamDefaultController<Uint8Array> | null = null;
  private input: ReadableStreamDefaultReader<Uint8Array> | null = null;
  private closed = false;

  constructor(private stdinSource: StdinSource, private mergeStderr: boolean) {
    this.stdout = new ReadableStream({ start: (c) => { this.out = c; } });
    this.stderr = new ReadableStream({ start: (c) => { this.err = c; } });
    if (mergeStderr) this.err!.close();
    if (stdinSource === "pipe") {
      const pipe = new TransformStream<Uint8Array, Uint8Array>();
      this.stdin = pipe.writable;
      this.input = pipe.readable.getReader();
    } else if (typeof stdinSource === "string" || stdinSource instanceof Uint8Array) {
      const bytes = typeof stdinSource === "string" ? new TextEncoder().encode(stdinSource) : stdinSource;
      this.input = new ReadableStream<Uint8Array>({
        start(c) { if (bytes.length) c.enqueue(bytes); c.close(); },
      }).getReader();
    } else if (stdinSource instanceof ReadableStream) {
      this.input = stdinSource.getReader();
    }
  }

  writeStdio(fd: number, data: Uint8Array): boolean {
    if (this.closed) return true;
    const c = fd === 2 && !this.mergeStderr ? this.err : this.out;
    try {
      c!.enqueue(data);
      return true;
    } catch {
      return false; // the caller cancelled the stream
    }
  }

  // fd 0 is /dev/null (char 1:3) or a pipe; fds 1 and 2 are pipes, as when
  // a shell runs a program in `$(...)`, so libc buffers output as it would there.
  fstatStdio(fd: number): HostStat {
    if (fd === 0 && this.stdinSource === "null") return fileStat(S_IFCHR | 0o666, 0x103, 4);
    return fileStat(S_IFIFO | 0o600, 0, 100 + fd);
  }

  isatty(): boolean { return false; }
  isForeground(): boolean { return false; } // no terminal at all
  setRawMode(): void { /* streams have no terminal modes */ }
  onTerminalSignal(): null { return null; } // no terminal sends job-control keys
  stopSelf(): void { /* there is no host job to stop */ }
  windowSize(): null { return null; }

  async readStdin(): Promise<Uint8Array | null> {
    if (!this.input) return null;
    try {
      const r = await this.input.read();
      return r.done ? null : r.value;
    } catch {
      return null; // the caller aborted its stream: end of file
    }
  }

  // The program tree has ended: end both outputs, stop reading input.
  close(error?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of [this.out, this.err]) {
      try { if (error) c!.error(error); else c!.close(); } catch { /* already closed */ }
    }
    this.input?.cancel().catch(() => {});
  }
}

// Read a whole stream as text.
export async function streamText(s: ReadableStream<Uint8Array>): Promise<string> {
  const dec = new TextDecoder();
  let text = "";
  const reader = s.getReader();
  for (;;) {
    const r = await reader.read();
    if (r.done) return text + dec.decode();
    text += dec.decode(r.value, { stream: true });
  }
}
