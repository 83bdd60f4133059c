/*
 * kiln_guard.h — the fault guard's interface (native/kiln_guard.c): the engine calls it through
 * FFM (FaultGuard.java mirrors kiln_guard_fault), and the isolated host (kiln_host.c) links it
 * to contain faults inside its child process the same way.
 */
#ifndef KILN_GUARD_H
#define KILN_GUARD_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#define KILN_ERR_FAULT 12
#define KILN_GUARD_TIMEOUT_SIGNAL (SIGRTMIN + 3)
/* Bytes of alternate signal stack per thread that runs scripts. */
#define KILN_GUARD_ALT_STACK_BYTES (256 * 1024)

enum { FAULT_NONE = 0, FAULT_PANIC = 1, FAULT_SIGNAL = 2, FAULT_TIMEOUT = 3 };

/* Return addresses kept per fault (the engine names them with the libraries' symbol tables). */
#define KILN_GUARD_TRACE_MAX 32

/* What the engine reads after a call returned KILN_ERR_FAULT. 1312 bytes. */
typedef struct kiln_guard_fault {
    int32_t  kind;            /* FAULT_* */
    int32_t  signal;          /* signal number for FAULT_SIGNAL / FAULT_TIMEOUT */
    uint64_t address;         /* faulting data address (si_addr) */
    uint64_t pc;              /* instruction or panic return address */
    char     message[512];    /* panic message, NUL-terminated */
    char     symbol[512];     /* "function (library+0xoffset)" of pc when known */
    int32_t  trace_count;     /* entries used in trace */
    int32_t  reserved0;
    uint64_t trace[KILN_GUARD_TRACE_MAX]; /* return addresses, innermost first */
} kiln_guard_fault;

typedef int32_t (*kiln_batch_fn)(const void* frame, void* items, uint32_t count);
typedef int32_t (*kiln_generic_fn)(uint64_t, uint64_t, uint64_t, uint64_t);

int32_t kiln_guard_install(void);
int32_t kiln_guard_prepare_thread(void);
void kiln_guard_panic(const char* message, size_t length, uintptr_t return_address);
/* Calls fn(frame, items, count) under the guard; frame is a kiln_frame, whose heap's scratch
 * (ctx.frameAllocator()) is taken back when the call returns. */
int32_t kiln_guard_call(kiln_batch_fn fn, const void* frame, void* items, uint32_t count, kiln_guard_fault* fault);
int32_t kiln_guard_call_generic(kiln_generic_fn fn, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                                kiln_guard_fault* fault);
int32_t kiln_guard_watch_exits(void);
uint64_t kiln_guard_locate(uint64_t address, char* path_out, size_t capacity);

#endif
