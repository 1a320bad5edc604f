// prctl: the options forkbox keeps per process. Others return EINVAL, as Linux
// does for options it does not know, with one stderr line naming the option.
import { EFAULT, EINVAL } from "../errno.js";
import type { Ctx, SysResult } from "./types.js";

const PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4, PR_SET_NAME = 15, PR_GET_NAME = 16,
  PR_SET_CHILD_SUBREAPER = 36, PR_GET_CHILD_SUBREAPER = 37, PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;
const TASK_COMM_LEN = 16;

const reported = new Set<number>();

export function prctl(c: Ctx, option: number, arg2: number, arg3: number, arg4: number, arg5: number): SysResult {
  const p = c.p;
  switch (option) {
    case PR_GET_DUMPABLE: return p.dumpable;
    case PR_SET_DUMPABLE:
      if (arg2 !== 0 && arg2 !== 1) return -EINVAL;
      p.dumpable = arg2;
      return 0;
    case PR_SET_NAME: {
      const name = c.mem.cstringBytes(arg2, TASK_COMM_LEN - 1) ?? c.mem.read(arg2, TASK_COMM_LEN - 1);
      if (!name) return -EFAULT;
      p.comm = name.slice(0, TASK_COMM_LEN - 1);
      return 0;
    }
    case PR_GET_NAME: {
      const b = new Uint8Array(TASK_COMM_LEN);
      b.set(p.comm);
      return c.mem.write(arg2, b) ? 0 : -EFAULT;
    }
    case PR_SET_CHILD_SUBREAPER:
      p.childSubreaper = arg2 !== 0;
      return 0;
    case PR_GET_CHILD_SUBREAPER:
      return c.mem.writeU32(arg2, p.childSubreaper ? 1 : 0) ? 0 : -EFAULT;
    case PR_SET_NO_NEW_PRIVS:
      if (arg2 !== 1 || arg3 || arg4 || arg5) return -EINVAL;
      p.noNewPrivs = true;
      return 0;
    case PR_GET_NO_NEW_PRIVS:
      return arg2 || arg3 || arg4 || arg5 ? -EINVAL : p.noNewPrivs ? 1 : 0;
    default:
      if (!reported.has(option)) {
        reported.add(option);
        c.k.log(`unsupported prctl option ${option}`);
      }
      return -EINVAL;
  }
}
