; Fork latency: N times, fork a child that exits at once and wait for it.
; Nothing is printed. Usage: forkwait N
%include "linux32.inc"
%include "bench32.inc"

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
    sys_waitpid eax, 0
    test eax, eax
    js .failed
    dec ebp
    jmp .loop
.child:
    sys_exit 0
.done:
    sys_exit 0
.failed:
    sys_exit 1
