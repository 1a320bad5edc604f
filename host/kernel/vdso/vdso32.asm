; forkbox's vDSO for i386 processes: Linux's vdso32 exports (LINUX_2.6 time
; functions, LINUX_2.5 entry points). __kernel_vsyscall is what glibc calls
; for every syscall when AT_SYSINFO is given; the signal restorers are where
; a handler returns when sigaction gave no SA_RESTORER. A ud2 inside the
; vDSO is forkbox's hypercall (see vdso64.asm): the syscall numbered in eax,
; arguments in ebx, ecx, answered untraced.
bits 32
section .text

global __kernel_vsyscall:function, __kernel_sigreturn:function, __kernel_rt_sigreturn:function
global __vdso_clock_gettime:function, __vdso_clock_gettime64:function
global __vdso_clock_getres:function, __vdso_clock_getres_time64:function
global __vdso_gettimeofday:function, __vdso_time:function, __vdso_getcpu:function

%include "vdso.inc"

__kernel_vsyscall:
    int 0x80
    ret

__kernel_sigreturn:
    pop eax
    mov eax, 119
    int 0x80

__kernel_rt_sigreturn:
    mov eax, 173
    int 0x80

; A C function of two arguments (clock, pointer) in ebx and ecx, syscall %1:
; answered by the hypercall for the vDSO's clocks, else by a real syscall.
%macro clock_function 1
    push ebx
    mov ebx, [esp + 8]
    mov ecx, [esp + 12]
    mov eax, %1
    unless_vdso_clock ebx, %%syscall
    ud2
    pop ebx
    ret
%%syscall:
    int 0x80
    pop ebx
    ret
%endmacro

__vdso_clock_gettime:
    clock_function 265
__vdso_clock_gettime64:
    clock_function 403
__vdso_clock_getres:
    clock_function 266
__vdso_clock_getres_time64:
    clock_function 406

; A C function of up to three arguments, always the hypercall for syscall %1.
%macro hypercall_function 1
    push ebx
    mov ebx, [esp + 8]
    mov ecx, [esp + 12]
    mov edx, [esp + 16]
    mov eax, %1
    ud2
    pop ebx
    ret
%endmacro

__vdso_gettimeofday:
    hypercall_function 78
__vdso_time:
    hypercall_function 13
__vdso_getcpu:
    hypercall_function 318
