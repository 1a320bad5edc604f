// Counters the host reads for --stats and the time-stamp counter.
export let retired: u64 = 0; // instructions retired by all tasks
let tscTicks: u64 = 0;

export function addRetired(n: u64): void { retired += n; }

// Strictly increasing: instructions retired plus one per read.
export function retiredTotal(): u64 { return retired + ++tscTicks; }
