// Unpack a tar archive (ustar, with GNU long names and pax path records)
// into a MemFs: how the browser gets a whole file tree in one fetch.
import { MemFs } from "./memfs.js";

const BLOCK = 512;

function field(h: Uint8Array, off: number, len: number): string {
  const end = h.indexOf(0, off);
  return new TextDecoder().decode(h.subarray(off, end < 0 || end > off + len ? off + len : end));
}

function octal(h: Uint8Array, off: number, len: number): number {
  const s = field(h, off, len).trim();
  return s ? parseInt(s, 8) : 0;
}

// pax extended header records: "LEN key=value\n".
function paxRecords(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  const text = new TextDecoder().decode(data);
  let i = 0;
  while (i < text.length) {
    const sp = text.indexOf(" ", i);
    const len = parseInt(text.slice(i, sp), 10);
    if (!(len > 0)) break;
    const rec = text.slice(sp + 1, i + len - 1);
    const eq = rec.indexOf("=");
    out.set(rec.slice(0, eq), rec.slice(eq + 1));
    i += len;
  }
  return out;
}

export class TarError extends Error {}

// Entries are placed under `/` (a leading "./" or "/" is dropped).
export function tarFs(archive: Uint8Array, into: MemFs = new MemFs()): MemFs {
  let off = 0;
  let longName: string | null = null;
  let longLink: string | null = null;
  while (off + BLOCK <= archive.length) {
    const h = archive.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break; // end of archive
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
    if (sum !== octal(h, 148, 8)) throw new TarError(`tar: bad header checksum at offset ${off}`);
    const size = octal(h, 124, 12);
    const type = String.fromCharCode(h[156] || 0x30);
    const dataStart = off + BLOCK;
    if (dataStart + size > archive.length) throw new TarError(`tar: entry at offset ${off} is cut short`);
    const data = archive.subarray(dataStart, dataStart + size);
    off = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (type === "L") { longName = field(data, 0, data.length); continue; }
    if (type === "K") { longLink = field(data, 0, data.length); continue; }
    if (type === "x") {
      const pax = paxRecords(data);
      longName = pax.get("path") ?? longName;
      longLink = pax.get("linkpath") ?? longLink;
      continue;
    }
    if (type === "g") continue; // global pax header: nothing we use
    const prefix = field(h, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    const link = longLink ?? field(h, 157, 100);
    longName = longLink = null;
    const path = "/" + name.replace(/^(\.\/|\/)+/, "");
    if (path === "/" || path === "/.") continue;
    const opts = { mode: octal(h, 100, 8) & 0o7777, mtimeMs: octal(h, 136, 12) * 1000 };
    if (type === "0" || type === "7") into.writeFile(path, data.slice(), opts);
    else if (type === "5") into.addDir(path, opts);
    else if (type === "2") into.addSymlink(link, path, opts);
    else if (type === "1") {
      const target = into.readFile("/" + link.replace(/^(\.\/|\/)+/, ""));
      if (typeof target === "number") throw new TarError(`tar: hard link ${path} to missing ${link}`);
      into.writeFile(path, target, opts);
    }
    // devices and fifos have no place in a MemFs yet: skipped
  }
  return into;
}

// Write a ustar archive of regular files (what the web build ships). Names
// must fit ustar's 100 bytes; mtime 0 keeps the output reproducible.
export function makeTar(files: { path: string; data: Uint8Array; mode: number }[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  const enc = new TextEncoder();
  for (const f of files) {
    const h = new Uint8Array(BLOCK);
    const put = (s: string, o: number) => h.set(enc.encode(s), o);
    const name = enc.encode(f.path);
    if (name.length > 100) throw new TarError(`tar: name too long: ${f.path}`);
    h.set(name, 0);
    put(f.mode.toString(8).padStart(7, "0"), 100);
    put("0000000", 108);
    put("0000000", 116);
    put(f.data.length.toString(8).padStart(11, "0"), 124);
    put("00000000000", 136);
    put("        ", 148);
    h[156] = 0x30;
    put("ustar\x0000", 257);
    let sum = 0;
    for (const b of h) sum += b;
    put(sum.toString(8).padStart(6, "0") + "\0 ", 148);
    blocks.push(h, f.data, new Uint8Array((BLOCK - (f.data.length % BLOCK)) % BLOCK));
  }
  blocks.push(new Uint8Array(BLOCK * 2));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of blocks) { out.set(b, o); o += b.length; }
  return out;
}
