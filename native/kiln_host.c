/*
 * kiln_host.c — runs one script library in its own process, for the engine's isolated mode.
 *
 * In-process, the fault guard contains panics, crashes and hangs, but not a script that writes
 * through a wild pointer into memory that is valid, or that calls exit() or abort(). An
 * isolated script runs here instead: whatever it does, it can only damage this process.
 *
 * Memory: this process creates a memfd (the "region"); the engine maps it, then this process
 * maps it at the *same address* (MAP_FIXED_NOREPLACE), so every pointer the engine writes into
 * the region (frame, snapshot copy, command buffer, instances, State) is valid here unchanged.
 * The engine never reads a pointer from the region without checking that it stays inside it.
 *
 * Protocol (this process's stdin/stdout; the library's own stdout goes to stderr):
 *   host → engine  'K', int32 memfd number, int32 KILN_HOST_PROTOCOL_VERSION
 *   engine → host  uint64 address to map the region at (0: give up)
 *   host → engine  'M' mapped, or 'X' that address is taken here (the engine offers another)
 *   host → engine  'r' once the library is loaded (control.status, .error, .exports, .info)
 *   then, per request: engine → host one byte after filling control.op/function/args;
 *                      host → engine 'r' after filling control.status (and .fault).
 * End of stdin, or KILN_HOST_OP_QUIT, ends the process. So does the death of the engine's
 * launcher thread (PR_SET_PDEATHSIG; the engine starts every host from one thread that lives
 * as long as the JVM), so a crashed engine leaves no host behind. The host leads a process
 * group of its own, so the engine can end whatever the library forks along with it.
 *
 * The region is sealed against shrinking and growing before the library is loaded: a library
 * that truncated it would make every engine access to it fault.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "kiln.h"
#include "kiln_guard.h"
#include "kiln_host.h"
#include "kiln_heap.h"

static kiln_heap* heap;

static const char* const function_names[KILN_HOST_FN_COUNT] = {
    KILN_EXPORT_INIT, KILN_EXPORT_UPDATE, KILN_EXPORT_SHUTDOWN, KILN_EXPORT_SIGNAL, KILN_EXPORT_UNLOAD,
    KILN_EXPORT_HEALTH, KILN_EXPORT_MIGRATE, KILN_EXPORT_SERIALIZE, KILN_EXPORT_DESERIALIZE, KILN_EXPORT_INFO,
};

static void* functions[KILN_HOST_FN_COUNT];

static int read_full(int fd, void* buffer, size_t n) {
    uint8_t* p = buffer;
    while (n > 0) {
        ssize_t got = read(fd, p, n);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return -1;
        p += got;
        n -= (size_t)got;
    }
    return 0;
}

static int write_full(int fd, const void* buffer, size_t n) {
    const uint8_t* p = buffer;
    while (n > 0) {
        ssize_t put = write(fd, p, n);
        if (put < 0 && errno == EINTR) continue;
        if (put <= 0) return -1;
        p += put;
        n -= (size_t)put;
    }
    return 0;
}

/* ---- copying the library's metadata into the region -------------------------------------- */

typedef struct bump { uint8_t* at; uint8_t* end; } bump;

static void* take(bump* b, size_t n, size_t align) {
    uintptr_t p = ((uintptr_t)b->at + align - 1) & ~(uintptr_t)(align - 1);
    if (p + n > (uintptr_t)b->end || p + n < p) return NULL;
    b->at = (uint8_t*)(p + n);
    return (void*)p;
}

/* A copy of `s` in the region; NULL stays NULL. Fails (sets *error) at `max` bytes or more. */
static const char* copy_text(bump* b, const char* s, size_t max, const char** error) {
    if (s == NULL) return NULL;
    size_t n = strnlen(s, max);
    if (n == max) {
        *error = "a metadata string is not NUL-terminated within its bound";
        return NULL;
    }
    char* out = take(b, n + 1, 1);
    if (out == NULL) {
        *error = "the library's metadata does not fit the host's info area";
        return NULL;
    }
    memcpy(out, s, n + 1);
    return out;
}

/* Names and hashes: at most 4096 bytes (ScriptInfoReader.METADATA_STRING_MAX). */
static const char* copy_string(bump* b, const char* s, const char** error) {
    return copy_text(b, s, 4096, error);
}

/* Deep copy of kiln_script_info; counts out of bounds are kept (the engine refuses them) with
 * their table pointer NULL. Returns NULL and sets *error when the copy fails. */
