// Host directories seen through the platform adapter. A read-only mount
// keeps the guest's changes in an in-memory overlay (per host directory: added
// or replaced entries, and whiteouts for removed ones); a writable mount
// changes the host. Host paths are only ever built here, one checked name at
// a time below the mount's host directory.
import { EEXIST, EISDIR, ENOENT, ENOTDIR, ENOTEMPTY, ENXIO, EROFS, EXDEV } from "../errno.js";
import type { HostStat, Platform } from "../../platform/platform.js";
import { O_ACCMODE, O_DIRECTORY, O_RDONLY, type OpenFile } from "./file.js";
import { MemDir, MemFile, MemNode, MemSymlink, replaceCheck, type MemFs } from "./memfs.js";
import { isDir, isLink, isReg, Node, type Caller, type DirEntry, type Times } from "./node.js";
import { DirFile, RegularFile, type Contents } from "./regular.js";

interface Overlay { entries: Map<string, MemNode>; whiteouts: Set<string>; }

export class HostFs {
  private overlays = new Map<string, Overlay>();
  readonly mem: MemFs;
  constructor(readonly platform: Platform, readonly rw: boolean, readonly fsId: number) {
    this.mem = { dev: fsId + 1, now: () => platform.nowMs(),
      moveOut: (from, name, to, newName) => overlayRename(this, from, name, to, newName) };
  }
  overlay(hostPath: string, create: boolean): Overlay | undefined {
    let o = this.overlays.get(hostPath);
    if (!o && create) this.overlays.set(hostPath, o = { entries: new Map(), whiteouts: new Set() });
    return o;
  }
  root(hostPath: string): HostDir | number {
    const st = this.platform.stat(hostPath, true);
    if (typeof st === "number") return -st;
    if (!isDir(st.mode)) return -ENOTDIR;
    return new HostDir(this, hostPath, st, null, "");
  }
}

const join = (dir: string, name: string) => (dir.endsWith("/") ? dir + name : `${dir}/${name}`);

abstract class HostNode extends Node {
  constructor(readonly fs: HostFs, readonly hostPath: string, protected st: HostStat,
    readonly parent: HostDir | null, readonly name: string) { super(); }
  get fsId(): number { return this.fs.fsId; }
  stat(): HostStat {
    if (this.fs.rw) {
      const st = this.fs.platform.stat(this.hostPath, false);
      if (typeof st !== "number") this.st = st;
    }
    return this.st;
  }
  // This node as an overlay node (a copy in memory that replaces it), for changes on a read-only mount.
  copyUp(): MemNode | number { return -EROFS; }
  private changed(f: (n: MemNode) => number, host: () => number): number {
    if (this.fs.rw) return host();
    const m = this.copyUp();
    return typeof m === "number" ? m : f(m);
  }
  chmod(mode: number): number {
    return this.changed((m) => m.chmod(mode), () => this.fs.platform.chmod(this.hostPath, mode & 0o7777));
  }
  chown(uid: number, gid: number): number {
    return this.changed((m) => m.chown(uid, gid), () => this.fs.platform.chown(this.hostPath, uid, gid));
  }
  utimes(t: Times): number {
    return this.changed((m) => m.utimes(t), () => {
      const st = this.stat();
      return this.fs.platform.utimes(this.hostPath, t.atimeMs ?? st.atimeMs, t.mtimeMs ?? st.mtimeMs);
    });
  }
  // Copy attributes of the host node onto its overlay replacement and put it in place.
  protected placeCopy(m: MemNode): MemNode {
    const { mode, uid, gid, atimeMs, mtimeMs, ino } = this.st;
    Object.assign(m.st, { mode, uid, gid, atimeMs, mtimeMs, ino });
    this.parent!.placeOverlay(this.name, m);
    return m;
  }
}

// A host file's bytes, read (and on writable mounts written) through a host handle.
class HostContents implements Contents {
  constructor(private platform: Platform, private h: number) {}
  size(): number {
    const st = this.platform.fstat(this.h);
    return typeof st === "number" ? 0 : st.size;
  }
  read(pos: number, len: number): Uint8Array | number { return this.platform.pread(this.h, len, pos); }
  write(pos: number, data: Uint8Array): number { return this.platform.pwrite(this.h, data, pos); }
  truncate(len: number): number { return this.platform.ftruncate(this.h, len); }
  close(): void { this.platform.closeFile(this.h); }
}

