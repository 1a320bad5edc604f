// An in-memory file tree with the host file functions (HostFs): the
// browser's filesystem, filled by the embedder or unpacked from a tar
// archive (tar.ts). Read-only underneath the guest: the VFS keeps the
// guest's changes in its overlay, so the changing operations say EROFS.
import type { HostFs, HostOpen, HostStat } from "./platform.js";

const ENOENT = 2, EBADF = 9, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, EROFS = 30, ELOOP = 40;
const S_IFDIR = 0o040000, S_IFREG = 0o100000, S_IFLNK = 0o120000;
const MAXSYMLINKS = 40; // Linux's limit on links followed in one lookup

type Node =
  | { kind: "dir"; ino: number; mode: number; mtimeMs: number; entries: Map<string, Node> }
  | { kind: "file"; ino: number; mode: number; mtimeMs: number; data: Uint8Array }
  | { kind: "link"; ino: number; mode: number; mtimeMs: number; target: string };

export interface MemEntryOptions {
  mode?: number; // permission bits (default 0o644 for files, 0o755 for directories)
  mtimeMs?: number;
}

const DEV = 0x1d; // an anonymous device number, as tmpfs gets

export class MemFs implements HostFs {
  private nextIno = 1;
  private root: Node & { kind: "dir" };

  constructor() {
    this.root = this.dirNode(0o755, Date.now());
  }

  // Add (or replace) a file; missing parent directories are created.
  writeFile(path: string, data: Uint8Array | string, opts: MemEntryOptions = {}): void {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    this.place(path, { kind: "file", ino: this.nextIno++, mode: opts.mode ?? 0o644, mtimeMs: opts.mtimeMs ?? Date.now(), data: bytes });
  }

  // mkdir -p.
  addDir(path: string, opts: MemEntryOptions = {}): void {
    const parent = this.parentDir(path);
    const name = baseName(path);
    if (!name) return;
    const old = parent.entries.get(name);
    if (old?.kind === "dir") { if (opts.mode !== undefined) old.mode = opts.mode; return; }
    if (old) throw new Error(`mkdir ${path}: exists and is not a directory`);
    parent.entries.set(name, this.dirNode(opts.mode ?? 0o755, opts.mtimeMs ?? Date.now()));
  }

  addSymlink(target: string, path: string, opts: MemEntryOptions = {}): void {
    this.place(path, { kind: "link", ino: this.nextIno++, mode: 0o777, mtimeMs: opts.mtimeMs ?? Date.now(), target });
  }

  stat(path: string, follow: boolean): HostStat | number {
    const n = this.lookup(path, follow);
    if (typeof n === "number") return n;
    const type = n.kind === "dir" ? S_IFDIR : n.kind === "file" ? S_IFREG : S_IFLNK;
    const size = n.kind === "file" ? n.data.length : n.kind === "link" ? n.target.length : 4096;
    let nlink = 1;
    if (n.kind === "dir") { nlink = 2; for (const c of n.entries.values()) if (c.kind === "dir") nlink++; }
    return {
      mode: type | n.mode, size, ino: n.ino, dev: DEV, nlink, uid: 0, gid: 0, rdev: 0, blksize: 4096,
      blocks: Math.ceil(size / 4096) * 8, atimeMs: n.mtimeMs, mtimeMs: n.mtimeMs, ctimeMs: n.mtimeMs,
    };
  }

  readFile(path: string): Uint8Array | number {
    const n = this.lookup(path, true);
    if (typeof n === "number") return n;
    return n.kind === "file" ? n.data : EISDIR;
  }

  readlink(path: string): string | number {
    const n = this.lookup(path, false);
    if (typeof n === "number") return n;
    return n.kind === "link" ? n.target : EINVAL;
  }

  readdir(path: string): string[] | number {
    const n = this.lookup(path, true);
    if (typeof n === "number") return n;
    return n.kind === "dir" ? [...n.entries.keys()] : ENOTDIR;
  }

  // Files by handle: a handle is the file's path, looked up once.
  private handles = new Map<number, { path: string; data: Uint8Array }>();
  private nextHandle = 1;

