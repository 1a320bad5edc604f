// The guest's file-system namespace: a root node, mounts at guest paths, and
// path resolution one component at a time. ".." never climbs above the root
// and symlink targets are resolved inside it, so no guest path reaches a host
// path outside the root's host directory (hostfs builds host paths only from
// checked single names).
import { EEXIST, EINVAL, EISDIR, ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR } from "../errno.js";
import type { HostStat } from "../../platform/platform.js";
import { O_ACCMODE, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_PATH, O_RDONLY, O_TRUNC, OpenFile } from "./file.js";
import { isDir, isLink, isReg, type Caller, type Node } from "./node.js";

export interface Loc { node: Node; path: string; } // path: the canonical guest path

const MAX_LINKS = 40, PATH_MAX = 4096, NAME_MAX = 255;

export const joinPath = (dir: string, name: string) => (dir === "/" ? `/${name}` : `${dir}/${name}`);

// A path cut into the directory to resolve and its last name (for create, unlink...).
export interface ParentLoc { dir: Loc; name: string; trailingSlash: boolean; }

export class Vfs {
  private mounts = new Map<string, Node>();
  readonly root: Loc;

  constructor(root: Node) {
    this.root = { node: root, path: "/" };
  }

  mount(guestPath: string, node: Node): void {
    this.mounts.set(guestPath, node);
  }

  private child(who: Caller, dir: Loc, name: string): Loc | number {
    const path = joinPath(dir.path, name);
    const n = this.mounts.get(path) ?? dir.node.lookup(name, who);
    return typeof n === "number" ? n : { node: n, path };
  }

  // The directories from the root down to a canonical path (to climb ".." from a start directory).
  private ancestors(who: Caller, path: string): Loc[] | number {
    const stack = [this.root];
    for (const name of path.split("/").filter(Boolean)) {
      const l = this.child(who, stack[stack.length - 1], name);
      if (typeof l === "number") return l;
      stack.push(l);
    }
    return stack;
  }

  // Resolve path from start. follow: follow a symlink in the last component.
  resolve(who: Caller, start: Loc, path: string, follow: boolean): Loc | number {
    const p = this.resolveParent(who, start, path);
    if (typeof p === "number") return p;
    if (p.name === "") return p.dir;
    return this.finish(who, p, follow || p.trailingSlash, 0);
  }

  // Look up the last component of a ParentLoc, following symlinks when asked.
  private finish(who: Caller, p: ParentLoc, follow: boolean, links: number): Loc | number {
    const l = this.child(who, p.dir, p.name);
    if (typeof l === "number") return l;
    if (follow) {
      const jump = l.node.follow();
      if (jump) return p.trailingSlash && !isDir(jump.node.mode) ? -ENOTDIR : jump;
    }
    if (follow && isLink(l.node.mode)) {
      if (links >= MAX_LINKS) return -ELOOP;
      const target = l.node.readlink();
      if (typeof target === "number") return target;
      const q = this.walk(who, p.dir, target, links + 1);
      if (typeof q === "number") return q;
      if (q.name === "") return q.dir;
      return this.finish(who, { ...q, trailingSlash: q.trailingSlash || p.trailingSlash }, true, q.links);
    }
    if (p.trailingSlash && !isDir(l.node.mode)) return -ENOTDIR;
    return l;
  }

  // Resolve every component but the last. name is "" when the path ends in the
  // directory itself ("/", ".", "..").
  resolveParent(who: Caller, start: Loc, path: string): ParentLoc | number {
    const r = this.walk(who, start, path, 0);
    return typeof r === "number" ? r : { dir: r.dir, name: r.name, trailingSlash: r.trailingSlash };
  }

