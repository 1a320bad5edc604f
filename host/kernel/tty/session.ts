// Sessions, controlling terminals and orphaned process groups, as Linux's
// tty_jobctrl.c and kernel/exit.c have them.
//
// pid 1 and its first children belong to the session and process group of
// whoever started forkbox (both read as 0); its parent, outside the guest,
// is in that session but another group, so a group holding pid 1 is never
// orphaned, as a shell's job is not. The host terminal, when stdio is one,
// is that session's controlling terminal.
import type { Kernel } from "../kernel.js";
import type { Process } from "../process.js";
import { SIGCONT, SIGHUP, type Tty } from "./tty.js";

const members = (k: Kernel, pgid: number) => [...k.procs.values()].filter((q) => q.pgid === pgid && q.state !== "zombie");

// will_become_orphaned_pgrp: no member (but `ignored`) has a parent in another group of its session.
export function willBecomeOrphaned(k: Kernel, pgid: number, ignored: Process | null): boolean {
  for (const q of members(k, pgid)) {
    if (q === ignored) continue;
    if (q.pid === 1 && !q.parent) {
      if (q.sid === 0) return false; // its parent outside is in session 0, in another group
      continue;
    }
    const parent = q.parent;
    if (parent && parent.pgid !== pgid && parent.sid === q.sid) return false;
  }
  return true;
}

export const isOrphaned = (k: Kernel, pgid: number) => willBecomeOrphaned(k, pgid, null);

// kill_orphaned_pgrp: t is exiting (parent null) or its parent is (the father, when reparenting
// t). If that leaves t's group orphaned with stopped members, they get SIGHUP then SIGCONT (POSIX).
export function killOrphanedPgrp(k: Kernel, t: Process, father: Process | null): void {
  const parent = father ?? t.parent;
  if (!parent) return;
  const pgid = t.pgid;
  if (parent.pgid === pgid || parent.sid !== t.sid) return;
  if (!willBecomeOrphaned(k, pgid, father ? null : t)) return;
  if (!members(k, pgid).some((q) => q.state === "stopped")) return;
  k.signalGroup(pgid, SIGHUP);
  k.signalGroup(pgid, SIGCONT);
}

// proc_set_tty: p's session gets tty as its controlling terminal, p's group in the foreground.
export function setCtty(p: Process, tty: Tty): void {
  tty.session = p.sid;
  tty.pgrp = p.pgid;
  p.tty = tty;
}

// tty_open_proc_set_tty: a session leader without a terminal acquires one nobody controls by opening it.
export function openedTty(p: Process, tty: Tty, noctty: boolean): void {
  if (!noctty && p.sid === p.pid && !p.tty && tty.session === null) setCtty(p, tty);
}

// session_clear_tty: nobody in the session has a controlling terminal any more.
function clearSessionTty(k: Kernel, sid: number): void {
  for (const q of k.procs.values()) if (q.sid === sid) q.tty = null;
}

// disassociate_ctty for a session leader p (at exit, or TIOCNOTTY): the foreground group
// gets SIGHUP (and SIGCONT unless p is exiting); the terminal is nobody's any more.
export function disassociate(k: Kernel, p: Process, onExit: boolean): void {
  const tty = p.tty;
  if (!tty || p.sid !== p.pid) return;
  if (tty.pgrp !== null) {
    const fg = tty.pgrp;
    k.signalGroup(fg, SIGHUP);
    if (!onExit) k.signalGroup(fg, SIGCONT);
  }
  tty.session = tty.pgrp = null;
  clearSessionTty(k, p.sid);
}

// The terminal hangs up (its pty master closed, the host terminal went away): the processes
// it controls lose it, and session leaders get SIGHUP and SIGCONT.
export function hangup(k: Kernel, tty: Tty): void {
  tty.hungUp = true;
  for (const q of [...k.procs.values()]) {
    if (q.tty !== tty) continue;
    q.tty = null;
    if (q.sid === q.pid && q.state !== "zombie") {
      k.signalProcess(q, SIGHUP);
      k.signalProcess(q, SIGCONT);
    }
  }
  tty.session = tty.pgrp = null;
  tty.waiters.wakeAll();
}
