// Shifts and rotates (group 2: rol ror rcl rcr shl shr sal sar), shld, shrd.
// Flags follow the Intel SDM; where it calls OF undefined for counts > 1 we
// compute it as for a count ovf 1, as current Intel cores do.
import { CF, OF, getCF, getFlags, setFlags, setResultFlags, signBit, sizeMask } from "./flags";

@inline function bits(size: u32): u32 { return size << 3; }

// Masked count: 5 bits, 6 for 64-bit operands.
@inline export function shiftCount(size: u32, n: u64): u32 {
  return <u32>n & (size == 8 ? 63 : 31);
}

export function shiftOp(op: u32, size: u32, v: u64, count: u32): u64 {
  let m = sizeMask(size);
  let w = bits(size);
  let sb = signBit(size);
  v &= m;
  if (count == 0) return v;
  let r: u64 = v;
  let c: u32 = 0;
  switch (op & 7) {
    case 0: { // rol
      let n = count % w;
      r = n ? ((v << n) | (v >> (w - n))) & m : v;
      c = <u32>(r & 1);
      rotateFlags(c, ((r & sb) != 0) != (c != 0));
      return r;
    }
    case 1: { // ror
      let n = count % w;
      r = n ? ((v >> n) | (v << (w - n))) & m : v;
      c = (r & sb) != 0 ? 1 : 0;
      rotateFlags(c, ((r & sb) != 0) != ((r & (sb >> 1)) != 0));
      return r;
    }
    case 2: { // rcl: rotate through CF, a (w+1)-bit rotation
      let n = w < 32 ? count % (w + 1) : count;
      let cf: u64 = getCF() ? 1 : 0;
      for (let i: u32 = 0; i < n; i++) {
        let out = (r & sb) != 0 ? 1 : 0;
        r = ((r << 1) | cf) & m;
        cf = out;
      }
      rotateFlags(<u32>cf, ((r & sb) != 0) != (cf != 0));
      return r;
    }
    case 3: { // rcr
      let n = w < 32 ? count % (w + 1) : count;
      let cf: u64 = getCF() ? 1 : 0;
      let ovf = ((r & sb) != 0) != (cf != 0);
      for (let i: u32 = 0; i < n; i++) {
        let out = r & 1;
        r = (r >> 1) | (cf ? sb : 0);
        cf = out;
      }
      rotateFlags(<u32>cf, ovf);
      return r;
    }
    case 4: case 6: { // shl / sal
      if (count < w) { r = (v << count) & m; c = <u32>((v >> (w - count)) & 1); }
      else { r = 0; c = count == w ? <u32>(v & 1) : 0; }
      setResultFlags(size, r, (c ? CF : 0) | (((r & sb) != 0) != (c != 0) ? OF : 0));
      return r;
    }
    case 5: { // shr
      if (count < w) { r = v >> count; c = <u32>((v >> (count - 1)) & 1); }
      else { r = 0; c = count == w ? <u32>((v >> (w - 1)) & 1) : 0; }
      setResultFlags(size, r, (c ? CF : 0) | ((v & sb) != 0 ? OF : 0));
      return r;
    }
    default: { // sar
      let s = <i64>(v << (64 - w)) >> (64 - w); // sign-extended to 64
      let n = count < w ? count : w - 1;
      r = <u64>(s >> n) & m;
      c = <u32>((<u64>(s >> (n - 1))) & 1);
      if (count >= w) c = (v & sb) != 0 ? 1 : 0;
      setResultFlags(size, r, c ? CF : 0);
      return r;
    }
  }
}

// Rotates change only CF and OF.
function rotateFlags(c: u32, ovf: bool): void {
  setFlags((getFlags() & ~(CF | OF)) | (c ? CF : 0) | (ovf ? OF : 0));
}

// shld dst, src, count: shift dst left, filling from src's high bits.
export function shld(size: u32, dst: u64, src: u64, count: u32): u64 {
  let m = sizeMask(size);
  let w = bits(size);
  dst &= m; src &= m;
  if (count == 0) return dst;
  let r: u64;
  let c: u32;
  if (count <= w) {
    r = count == w ? src : ((dst << count) | (src >> (w - count))) & m;
    c = <u32>((dst >> (w - count)) & 1);
  } else { // 16-bit operands with counts 17..31: undefined; behave as a 32-bit funnel
    let n = count - w;
    r = ((src << n) | (dst >> (w - n))) & m;
    c = <u32>((src >> (w - n)) & 1);
  }
  let sb = signBit(size);
  setResultFlags(size, r, (c ? CF : 0) | (((r ^ dst) & sb) != 0 ? OF : 0));
  return r;
}

// shrd dst, src, count: shift dst right, filling from src's low bits.
export function shrd(size: u32, dst: u64, src: u64, count: u32): u64 {
  let m = sizeMask(size);
  let w = bits(size);
  dst &= m; src &= m;
  if (count == 0) return dst;
  let r: u64;
  let c: u32;
  if (count <= w) {
    r = count == w ? src : ((dst >> count) | (src << (w - count))) & m;
    c = <u32>((dst >> (count - 1)) & 1);
  } else {
    let n = count - w;
    r = ((src >> n) | (dst << (w - n))) & m;
    c = <u32>((src >> (n - 1)) & 1);
  }
  let sb = signBit(size);
  setResultFlags(size, r, (c ? CF : 0) | (((r ^ dst) & sb) != 0 ? OF : 0));
  return r;
}

