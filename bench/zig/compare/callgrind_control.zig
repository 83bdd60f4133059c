//! Lets the JVM harness (InstructionCount) bracket the measured frames for callgrind: run under
//! `valgrind --tool=callgrind --instr-atstart=no`, only what runs between cg_start and cg_stop is
//! counted. Built with -fvalgrind so the client requests survive ReleaseFast; outside valgrind
//! they are a few no-op instructions.

const callgrind = @import("std").valgrind.callgrind;

export fn cg_start() void {
    callgrind.startInstrumentation();
    callgrind.zeroStats();
}

export fn cg_stop() void {
    callgrind.dumpStatsAt("measured frames");
    callgrind.stopInstrumentation();
}