  private walk(who: Caller, start: Loc, path: string, links0: number): (ParentLoc & { links: number }) | number {
    if (path === "") return -ENOENT;
    if (path.length >= PATH_MAX) return -ENAMETOOLONG;
    let stack: Loc[] = path.startsWith("/") ? [this.root] : [start];
    let comps = path.split("/").filter((c) => c !== "");
    let links = links0;
    const trailingSlash = path.endsWith("/");
    for (;;) {
      const cur = stack[stack.length - 1];
      if (!isDir(cur.node.mode)) return -ENOTDIR;
      if (comps.length === 0) return { dir: cur, name: "", trailingSlash, links };
      const name = comps[0];
      if (name.length > NAME_MAX) return -ENAMETOOLONG;
      if (comps.length === 1 && name !== "." && name !== "..") return { dir: cur, name, trailingSlash, links };
      comps = comps.slice(1);
      if (name === ".") continue;
      if (name === "..") {
        if (stack.length === 1 && cur.path !== "/") {
          const up = this.ancestors(who, cur.path);
          if (typeof up === "number") return up;
          stack = up;
        }
        if (stack.length > 1) stack.pop();
        continue;
      }
      const l = this.child(who, cur, name);
      if (typeof l === "number") return l;
      const jump = l.node.follow();
      if (jump) { stack = [jump]; continue; }
      if (isLink(l.node.mode)) {
        if (++links > MAX_LINKS) return -ELOOP;
        const target = l.node.readlink();
        if (typeof target === "number") return target;
        if (target === "") return -ENOENT;
        if (target.startsWith("/")) stack = [this.root];
        comps = [...target.split("/").filter((c) => c !== ""), ...comps];
        continue;
      }
      stack.push(l);
    }
  }

  // open(2) and creat(2): resolve (creating with O_CREAT), check, open.
  open(who: Caller, start: Loc, path: string, flags: number, mode: number): OpenFile | number {
    let loc: Loc | number;
    let created = false;
    if (flags & O_CREAT) {
      let p = this.resolveParent(who, start, path);
      // A dangling symlink is followed: the file is created where it points.
      for (let links = 0; ; links++) {
        if (typeof p === "number") return p;
        if (p.name === "" || p.trailingSlash) return -EISDIR;
        const existing = this.child(who, p.dir, p.name);
        if (typeof existing === "number") {
          if (existing !== -ENOENT) return existing;
          const n = p.dir.node.create(p.name, mode, who);
          if (typeof n === "number") return n;
          loc = { node: n, path: joinPath(p.dir.path, p.name) };
          created = true;
          break;
        }
        if (flags & O_EXCL) return -EEXIST;
        const jump = flags & O_NOFOLLOW ? null : existing.node.follow();
        if (jump) { loc = jump; break; }
        if (!isLink(existing.node.mode) || flags & O_NOFOLLOW) { loc = existing; break; }
        if (links >= MAX_LINKS) return -ELOOP;
        const target = existing.node.readlink();
        if (typeof target === "number") return target;
        p = this.resolveParent(who, p.dir, target);
      }
    } else {
      loc = this.resolve(who, start, path, !(flags & O_NOFOLLOW));
    }
    if (typeof loc === "number") return loc;
    const m = loc.node.mode;
    if (flags & O_DIRECTORY && !isDir(m)) return -ENOTDIR; // O_PATH too: cp relies on it
    if (flags & O_PATH) return new PathFile(flags, loc.path, loc.node);
    if (isLink(m)) return -ELOOP;
    const writing = (flags & O_ACCMODE) !== O_RDONLY;
    if (isDir(m) && (writing || flags & O_CREAT)) return -EISDIR;
    if ((flags & O_ACCMODE) === O_ACCMODE) return -EINVAL;
    const f = loc.node.open(flags, loc.path, who);
    if (typeof f === "number") return f;
    if (flags & O_TRUNC && writing && isReg(m) && !created) {
      const r = f.truncate(0);
      if (r < 0) return r;
    }
    return f;
  }
}

// O_PATH descriptors: a location only (fstat, fchdir, *at() starting points).
class PathFile extends OpenFile {
  constructor(flags: number, path: string, node: Node) {
    super(flags, path);
    this.node = node;
  }
  stat(): HostStat { return this.node!.stat(); }
}
