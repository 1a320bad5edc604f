// A process's file descriptor table: fd -> open file description + FD_CLOEXEC.
import { EBADF, EMFILE } from "../errno.js";
import type { OpenFile } from "./file.js";

export interface FdEntry { file: OpenFile; cloexec: boolean; }

export const FD_LIMIT = 1024; // RLIMIT_NOFILE default soft limit

export class FdTable {
  private fds: (FdEntry | undefined)[] = [];

  get(fd: number): OpenFile | null {
    return (fd >= 0 && this.fds[fd]?.file) || null;
  }

  entry(fd: number): FdEntry | undefined { return fd >= 0 ? this.fds[fd] : undefined; }

  // Lowest free fd >= min, or -EMFILE.
  install(file: OpenFile, cloexec: boolean, min = 0): number {
    let fd = min;
    while (fd < FD_LIMIT && this.fds[fd]) fd++;
    if (fd >= FD_LIMIT) return -EMFILE;
    this.setAt(fd, file, cloexec);
    return fd;
  }

  // Put file at fd, closing what was there (dup2).
  setAt(fd: number, file: OpenFile, cloexec: boolean): void {
    file.refs++;
    const old = this.fds[fd];
    this.fds[fd] = { file, cloexec };
    if (old) release(old.file);
  }

  close(fd: number): number {
    const e = this.entry(fd);
    if (!e) return -EBADF;
    this.fds[fd] = undefined;
    release(e.file);
    return 0;
  }

  // fork: same open file descriptions, new table.
  clone(): FdTable {
    const t = new FdTable();
    this.fds.forEach((e, fd) => { if (e) t.setAt(fd, e.file, e.cloexec); });
    return t;
  }

  // Open fds in ascending order.
  list(): number[] {
    const out: number[] = [];
    this.fds.forEach((e, fd) => { if (e) out.push(fd); });
    return out;
  }

  closeOnExec(): void {
    this.fds.forEach((e, fd) => { if (e?.cloexec) this.close(fd); });
  }

  closeAll(): void {
    this.fds.forEach((e, fd) => { if (e) this.close(fd); });
  }
}

function release(f: OpenFile): void {
  if (--f.refs === 0) f.release();
}
