// Linux errno values (asm-generic/errno-base.h, errno.h) and their strerror texts.
export const EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, ENOEXEC = 8,
  EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17,
  EXDEV = 18, ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24,
  ENOTTY = 25, ETXTBSY = 26, EFBIG = 27, ENOSPC = 28, ESPIPE = 29, EROFS = 30, EMLINK = 31,
  EPIPE = 32, EDOM = 33, ERANGE = 34, EDEADLK = 35, ENAMETOOLONG = 36, ENOLCK = 37, ENOSYS = 38,
  ENOTEMPTY = 39, ELOOP = 40, ELIBBAD = 80, ENOTSUP = 95, EAFNOSUPPORT = 97, ETIMEDOUT = 110;

// Names and messages, as strace prints them.
export const ERRNO_INFO: Record<number, [string, string]> = {
  1: ["EPERM", "Operation not permitted"], 2: ["ENOENT", "No such file or directory"],
  3: ["ESRCH", "No such process"], 4: ["EINTR", "Interrupted system call"],
  5: ["EIO", "Input/output error"], 6: ["ENXIO", "No such device or address"],
  7: ["E2BIG", "Argument list too long"], 8: ["ENOEXEC", "Exec format error"],
  9: ["EBADF", "Bad file descriptor"], 10: ["ECHILD", "No child processes"],
  11: ["EAGAIN", "Resource temporarily unavailable"], 12: ["ENOMEM", "Cannot allocate memory"],
  13: ["EACCES", "Permission denied"], 14: ["EFAULT", "Bad address"],
  16: ["EBUSY", "Device or resource busy"], 17: ["EEXIST", "File exists"],
  18: ["EXDEV", "Invalid cross-device link"], 19: ["ENODEV", "No such device"],
  20: ["ENOTDIR", "Not a directory"], 21: ["EISDIR", "Is a directory"],
  22: ["EINVAL", "Invalid argument"], 23: ["ENFILE", "Too many open files in system"],
  24: ["EMFILE", "Too many open files"], 25: ["ENOTTY", "Inappropriate ioctl for device"],
  26: ["ETXTBSY", "Text file busy"], 27: ["EFBIG", "File too large"],
  28: ["ENOSPC", "No space left on device"], 29: ["ESPIPE", "Illegal seek"],
  30: ["EROFS", "Read-only file system"], 31: ["EMLINK", "Too many links"],
  32: ["EPIPE", "Broken pipe"], 33: ["EDOM", "Numerical argument out of domain"],
  34: ["ERANGE", "Numerical result out of range"], 35: ["EDEADLK", "Resource deadlock avoided"],
  36: ["ENAMETOOLONG", "File name too long"], 37: ["ENOLCK", "No locks available"],
  38: ["ENOSYS", "Function not implemented"], 39: ["ENOTEMPTY", "Directory not empty"],
  40: ["ELOOP", "Too many levels of symbolic links"],
  80: ["ELIBBAD", "Accessing a corrupted shared library"], 95: ["EOPNOTSUPP", "Operation not supported"],
  97: ["EAFNOSUPPORT", "Address family not supported by protocol"],
  110: ["ETIMEDOUT", "Connection timed out"],
};