export class HostFile extends HostNode {
  open(flags: number, path: string, who: Caller): OpenFile | number {
    if (flags & O_DIRECTORY) return -ENOTDIR;
    const write = (flags & O_ACCMODE) !== O_RDONLY;
    if (write && !this.fs.rw) {
      const m = this.copyUp();
      return typeof m === "number" ? m : m.open(flags, path, who);
    }
    const h = this.fs.platform.openFile(this.hostPath, { write });
    return h < 0 ? h : new RegularFile(flags, path, this, new HostContents(this.fs.platform, h));
  }
  truncate(len: number): number {
    if (!this.fs.rw) {
      const m = this.copyUp();
      return typeof m === "number" ? m : m.truncate(len);
    }
    const h = this.fs.platform.openFile(this.hostPath, { write: true });
    if (h < 0) return h;
    const r = this.fs.platform.ftruncate(h, len);
    this.fs.platform.closeFile(h);
    return r;
  }
  copyUp(): MemNode | number {
    const h = this.fs.platform.openFile(this.hostPath, { write: false });
    if (h < 0) return h;
    const data = this.fs.platform.pread(h, this.st.size, 0);
    this.fs.platform.closeFile(h);
    if (typeof data === "number") return data;
    return this.placeCopy(new MemFile(this.fs.mem, this.st.mode, this.st, data));
  }
}

export class HostSymlink extends HostNode {
  readlink(): string | number {
    const r = this.fs.platform.readlink(this.hostPath);
    return typeof r === "number" ? -r : r;
  }
  open(): number { return -40; } // ELOOP: O_NOFOLLOW on a symlink
  copyUp(): MemNode | number {
    const t = this.readlink();
    return typeof t === "number" ? t : this.placeCopy(new MemSymlink(this.fs.mem, t, this.st));
  }
}

// Host FIFOs, sockets and device nodes: visible, not openable.
class HostSpecial extends HostNode {
  open(): number { return -ENXIO; }
}

export class HostDir extends HostNode {
  lookup(name: string): Node | number {
    const o = this.fs.overlay(this.hostPath, false);
    const m = o?.entries.get(name);
    if (m) return m;
    if (o?.whiteouts.has(name)) return -ENOENT;
    return this.hostChild(name);
  }
  private hostChild(name: string): HostNode | number {
    const path = join(this.hostPath, name);
    const st = this.fs.platform.stat(path, false);
    if (typeof st === "number") return -st;
    const Kind = isDir(st.mode) ? HostDir : isReg(st.mode) ? HostFile : isLink(st.mode) ? HostSymlink : HostSpecial;
    return new Kind(this.fs, path, st, this, name);
  }
  private hostHas(name: string): boolean { return typeof this.hostChild(name) !== "number"; }

  list(): DirEntry[] | number {
    const names = this.fs.platform.readdir(this.hostPath);
    if (typeof names === "number") return -names;
    const o = this.fs.overlay(this.hostPath, false);
    const out: DirEntry[] = [];
    for (const name of names) {
      if (o?.whiteouts.has(name) || o?.entries.has(name)) continue;
      const st = this.fs.platform.stat(join(this.hostPath, name), false);
      if (typeof st !== "number") out.push({ name, ino: st.ino, type: st.mode >> 12 });
    }
    for (const [name, n] of o?.entries ?? []) out.push({ name, ino: n.st.ino, type: n.st.mode >> 12 });
    return out;
  }

  // Overlay bookkeeping on a read-only mount.
  placeOverlay(name: string, n: MemNode): void {
    const o = this.fs.overlay(this.hostPath, true)!;
    o.entries.set(name, n);
    if (n instanceof MemDir) { const st = this.st; n.parentIno = () => st.ino; }
  }
  removeOverlay(name: string): void {
    const o = this.fs.overlay(this.hostPath, true)!;
    o.entries.delete(name);
    if (this.hostHas(name)) o.whiteouts.add(name);
  }
  private exists(name: string): boolean { return typeof this.lookup(name) !== "number"; }

