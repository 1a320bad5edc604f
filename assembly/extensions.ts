// The x87, MMX/SSE and 0f38/0f3a opcode spaces. Not implemented yet: every
// instruction here raises #UD, which the host reports as SIGILL with the
// address and bytes, and CPUID does not advertise them.
import { REASON_UD } from "./layout";
import { fault } from "./cpu";

export function fpuOp(op: u32): void { fault(REASON_UD); }
export function sseOp(op: u32): void { fault(REASON_UD); }
export function escape0f38(): void { fault(REASON_UD); }
export function escape0f3a(): void { fault(REASON_UD); }
