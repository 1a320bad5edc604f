// siginfo_t: what the kernel knows about one signal, and its 128-byte layout
// per ABI. The union starts at 12 on i386 and at 16 on x86-64 (pointer
// alignment); its members differ by where the signal came from.

export const SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TKILL = -6;
export const CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_STOPPED = 5, CLD_CONTINUED = 6;
export const SEGV_MAPERR = 1, SEGV_ACCERR = 2, ILL_ILLOPN = 2, FPE_INTDIV = 1;
export const SIGINFO_SIZE = 128;

export type SiginfoKind =
  | "kill" // si_pid, si_uid
  | "rt" // si_pid, si_uid, si_value
  | "chld" // si_pid, si_uid, si_status, si_utime, si_stime
  | "fault" // si_addr
  | "kernel"; // nothing beyond signo/code (SI_KERNEL)

export interface Siginfo {
  signo: number;
  code: number;
  kind: SiginfoKind;
  errno?: number;
  pid?: number;
  uid?: number;
  status?: number;
  addr?: number;
  value?: bigint;
  // For faults: what the sigcontext reports (trapno, err, cr2).
  trapno?: number;
  err?: number;
}

export function encodeSiginfo(info: Siginfo, word: 4 | 8): Uint8Array {
  const b = new Uint8Array(SIGINFO_SIZE);
  const dv = new DataView(b.buffer);
  dv.setInt32(0, info.signo, true);
  dv.setInt32(4, info.errno ?? 0, true);
  dv.setInt32(8, info.code, true);
  const u = word === 4 ? 12 : 16;
  const putWord = (off: number, v: bigint) => {
    if (word === 4) dv.setUint32(off, Number(BigInt.asUintN(32, v)), true);
    else dv.setBigUint64(off, BigInt.asUintN(64, v), true);
  };
  switch (info.kind) {
    case "fault":
      putWord(u, BigInt(info.addr ?? 0));
      break;
    case "kill": case "rt": case "chld":
      dv.setInt32(u, info.pid ?? 0, true);
      dv.setUint32(u + 4, info.uid ?? 0, true);
      if (info.kind === "rt") putWord(u + 8, info.value ?? 0n);
      if (info.kind === "chld") dv.setInt32(u + 8, info.status ?? 0, true); // utime, stime stay 0
      break;
    case "kernel":
      break;
  }
  return b;
}

// A siginfo from user space (rt_sigqueueinfo): read as the _rt member.
export function decodeSiginfo(b: Uint8Array, word: 4 | 8): Siginfo {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u = word === 4 ? 12 : 16;
  return {
    signo: dv.getInt32(0, true),
    errno: dv.getInt32(4, true),
    code: dv.getInt32(8, true),
    kind: "rt",
    pid: dv.getInt32(u, true),
    uid: dv.getUint32(u + 4, true),
    value: word === 4 ? BigInt(dv.getUint32(u + 8, true)) : dv.getBigUint64(u + 8, true),
  };
}
