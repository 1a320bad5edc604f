// The x87 opcode space (d8..df).
import { REASON_UD } from "./layout";
import { fault } from "./cpu";

export function fpuOp(op: u32): void { fault(REASON_UD); }
