; fork-exec-wait: N times, fork a child that execs ./tiny, and wait for it.
; Exits 1 if an exec fails or a child exits non-zero. Usage: forkexec N
%include "linux32.inc"
%include "bench32.inc"

section .rodata
tiny: db "./tiny", 0
argv: dd tiny, 0
envp: dd 0

section .text
global _start
_start:
    call parse_count
    mov ebp, ebx
.loop:
    test ebp, ebp
    jz .done
    mov eax, SYS_fork
    int 0x80
    test eax, eax
    js .failed
    jz .child
    sys_waitpid eax, status
    test eax, eax
    js .failed
    cmp dword [status], 0
    jne .failed
    dec ebp
    jmp .loop
.child:
    mov ebx, tiny
    mov ecx, argv
    mov edx, envp
    mov eax, SYS_execve
    int 0x80
    sys_exit 1                  ; exec failed
.done:
    sys_exit 0
.failed:
    sys_exit 1

section .bss
status: resd 1
