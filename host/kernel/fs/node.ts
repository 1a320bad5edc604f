// File-system nodes (inodes): what a path resolves to. Directories look up and
// list names and carry the namespace operations; every operation returns a
// negative errno when it fails, as the syscall will.
import { EINVAL, ENOTDIR, EROFS } from "../errno.js";
import type { HostStat } from "../../platform/platform.js";
import type { OpenFile } from "./file.js";

export const S_IFMT = 0o170000, S_IFLNK = 0o120000, S_IFREG = 0o100000, S_IFDIR = 0o040000, S_IFCHR = 0o020000,
  S_IFIFO = 0o010000;

export const isDir = (mode: number) => (mode & S_IFMT) === S_IFDIR;
export const isLink = (mode: number) => (mode & S_IFMT) === S_IFLNK;
export const isReg = (mode: number) => (mode & S_IFMT) === S_IFREG;

export interface DirEntry { name: string; ino: number; type: number; } // type: DT_* = mode >> 12

// Who is asking: the process (for /proc/self) and its umask-applied identity.
export interface Caller { pid: number; uid: number; gid: number; }

// A node's times in ms; undefined leaves a time unchanged (utimensat UTIME_OMIT).
export interface Times { atimeMs?: number; mtimeMs?: number; }

export abstract class Node {
  abstract stat(): HostStat;
  get mode(): number { return this.stat().mode; }

  // Directories.
  lookup(_name: string, _who: Caller): Node | number { return -ENOTDIR; }
  list(_who: Caller): DirEntry[] | number { return -ENOTDIR; }
  create(_name: string, _mode: number, _who: Caller): Node | number { return -ENOTDIR; }
  mkdir(_name: string, _mode: number, _who: Caller): number { return -ENOTDIR; }
  symlink(_name: string, _target: string, _who: Caller): number { return -ENOTDIR; }
  link(_name: string, _target: Node): number { return -ENOTDIR; }
  unlink(_name: string): number { return -ENOTDIR; }
  rmdir(_name: string): number { return -ENOTDIR; }
  // Move this directory's entry `name` to `dir`/`newName` (dir is the same kind of directory).
  rename(_name: string, _dir: Node, _newName: string): number { return -ENOTDIR; }

  // Symbolic links.
  readlink(): string | number { return -EINVAL; }
  // Magic links (/proc/<pid>/fd/N): following one lands on the open file itself.
  follow(): { node: Node; path: string } | null { return null; }

  // Open a description for this node (flags already checked against the type).
  abstract open(flags: number, path: string, who: Caller): OpenFile | number;

  // Attributes.
  truncate(_len: number): number { return -EINVAL; }
  chmod(_mode: number): number { return -EROFS; }
  chown(_uid: number, _gid: number): number { return -EROFS; }
  utimes(_t: Times): number { return -EROFS; }
  // Mount identity: nodes of different mounts cannot be linked or renamed across.
  abstract readonly fsId: number;
}

// A fresh stat record for synthetic and in-memory nodes.
let nextIno = 1000;
export function newStat(mode: number, dev: number, who: { uid: number; gid: number }, nowMs: number): HostStat {
  return { mode, size: 0, ino: nextIno++, dev, nlink: isDir(mode) ? 2 : 1, uid: who.uid, gid: who.gid,
    rdev: 0, blksize: 4096, blocks: 0, atimeMs: nowMs, mtimeMs: nowMs, ctimeMs: nowMs };
}
