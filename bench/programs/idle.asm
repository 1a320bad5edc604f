; Idle children: fork N children that each sit in pause(). After forking them
; all the parent prints "ready" and reads stdin until end of file (the
; benchmark measures memory meanwhile), then kills every child with SIGKILL
; and reaps them, checking that each died of it. Usage: idle N (N <= 100000)
%include "linux32.inc"
%include "bench32.inc"

%define SYS_kill  37
%define SYS_pause 29
%define SIGKILL   9
%define MAX_CHILDREN 100000

section .rodata
string ready_s, "ready", 10

section .text
global _start
_start:
    call parse_count
    cmp ebx, MAX_CHILDREN
    ja .failed
    mov edi, ebx                ; children to fork
    xor esi, esi                ; forked so far
.fork:
    cmp esi, edi
    je .forked
    mov eax, SYS_fork
    int 0x80
    test eax, eax
    js .failed
    jz .child
    mov [pids + esi * 4], eax
    inc esi
    jmp .fork
.forked:
    sys_write STDOUT, ready_s, ready_s_len
.drain:                         ; until stdin ends
    mov ebx, 0
    mov ecx, byte_buf
    mov edx, 1
    mov eax, SYS_read
    int 0x80
    test eax, eax
    jg .drain
.kill:
    test esi, esi
    jz .reap
    dec esi
    mov ebx, [pids + esi * 4]
    mov ecx, SIGKILL
    mov eax, SYS_kill
    int 0x80
    test eax, eax
    jnz .failed
    jmp .kill
.reap:
    test edi, edi
    jz .done
    sys_waitpid -1, status
    test eax, eax
    js .failed
    cmp dword [status], SIGKILL ; the wait status of a SIGKILL death
    jne .failed
    dec edi
    jmp .reap
.child:
    mov eax, SYS_pause
    int 0x80
    jmp .child                  ; pause only returns after a caught signal
.done:
    sys_exit 0
.failed:
    sys_exit 1

section .bss
byte_buf: resb 1
status: resd 1
pids: resd MAX_CHILDREN
