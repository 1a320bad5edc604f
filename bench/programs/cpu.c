/* A deterministic CPU-bound program: a sieve of Eratosthenes, FNV-1a hashing
   and a merge sort of pseudo-random words, ROUNDS times.
   Integer-only (no x87/SSE), so it runs on any x86 core. Prints a checksum.
   Usage: cpu [rounds] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIEVE 200000
#define WORDS 20000

static unsigned char composite[SIEVE];
static unsigned keys[WORDS], tmp[WORDS];

static unsigned sieve(void)
{
    unsigned count = 0;
    memset(composite, 0, sizeof composite);
    for (unsigned i = 2; i < SIEVE; i++) {
        if (composite[i])
            continue;
        count++;
        for (unsigned k = i * 2; k < SIEVE; k += i)
            composite[k] = 1;
    }
    return count;
}

static unsigned fnv1a(const unsigned char *p, unsigned n, unsigned h)
{
    while (n--)
        h = (h ^ *p++) * 16777619u;
    return h;
}

static void merge_sort(unsigned *a, unsigned *t, unsigned n)
{
    if (n < 2)
        return;
    unsigned h = n / 2;
    merge_sort(a, t, h);
    merge_sort(a + h, t, n - h);
    unsigned i = 0, j = h, k = 0;
    while (i < h && j < n)
        t[k++] = a[i] <= a[j] ? a[i++] : a[j++];
    while (i < h)
        t[k++] = a[i++];
    while (j < n)
        t[k++] = a[j++];
    memcpy(a, t, n * sizeof *a);
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 10;
    unsigned seed = 12345, sum = 0;

    for (int r = 0; r < rounds; r++) {
        sum += sieve();
        sum = fnv1a(composite, SIEVE, sum);
        for (unsigned i = 0; i < WORDS; i++) {
            seed = seed * 1103515245u + 12345u;
            keys[i] = seed ^ (seed >> 15);
        }
        merge_sort(keys, tmp, WORDS);
        for (unsigned i = 1; i < WORDS; i++)
            if (keys[i - 1] > keys[i])
                return 2;
        sum = fnv1a((unsigned char *)keys, sizeof keys, sum);
    }
    printf("%d rounds, checksum %08x\n", rounds, sum);
    return 0;
}
