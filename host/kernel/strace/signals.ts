// Signals as strace prints them: names, sets, struct sigaction, siginfo and
// wait statuses.
import type { GuestMemory } from "../../core/memory.js";
import { SIGNAL_NAMES } from "../signals.js";
import { addr } from "./values.js";
import { flags, hex, SA_FLAGS } from "./xlat.js";

const SIGRTMIN = 32; // the kernel's; glibc reserves the first two

// "SIGCHLD"; real-time signals as SIGRTMIN, SIGRT_1...; others as numbers.
export function signalName(sig: number): string {
  if (sig > 0 && sig < SIGRTMIN) return SIGNAL_NAMES[sig];
  if (sig === SIGRTMIN) return "SIGRTMIN";
  if (sig > SIGRTMIN && sig <= 64) return `SIGRT_${sig - SIGRTMIN}`;
  return String(sig);
}

// A 64-signal set: [CHLD TSTP]; more than half set prints the complement as ~[...].
export function sigset(bits: bigint): string {
  let count = 0;
  for (let s = 0n; s < 64n; s++) if (bits & (1n << s)) count++;
  const negate = count > 32;
  const shown = negate ? ~bits & 0xffffffffffffffffn : bits;
  const names: string[] = [];
  for (let s = 1; s <= 64; s++) if (shown & (1n << BigInt(s - 1))) names.push(signalName(s).replace(/^SIG/, ""));
  return `${negate ? "~" : ""}[${names.join(" ")}]`;
}

// The kernel's sigset_t: 8 bytes on both ABIs.
export function readSigset(mem: GuestMemory, va: number): string {
  if (!va) return "NULL";
  const b = mem.read(va, 8);
  if (!b) return addr(va);
  let bits = 0n;
  for (let i = b.length - 1; i >= 0; i--) bits = (bits << 8n) | BigInt(b[i]);
  return sigset(bits);
}

const SIG_HANDLERS: Record<number, string> = { 0: "SIG_DFL", 1: "SIG_IGN" };
const SA_RESTORER = 0x04000000;

// The kernel's struct sigaction: handler, flags, restorer (words), then the mask.
export function sigaction(mem: GuestMemory, va: number, word: 4 | 8): string {
  if (!va) return "NULL";
  const b = mem.read(va, word * 3 + 8);
  if (!b) return addr(va);
  const dv = new DataView(b.buffer);
  const w = (o: number) => (word === 4 ? dv.getUint32(o, true) : Number(dv.getBigUint64(o, true)));
  const handler = w(0), saFlags = dv.getUint32(word, true), restorer = w(word * 2);
  const mask = dv.getBigUint64(word * 3, true);
  let s = `{sa_handler=${SIG_HANDLERS[handler] ?? hex(handler)}, sa_mask=${sigset(mask)}, sa_flags=${flags(saFlags, SA_FLAGS)}`;
  if (saFlags & SA_RESTORER) s += `, sa_restorer=${addr(restorer)}`;
  return s + "}";
}

// [{WIFEXITED(s) && WEXITSTATUS(s) == 3}] and the other wait-status shapes.
export function waitStatus(st: number): string {
  const sig = st & 0x7f;
  let s: string;
  if (sig === 0) s = `WIFEXITED(s) && WEXITSTATUS(s) == ${(st >> 8) & 0xff}`;
  else if ((st & 0xffff) === 0xffff) s = "WIFCONTINUED(s)";
  else if (sig === 0x7f) s = `WIFSTOPPED(s) && WSTOPSIG(s) == ${signalName((st >> 8) & 0xff)}`;
  else s = `WIFSIGNALED(s) && WTERMSIG(s) == ${signalName(sig)}${st & 0x80 ? " && WCOREDUMP(s)" : ""}`;
  return `[{${s}}]`;
}

// What the kernel says about a signal it sends (the siginfo strace shows in
// "--- SIGCHLD {...} ---" lines).
export type SigInfo =
  | { signo: number; code: "SI_USER" | "SI_TKILL"; pid: number; uid: number }
  | { signo: number; code: "CLD_EXITED" | "CLD_KILLED" | "CLD_DUMPED"; pid: number; uid: number; status: number }
  | { signo: number; code: string; addr: number | null };

export function siginfo(i: SigInfo): string {
  let s = `si_signo=${signalName(i.signo)}, si_code=${i.code}`;
  if ("status" in i) {
    const status = i.code === "CLD_EXITED" ? String(i.status) : signalName(i.status);
    s += `, si_pid=${i.pid}, si_uid=${i.uid}, si_status=${status}, si_utime=0, si_stime=0`;
  } else if ("pid" in i) s += `, si_pid=${i.pid}, si_uid=${i.uid}`;
  else if (i.addr !== null) s += `, si_addr=${addr(i.addr)}`;
  return `--- ${signalName(i.signo)} {${s}} ---`;
}
