/*
 * kiln_host.h — the private protocol between the engine (dev.kiln.isolate: Region, HostControl)
 * and an isolated script's host process (kiln_host.c): the control block at offset 0 of their
 * shared region. AbiMirrorTest checks the Java layout against this struct as the C compiler
 * lays it out.
 */
#ifndef KILN_HOST_H
#define KILN_HOST_H

#include <stdint.h>

#include "kiln.h"
#include "kiln_guard.h"

#define KILN_HOST_PROTOCOL_VERSION 1u
#define KILN_HOST_MAGIC 0x5453484Bu /* "KHST" */

/* Where the host copies the library's kiln_script_info and everything it points to. */
#define KILN_HOST_INFO_AREA_OFFSET 4096u
#define KILN_HOST_INFO_AREA_END (4u << 20)

enum {
    KILN_HOST_OP_BATCH = 1, /* function(frame = args[0], items = args[1], count = args[2]) → args[3] the
                               instances refused for their memory budget that the engine has not
                               taken yet (KILN_HOST_HEAP_TAKE_REFUSALS) */
    KILN_HOST_OP_HOOK = 2,  /* function(args[0], args[1], args[2], args[3]) */
    KILN_HOST_OP_QUIT = 3,
    KILN_HOST_OP_HEAP = 4,  /* this host's container memory: control.function is a KILN_HOST_HEAP_* */
};

/* The library's containers (kiln.List and friends) live in the host process's own kiln_heap: a
 * script here must not reach engine memory, and the engine must not run allocator code over
 * memory a script can scribble on. The engine asks for what it needs by these requests (args
 * in, results written back into args): */
enum {
    KILN_HOST_HEAP_SET_BUDGET = 0,    /* (instance, bytes) */
    KILN_HOST_HEAP_FREE_INSTANCE = 1, /* (instance): its shutdown has run */
    KILN_HOST_HEAP_READ = 2,          /* (handle, out address in the region, out capacity) → args[0] len,
                                         args[1] elem_size, args[2] capacity in elements; copies
                                         the whole elements that fit: KILN_ERR_BUFFER_TOO_SMALL
                                         when that is not all of them */
    KILN_HOST_HEAP_CREATE = 3,        /* (instance, elem_size | len << 32, bytes address in the region)
                                         → args[0] the new handle (id | generation << 32) */
    KILN_HOST_HEAP_USAGE = 4,         /* (instance, clear refused) → args[0] used, args[1] budget,
                                         args[2] blocks | refused << 32, args[3] refused bytes */
    KILN_HOST_HEAP_TAKE_REFUSALS = 5, /* (out address in the region, out capacity in ids) → args[0] ids
                                         written (uint32 instances), args[1] refused but not listed */
};
/* What each instance may hold until the engine says otherwise (ScriptRuntime's default). */
#define KILN_HOST_DEFAULT_MEMORY_BUDGET (16ull << 20)

/* Functions of the library, by index (bit i of control.exports says whether it exists). */
enum {
    KILN_HOST_FN_INIT, KILN_HOST_FN_UPDATE, KILN_HOST_FN_SHUTDOWN, KILN_HOST_FN_SIGNAL, KILN_HOST_FN_UNLOAD,
    KILN_HOST_FN_HEALTH, KILN_HOST_FN_MIGRATE, KILN_HOST_FN_SERIALIZE, KILN_HOST_FN_DESERIALIZE,
    KILN_HOST_FN_METADATA, KILN_HOST_FN_COUNT
};


/* At offset 0 of the region. The engine's HostControl.LAYOUT mirrors it. 2464 bytes. */
typedef struct kiln_host_control {
    uint32_t magic;            /*    0  KILN_HOST_MAGIC once the host has mapped the region */
    uint32_t version;          /*    4  KILN_HOST_PROTOCOL_VERSION */
    uint32_t op;               /*    8  engine: KILN_HOST_OP_* */
    uint32_t function;         /*   12  engine: KILN_HOST_FN_* */
    uint64_t args[4];          /*   16  engine: the call's arguments */
    int32_t  status;           /*   48  host: the call's kiln_status (KILN_ERR_FAULT: see fault) */
    uint32_t exports;          /*   52  host: bit KILN_HOST_FN_x set when the library has it */
    uint64_t info;             /*   56  host: address of the kiln_script_info copy, 0 if none */
    uint64_t library_base;     /*   64  host: load address of the library (names trace entries) */
    uint64_t replies;          /*   72  host: counts answered requests (the engine may spin on it) */
    uint64_t reserved[6];      /*   80 */
    char     error[1024];      /*  128  host: why loading failed, NUL-terminated */
    kiln_guard_fault fault;    /* 1152  host: the contained fault when status is KILN_ERR_FAULT */
} kiln_host_control;

_Static_assert(sizeof(kiln_host_control) == 2464, "kiln_host_control layout");
_Static_assert(offsetof(kiln_host_control, fault) == 1152, "kiln_host_control layout");

#endif
