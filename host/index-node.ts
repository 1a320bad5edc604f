// The library under Node: as index.ts, with the host's filesystem as the
// default (guest paths are host paths).
import { createMachine as create, type Machine, type MachineOptions } from "./api/machine.js";
import { nodeFs, nodeServices } from "./platform/node.js";

export * from "./index.js";
export { nodeFs as hostFs, nodeStdio as hostStdio } from "./platform/node.js";

export function createMachine(options: Partial<MachineOptions> = {}): Promise<Machine> {
  return create({ fs: nodeFs(), services: nodeServices(), ...options });
}
