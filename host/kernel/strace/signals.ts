// Signals as strace prints them: names, sets, struct sigaction, siginfo and
// wait statuses.
import type { GuestMemory } from "../../core/memory.js";
import type { Siginfo } from "../signal/siginfo.js";
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

// si_code names by signal (positive codes), and the ones any signal may carry.
const SI_CODES: Record<number, string> = { 0: "SI_USER", 0x80: "SI_KERNEL", [-1]: "SI_QUEUE", [-2]: "SI_TIMER",
  [-3]: "SI_MESGQ", [-4]: "SI_ASYNCIO", [-5]: "SI_SIGIO", [-6]: "SI_TKILL" };
const FAULT_CODES: Record<number, string[]> = {
  4: ["ILL_ILLOPC", "ILL_ILLOPN", "ILL_ILLADR", "ILL_ILLTRP", "ILL_PRVOPC", "ILL_PRVREG", "ILL_COPROC", "ILL_BADSTK"],
  8: ["FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV", "FPE_FLTOVF", "FPE_FLTUND", "FPE_FLTRES", "FPE_FLTINV", "FPE_FLTSUB"],
  11: ["SEGV_MAPERR", "SEGV_ACCERR"],
  7: ["BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR"],
  5: ["TRAP_BRKPT", "TRAP_TRACE"],
  17: ["CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED"],
};
const SIGCHLD = 17, CLD_EXITED = 1;
const ADDR_SIGNALS = [4, 7, 8, 11]; // SIGILL, SIGBUS, SIGFPE, SIGSEGV: si_addr

function codeName(signo: number, code: number): string {
  if (code <= 0 || code === 0x80) return SI_CODES[code] ?? String(code);
  return FAULT_CODES[signo]?.[code - 1] ?? String(code);
}

// "--- SIGCHLD {...} ---", as strace prints a signal's siginfo: the sender for
// codes from user space, else the fields that signal's si_code carries.
export function siginfo(i: Siginfo): string {
  let s = `si_signo=${signalName(i.signo)}, si_code=${codeName(i.signo, i.code)}`;
  if (i.code <= 0) {
    s += `, si_pid=${i.pid ?? 0}, si_uid=${i.uid ?? 0}`;
    if (i.kind === "rt") s += `, si_int=${Number(BigInt.asIntN(32, i.value ?? 0n))}, si_ptr=${addr(Number(i.value ?? 0n))}`;
  } else if (i.signo === SIGCHLD && i.kind === "chld") {
    const status = i.code === CLD_EXITED ? String(i.status ?? 0) : signalName(i.status ?? 0);
    s += `, si_pid=${i.pid ?? 0}, si_uid=${i.uid ?? 0}, si_status=${status}, si_utime=0, si_stime=0`;
  } else if (ADDR_SIGNALS.includes(i.signo)) s += `, si_addr=${addr(i.addr ?? 0)}`;
  return `--- ${signalName(i.signo)} {${s}} ---`;
}
