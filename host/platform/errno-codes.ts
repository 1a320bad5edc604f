// Node's and Deno's error codes ("ENOENT") to Linux errno numbers.
const ERRNO: Record<string, number> = {
  EPERM: 1, ENOENT: 2, EIO: 5, EBADF: 9, EACCES: 13, EEXIST: 17, ENOTDIR: 20, EISDIR: 21,
  EINVAL: 22, EMFILE: 24, ENOSPC: 28, EROFS: 30, ELOOP: 40, ENAMETOOLONG: 36, ENOTEMPTY: 39,
};

export function errnoOf(e: unknown): number {
  const code = (e as { code?: string }).code;
  return (code && ERRNO[code]) || 5;
}
