// The 0f38 and 0f3a opcode maps (SSSE3, SSE4.1, SSE4.2).
import { REASON_UD } from "./layout";
import { fault } from "./cpu";

export function escape0f38(): void { fault(REASON_UD); }
export function escape0f3a(): void { fault(REASON_UD); }
