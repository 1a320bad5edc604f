// The forkbox demo page: example programs from a tar archive, a terminal,
// drag-and-drop of the user's own ELF, and the live process tree.
import { Terminal } from "@xterm/xterm";
import { createMachine, SpawnError, tarFs, type ChildProcess, type ExitStatus, type Machine, type MemFs } from "../host/index.js";
import { ProcessTree } from "./tree.js";

interface Example { label: string; argv: string[]; note: string }

const EXAMPLES: Example[] = [
  { label: "fork + print", argv: ["./fork_print"], note: "NASM: fork, both processes print" },
  { label: "fork, exec, wait", argv: ["./fork_exec_wait"], note: "NASM: the child execs ./sleepy, the parent waits for its status" },
  { label: "spawn 1,000", argv: ["./fork_loop"], note: "glibc: 1,000 children forked before any is reaped" },
  { label: "hello (glibc)", argv: ["./hello_c"], note: "a static glibc program" },
  { label: "upcase (stdin)", argv: ["./upcase"], note: "reads stdin: type lines, Ctrl-D to end" },
];

const $ = (id: string) => document.getElementById(id)!;
const term = new Terminal({ convertEol: true, rows: 26, cols: 90, fontSize: 14, lineHeight: 1.15, theme: { background: "#000000" } });
const tree = new ProcessTree($("tree"));
const enc = new TextEncoder();
let machine: Machine;
let fs: MemFs;
let current: ChildProcess | null = null;
let stdin: WritableStreamDefaultWriter<Uint8Array> | null = null;
let line = "";

function setStatus(text: string): void { $("status").textContent = text; }

async function pump(stream: ReadableStream<Uint8Array>): Promise<void> {
  const reader = stream.getReader();
  for (;;) {
    const r = await reader.read();
    if (r.done) return;
    term.write(r.value);
  }
}

// Run argv (cwd /bin) in the terminal; resolves with its exit status.
async function run(argv: string[]): Promise<ExitStatus | null> {
  if (current) return null;
  document.body.dataset.state = "running";
  for (const b of document.querySelectorAll("nav button")) (b as HTMLButtonElement).disabled = true;
  term.write(`\x1b[1;32m$\x1b[0m ${argv.join(" ")}\n`);
  let child: ChildProcess;
  try {
    child = machine.spawn(argv, { cwd: "/bin", stdin: "pipe", stderr: "stdout", env: { HOME: "/", PATH: "/bin" } });
  } catch (e) {
    term.write(`forkbox: ${e instanceof SpawnError ? e.message : String(e)}\n`);
    finish();
    return null;
  }
  current = child;
  stdin = child.stdin!.getWriter();
  line = "";
  const t0 = performance.now();
  setStatus(`running ${argv[0]}…`);
  const [, exit] = await Promise.all([pump(child.stdout), child.exited]);
  tree.flush();
  const s = machine.stats();
  const ms = Math.round(performance.now() - t0);
  const how = exit.signal ? `killed by signal ${exit.signal}` : `exit status ${exit.code}`;
  term.write(`\x1b[2m[${how}]\x1b[0m\n`);
  setStatus(`${argv[0]}: ${how}; ${child.stats().processes} processes in ${ms} ms. Machine so far: ${s.instructions.toLocaleString()} instructions, ${s.cowCopies.toLocaleString()} copy-on-write copies, peak ${(s.peakFrames * 4 / 1024).toFixed(1)} MiB.`);
  finish();
  return exit;
}

function finish(): void {
  current = null;
  stdin = null;
  for (const b of document.querySelectorAll("nav button")) (b as HTMLButtonElement).disabled = false;
  document.body.dataset.state = "idle";
}

// A cooked terminal in the page: echo, backspace, a line at a time to stdin.
term.onData((data) => {
  if (!current || !stdin) return;
  for (const ch of data) {
    if (ch === "\r") { term.write("\n"); void stdin.write(enc.encode(line + "\n")).catch(() => {}); line = ""; }
    else if (ch === "\x7f") { if (line) { line = line.slice(0, -1); term.write("\b \b"); } }
    else if (ch === "\x04") { if (line) void stdin.write(enc.encode(line)); line = ""; void stdin.close().catch(() => {}); }
    else if (ch === "\x03") { term.write("^C\n"); current.kill(2, "tree"); }
    else if (ch >= " ") { line += ch; term.write(ch); }
  }
});

// The terminal's text, line by line (for people reading, and the browser test).
function terminalText(): string {
  const b = term.buffer.active;
  const lines: string[] = [];
  for (let i = 0; i < b.length; i++) lines.push(b.getLine(i)?.translateToString(true) ?? "");
  return lines.join("\n").replace(/\n+$/, "");
}

function setupDrop(): void {
  const drop = $("drop");
  addEventListener("dragover", (e) => { e.preventDefault(); drop.hidden = false; });
  addEventListener("dragleave", (e) => { if (e.relatedTarget === null) drop.hidden = true; });
  addEventListener("drop", async (e) => {
    e.preventDefault();
    drop.hidden = true;
    const file = e.dataTransfer?.files[0];
    if (!file) return;
    const name = file.name.replace(/[^A-Za-z0-9._-]/g, "_") || "program";
    fs.writeFile(`/bin/${name}`, new Uint8Array(await file.arrayBuffer()), { mode: 0o755 });
    await run([`./${name}`]);
  });
}

async function main(): Promise<void> {
  term.open($("terminal"));
  const tar = new Uint8Array(await (await fetch("examples.tar")).arrayBuffer());
  fs = tarFs(tar);
  machine = await createMachine({ fs });
  machine.on("process", (e) => tree.update(e));
  const nav = $("examples");
  for (const ex of EXAMPLES) {
    const b = document.createElement("button");
    b.textContent = ex.label;
    b.title = ex.note;
    b.dataset.example = ex.argv[0];
    b.onclick = () => { void run(ex.argv); };
    nav.append(b);
  }
  setupDrop();
  term.write("forkbox: pick an example above, or drop a static ELF onto the page.\n");
  setStatus("ready");
  document.body.dataset.state = "idle";
}

// For the browser test and the curious: window.forkbox.
Object.assign(globalThis, { forkbox: { run, terminalText, tree } });

main().catch((e: unknown) => {
  setStatus(`failed to start: ${e instanceof Error ? e.message : String(e)}`);
  document.body.dataset.state = "error";
});
