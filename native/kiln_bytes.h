/*
 * kiln_bytes.h — reads of little-endian fields from script-written bytes at any alignment
 * (memcpy: no alignment assumed, one load after optimisation), shared by the apply library's
 * files (kiln_apply.c, kiln_churn.c).
 */
#ifndef KILN_BYTES_H
#define KILN_BYTES_H

#include <stdint.h>
#include <string.h>

static inline uint16_t read_u16(const uint8_t* p) {
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint32_t read_u32(const uint8_t* p) {
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint64_t read_u64(const uint8_t* p) {
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline float read_f32(const uint8_t* p) {
    float v;
    memcpy(&v, p, sizeof v);
    return v;
}

#endif