static kiln_script_info* copy_info(bump* b, const kiln_script_info* in, const char** error) {
    kiln_script_info* out = take(b, sizeof *out, 8);
    if (out == NULL) return *error = "the info area is too small", NULL;
    memcpy(out, in, sizeof *out);
    out->name = copy_string(b, in->name, error);
    out->source_hash = copy_string(b, in->source_hash, error);
    out->state_fields = NULL;
    if (in->state_fields != NULL && in->state_field_count <= 4096) {
        kiln_field_info* fields = take(b, sizeof(kiln_field_info) * in->state_field_count, 8);
        if (fields == NULL) return *error = "the library's state fields do not fit the host's info area", NULL;
        for (uint32_t i = 0; i < in->state_field_count; i++) {
            fields[i] = in->state_fields[i];
            fields[i].name = copy_string(b, in->state_fields[i].name, error);
        }
        out->state_fields = fields;
    }
    out->exports = NULL;
    if (in->exports != NULL && in->export_count <= 256) {
        const char** names = take(b, sizeof(char*) * in->export_count, 8);
        if (names == NULL) return *error = "the library's export list does not fit the host's info area", NULL;
        for (uint32_t i = 0; i < in->export_count; i++) names[i] = copy_string(b, in->exports[i], error);
        out->exports = names;
    }
    out->state_defaults = NULL;
    if (in->state_defaults != NULL && in->state_size <= (1u << 20)) {
        void* defaults = take(b, in->state_size, 16);
        if (defaults == NULL) return *error = "the library's State defaults do not fit the host's info area", NULL;
        memcpy(defaults, in->state_defaults, in->state_size);
        out->state_defaults = defaults;
    }
    out->state_type = NULL;
    out->source_commit = NULL;
    if (in->struct_version >= 2) {
        out->state_type = copy_text(b, in->state_type, KILN_STATE_TYPE_MAX + 1, error);
        out->source_commit = copy_string(b, in->source_commit, error);
    }
    return *error == NULL ? out : NULL;
}

static void load(kiln_host_control* control, const char* path) {
    control->status = KILN_ERR_INVALID_ARGUMENT;
    void* handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        snprintf(control->error, sizeof control->error, "dlopen failed: %s", dlerror());
        return;
    }
    for (int i = 0; i < KILN_HOST_FN_COUNT; i++) {
        functions[i] = dlsym(handle, function_names[i]);
        if (functions[i] != NULL) control->exports |= 1u << i;
    }
    control->status = KILN_OK;
    if (functions[KILN_HOST_FN_METADATA] == NULL) return; /* the engine names the missing exports */
    Dl_info where;
    if (dladdr(functions[KILN_HOST_FN_METADATA], &where) != 0) {
        control->library_base = (uint64_t)(uintptr_t)where.dli_fbase;
    }
    const kiln_script_info* info = ((kiln_script_metadata_fn)functions[KILN_HOST_FN_METADATA])();
    if (info == NULL) return; /* info stays 0: the engine reports "returned NULL" */
    bump area = { (uint8_t*)control + KILN_HOST_INFO_AREA_OFFSET, (uint8_t*)control + KILN_HOST_INFO_AREA_END };
    const char* error = NULL;
    kiln_script_info* copy = copy_info(&area, info, &error);
    if (copy == NULL) {
        snprintf(control->error, sizeof control->error, "%s", error);
        control->status = KILN_ERR_INVALID_ARGUMENT;
        return;
    }
    control->info = (uint64_t)(uintptr_t)copy;
}

/* Caps this process's address space at what it uses now (the region included) plus `extra`:
 * the library's allocations beyond it fail (mmap/malloc return errors), so a runaway
 * allocation in a script cannot exhaust the machine's memory. */
static int limit_address_space(unsigned long long extra) {
    FILE* statm = fopen("/proc/self/statm", "r");
    unsigned long long pages = 0;
    if (statm == NULL) return -1;
    int read = fscanf(statm, "%llu", &pages);
    fclose(statm);
    if (read != 1) return -1;
    unsigned long long limit = pages * (unsigned long long)sysconf(_SC_PAGESIZE) + extra;
    struct rlimit rl = { (rlim_t)limit, (rlim_t)limit };
    return setrlimit(RLIMIT_AS, &rl);
}

/* ---- serving calls ----------------------------------------------------------------------- */

