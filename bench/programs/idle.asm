; Idle children: fork N children that each block in read(0) (stdin) until
; it reaches end of file, then exit. After forking them all the parent
; prints "ready" and reaps them. The benchmark measures memory while they
; wait, then closes stdin. (A read of stdin stands in for pause(), which
; needs signal delivery.) Usage: idle N
%include "linux32.inc"
%include "bench32.inc"

section .rodata
string ready_s, "ready", 10

section .text
global _start
_start:
    call parse_count
    mov ebp, ebx
    mov edi, ebx
.fork:
    test ebp, ebp
    jz .forked
    mov eax, SYS_fork
    int 0x80
    test eax, eax
    js .failed
    jz .child
    dec ebp
    jmp .fork
.forked:
    sys_write STDOUT, ready_s, ready_s_len
.reap:
    test edi, edi
    jz .done
    sys_waitpid -1, 0
    test eax, eax
    js .failed
    dec edi
    jmp .reap
.child:
    mov ebx, 0
    mov ecx, byte_buf
    mov edx, 1
    mov eax, SYS_read
    int 0x80
    test eax, eax
    jnz .child                  ; data: keep waiting for end of file
    sys_exit 0
.done:
    sys_exit 0
.failed:
    sys_exit 1

section .bss
byte_buf: resb 1