  create(name: string, mode: number, who: Caller): Node | number {
    if (this.exists(name)) return -EEXIST;
    if (this.fs.rw) {
      const h = this.fs.platform.openFile(join(this.hostPath, name), { write: true, create: true, exclusive: true, mode });
      if (h < 0) return h;
      this.fs.platform.closeFile(h);
      return this.hostChild(name);
    }
    const f = new MemFile(this.fs.mem, mode, who);
    this.placeOverlay(name, f);
    return f;
  }
  mkdir(name: string, mode: number, who: Caller): number {
    if (this.exists(name)) return -EEXIST;
    if (this.fs.rw) return this.fs.platform.mkdir(join(this.hostPath, name), mode);
    const st = this.st;
    this.placeOverlay(name, new MemDir(this.fs.mem, mode, who, () => st.ino));
    return 0;
  }
  symlink(name: string, target: string, who: Caller): number {
    if (this.exists(name)) return -EEXIST;
    if (this.fs.rw) return this.fs.platform.symlink(target, join(this.hostPath, name));
    this.placeOverlay(name, new MemSymlink(this.fs.mem, target, who));
    return 0;
  }
  link(name: string, target: Node): number {
    if (this.exists(name)) return -EEXIST;
    if (this.fs.rw) {
      if (!(target instanceof HostNode) || target.fs !== this.fs) return -EXDEV;
      return this.fs.platform.link(target.hostPath, join(this.hostPath, name));
    }
    const m = overlayNode(this.fs, target);
    if (typeof m === "number") return m;
    m.st.nlink++;
    this.placeOverlay(name, m);
    return 0;
  }
  unlink(name: string): number {
    const n = this.lookup(name);
    if (typeof n === "number") return n;
    if (isDir(n.mode)) return -EISDIR;
    if (this.fs.rw) return this.fs.platform.unlink(join(this.hostPath, name));
    if (n instanceof MemNode) n.st.nlink--;
    this.removeOverlay(name);
    return 0;
  }
  rmdir(name: string): number {
    const n = this.lookup(name);
    if (typeof n === "number") return n;
    if (!isDir(n.mode)) return -ENOTDIR;
    if (this.fs.rw) return this.fs.platform.rmdir(join(this.hostPath, name));
    const l = n.list({ pid: 0, uid: 0, gid: 0 });
    if (typeof l === "number") return l;
    if (l.length) return -ENOTEMPTY;
    this.removeOverlay(name);
    return 0;
  }
  rename(name: string, dir: Node, newName: string): number {
    if (this.fs.rw) {
      if (!(dir instanceof HostDir) || dir.fs !== this.fs) return -EXDEV;
      return this.fs.platform.rename(join(this.hostPath, name), join(dir.hostPath, newName));
    }
    return overlayRename(this.fs, this, name, dir, newName);
  }
  open(flags: number, path: string, who: Caller): OpenFile | number {
    const parent = this.parent;
    return new DirFile(flags, path, this, who, () => (parent ?? this).stat().ino);
  }
  // Host directories on a read-only mount cannot be copied up (their whole tree would follow).
  copyUp(): number { return -EXDEV; }
}

// The in-memory form of any node on a read-only mount (copying host nodes up).
function overlayNode(fs: HostFs, n: Node): MemNode | number {
  if (n instanceof MemNode) return n.fs === fs.mem ? n : -EXDEV;
  if (n instanceof HostNode && n.fs === fs) return n.copyUp();
  return -EXDEV;
}

// rename within a read-only mount: directories there are HostDirs (overlay
// entries) or MemDirs the guest created; Linux's overlayfs likewise refuses to
// move a directory that exists on the lower (host) layer (EXDEV).
function overlayRename(fs: HostFs, from: HostDir | MemDir, name: string, to: Node, newName: string): number {
  if (!(to instanceof HostDir && to.fs === fs) && !(to instanceof MemDir && to.fs === fs.mem)) return -EXDEV;
  const src = from.lookup(name);
  if (typeof src === "number") return src;
  const dst = to.lookup(newName);
  const bad = replaceCheck(src, dst);
  if (bad) return bad;
  if (typeof dst !== "number" && isDir(dst.mode)) {
    const l = dst.list({ pid: 0, uid: 0, gid: 0 });
    if (typeof l !== "number" && l.length) return -ENOTEMPTY;
  }
  if (src === dst) return 0;
  const m = overlayNode(fs, src);
  if (typeof m === "number") return m;
  if (from instanceof HostDir) from.removeOverlay(name); else from.children.delete(name);
  if (to instanceof HostDir) to.placeOverlay(newName, m); else to.place(newName, m);
  return 0;
}
