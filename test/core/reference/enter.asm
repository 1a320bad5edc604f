; Trampoline of the native reference runner: load the case's registers and
; flags, then jump to its code. Nothing here touches the case's memory.
bits 32
section .bss
align 16
scratch: resd 16
scratch_top:
section .data
target: dd 0
section .text
global fb_enter
; void fb_enter(const uint32_t st[10]): eax ecx edx ebx esp ebp esi edi eip eflags
fb_enter:
  mov eax, [esp+4]
  mov edx, [eax+32]
  mov [target], edx
  mov esp, scratch_top
  push dword [eax+36]
  popfd
  mov ecx, [eax+4]
  mov edx, [eax+8]
  mov ebx, [eax+12]
  mov esp, [eax+16]
  mov ebp, [eax+20]
  mov esi, [eax+24]
  mov edi, [eax+28]
  mov eax, [eax]
  jmp dword [target]

section .note.GNU-stack noalloc noexec nowrite progbits
