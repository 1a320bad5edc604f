// Plain values as strace prints them: addresses, quoted strings and buffers,
// string arrays (argv, envp).
import type { GuestMemory } from "../../core/memory.js";
import { hex } from "./xlat.js";

export const MAX_STRLEN = 32; // strace -s default: bytes of a buffer shown before "..."
const PATH_MAX = 4096;

export const addr = (v: number): string => (v === 0 ? "NULL" : hex(v));

// strace's string_quote: C escapes, octal for other non-printables (three
// digits when a digit follows, so the escape stays unambiguous).
export function quote(bytes: Uint8Array, forceHex = false): string {
  let s = '"';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (forceHex) { s += `\\x${c.toString(16).padStart(2, "0")}`; continue; }
    switch (c) {
      case 0x22: s += '\\"'; break;
      case 0x5c: s += "\\\\"; break;
      case 0x0c: s += "\\f"; break;
      case 0x0a: s += "\\n"; break;
      case 0x0d: s += "\\r"; break;
      case 0x09: s += "\\t"; break;
      case 0x0b: s += "\\v"; break;
      default:
        if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
        else {
          const next = bytes[i + 1];
          const digitFollows = i + 1 < bytes.length && next >= 0x30 && next <= 0x37;
          s += "\\" + (digitFollows ? c.toString(8).padStart(3, "0") : c.toString(8));
        }
    }
  }
  return s + '"';
}

// A buffer of len bytes at va: the first 32 quoted, "..." when there are more.
export function buffer(mem: GuestMemory, va: number, len: number, forceHex = false): string {
  if (!va) return "NULL";
  const shown = Math.min(Math.max(len, 0), MAX_STRLEN);
  const b = mem.read(va, shown);
  if (!b) return addr(va);
  return quote(b, forceHex) + (len > MAX_STRLEN ? "..." : "");
}

// A NUL-terminated string, cut at max bytes with "...".
export function cstring(mem: GuestMemory, va: number, max = MAX_STRLEN): string {
  if (!va) return "NULL";
  const b = mem.read(va, 1) ? mem.cstringBytes(va, max) : null;
  if (b) return quote(b);
  const head = mem.read(va, max);
  return head ? quote(head) + "..." : addr(va);
}

export const path = (mem: GuestMemory, va: number): string => cstring(mem, va, PATH_MAX);

// The strings of a NULL-terminated pointer array (argv): at most 32 shown.
function stringArray(mem: GuestMemory, va: number, word: number): string[] | null {
  const out: string[] = [];
  for (let i = 0; ; i++) {
    const p = mem.word(va + i * word, word);
    if (p === null) return null;
    if (p === 0) return out;
    if (i === MAX_STRLEN) { out.push("..."); return out; }
    out.push(cstring(mem, p));
  }
}

export function argv(mem: GuestMemory, va: number, word: number): string {
  if (!va) return "NULL";
  const a = stringArray(mem, va, word);
  return a ? `[${a.join(", ")}]` : addr(va);
}

// envp is abbreviated: its address and how many variables it holds.
export function envp(mem: GuestMemory, va: number, word: number): string {
  if (!va) return "NULL";
  let n = 0;
  for (;; n++) {
    const p = mem.word(va + n * word, word);
    if (p === null) return addr(va);
    if (p === 0) break;
  }
  return `${addr(va)} /* ${n} var${n === 1 ? "" : "s"} */`;
}
