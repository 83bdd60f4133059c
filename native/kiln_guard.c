/*
 * kiln_guard.c — runs script calls so that a script's fault does not take the engine down.
 *
 * The engine builds this once (zig cc) and calls every script batch function through
 * kiln_guard_call, which sets a sigsetjmp point and marks the thread "inside a script". Then:
 *  - a Zig panic reaches kiln_guard_panic through kiln_frame.panic and jumps back;
 *  - SIGSEGV / SIGBUS / SIGFPE / SIGILL / SIGTRAP raised while inside a script jump back;
 *  - the engine's watchdog sends KILN_GUARD_TIMEOUT_SIGNAL to a thread stuck in a script,
 *    which jumps back too (a `while (true) {}` cannot be stopped by a flag the script checks).
 * Signals that are not the script's (the JVM uses SIGSEGV itself, e.g. for implicit null
 * checks and safepoints) are passed to the handler that was installed before ours.
 * Handlers run on an alternate signal stack so a script's stack overflow is contained too.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <ucontext.h>
#include <unistd.h>

#include "kiln_guard.h"
#include "kiln_heap.h"

/* Initial-exec: a plain %fs-relative access, not a __tls_get_addr call per function (the default
 * model of a -fPIC library, ≈ 15 ns each, two per guarded call: hundreds a frame with hundreds of
 * libraries). This library is loaded once per process and its few variables fit glibc's static
 * TLS reserve for dlopen (kiln_signals.c does the same). */
#define KILN_GUARD_TLS __thread __attribute__((tls_model("initial-exec")))

static KILN_GUARD_TLS sigjmp_buf* current_jump;
static KILN_GUARD_TLS kiln_guard_fault* current_fault;
static KILN_GUARD_TLS volatile sig_atomic_t inside_script;
/* The batch call running on this thread (for the last gasp when a script ends the process). */
static KILN_GUARD_TLS kiln_batch_fn current_fn;
static KILN_GUARD_TLS void* current_items;
static KILN_GUARD_TLS uint32_t current_count;

static const int guarded_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP };
#define GUARDED_COUNT (sizeof(guarded_signals) / sizeof(guarded_signals[0]))
static struct sigaction previous[GUARDED_COUNT];
static int installed;

