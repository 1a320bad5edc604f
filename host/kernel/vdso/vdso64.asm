; forkbox's vDSO for x86-64 processes: the functions Linux's vDSO exports
; (version LINUX_2.6), so libcs find them through AT_SYSINFO_EHDR and call
; them instead of making a syscall, and strace shows no syscall, as natively.
; A ud2 inside the vDSO is forkbox's hypercall: the kernel answers it as the
; syscall numbered in eax, with the usual argument registers, untraced, and
; resumes after it. Clocks Linux's vDSO does not read itself (CPU-time
; clocks, unknown ids) take a real syscall, as the real vDSO falls back to.
bits 64
section .text

global __vdso_clock_gettime:function, clock_gettime:function
global __vdso_gettimeofday:function, gettimeofday:function
global __vdso_time:function, time:function
global __vdso_getcpu:function, getcpu:function
global __vdso_clock_getres:function, clock_getres:function

%include "vdso.inc"

; clock_gettime/clock_getres (clock in edi): the hypercall for syscall %1 for
; the vDSO's clocks, else a real syscall.
%macro clock_function 1
    mov eax, %1
    unless_vdso_clock edi, %%syscall
    ud2
    ret
%%syscall:
    syscall
    ret
%endmacro

__vdso_clock_gettime:
clock_gettime:
    clock_function 228

__vdso_clock_getres:
clock_getres:
    clock_function 229

__vdso_gettimeofday:
gettimeofday:
    mov eax, 96
    ud2
    ret

__vdso_time:
time:
    mov eax, 201
    ud2
    ret

__vdso_getcpu:
getcpu:
    mov eax, 309
    ud2
    ret
