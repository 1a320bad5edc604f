// Node's and Deno's error codes ("ENOENT") to Linux errno numbers.
const ERRNO: Record<string, number> = {
  EPERM: 1, ENOENT: 2, EIO: 5, ENXIO: 6, EBADF: 9, EACCES: 13, EBUSY: 16, EEXIST: 17, EXDEV: 18,
  ENOTDIR: 20, EISDIR: 21, EINVAL: 22, EMFILE: 24, ETXTBSY: 26, EFBIG: 27, ENOSPC: 28, EROFS: 30,
  EMLINK: 31, ENAMETOOLONG: 36, ENOTEMPTY: 39, ELOOP: 40, EDQUOT: 122,
};

export function errnoOf(e: unknown): number {
  const code = (e as { code?: string }).code;
  return (code && ERRNO[code]) || 5;
}

// Run a host call that returns nothing useful: 0, or -errno.
export function attempt(f: () => void): number {
  try { f(); return 0; } catch (e) { return -errnoOf(e); }
}
