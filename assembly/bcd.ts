// The BCD adjusts (daa das aaa aas aam aad) and salc: 32-bit mode only.
import { AF, CF, OF, getAF, getCF, getFlags, setFlags, setResultFlags } from "./flags";
import { fault, rget32, rset } from "./cpu";
import { REASON_DE } from "./layout";

const RAX: u32 = 0;

export function bcd(op: u32, imm: u32): void {
  let ax = rget32(RAX) & 0xffff;
  let al = ax & 0xff;
  let ah = ax >> 8;
  switch (op) {
    case 0x27: case 0x2f: { // daa / das
      let cf = getCF(), af = getAF();
      let oldAl = al;
      let newCf = false, newAf = false;
      let sub = op == 0x2f;
      if ((al & 0xf) > 9 || af) {
        al = sub ? (al - 6) & 0xff : (al + 6) & 0xff;
        newCf = cf || (sub ? oldAl < 6 : oldAl + 6 > 0xff);
        newAf = true;
      }
      if (oldAl > 0x99 || cf) {
        al = sub ? (al - 0x60) & 0xff : (al + 0x60) & 0xff;
        newCf = true;
      }
      rset(1, RAX, <u64>al, false);
      // OF is undefined; compute it as Intel cores do (signed overflow ovf the adjustment).
      let ovf = sub ? ((oldAl & 0x80) != 0 && (al & 0x80) == 0) : ((oldAl & 0x80) == 0 && (al & 0x80) != 0);
      setResultFlags(1, <u64>al, (newCf ? CF : 0) | (newAf ? AF : 0) | (ovf ? OF : 0));
      return;
    }
    case 0x37: case 0x3f: { // aaa / aas
      if ((al & 0xf) > 9 || getAF()) {
        if (op == 0x37) { ax = (ax + 0x106) & 0xffff; }
        else { ax = (ax - 6) & 0xffff; ax = (ax - 0x100) & 0xffff; }
        ax &= 0xff0f;
        rset(2, RAX, <u64>ax, false);
        setFlags(getFlags() | AF | CF);
      } else {
        rset(2, RAX, <u64>(ax & 0xff0f), false);
        setFlags(getFlags() & ~(AF | CF));
      }
      return;
    }
    case 0xd4: { // aam
      if (imm == 0) { fault(REASON_DE); return; }
      ah = al / imm; al = al % imm;
      rset(2, RAX, <u64>((ah << 8) | al), false);
      setResultFlags(1, <u64>al, 0);
      return;
    }
    case 0xd5: { // aad
      al = (al + ah * imm) & 0xff;
      rset(2, RAX, <u64>al, false);
      setResultFlags(1, <u64>al, 0);
      return;
    }
    default: // salc
      rset(1, RAX, getCF() ? 0xff : 0, false);
  }
}
