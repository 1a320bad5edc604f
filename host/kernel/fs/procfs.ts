// A small /proc: self, and per process stat, status, cmdline, comm, exe, cwd, fd/ and maps.
import type { Process } from "../process.js";
import { fixedChildren, FdLink, SynthDir, SynthSymlink, TextNode, type SynthChildren } from "./synth.js";

const hex = (v: number, w: number) => v.toString(16).padStart(w, "0");

function stateLetter(p: Process): string {
  return p.state === "zombie" ? "Z" : p.state === "blocked" ? "S" : "R";
}

// The name execve or PR_SET_NAME gave (at most 15 bytes).
function comm(p: Process): string {
  return new TextDecoder().decode(p.comm);
}

// /proc/<pid>/stat: the fields procps reads, zeros where forkbox keeps no count.
function statLine(p: Process): string {
  const f = [p.pid, `(${comm(p)})`, stateLetter(p), p.ppid, p.pgid, p.sid, 0, -1, 0x400000,
    0, 0, 0, 0, 0, 0, 0, 0, 20 + p.nice, p.nice, 1, 0, 0, 0, 0, 0];
  return `${f.join(" ")}\n`;
}

function statusText(p: Process): string {
  const c = p.creds;
  return [`Name:\t${comm(p)}`, `Umask:\t${p.umask.toString(8).padStart(4, "0")}`,
    `State:\t${stateLetter(p)} (${p.state === "zombie" ? "zombie" : p.state === "blocked" ? "sleeping" : "running"})`,
    `Tgid:\t${p.pid}`, `Pid:\t${p.pid}`, `PPid:\t${p.ppid}`,
    `Uid:\t${c.uid}\t${c.euid}\t${c.suid}\t${c.euid}`, `Gid:\t${c.gid}\t${c.egid}\t${c.sgid}\t${c.egid}`,
    `Threads:\t1`, ""].join("\n");
}

// One line per VMA in Linux's format (an x86-64 kernel pads names to column 73);
// device and inode are not tracked: 00:00 0.
export function mapsText(p: Process): string {
  return p.mm.vmas.map((v) => {
    const perms = `${v.prot & 1 ? "r" : "-"}${v.prot & 2 ? "w" : "-"}${v.prot & 4 ? "x" : "-"}${v.shared ? "s" : "p"}`;
    const head = `${hex(v.start, 8)}-${hex(v.end, 8)} ${perms} ${hex(v.offset, 8)} 00:00 0 `;
    return v.name ? `${head.padEnd(72)}${v.name}\n` : `${head}\n`;
  }).join("");
}

function fdChildren(p: Process): SynthChildren {
  return {
    names: () => p.fds.list().map(String),
    get: (name) => {
      const f = /^\d+$/.test(name) ? p.fds.get(Number(name)) : null;
      return f ? new FdLink(f) : null;
    },
  };
}

function pidDir(p: Process): SynthDir {
  return new SynthDir(fixedChildren({
    stat: new TextNode(() => statLine(p)),
    status: new TextNode(() => statusText(p)),
    cmdline: new TextNode(() => p.argv.map((a) => `${a}\0`).join("")),
    comm: new TextNode(() => `${comm(p)}\n`),
    exe: new SynthSymlink(() => p.exe || null),
    cwd: new SynthSymlink(() => p.cwd),
    maps: new TextNode(() => mapsText(p)),
    fd: new SynthDir(fdChildren(p), () => 1, 0o500),
  }));
}

export function procDir(procs: () => Map<number, Process>): SynthDir {
  const dirs = new WeakMap<Process, SynthDir>();
  return new SynthDir({
    names: () => ["self", ...[...procs().keys()].map(String)],
    get: (name, who) => {
      if (name === "self") return new SynthSymlink(() => String(who.pid));
      if (!/^\d+$/.test(name)) return null;
      const p = procs().get(Number(name));
      if (!p) return null;
      let d = dirs.get(p);
      if (!d) dirs.set(p, d = pidDir(p));
      return d;
    },
  });
}
