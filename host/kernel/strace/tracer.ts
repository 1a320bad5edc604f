// --strace: one line per system call of every guest process, as `strace -f`
// prints it. The dispatcher calls enter() before a handler and leave() after
// it; the kernel reports signals, exits and new processes. A call stays
// "pending" between the two: if another process prints meanwhile (the call
// blocked), its start is printed with "<unfinished ...>" and its end later as
// "<... name resumed>", the way strace interleaves processes.
import type { Core } from "../../core/core.js";
import type { Process } from "../process.js";
import { RESULT_REG } from "../abi.js";
import { ENOSYS, ERRNO_INFO } from "../errno.js";
import { BLOCKED } from "../fs/file.js";
import { NORETURN, type ArgType, type RestartKind, type RetType, type SysResult } from "../syscalls/types.js";
import { isOutput, printArg, printRank, resultNote, type ArgCtx } from "./args.js";
import type { Siginfo } from "../signal/siginfo.js";
import { siginfo, signalName } from "./signals.js";
import { argv as printArgv, quote } from "./values.js";
import { hex, octal } from "./xlat.js";

// One line of the trace. `result` is set on syscall lines: the printer pads
// the text to strace's column before " = result". `note` lines are messages
// strace prints only to its terminal output, never with -o.
export interface StraceLine {
  pid: number;
  text: string;
  result?: string;
  several: boolean; // more than one traced process existed when it was printed
  note?: boolean;
}

export type StraceSink = (line: StraceLine) => void;

const RESULT_COLUMN = 39;
// How strace shows a call a signal interrupted: the restart code the kernel returned.
const RESTART_RESULTS: Record<RestartKind, string> = {
  sa: "? ERESTARTSYS (To be restarted if SA_RESTART is set)",
  nohand: "? ERESTARTNOHAND (To be restarted if no handler)",
  block: "? ERESTART_RESTARTBLOCK (Interrupted by signal)",
  never: "-1 EINTR (Interrupted system call)",
};
const SIGKILL = 9;
const killedBy = (status: number) => status & 0x7f;
const ESP = 4;

// The line as `strace -f` writes it: "[pid  N] " once several processes exist,
// or "N     " before every line with -o FILE.
export function formatStraceLine(l: StraceLine, style: "stderr" | "file"): string {
  let s = l.note ? "" : style === "file" ? `${String(l.pid).padEnd(5)} ` : l.several ? `[pid ${String(l.pid).padStart(5)}] ` : "";
  s += l.text;
  if (l.result !== undefined) s = `${s.padEnd(RESULT_COLUMN)} = ${l.result}`;
  return s;
}

interface Line { text: string; last?: boolean }

interface Call {
  name: string;
  types: readonly ArgType[];
  ret: RetType;
  args: number[];
  entry: (string | null)[]; // input arguments, printed when the call started
  shown: boolean; // its start went out with "<unfinished ...>"
  deferred: Line[]; // lines about this process raised during the call (signals, its end)
}

export class Tracer {
  private calls = new Map<number, Call>();
  private live = 0;
  private mode = new Map<number, 32 | 64>(); // what strace last reported as the personality

  constructor(private core: Core, private sink: StraceSink) {}

  // pid 1's image was loaded: strace's first line is the execve that did it.
  spawned(p: Process, path: string, args: string[]): void {
    this.live++;
    const mem = p.mem, word = p.abi.word;
    // The new image's stack holds argc, argv[], NULL, envp[], NULL.
    const argvPtr = this.reg(p, ESP) + word;
    const envpPtr = argvPtr + (args.length + 1) * word;
    const envc = this.countWords(p, envpPtr);
    const text = `execve(${quote(new TextEncoder().encode(path))}, ${printArgv(mem, argvPtr, word)}, ` +
      `${hex(envpPtr)} /* ${envc} var${envc === 1 ? "" : "s"} */)`;
    this.emit(p.pid, text, "0");
    this.personality(p);
  }