static void describe_pc(kiln_guard_fault* fault) {
    Dl_info info;
    fault->symbol[0] = 0;
    if (fault->pc == 0 || dladdr((void*)(uintptr_t)fault->pc, &info) == 0) return;
    const char* name = info.dli_sname ? info.dli_sname : "?";
    const char* lib = info.dli_fname ? info.dli_fname : "?";
    const char* slash = strrchr(lib, '/');
    if (slash) lib = slash + 1;
    uintptr_t offset = (uintptr_t)fault->pc - (uintptr_t)info.dli_fbase;
    /* No snprintf: keep this async-signal-safe enough (plain copies and hex). */
    char hex[19] = "0x";
    for (int i = 0; i < 16; i++) {
        int nibble = (int)((offset >> ((15 - i) * 4)) & 0xF);
        hex[2 + i] = (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
    }
    hex[18] = 0;
    size_t at = 0, cap = sizeof(fault->symbol) - 1;
    const char* parts[] = { name, " (", lib, "+", hex, ")" };
    for (size_t p = 0; p < 6; p++) {
        for (const char* c = parts[p]; *c && at < cap; c++) fault->symbol[at++] = *c;
    }
    fault->symbol[at] = 0;
}

static void capture_trace(kiln_guard_fault* fault) {
    void* frames[KILN_GUARD_TRACE_MAX];
    int n = backtrace(frames, KILN_GUARD_TRACE_MAX);
    for (int i = 0; i < n; i++) fault->trace[i] = (uint64_t)(uintptr_t)frames[i];
    fault->trace_count = n;
}

static uint64_t pc_of(void* context) {
#if defined(__x86_64__)
    return (uint64_t)((ucontext_t*)context)->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    return (uint64_t)((ucontext_t*)context)->uc_mcontext.pc;
#else
    (void)context;
    return 0;
#endif
}

static int guarded_index(int sig) {
    for (size_t i = 0; i < GUARDED_COUNT; i++) if (guarded_signals[i] == sig) return (int)i;
    return -1;
}

static void chain(int sig, siginfo_t* info, void* context) {
    int index = guarded_index(sig);
    if (index < 0) return;
    struct sigaction* prev = &previous[index];
    if (prev->sa_flags & SA_SIGINFO) {
        if (prev->sa_sigaction) prev->sa_sigaction(sig, info, context);
        return;
    }
    if (prev->sa_handler == SIG_IGN) return;
    if (prev->sa_handler == SIG_DFL) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    prev->sa_handler(sig);
}

static void on_signal(int sig, siginfo_t* info, void* context) {
    if (!inside_script || current_jump == NULL) {
        if (sig != KILN_GUARD_TIMEOUT_SIGNAL) chain(sig, info, context);
        return; /* a late timeout signal after the call ended: ignore */
    }
    inside_script = 0;
    kiln_guard_fault* fault = current_fault;
    fault->kind = sig == KILN_GUARD_TIMEOUT_SIGNAL ? FAULT_TIMEOUT : FAULT_SIGNAL;
    fault->signal = sig;
    fault->address = (uint64_t)(uintptr_t)info->si_addr;
    fault->pc = pc_of(context);
    describe_pc(fault);
    capture_trace(fault);
    siglongjmp(*current_jump, 1);
}

/* Installs the handlers once per process; returns 0 on success. */
int32_t kiln_guard_install(void) {
    if (installed) return 0;
    void* warm[1];
    backtrace(warm, 1); /* loads the unwinder now, not first inside a signal handler */
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_signal;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < GUARDED_COUNT; i++) {
        if (sigaction(guarded_signals[i], &action, &previous[i]) != 0) return -1;
    }
    if (sigaction(KILN_GUARD_TIMEOUT_SIGNAL, &action, NULL) != 0) return -1;
    installed = 1;
    return 0;
}

/* Gives the calling thread an alternate signal stack (once), so a script's stack overflow can
 * still be handled. Returns 0 on success. */
int32_t kiln_guard_prepare_thread(void) {
    static KILN_GUARD_TLS int prepared;
    if (prepared) return 0;
    stack_t stack;
    stack.ss_sp = malloc(KILN_GUARD_ALT_STACK_BYTES);
    if (stack.ss_sp == NULL) return -1;
    stack.ss_size = KILN_GUARD_ALT_STACK_BYTES;
    stack.ss_flags = 0;
    if (sigaltstack(&stack, NULL) != 0) return -1;
    prepared = 1;
    return 0;
}

/* kiln_frame.panic points here. Does not return while a guarded call is running. Outside one (the
 * SDK keeps the hook for every thread of the process, see zig/sdk/panic.zig) it says what
 * panicked, as the SDK does without a hook, and ends the process. */
void kiln_guard_panic(const char* message, size_t length, uintptr_t return_address) {
    if (!inside_script || current_jump == NULL) {
        static const char prefix[] = "kiln: script panic: ";
        ssize_t ignored = write(2, prefix, sizeof prefix - 1);
        ignored = write(2, message, length);
        ignored = write(2, "\n", 1);
        (void)ignored;
        abort();
    }
    inside_script = 0;
    kiln_guard_fault* fault = current_fault;
    fault->kind = FAULT_PANIC;
    fault->signal = 0;
    fault->address = 0;
    fault->pc = return_address;
    size_t n = length < sizeof(fault->message) - 1 ? length : sizeof(fault->message) - 1;
    memcpy(fault->message, message, n);
    fault->message[n] = 0;
    describe_pc(fault);
    capture_trace(fault);
    siglongjmp(*current_jump, 1);
}

/* What a guarded call runs: a thunk over the real call's arguments. */
typedef int32_t (*kiln_thunk)(const void* args);

