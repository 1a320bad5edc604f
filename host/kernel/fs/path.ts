// Path names. The guest's root is the host's root for now; the VFS will
// confine it to a chosen directory.

// Join path onto cwd and normalise ".", ".." and repeated slashes.
export function resolvePath(cwd: string, path: string): string {
  const parts = (path.startsWith("/") ? path : `${cwd}/${path}`).split("/");
  const out: string[] = [];
  for (const part of parts) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}
