// Signal frames by ABI: building one for a handler and reading it back at sigreturn.
import type { Core } from "../../core/core.js";
import type { Process } from "../process.js";
import { setupFrameI386, sigreturnI386 } from "./frame-i386.js";
import { setupFrameX8664, sigreturnX8664 } from "./frame-x86-64.js";
import type { Siginfo } from "./siginfo.js";
import type { SigAction } from "./state.js";

export interface FrameRequest {
  sig: number;
  act: SigAction;
  info: Siginfo;
  mask: bigint; // the mask sigreturn reinstates
}

// What sigreturn hands back after restoring the registers.
export interface Sigreturn {
  mask: bigint;
  altStack: { sp: number; flags: number; size: number } | null; // rt frames record uc_stack
}

// Build the frame and point the registers at the handler; false if the stack cannot take it.
export function setupFrame(core: Core, p: Process, r: FrameRequest): boolean {
  return p.abi.word === 4 ? setupFrameI386(core, p, r) : setupFrameX8664(core, p, r);
}

// rt: rt_sigreturn rather than the i386 non-rt sigreturn. null for a bad frame.
export function readFrame(core: Core, p: Process, rt: boolean): Sigreturn | null {
  return p.abi.word === 4 ? sigreturnI386(core, p, rt) : sigreturnX8664(core, p);
}