/* The signal mask this thread makes guarded calls with, read at its first one. The jump point
 * does not save the mask (sigsetjmp(…, 0)): saving it is a system call on every guarded call
 * (≈ 380 ns on the reference machine, most of a library's fixed cost per phase). The handler
 * adds nothing to the mask (SA_NODEFER, empty sa_mask), so after a jump back the mask is the
 * faulting code's; it is set back to this one, which is what saving it gave. A thread's mask
 * does not change between guarded calls (the JVM sets it when it starts the thread). */
/* The mask itself (128 bytes) keeps the default model: it is read only at a thread's first call
 * and after a fault, and would take a large part of the static TLS reserve. */
static __thread sigset_t call_mask;
static KILN_GUARD_TLS int call_mask_read;

/* The one place that sets the jump point: runs thunk(args) so that a fault inside returns
 * KILN_ERR_FAULT with `fault` filled, instead of ending the process. */
static int32_t guarded(kiln_thunk thunk, const void* args, kiln_guard_fault* fault) {
    sigjmp_buf jump;
    sigjmp_buf* saved_jump = current_jump;
    kiln_guard_fault* saved_fault = current_fault;
    if (!call_mask_read) {
        pthread_sigmask(SIG_SETMASK, NULL, &call_mask);
        call_mask_read = 1;
    }
    fault->kind = FAULT_NONE;
    current_jump = &jump;
    current_fault = fault;
    if (sigsetjmp(jump, 0) != 0) {
        pthread_sigmask(SIG_SETMASK, &call_mask, NULL);
        current_jump = saved_jump;
        current_fault = saved_fault;
        return KILN_ERR_FAULT;
    }
    inside_script = 1;
    int32_t status = thunk(args);
    inside_script = 0;
    current_jump = saved_jump;
    current_fault = saved_fault;
    return status;
}

typedef struct batch_call { kiln_batch_fn fn; const void* frame; void* items; uint32_t count; } batch_call;

static int32_t run_batch(const void* args) {
    const batch_call* c = args;
    return c->fn(c->frame, c->items, c->count);
}

/* Calls fn(frame, items, count) under the guard: a script batch (init, update, shutdown, ...). */
int32_t kiln_guard_call(kiln_batch_fn fn, const void* frame, void* items, uint32_t count,
                        kiln_guard_fault* fault) {
    batch_call call = { fn, frame, items, count };
    kiln_batch_fn saved_fn = current_fn;
    void* saved_items = current_items;
    uint32_t saved_count = current_count;
    current_fn = fn;
    current_items = items;
    current_count = count;
    int32_t status = guarded(run_batch, &call, fault);
    /* ctx.frameAllocator() memory lasts one call: taken back here rather than by a second
     * downcall from the engine after every library's call (a per-library fixed cost). */
    const kiln_frame* f = frame;
    if (f != NULL && f->heap != NULL) kiln_heap_scratch_reset(f->heap);
    current_fn = saved_fn;
    current_items = saved_items;
    current_count = saved_count;
    return status;
}

/* ---- the last gasp: a script that ends the engine's process says who it was ---------------- */

/* kiln_instance: entity at 0, status at 32, 48 bytes; a signal delivery holds one at 64, 112 bytes. */
#define INSTANCE_BYTES 48
#define INSTANCE_STATUS_AT 32
#define DELIVERY_BYTES 112
#define DELIVERY_INSTANCE_AT 64
#define STATUS_RUNNING (-1)

static void write_text(const char* text) {
    ssize_t ignored = write(2, text, strlen(text));
    (void)ignored;
}

/* Written to stderr when exit() or abort() is called inside a guarded batch call: the library
 * and entity that did it, and what to do. Only what is async-signal-safe enough to run from
 * atexit or a SIGABRT handler: dladdr, snprintf into a stack buffer, write. */
