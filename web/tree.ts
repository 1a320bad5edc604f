// The live process tree: a model fed by the machine's process events and a
// DOM view redrawn at most every 100 ms, however fast processes come and go.
import type { ExitStatus, ProcessEvent } from "../host/index.js";

export type ProcState = "running" | "zombie" | "reaped";

export interface ProcNode {
  pid: number;
  ppid: number;
  argv: string[];
  state: ProcState;
  exit: ExitStatus | null;
  children: ProcNode[];
}

const SHOWN_CHILDREN = 12; // beyond this, a node's children are summarised

export class ProcessTree {
  private nodes = new Map<number, ProcNode>();
  root: ProcNode | null = null;
  private tree = -1;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private el: HTMLElement) {}

  // A spawn starts a new tree on screen; events of other trees are ignored.
  update(e: ProcessEvent): void {
    if (e.type === "spawn") { this.tree = e.tree; this.nodes.clear(); }
    if (e.tree !== this.tree) return;
    switch (e.type) {
      case "spawn":
        this.root = { pid: e.pid, ppid: 0, argv: e.argv, state: "running", exit: null, children: [] };
        this.nodes.set(e.pid, this.root);
        break;
      case "fork": {
        const n: ProcNode = { pid: e.pid, ppid: e.ppid, argv: e.argv, state: "running", exit: null, children: [] };
        this.nodes.get(e.ppid)?.children.push(n);
        this.nodes.set(e.pid, n);
        break;
      }
      case "exec": { const n = this.nodes.get(e.pid); if (n) n.argv = e.argv; break; }
      case "exit": {
        const n = this.nodes.get(e.pid);
        if (n) { n.state = n === this.root ? "reaped" : "zombie"; n.exit = e.exit; }
        break;
      }
      case "reap": { const n = this.nodes.get(e.pid); if (n) n.state = "reaped"; break; }
    }
    this.timer ??= setTimeout(() => { this.timer = null; this.draw(); }, 100);
  }

  // Draw now (at the end of a run, so the last state is on screen).
  flush(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    this.draw();
  }

  counts(): Record<ProcState, number> {
    const c = { running: 0, zombie: 0, reaped: 0 };
    for (const n of this.nodes.values()) c[n.state]++;
    return c;
  }

  private draw(): void {
    this.el.replaceChildren();
    if (!this.root) return;
    const ul = document.createElement("ul");
    ul.append(this.item(this.root));
    this.el.append(ul);
  }

  private item(n: ProcNode): HTMLLIElement {
    const li = document.createElement("li");
    li.className = n.state;
    li.dataset.pid = String(n.pid);
    li.dataset.state = n.state;
    if (n.exit) li.dataset.status = String(n.exit.status);
    const how = n.exit ? (n.exit.signal ? `killed by signal ${n.exit.signal}` : `exit ${n.exit.code}`) : "";
    li.textContent = `${n.pid} ${n.argv.join(" ")} — ${n.state}${how ? ` (${how})` : ""}`;
    if (n.children.length) {
      const ul = document.createElement("ul");
      for (const c of n.children.slice(0, SHOWN_CHILDREN)) ul.append(this.item(c));
      const rest = n.children.slice(SHOWN_CHILDREN);
      if (rest.length) {
        const c = { running: 0, zombie: 0, reaped: 0 };
        for (const r of rest) c[r.state]++;
        const more = document.createElement("li");
        more.className = "more";
        more.textContent = `… ${rest.length} more: ${c.running} running, ${c.zombie} zombie, ${c.reaped} reaped`;
        ul.append(more);
      }
      li.append(ul);
    }
    return li;
  }
}
