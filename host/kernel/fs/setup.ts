// Building a kernel's namespace (root, user mounts, /dev, /proc) and the
// per-process view of it: who is asking and where relative paths start.
import type { Platform } from "../../platform/platform.js";
import type { Process } from "../process.js";
import { devDir, type Terminals } from "./devices.js";
import { O_RDONLY } from "./file.js";
import { HostFs } from "./hostfs.js";
import { isDir, isReg, type Caller } from "./node.js";
import { procDir } from "./procfs.js";
import { Vfs, type Loc } from "./vfs.js";
import type { HostStat } from "../../platform/platform.js";

export interface MountSpec { host: string; guest: string; rw: boolean; }

// Normalise an absolute path lexically (for host paths the user typed, and guest mount points).
export function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop(); else out.push(part);
  }
  return "/" + out.join("/");
}

// A namespace, or a message saying which root or mount is unusable.
export function buildVfs(platform: Platform, root: string, mounts: MountSpec[], procs: () => Map<number, Process>,
  terminals: Terminals): Vfs | string {
  let id = 0x30;
  const rootDir = new HostFs(platform, false, id).root(root);
  if (typeof rootDir === "number") return `root directory ${root} is not a usable directory`;
  const vfs = new Vfs(rootDir);
  vfs.mount("/dev", devDir(platform, terminals));
  vfs.mount("/dev/pts", terminals.ptys.dir());
  vfs.mount("/proc", procDir(procs));
  for (const m of mounts) {
    const dir = new HostFs(platform, m.rw, id += 2).root(m.host);
    if (typeof dir === "number") return `mount source ${m.host} is not a usable directory`;
    vfs.mount(normalize(m.guest), dir);
  }
  return vfs;
}

// The guest path of the host's working directory when it lies inside root, else "/".
export function guestCwd(root: string, hostCwd: string): string {
  const r = normalize(root);
  const c = normalize(hostCwd);
  if (r === "/") return c;
  return c === r ? "/" : c.startsWith(r + "/") ? c.slice(r.length) : "/";
}

export function caller(p: Process): Caller {
  return { pid: p.pid, uid: p.creds.euid, gid: p.creds.egid };
}

// Where p's relative paths start (the root if its cwd has gone away).
export function cwdLoc(vfs: Vfs, p: Process): Loc {
  const l = vfs.resolve(caller(p), vfs.root, p.cwd, true);
  return typeof l === "number" || !isDir(l.node.mode) ? vfs.root : l;
}

export interface Program { path: string; st: HostStat; read(): Uint8Array | number; }

// execve's view of a path: a regular file (positive errno otherwise).
export function findProgram(vfs: Vfs, p: Process, path: string): Program | number {
  const who = caller(p);
  const l = vfs.resolve(who, cwdLoc(vfs, p), path, true);
  if (typeof l === "number") return -l;
  const st = l.node.stat();
  return {
    path: l.path,
    st,
    read() {
      if (!isReg(st.mode)) return 13; // EACCES
      const f = l.node.open(O_RDONLY, l.path, who);
      if (typeof f === "number") return -f;
      const data = f.pread(st.size, 0);
      f.release();
      return typeof data === "number" ? -data : data;
    },
  };
}