static void last_gasp(const char* what) {
    if (!inside_script || current_fn == NULL) return;
    Dl_info info;
    const char* library = "a script library";
    const char* function = "";
    if (dladdr((void*)current_fn, &info) != 0) {
        if (info.dli_fname != NULL) library = strrchr(info.dli_fname, '/') ? strrchr(info.dli_fname, '/') + 1 : info.dli_fname;
        if (info.dli_sname != NULL) function = info.dli_sname;
    }
    int deliveries = strstr(function, "signal") != NULL;
    size_t stride = deliveries ? DELIVERY_BYTES : INSTANCE_BYTES, at = deliveries ? DELIVERY_INSTANCE_AT : 0;
    uint64_t entity = 0;
    int found = 0;
    for (uint32_t i = 0; current_items != NULL && i < current_count && !found; i++) {
        const uint8_t* instance = (const uint8_t*)current_items + i * stride + at;
        int32_t status;
        memcpy(&status, instance + INSTANCE_STATUS_AT, sizeof status);
        if (status == STATUS_RUNNING) {
            memcpy(&entity, instance, sizeof entity);
            found = 1;
        }
    }
    char line[768];
    if (found) {
        snprintf(line, sizeof line, "kiln: the script in %s called %s in %s for entity %uv%u: the engine process is ending. "
                 "Run scripts that may do this isolated (\"isolated\": true in the scene) to contain it.\n",
                 library, what, function, (unsigned)(entity & 0xffffffffu), (unsigned)(entity >> 32));
    } else {
        snprintf(line, sizeof line, "kiln: the script in %s called %s in %s: the engine process is ending. "
                 "Run scripts that may do this isolated (\"isolated\": true in the scene) to contain it.\n",
                 library, what, function);
    }
    write_text(line);
}

static void on_exit_gasp(void) {
    last_gasp("exit()");
}

static struct sigaction previous_abort;

static void on_abort(int sig, siginfo_t* info, void* context) {
    last_gasp("abort()");
    /* Then abort as asked: whatever handler was there before, then the default action. */
    if (previous_abort.sa_flags & SA_SIGINFO) {
        if (previous_abort.sa_sigaction != NULL) previous_abort.sa_sigaction(sig, info, context);
    } else if (previous_abort.sa_handler != SIG_IGN && previous_abort.sa_handler != SIG_DFL && previous_abort.sa_handler != NULL) {
        previous_abort.sa_handler(sig);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

/* The engine (not the isolated host, whose own ending is reported by the engine) asks for a
 * last gasp when a script calls exit() or abort() in its process. Returns 0 on success. */
int32_t kiln_guard_watch_exits(void) {
    static int watching;
    if (watching) return 0;
    if (atexit(on_exit_gasp) != 0) return -1;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_abort;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGABRT, &action, &previous_abort) != 0) return -1;
    watching = 1;
    return 0;
}

/* Hooks with other signatures (health, migrate, serialize, deserialize) are called through
 * this: up to four integer/pointer arguments, passed in registers by the x86_64 SysV and
 * AArch64 ABIs, where a callee ignores registers it does not take. */
typedef struct generic_call { kiln_generic_fn fn; uint64_t a[4]; } generic_call;

static int32_t run_generic(const void* args) {
    const generic_call* c = args;
    return c->fn(c->a[0], c->a[1], c->a[2], c->a[3]);
}

int32_t kiln_guard_call_generic(kiln_generic_fn fn, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                                kiln_guard_fault* fault) {
    generic_call call = { fn, { a0, a1, a2, a3 } };
    return guarded(run_generic, &call, fault);
}

/* Which loaded file holds `address`: writes its path, returns its load base (0 when unknown). */
uint64_t kiln_guard_locate(uint64_t address, char* path_out, size_t capacity) {
    Dl_info info;
    if (capacity == 0 || dladdr((void*)(uintptr_t)address, &info) == 0 || info.dli_fname == NULL) return 0;
    size_t n = strlen(info.dli_fname);
    if (n >= capacity) n = capacity - 1;
    memcpy(path_out, info.dli_fname, n);
    path_out[n] = 0;
    return (uint64_t)(uintptr_t)info.dli_fbase;
}

uint64_t kiln_guard_current_thread(void) {
    return (uint64_t)pthread_self();
}

/* Stops a thread stuck inside a script (sent by the engine's watchdog). */
int32_t kiln_guard_interrupt(uint64_t thread) {
    return pthread_kill((pthread_t)thread, KILN_GUARD_TIMEOUT_SIGNAL);
}
