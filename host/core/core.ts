// The Wasm core, typed. Memory views are refreshed whenever the core grows
// its memory (growth detaches the old ArrayBuffer).
import wasmBytes from "../../build/core.wasm";
import { CPU_REGS, CPU_RIP, JIT_QUEUE, JIT_QUEUE_ITEM } from "../../assembly/layout.js";

export interface CoreExports {
  memory: WebAssembly.Memory;
  run(task: number, budget: number): number;
  cpuNew(mode: number): number;
  cpuFree(p: number): void;
  cpuCopy(dst: number, src: number): void;
  cpuGetFlags(p: number): number;
  cpuSetFlags(p: number, v: number): void;
  addressSpaceNew(levels: number): number;
  addressSpaceClone(as: number): number;
  addressSpaceFree(as: number): void;
  addressSpaceMap(as: number, va: number, len: number, prot: number): number;
  addressSpaceUnmap(as: number, va: number, len: number): void;
  addressSpaceMove(as: number, from: number, to: number, len: number): number;
  addressSpaceProtect(as: number, va: number, len: number, prot: number): void;
  addressSpaceEnsure(as: number, va: number, len: number, write: number): number;
  statFramesUsed(): number;
  statFramesPeak(): number;
  statCowCopies(): number;
  statRetired(): number;
  // The block compiler (assembly/jit.ts): the table its functions go into,
  // and what the generated modules import.
  table: WebAssembly.Table;
  blockInstall(request: number, index: number): void;
  blockQueueDone(): void;
  jitRead: WebAssembly.ExportValue;
  jitWrite: WebAssembly.ExportValue;
  jitCond: WebAssembly.ExportValue;
  jitImul: WebAssembly.ExportValue;
  ip: WebAssembly.Global;
  insnStart: WebAssembly.Global;
  stopped: WebAssembly.Global;
  lazyOp: WebAssembly.Global;
  lazySize: WebAssembly.Global;
  lazyA: WebAssembly.Global;
  lazyB: WebAssembly.Global;
  lazyRes: WebAssembly.Global;
  branched: WebAssembly.Global;
  tlbKey: WebAssembly.Global;
}

let compiled: WebAssembly.Module | null = null;

export class Core {
  readonly x: CoreExports;
  private buffer: ArrayBuffer;
  private u8view: Uint8Array;
  private dview: DataView;

  private constructor(instance: WebAssembly.Instance) {
    this.x = instance.exports as unknown as CoreExports;
    this.buffer = this.x.memory.buffer;
    this.u8view = new Uint8Array(this.buffer);
    this.dview = new DataView(this.buffer);
  }

  // Execute a task (see assembly/interp.ts run), then compile the blocks the
  // core asked for meanwhile (assembly/jit.ts): one small module each, its
  // function added to the core's table.
  run(cpu: number, budget: number): number {
    const reason = this.x.run(cpu, budget);
    if (this.u32(JIT_QUEUE) !== 0) this.compileBlocks();
    return reason;
  }

  private blockImports: WebAssembly.Imports | null = null;

  private compileBlocks(): void {
    const x = this.x;
    this.blockImports ??= {
      m: { mem: x.memory },
      g: {
        ip: x.ip, is: x.insnStart, stop: x.stopped, op: x.lazyOp, sz: x.lazySize, a: x.lazyA, b: x.lazyB,
        r: x.lazyRes, br: x.branched, key: x.tlbKey,
      },
      f: { rd: x.jitRead, wr: x.jitWrite, cc: x.jitCond, mul: x.jitImul },
    };
    const n = this.u32(JIT_QUEUE);
    for (let i = 0; i < n; i++) {
      const item = JIT_QUEUE + 8 + i * JIT_QUEUE_ITEM;
      const code = this.u32(item + 12);
      let fn: WebAssembly.ExportValue;
      try {
        const bytes = this.u8.slice(code, code + this.u32(item + 16));
        fn = new WebAssembly.Instance(new WebAssembly.Module(bytes), this.blockImports).exports.b;
      } catch {
        continue; // a block that does not compile stays interpreted
      }
      const index = this.x.table.grow(1);
      this.x.table.set(index, fn);
      this.x.blockInstall(i, index);
    }
    this.x.blockQueueDone();
  }

  static async create(): Promise<Core> {
    compiled ??= await WebAssembly.compile(wasmBytes as BufferSource);
    return new Core(await WebAssembly.instantiate(compiled, {}));
  }

  get u8(): Uint8Array { this.refresh(); return this.u8view; }
  get dv(): DataView { this.refresh(); return this.dview; }

  // Growth detaches the old buffer (its length drops to 0), which is cheaper
  // to test than fetching memory.buffer on every access.
  private refresh(): void {
    if (this.buffer.byteLength === 0) {
      this.buffer = this.x.memory.buffer;
      this.u8view = new Uint8Array(this.buffer);
      this.dview = new DataView(this.buffer);
    }
  }

  // Registers as numbers: exact for values below 2^53, which covers every
  // user-space address; full 64-bit values go through the bigint forms.
  reg(cpu: number, r: number): number {
    const dv = this.dv;
    const p = cpu + CPU_REGS + r * 8;
    return dv.getUint32(p, true) + dv.getUint32(p + 4, true) * 0x100000000;
  }
  reg32(cpu: number, r: number): number { return this.dv.getUint32(cpu + CPU_REGS + r * 8, true); }
  setReg(cpu: number, r: number, v: number): void { this.setU64(cpu + CPU_REGS + r * 8, v); }
  regBig(cpu: number, r: number): bigint { return this.dv.getBigUint64(cpu + CPU_REGS + r * 8, true); }
  setRegBig(cpu: number, r: number, v: bigint): void { this.dv.setBigUint64(cpu + CPU_REGS + r * 8, BigInt.asUintN(64, v), true); }
  ip(cpu: number): number { return this.u64(cpu + CPU_RIP); }
  setIp(cpu: number, v: number): void { this.setU64(cpu + CPU_RIP, v); }

  u32(addr: number): number { return this.dv.getUint32(addr, true); }
  setU32(addr: number, v: number): void { this.dv.setUint32(addr, v >>> 0, true); }
  u64(addr: number): number {
    const dv = this.dv;
    return dv.getUint32(addr, true) + dv.getUint32(addr + 4, true) * 0x100000000;
  }
  // Accepts negative numbers as two's complement (>>> 0 takes an integer modulo 2^32).
  setU64(addr: number, v: number): void {
    const dv = this.dv;
    const n = Math.trunc(v);
    dv.setUint32(addr, n >>> 0, true);
    dv.setUint32(addr + 4, Math.floor(n / 0x100000000) >>> 0, true);
  }
  // A register as a signed 64-bit number (exact below 2^53 in magnitude).
  regSigned(cpu: number, r: number): number {
    const dv = this.dv;
    const p = cpu + CPU_REGS + r * 8;
    return dv.getInt32(p + 4, true) * 0x100000000 + dv.getUint32(p, true);
  }
}
