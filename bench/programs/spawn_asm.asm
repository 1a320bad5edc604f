; The seed's experiment with int 0x80: N times, fork; the child prints
; "j child" and exits, the parent prints "j parent" and waits for it.
; Usage: spawn_asm N
%include "linux32.inc"
%include "bench32.inc"

section .rodata
string child_s, " child", 10
string parent_s, " parent", 10

section .text
global _start
_start:
    call parse_count
    mov ebp, ebx                ; N
    xor edi, edi
    mov [j], edi
.loop:
    cmp [j], ebp
    jae .done
    mov eax, SYS_fork
    int 0x80
    test eax, eax
    js .failed
    jz .child
    mov [pid], eax
    mov eax, [j]
    mov ecx, parent_s
    mov edx, parent_s_len
    call say_number
    sys_waitpid [pid], 0
    cmp eax, [pid]
    jne .failed
    inc dword [j]
    jmp .loop
.child:
    mov eax, [j]
    mov ecx, child_s
    mov edx, child_s_len
    call say_number
    sys_exit 0
.done:
    sys_exit 0
.failed:
    sys_exit 1

section .bss
j: resd 1
pid: resd 1