/* Keeps only the trace entries inside the script library: the engine names those from the
 * library's symbol table; this program's and libc's frames mean nothing to a script author. */
static void keep_library_frames(kiln_host_control* control) {
    kiln_guard_fault* fault = &control->fault;
    int kept = 0;
    for (int i = 0; i < fault->trace_count && i < KILN_GUARD_TRACE_MAX; i++) {
        Dl_info where;
        void* address = (void*)(uintptr_t)fault->trace[i];
        if (dladdr(address, &where) != 0 && (uint64_t)(uintptr_t)where.dli_fbase == control->library_base) {
            fault->trace[kept++] = fault->trace[i];
        }
    }
    fault->trace_count = kept;
}

static kiln_handle handle_of(uint64_t bits) {
    kiln_handle h = { (uint32_t)bits, (uint32_t)(bits >> 32) };
    return h;
}

static void serve_heap(kiln_host_control* control) {
    uint64_t* a = control->args;
    if (heap == NULL) {
        control->status = KILN_ERR_OUT_OF_MEMORY;
        return;
    }
    switch (control->function) {
    case KILN_HOST_HEAP_SET_BUDGET:
        kiln_heap_set_budget(heap, (uint32_t)a[0], a[1]);
        control->status = KILN_OK;
        return;
    case KILN_HOST_HEAP_FREE_INSTANCE:
        kiln_heap_free_instance(heap, (uint32_t)a[0]);
        control->status = KILN_OK;
        return;
    case KILN_HOST_HEAP_READ: {
        kiln_block* b = kiln_heap_block(heap, handle_of(a[0]));
        if (b == NULL) {
            control->status = KILN_ERR_NOT_FOUND;
            return;
        }
        uint64_t bytes = (uint64_t)b->len * b->elem_size, capacity = a[2];
        void* out = (void*)(uintptr_t)a[1];
        a[0] = b->len;
        a[1] = b->elem_size;
        a[2] = b->capacity;
        /* The whole elements that fit: all of them, or a prefix (BUFFER_TOO_SMALL says which). */
        uint64_t fits = bytes <= capacity ? bytes : capacity / b->elem_size * b->elem_size;
        if (fits > 0) memcpy(out, b->data, (size_t)fits);
        control->status = fits == bytes ? KILN_OK : KILN_ERR_BUFFER_TOO_SMALL;
        return;
    }
    case KILN_HOST_HEAP_CREATE: {
        kiln_handle made;
        control->status = kiln_heap_adopt(heap, (uint32_t)a[0], (uint32_t)a[1], (uint32_t)(a[1] >> 32),
                                          (const void*)(uintptr_t)a[2], &made);
        a[0] = (uint64_t)made.id | (uint64_t)made.generation << 32;
        return;
    }
    case KILN_HOST_HEAP_USAGE: {
        kiln_heap_usage usage;
        kiln_heap_usage_of(heap, (uint32_t)a[0], &usage, a[1] != 0);
        a[0] = usage.used_bytes;
        a[1] = usage.budget_bytes;
        a[2] = (uint64_t)usage.blocks | (uint64_t)usage.refused << 32;
        a[3] = usage.refused_bytes;
        control->status = KILN_OK;
        return;
    }
    case KILN_HOST_HEAP_TAKE_REFUSALS: {
        uint32_t unlisted = 0;
        a[0] = kiln_heap_take_refusals(heap, (uint32_t*)(uintptr_t)a[0], (uint32_t)a[1], &unlisted);
        a[1] = unlisted;
        control->status = KILN_OK;
        return;
    }
    default:
        control->status = KILN_ERR_INVALID_ARGUMENT;
    }
}