  forked(parent: Process, child: Process): void {
    this.live++;
    this.mode.set(child.pid, this.mode.get(parent.pid) ?? 64);
    this.sink({ pid: child.pid, text: `strace: Process ${child.pid} attached`, several: true, note: true });
  }

  enter(p: Process, name: string, types: readonly ArgType[], ret: RetType | undefined, args: number[]): void {
    if (this.calls.has(p.pid)) return; // a blocked call running again
    this.interrupt(p.pid); // strace prints a call as it starts, so open calls of others end here
    const call: Call = { name, types, ret: ret ?? "dec", args, entry: [], shown: false, deferred: [] };
    const c = this.ctx(p, call, 0);
    for (let i = 0; i < types.length; i++) call.entry.push(isOutput(types[i]) ? null : printArg(types[i], args[i], { ...c, i }));
    this.calls.set(p.pid, call);
  }

  leave(p: Process, res: SysResult): void {
    const call = this.calls.get(p.pid);
    if (!call || res === BLOCKED) return;
    this.calls.delete(p.pid);
    let result: string;
    let value = 0;
    if (res === NORETURN) {
      // A process that ended in its own call: exit never returns, nor does a
      // call SIGKILL interrupts; another signal it sent itself (kill, raise)
      // is delivered after the call returned 0.
      if (p.state === "zombie") result = killedBy(p.waitStatus) && killedBy(p.waitStatus) !== SIGKILL ? "0" : "?";
      else {
        value = p.abi.word === 8 ? this.reg(p, RESULT_REG) : this.reg(p, RESULT_REG) | 0;
        result = this.result(value, call.ret);
      }
    } else {
      value = res;
      result = this.result(value, call.ret);
    }
    const c = this.ctx(p, call, value);
    const note = value >= 0 ? resultNote(call.types, c) : null;
    if (note) result = note;
    const parts = this.printArgs(call, c);
    if (call.shown) this.emit(p.pid, `<... ${call.name} resumed>${parts.slice(this.shownCount(call)).join(", ")})`, result);
    else this.emit(p.pid, `${call.name}(${parts.join(", ")})`, result);
    for (const d of call.deferred) this.emitOwn(p.pid, d);
    if (call.name.startsWith("execve") && value === 0 && p.state !== "zombie") this.personality(p);
  }

  // A syscall the tables lack: dispatch answers -ENOSYS.
  unknown(p: Process, name: string): void {
    this.emit(p.pid, `${name}()`, this.result(-ENOSYS, "dec"));
  }

  // A signal the process takes (or, ignored, drops): strace's "--- SIG... {...} ---".
  // Never SIGKILL: Linux kills through the group-exit path, which ptrace does not stop.
  signal(p: Process, info: Siginfo): void {
    if (info.signo === SIGKILL) return;
    this.own(p, { text: siginfo(info) });
  }

  // A signal cut p's blocked call short: the call ends with the kernel's restart code.
  interrupted(p: Process, kind: RestartKind): void {
    const call = this.calls.get(p.pid);
    if (!call) return;
    this.calls.delete(p.pid);
    const c = this.ctx(p, call, -1);
    const parts = this.printArgs(call, c);
    const text = call.shown ? `<... ${call.name} resumed>${parts.slice(this.shownCount(call)).join(", ")})` : `${call.name}(${parts.join(", ")})`;
    this.emit(p.pid, text, RESTART_RESULTS[kind]);
    for (const d of call.deferred) this.emitOwn(p.pid, d);
  }

  exited(p: Process, status: number): void {
    const call = this.calls.get(p.pid);
    const sig = status & 0x7f;
    const text = sig
      ? `+++ killed by ${signalName(sig)}${status & 0x80 ? " (core dumped)" : ""} +++`
      : `+++ exited with ${(status >> 8) & 0xff} +++`;
    if (call && p.state === "blocked" && p.restartSyscall) {
      // Killed while blocked in a call: the call never returns.
      this.calls.delete(p.pid);
      const head = call.shown ? `<... ${call.name} resumed>` : `${call.name}(${this.head(call).join(", ")}${this.sep(call)}`;
      this.emit(p.pid, `${head} <unfinished ...>)`, "?");
      for (const d of call.deferred) this.emitOwn(p.pid, d);
    }
    this.own(p, { text, last: true });
    this.mode.delete(p.pid);
  }

