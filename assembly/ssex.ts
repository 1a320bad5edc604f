// The 0f38 and 0f3a opcode maps: the opcode byte and the mandatory prefix
// pick the instruction (SSSE3, SSE4.1, SSE4.2); anything else, and any of
// them with a LOCK prefix, is #UD.
import { REASON_UD } from "./layout";
import { fault, invalidOpcode } from "./cpu";
import { fetch8, lockPrefix } from "./decode";
import { PFX_66, PFX_F2, PFX_NONE, mandatoryPrefix } from "./sse";
import { isSsse3, palignr, ssse3 } from "./ssse3";
import { sse41Op38, sse41Op3a } from "./sse41";
import { dotProduct, insertps, roundFp } from "./sse41fp";
import { crc32, pcmpStr } from "./sse42";

export function escape0f38(): void {
  let op = fetch8();
  let p = mandatoryPrefix();
  if (lockPrefix) { invalidOpcode(); return; }
  if (op == 0xf0 || op == 0xf1) { if (p == PFX_F2) crc32(op); else fault(REASON_UD); return; } // movbe is not advertised
  if (isSsse3(op) && p <= PFX_66) { ssse3(op, p == PFX_NONE); return; }
  if (p == PFX_66) { sse41Op38(op); return; }
  fault(REASON_UD);
}

export function escape0f3a(): void {
  let op = fetch8();
  let p = mandatoryPrefix();
  if (lockPrefix) { invalidOpcode(); return; }
  if (op == 0x0f && p <= PFX_66) { palignr(p == PFX_NONE); return; }
  if (p != PFX_66) { fault(REASON_UD); return; }
  if (op >= 0x08 && op <= 0x0b) { roundFp(op); return; }
  if (op == 0x40 || op == 0x41) { dotProduct(op); return; }
  if (op == 0x21) { insertps(); return; }
  if (op >= 0x60 && op <= 0x63) { pcmpStr(op); return; }
  if (!sse41Op3a(op)) fault(REASON_UD);
}