static void serve(kiln_host_control* control) {
    if (control->op == KILN_HOST_OP_HEAP) {
        serve_heap(control);
        return;
    }
    uint32_t index = control->function;
    void* function = index < KILN_HOST_FN_COUNT ? functions[index] : NULL;
    if (function == NULL || index == KILN_HOST_FN_METADATA) {
        control->status = KILN_ERR_NOT_FOUND;
        return;
    }
    memset(&control->fault, 0, sizeof control->fault);
    if (control->op == KILN_HOST_OP_BATCH) {
        kiln_frame* frame = (kiln_frame*)(uintptr_t)control->args[0];
        frame->panic = kiln_guard_panic; /* the engine's frame copy cannot know this address */
        frame->heap = heap;              /* nor this one: the host's own container memory */
        control->status = kiln_guard_call((kiln_batch_fn)function, frame, (void*)(uintptr_t)control->args[1],
                                          (uint32_t)control->args[2], &control->fault);
        if (heap != NULL) kiln_heap_scratch_reset(heap); /* frameAllocator memory lasts one call */
        /* Tells the engine whether a budget warning waits, so it asks only then (a round trip). */
        control->args[3] = heap != NULL ? kiln_heap_refusals_pending(heap) : 0;
    } else if (control->op == KILN_HOST_OP_HOOK) {
        control->status = kiln_guard_call_generic((kiln_generic_fn)function, control->args[0], control->args[1],
                                                  control->args[2], control->args[3], &control->fault);
    } else {
        control->status = KILN_ERR_INVALID_ARGUMENT;
        return;
    }
    if (control->status == KILN_ERR_FAULT) keep_library_frames(control);
}

int main(int argc, char** argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: kiln_host <script library> <region bytes> <memory limit bytes, 0: none>\n"
                        "(started by the Kiln engine for scripts in isolated mode)\n");
        return 2;
    }
    pid_t launcher = getppid();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != launcher) return 5; /* the engine died before the line above */
    setpgid(0, 0);
    size_t region_bytes = strtoull(argv[2], NULL, 10);
    unsigned long long memory_limit = strtoull(argv[3], NULL, 10);
    /* The protocol owns stdin/stdout; the library's prints go to stderr. */
    int from_engine = fcntl(0, F_DUPFD_CLOEXEC, 10);
    int to_engine = fcntl(1, F_DUPFD_CLOEXEC, 10);
    int devnull = open("/dev/null", O_RDONLY);
    if (from_engine < 0 || to_engine < 0 || devnull < 0 || dup2(devnull, 0) < 0 || dup2(2, 1) < 0) {
        perror("kiln_host: fds");
        return 3;
    }
    int region = memfd_create("kiln-isolated-region", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (region < 0 || ftruncate(region, (off_t)region_bytes) != 0
        || fcntl(region, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
        perror("kiln_host: memfd");
        return 3;
    }
    uint8_t hello[9] = { 'K' };
    int32_t fd_number = region;
    uint32_t version = KILN_HOST_PROTOCOL_VERSION;
    memcpy(hello + 1, &fd_number, 4);
    memcpy(hello + 5, &version, 4);
    if (write_full(to_engine, hello, sizeof hello) != 0) return 4;

    kiln_host_control* control = NULL;
    while (control == NULL) {
        uint64_t address;
        if (read_full(from_engine, &address, sizeof address) != 0 || address == 0) return 4;
        void* mapped = mmap((void*)(uintptr_t)address, region_bytes, PROT_READ | PROT_WRITE,
                            MAP_SHARED | MAP_FIXED_NOREPLACE, region, 0);
        if (mapped == (void*)(uintptr_t)address) {
            control = mapped;
            close(region); /* the engine opened its own descriptor before offering addresses */
        } else if (mapped != MAP_FAILED) {
            munmap(mapped, region_bytes); /* an old kernel took the address as a hint only */
        }
        char answer = control != NULL ? 'M' : 'X';
        if (write_full(to_engine, &answer, 1) != 0) return 4;
    }
    control->magic = KILN_HOST_MAGIC;
    control->version = KILN_HOST_PROTOCOL_VERSION;
    if (memory_limit > 0 && limit_address_space(memory_limit) != 0) {
        perror("kiln_host: setrlimit");
        return 3;
    }
    if (kiln_guard_install() != 0 || kiln_guard_prepare_thread() != 0) {
        snprintf(control->error, sizeof control->error, "cannot install the fault guard in the host");
        control->status = KILN_ERR_INVALID_ARGUMENT;
    } else {
        load(control, argv[1]);
        heap = kiln_heap_create(KILN_HOST_DEFAULT_MEMORY_BUDGET); /* NULL: containers answer OutOfMemory */
    }
    if (write_full(to_engine, "r", 1) != 0) return 4;

    for (;;) {
        char request;
        if (read_full(from_engine, &request, 1) != 0) return 0; /* the engine closed the pipe */
        if (control->op == KILN_HOST_OP_QUIT) return 0;
        serve(control);
        __atomic_add_fetch(&control->replies, 1, __ATOMIC_RELEASE);
        if (write_full(to_engine, "r", 1) != 0) return 0;
    }
}
