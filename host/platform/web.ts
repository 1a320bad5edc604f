// Host services from web-standard APIs alone: what a browser offers, and
// Node and Deno offer too.
import type { HostServices } from "./platform.js";

// A macrotask without setTimeout's 4 ms clamp on nested timers. A channel per
// yield (one every ~20 ms of guest work) holds no event loop open afterwards.
function yieldMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => { port1.close(); resolve(); };
    port2.postMessage(0);
  });
}

const MAX_TIMEOUT = 0x7fffffff; // setTimeout's limit in ms

// setTimeout for any delay (an alarm may be days away), cancellable.
export function longTimer(ms: number, fn: () => void): () => void {
  let handle: ReturnType<typeof setTimeout>;
  const arm = (left: number) => {
    handle = setTimeout(() => (left > MAX_TIMEOUT ? arm(left - MAX_TIMEOUT) : fn()), Math.min(left, MAX_TIMEOUT));
  };
  arm(ms);
  return () => clearTimeout(handle);
}

export function webServices(): HostServices {
  return {
    nowMs: () => Date.now(),
    monotonicNs: () => BigInt(Math.round(performance.now() * 1e6)),
    randomBytes(buf) {
      for (let i = 0; i < buf.length; i += 65536) crypto.getRandomValues(buf.subarray(i, i + 65536));
    },
    yieldToHost: yieldMacrotask,
    setTimer: longTimer,
  };
}
