// Native reference runner for the forkbox core tests (i386, gcc -m32).
// Reads cases from stdin (see gen.js for the format), runs each one's code at
// a fixed address with the given registers, flags and memory, and writes the
// machine state at the first trap (normally the int3 that ends every case).
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#define CODE 0x10000000u
#define CODE_SIZE 0x2000u
#define DATA 0x20000000u
#define DATA_SIZE 0x2000u
#define STACK 0x30000000u
#define STACK_SIZE 0x1000u
#define RO 0x40000000u

extern void fb_enter(const uint32_t *state); // enter.asm

static sigjmp_buf jb;
static uint32_t out[14]; // eax ecx edx ebx esp ebp esi edi eip eflags trapno err addr signal

static void handler(int sig, siginfo_t *si, void *ctx) {
  greg_t *g = ((ucontext_t *)ctx)->uc_mcontext.gregs;
  out[0] = g[REG_EAX]; out[1] = g[REG_ECX]; out[2] = g[REG_EDX]; out[3] = g[REG_EBX];
  out[4] = g[REG_UESP]; out[5] = g[REG_EBP]; out[6] = g[REG_ESI]; out[7] = g[REG_EDI];
  out[8] = g[REG_EIP]; out[9] = g[REG_EFL]; out[10] = g[REG_TRAPNO]; out[11] = g[REG_ERR];
  out[12] = (uint32_t)(uintptr_t)si->si_addr; out[13] = sig;
  siglongjmp(jb, 1);
}

static void rd(void *p, size_t n) {
  if (fread(p, 1, n, stdin) != n) { fprintf(stderr, "runner: short input\n"); exit(2); }
}
static uint32_t rd32(void) { uint32_t v; rd(&v, 4); return v; }

static void map(uint32_t va, uint32_t len, int prot) {
  void *p = mmap((void *)(uintptr_t)va, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p != (void *)(uintptr_t)va) { perror("runner: mmap"); exit(2); }
}

int main(void) {
  static uint8_t altstack[65536];
  stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
  sigaltstack(&ss, 0);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  int sigs[] = { SIGTRAP, SIGSEGV, SIGBUS, SIGILL, SIGFPE };
  for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaction(sigs[i], &sa, 0);

  map(CODE, CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC);
  map(DATA, DATA_SIZE, PROT_READ | PROT_WRITE);
  map(STACK, STACK_SIZE, PROT_READ | PROT_WRITE);
  map(RO, 0x1000, PROT_READ);

  if (rd32() != 0x7866626b) { fprintf(stderr, "runner: bad magic\n"); return 2; }
  uint32_t n = rd32();
  static uint8_t baseData[DATA_SIZE], baseStack[STACK_SIZE], ro[0x1000];
  rd(baseData, DATA_SIZE);
  rd(baseStack, STACK_SIZE);
  rd(ro, 0x1000);
  mprotect((void *)RO, 0x1000, PROT_READ | PROT_WRITE);
  memcpy((void *)RO, ro, 0x1000);
  mprotect((void *)RO, 0x1000, PROT_READ);

  for (uint32_t c = 0; c < n; c++) {
    uint32_t codeOff = rd32(), codeLen = rd32();
    memset((void *)CODE, 0xcc, CODE_SIZE);
    rd((void *)(uintptr_t)(CODE + codeOff), codeLen);
    uint32_t st[10];
    rd(st, 32);
    st[8] = CODE + codeOff;
    st[9] = rd32();
    memcpy((void *)DATA, baseData, DATA_SIZE);
    memcpy((void *)STACK, baseStack, STACK_SIZE);
    uint32_t nmem = rd32();
    for (uint32_t i = 0; i < nmem; i++) {
      uint32_t addr = rd32(), len = rd32();
      rd((void *)(uintptr_t)addr, len);
    }
    __builtin___clear_cache((char *)CODE, (char *)CODE + CODE_SIZE);
    if (!sigsetjmp(jb, 1)) fb_enter(st);
    fwrite(out, 4, 14, stdout);
    fwrite((void *)DATA, 1, DATA_SIZE, stdout);
    fwrite((void *)STACK, 1, STACK_SIZE, stdout);
  }
  return 0;
}