  openFile(path: string, how: HostOpen): number {
    if (how.write || how.create) return -EROFS;
    const n = this.lookup(path, false);
    if (typeof n === "number") return -n;
    if (n.kind === "link") return -ELOOP; // O_NOFOLLOW
    const h = this.nextHandle++;
    this.handles.set(h, { path, data: n.kind === "file" ? n.data : new Uint8Array(0) });
    return h;
  }

  pread(handle: number, len: number, pos: number): Uint8Array | number {
    const f = this.handles.get(handle);
    if (!f) return -EBADF;
    return f.data.subarray(Math.min(pos, f.data.length), Math.min(f.data.length, pos + len));
  }

  fstat(handle: number): HostStat | number {
    const f = this.handles.get(handle);
    return f ? this.stat(f.path, false) : EBADF;
  }

  closeFile(handle: number): void { this.handles.delete(handle); }

  pwrite(): number { return -EROFS; }
  ftruncate(): number { return -EROFS; }
  mkdir(): number { return -EROFS; }
  unlink(): number { return -EROFS; }
  rmdir(): number { return -EROFS; }
  rename(): number { return -EROFS; }
  symlink(): number { return -EROFS; }
  link(): number { return -EROFS; }
  chmod(): number { return -EROFS; }
  chown(): number { return -EROFS; }
  utimes(): number { return -EROFS; }

  private dirNode(mode: number, mtimeMs: number): Node & { kind: "dir" } {
    return { kind: "dir", ino: this.nextIno++, mode, mtimeMs, entries: new Map() };
  }

  private place(path: string, node: Node): void {
    const name = baseName(path);
    if (!name) throw new Error(`${path}: not a file name`);
    const parent = this.parentDir(path);
    if (parent.entries.get(name)?.kind === "dir") throw new Error(`${path}: is a directory`);
    parent.entries.set(name, node);
  }

  // The directory that will hold path's last component, created as needed.
  private parentDir(path: string): Node & { kind: "dir" } {
    const parts = split(path);
    parts.pop();
    let dir = this.root;
    for (const part of parts) {
      const next = dir.entries.get(part) ?? this.dirNode(0o755, Date.now());
      dir.entries.set(part, next);
      if (next.kind !== "dir") throw new Error(`${path}: a parent is not a directory`);
      dir = next;
    }
    return dir;
  }

  // Walk path from the root, following symlinks in the middle (and at the
  // end when follow is set), as Linux's path walk does.
  private lookup(path: string, follow: boolean): Node | number {
    const rest = split(path).reverse(); // a stack of components still to walk
    const stack: (Node & { kind: "dir" })[] = [this.root]; // the directories walked, for ".."
    let links = 0;
    let node: Node = this.root;
    while (rest.length) {
      const part = rest.pop()!;
      const dir = stack[stack.length - 1];
      if (node.kind !== "dir") return ENOTDIR;
      if (part === ".") continue;
      if (part === "..") { if (stack.length > 1) stack.pop(); node = stack[stack.length - 1]; continue; }
      const next = dir.entries.get(part);
      if (!next) return ENOENT;
      if (next.kind === "link" && (rest.length > 0 || follow)) {
        if (++links > MAXSYMLINKS) return ELOOP;
        rest.push(...split(next.target).reverse());
        if (next.target.startsWith("/")) stack.length = 1;
        node = stack[stack.length - 1];
        continue;
      }
      node = next;
      if (next.kind === "dir") stack.push(next);
    }
    return node;
  }
}

function split(path: string): string[] {
  return path.split("/").filter((p) => p !== "");
}

function baseName(path: string): string {
  const parts = split(path);
  return parts[parts.length - 1] ?? "";
}

// A MemFs holding files: { "/bin/hello": bytes, "/etc/motd": "text" }.
// Paths ending in "/" are directories; files get mode 0o755 when `executable`.
export function memFs(files: Record<string, Uint8Array | string> = {}, opts: { executable?: boolean } = {}): MemFs {
  const fs = new MemFs();
  for (const [path, data] of Object.entries(files)) {
    if (path.endsWith("/")) fs.addDir(path);
    else fs.writeFile(path, data, { mode: opts.executable ? 0o755 : 0o644 });
  }
  return fs;
}
