// Sockets: forkbox has no networking, so it answers as a Linux kernel built
// without it: no address family is supported. glibc's NSS (nscd) and syslog
// try a Unix socket and carry on without one.
import { EAFNOSUPPORT } from "../errno.js";
import type { Ctx, SysResult } from "./types.js";

export const socket = (_c: Ctx, _domain: number, _type: number, _protocol: number): SysResult => -EAFNOSUPPORT;
