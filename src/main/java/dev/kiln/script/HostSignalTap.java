package dev.kiln.script;

import java.lang.foreign.MemorySegment;

/**
 * Lets the Java host see the signals scripts emit (an embedding game's subscriptions, see
 * dev.kiln.embed.Kiln#onSignal). Called by the signal bus during dispatch, on the frame thread,
 * once per queued signal whose name the tap {@link #wants}; the tap must copy what it keeps and
 * must not call back into the engine (the bus is mid-dispatch).
 */
public interface HostSignalTap {
    /** Cheap filter, asked for every dispatched signal: does the host listen to this name? */
    boolean wants(long nameHash);

    /**
     * One signal: {@code payload} is a view valid only during this call; {@code target} is
     * NULL for a broadcast.
     */
    void take(long nameHash, long sender, long target, MemorySegment payload);
}