  // ---- internals -----------------------------------------------------------

  // A line about p itself (a signal, its end): during p's call it follows that call's line.
  private own(p: Process, line: Line): void {
    const call = this.calls.get(p.pid);
    if (call) call.deferred.push(line);
    else this.emitOwn(p.pid, line);
  }

  // The "+++" line is a process's last: strace forgets it after printing it.
  private emitOwn(pid: number, line: Line): void {
    this.emit(pid, line.text);
    if (line.last) this.live--;
  }

  private emit(pid: number, text: string, result?: string): void {
    this.interrupt(pid);
    this.sink({ pid, text, result, several: this.live > 1 });
  }

  // Another process prints: calls still open elsewhere go out as "<unfinished ...>".
  private interrupt(pid: number): void {
    for (const [other, call] of this.calls) {
      if (other === pid || call.shown) continue;
      call.shown = true;
      this.sink({ pid: other, text: `${call.name}(${this.head(call).join(", ")}${this.sep(call)} <unfinished ...>`, several: this.live > 1 });
    }
  }

  // What strace prints when a call starts: the arguments before the first output one.
  private head(call: Call): string[] {
    const order = this.order(call);
    const first = order.findIndex((i) => isOutput(call.types[i]));
    const upTo = first < 0 ? order : order.slice(0, first);
    return upTo.map((i) => call.entry[i]).filter((e): e is string => e !== null);
  }

  private shownCount(call: Call): number {
    return this.head(call).length;
  }

  // strace leaves ", " after the last argument printed at entry when more follow.
  private sep(call: Call): string {
    return this.head(call).length && call.types.some(isOutput) ? ", " : "";
  }

  private order(call: Call): number[] {
    return call.types.map((_, i) => i).sort((a, b) => printRank(call.types[a], a) - printRank(call.types[b], b));
  }

  private printArgs(call: Call, c: Omit<ArgCtx, "i">): string[] {
    const parts: string[] = [];
    for (const i of this.order(call)) {
      const s = isOutput(call.types[i]) ? printArg(call.types[i], call.args[i], { ...c, i }) : call.entry[i];
      if (s !== null) parts.push(s);
    }
    return parts;
  }

  private ctx(p: Process, call: Call, ret: number): Omit<ArgCtx, "i"> {
    return { mem: p.mem, word: p.abi.word, types: call.types, args: call.args, ret, entry: call.entry };
  }

  private result(v: number, ret: RetType): string {
    if (v < 0 && v > -4096) {
      const [name, msg] = ERRNO_INFO[-v] ?? [`E${-v}`, `errno ${-v}`];
      return `-1 ${name} (${msg})`;
    }
    if (ret === "hex") return hex(v >= 0 ? v : v + 2 ** 32);
    if (ret === "octal") return octal(v);
    return String(v);
  }

  // "[ Process PID=N runs in 32 bit mode. ]" when an exec changes the ABI.
  private personality(p: Process): void {
    const was = this.mode.get(p.pid) ?? 64;
    this.mode.set(p.pid, p.abi.mode);
    if (was !== p.abi.mode) {
      this.sink({ pid: p.pid, text: `[ Process PID=${p.pid} runs in ${p.abi.mode} bit mode. ]`, several: false, note: true });
    }
  }

  private reg(p: Process, r: number): number {
    return p.abi.word === 8 ? this.core.reg(p.cpu, r) : this.core.reg32(p.cpu, r);
  }

  private countWords(p: Process, va: number): number {
    let n = 0;
    while (p.mem.word(va + n * p.abi.word, p.abi.word)) n++;
    return n;
  }
}
