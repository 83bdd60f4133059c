/*
 * kiln_avx.h — clears the upper halves of the vector registers at each entry point of the
 * engine's apply library (kiln_apply.c, kiln_churn.c, kiln_signals.c).
 *
 * The library is built for the baseline CPU (SSE2: portable, and valgrind decodes it). The JVM
 * calls it with the upper halves of the vector registers dirty (its compiled code and stubs use
 * AVX-512; a downcall does not clear them), and then every legacy SSE instruction here pays for
 * that state: kiln_integrate took 5.9 ns per entity instead of 1.9 in a standalone harness with
 * zmm1's upper half dirtied, the same as in the engine's frame (AMD family 25). One vzeroupper
 * on entry (allowed: the x86-64 ABI preserves no vector register across a call) puts it back
 * to clean; the CPU and OS checks keep the library runnable where AVX is absent or disabled.
 */
#ifndef KILN_AVX_H
#define KILN_AVX_H

#if defined(__x86_64__)
#include <cpuid.h>

/* 1 when vzeroupper may run (CPU has AVX, OS saves YMM state); set once when the library loads. */
static int kiln_avx_usable;

__attribute__((constructor)) static void kiln_avx_detect(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return;
    const unsigned int osxsave = 1u << 27, avx = 1u << 28;
    if ((ecx & (osxsave | avx)) != (osxsave | avx)) return;
    unsigned int lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    kiln_avx_usable = (lo & 6u) == 6u; /* XMM and YMM state enabled by the OS */
}

/* Called first in every exported function of the library. */
static inline void kiln_avx_clear_upper(void) {
    if (kiln_avx_usable) __asm__ volatile("vzeroupper");
}
#else
static inline void kiln_avx_clear_upper(void) {}
#endif

#endif
