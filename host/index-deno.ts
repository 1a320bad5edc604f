// The library under Deno: as index.ts, with the host's filesystem (through
// Deno's own APIs) as the default.
import { createMachine as create, type Machine, type MachineOptions } from "./api/machine.js";
import { denoFs } from "./platform/deno.js";

export * from "./index.js";
export { denoFs as hostFs, denoStdio as hostStdio } from "./platform/deno.js";

export function createMachine(options: Partial<MachineOptions> = {}): Promise<Machine> {
  return create({ fs: denoFs(), ...options });
}
