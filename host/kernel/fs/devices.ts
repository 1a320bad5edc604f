// /dev: the character devices a program expects, and the stdio links.
import { ENOSPC, ENXIO } from "../errno.js";
import type { HostStat, Platform } from "../../platform/platform.js";
import { OpenFile } from "./file.js";
import { DeviceNode, fixedChildren, SynthDir, SynthSymlink } from "./synth.js";
import type { Ptys } from "../tty/pty.js";

const mkdev = (major: number, minor: number) => (major << 8) | minor;

// /dev/null, /dev/zero, /dev/full, /dev/urandom: reads and writes never block; seeks always succeed at 0.
class CharFile extends OpenFile {
  constructor(flags: number, path: string, private fill: ((b: Uint8Array) => void) | null, private writeErr: number) {
    super(flags, path);
  }
  read(len: number): Uint8Array {
    const b = new Uint8Array(this.fill ? len : 0);
    this.fill?.(b);
    return b;
  }
  pread(len: number): Uint8Array { return this.read(len); }
  write(data: Uint8Array): number { return this.writeErr || data.length; }
  pwrite(data: Uint8Array): number { return this.write(data); }
  seek(): number { return (this.offset = 0); }
  stat(): HostStat { return this.node!.stat(); }
}

// The terminal devices: /dev/tty (the caller's controlling terminal), /dev/console, ptys.
export interface Terminals {
  tty(flags: number, pid: number): OpenFile | null;
  console(flags: number): OpenFile | null;
  ptys: Ptys;
}

export function devDir(platform: Platform, terms: Terminals): SynthDir {
  const zeros = (b: Uint8Array) => b.fill(0);
  const random = (b: Uint8Array) => platform.randomBytes(b);
  const char = (minor: number, fill: ((b: Uint8Array) => void) | null, err = 0) =>
    new DeviceNode(mkdev(1, minor), (flags, path) => new CharFile(flags, path, fill, err));
  return new SynthDir(fixedChildren({
    null: char(3, null),
    zero: char(5, zeros),
    full: char(7, zeros, -ENOSPC),
    random: char(8, random),
    urandom: char(9, random),
    tty: new DeviceNode(mkdev(5, 0), (flags, _path, who) => terms.tty(flags, who.pid) ?? -ENXIO),
    console: new DeviceNode(mkdev(5, 1), (flags) => terms.console(flags) ?? -ENXIO, 0o600),
    ptmx: terms.ptys.ptmx(),
    pts: new SynthDir(fixedChildren({}), () => 1, 0o755),
    stdin: new SynthSymlink(() => "/proc/self/fd/0"),
    stdout: new SynthSymlink(() => "/proc/self/fd/1"),
    stderr: new SynthSymlink(() => "/proc/self/fd/2"),
    fd: new SynthSymlink(() => "/proc/self/fd"),
  }), () => 1, 0o755);
}
