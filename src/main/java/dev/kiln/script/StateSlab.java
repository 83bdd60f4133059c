package dev.kiln.script;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Per-instance State memory of one script, carved from chunks of a State allocator. In the
 * engine's process the slab owns its memory ({@link #ownMemory}: a shared arena of its own,
 * not a library version's), so a body edit's new version takes the slab over and every State
 * stays where it is ({@link ScriptLibrary#keepingStatesOf}); the memory is freed when the
 * version holding the slab closes ({@link #closeIfHeldBy}), on the thread that
 * closes it. An isolated library's States live in its host's shared region and go with that
 * host. Freed slots are reused; slots never move, so the pointer an instance holds stays valid
 * for its life.
 */
final class StateSlab {
    /** Slots per chunk: one allocation serves this many instances. */
    private static final int SLOTS_PER_CHUNK = 1024;

    private final SegmentAllocator allocator;
    /**
     * The slab's own memory, closed by {@link #close}; null when it is an allocator's (an
     * isolated host's region, a warm-up's arena), which frees it. A shared arena, not an
     * automatic one: its memory does not count against the JVM's direct-memory limit (only an
     * automatic arena's does), it is freed when the engine says so rather than at a collection,
     * and the thread that prepares a swap may fill it while the frame thread runs the others.
     */
    private final Arena own;
    /**
     * The library version whose close frees {@link #own}: the one that made the slab, until a
     * body edit's version that took it over becomes the running one. Written by the frame
     * thread (the switch) and by the thread preparing a swap (a new slab), read by the closing thread.
     */
    private volatile ScriptLibrary holder;
    private final long slotSize;
    private final long align;
    private final List<MemorySegment> chunks = new ArrayList<>();
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();
    /**
     * Chunks a keyframe restore took out of use (the keyframe held fewer, or of other sizes):
     * their memory belongs to the allocator until the slab goes, so a later allocation of
     * the same size takes one of them instead of growing the arena on every rewind.
     */
    private final List<MemorySegment> spare = new ArrayList<>();
    private int liveSlots;

    /** A slab carved from {@code allocator}'s memory, which frees it ({@link #close} frees nothing). */
    StateSlab(SegmentAllocator allocator, int stateSize, int stateAlign) {
        this(allocator, null, stateSize, stateAlign);
    }

    private StateSlab(SegmentAllocator allocator, Arena own, int stateSize, int stateAlign) {
        this.allocator = allocator;
        this.own = own;
        this.align = alignOf(stateAlign);
        this.slotSize = slotSizeOf(stateSize, stateAlign);
    }

    /**
     * A slab with memory of its own, held by {@code holder} (the version it is made for): freed
     * when {@code holder}, or the version it is handed to ({@link #heldBy}), closes. Any thread.
     */
    static StateSlab ownMemory(ScriptLibrary holder, int stateSize, int stateAlign) {
        Arena arena = Arena.ofShared();
        StateSlab slab = new StateSlab(arena, arena, stateSize, stateAlign);
        slab.holder = holder;
        return slab;
    }

    /** {@code version} holds the slab from now on (the switch to a body edit's version that took it over). Frame thread. */
    void heldBy(ScriptLibrary version) {
        holder = version;
    }

    /**
     * Frees the slab's own memory when {@code version} holds it (the version closing is the last
     * to use it: a body edit's new version took it over otherwise). Any thread but the frame
     * thread inside a frame: it closes a shared arena, which waits for every thread of the JVM
     * to acknowledge it. Nothing may reach the slab's slots afterwards (an access throws
     * IllegalStateException).
     */
    void closeIfHeldBy(ScriptLibrary version) {
        if (holder == version) close();
    }

    /**
     * Frees the slab's own memory now, whoever holds it (a slab a refused or dropped swap made
     * and no version ran); nothing for a slab whose memory is an allocator's, or when already
     * freed. Threads as {@link #closeIfHeldBy}.
     */
    synchronized void close() {
        if (own != null && own.scope().isAlive()) own.close();
    }

    /** False once the slab's own memory was freed (true for an allocator's memory, which the slab does not free). */
    boolean alive() {
        return own == null || own.scope().isAlive();
    }

    /** A slot's alignment for a State of {@code stateAlign}: at least 8. */
    static long alignOf(int stateAlign) {
        return Math.max(8, stateAlign);
    }

    /** Bytes per slot for a State of {@code stateSize} bytes and {@code stateAlign}: the size rounded up to the alignment. */
    static long slotSizeOf(int stateSize, int stateAlign) {
        long align = alignOf(stateAlign);
        return Math.max(align, (stateSize + align - 1) / align * align);
    }

    /** True when a State of {@code stateSize} and {@code stateAlign} fits this slab's slots exactly as its own would. */
    boolean fits(int stateSize, int stateAlign) {
        return slotSizeOf(stateSize, stateAlign) == slotSize && alignOf(stateAlign) == align;
    }

    /** A zeroed slot (init expects zeroed memory). */
    MemorySegment allocate() {
        if (free.isEmpty()) {
            MemorySegment chunk = newChunk(slotSize * SLOTS_PER_CHUNK);
            chunks.add(chunk);
            for (int i = 0; i < SLOTS_PER_CHUNK; i++) free.add(chunk.asSlice(i * slotSize, slotSize));
        }
        MemorySegment slot = free.poll();
        slot.fill((byte) 0);
        liveSlots++;
        return slot;
    }

    /**
     * {@code n} zeroed slots carved from one new allocation, in order (a swap's new States: one
     * allocation and one fill instead of {@code n} polls and fills). Released one by one like
     * any other slot.
     */
    Block allocateBlock(int n) {
        MemorySegment[] out = new MemorySegment[n];
        if (n == 0) return new Block(MemorySegment.NULL, slotSize, out);
        MemorySegment block = newChunk(slotSize * n);
        block.fill((byte) 0); // an isolated host's region is not zeroed for us
        chunks.add(block);
        for (int k = 0; k < n; k++) out[k] = block.asSlice(k * slotSize, slotSize);
        liveSlots += n;
        return new Block(block, slotSize, out);
    }

    /** Slots allocated together: the whole allocation, each slot's size, the slots in order. */
    record Block(MemorySegment whole, long slotSize, MemorySegment[] slots) {}

    void release(MemorySegment slot) {
        free.push(slot);
        liveSlots--;
    }

    /** The chunks (of 1024 slots, or a swap's block), read-only views, in allocation order. */
    List<MemorySegment> chunks() {
        List<MemorySegment> out = new ArrayList<>(chunks.size());
        for (MemorySegment c : chunks) out.add(c.asReadOnly());
        return out;
    }

    /** Bytes per slot: the State's size rounded up to its alignment (at least 8). */
    long slotSize() {
        return slotSize;
    }

    int liveSlots() {
        return liveSlots;
    }

    /** {@code bytes} of State memory: a spare chunk of exactly that size, else a new allocation. */
    private MemorySegment newChunk(long bytes) {
        for (Iterator<MemorySegment> it = spare.iterator(); it.hasNext(); ) {
            MemorySegment c = it.next();
            if (c.byteSize() == bytes) {
                it.remove();
                c.fill((byte) 0); // as a fresh allocation from the arena is: the hash reads free slots too
                return c;
            }
        }
        return allocator.allocate(bytes, align);
    }

    // ---- keyframes (rewind) ---------------------------------------------------------------------

    /**
     * Every chunk's bytes (live slots, free slots with what they hold), the free list in reuse
     * order and the live count: what a rewind keyframe keeps of this slab, so a restore gives
     * every instance its slot back and later allocations the same slots, and the frame hash
     * (which reads the chunks whole) the same bytes. Immutable once made.
     *
     * @param slotSize bytes per slot
     * @param chunks   each chunk's bytes, in allocation order
     * @param free     free slots in reuse order, as {@link #slotCode} gives them
     */
    record Image(long slotSize, byte[][] chunks, long[] free, int liveSlots) {
        long bytes() {
            long n = 64 + free.length * 8L;
            for (byte[] c : chunks) n += 16 + c.length;
            return n;
        }
    }

    /** This slab now: each chunk copied in one bulk read. Frame thread, between frames. */
    Image image() {
        byte[][] bytes = new byte[chunks.size()][];
        for (int c = 0; c < bytes.length; c++) bytes[c] = chunks.get(c).toArray(ValueLayout.JAVA_BYTE);
        long[] freeCodes = new long[free.size()];
        int k = 0;
        for (MemorySegment slot : free) freeCodes[k++] = slotCode(slot);
        return new Image(slotSize, bytes, freeCodes, liveSlots);
    }

    /**
     * Puts {@code image}'s chunks, free list and live count back: a chunk of the same size at
     * the same position is written in place, any other is taken from the spare chunks or
     * allocated (the ones no longer used become spare). Slots of instances are then
     * {@link #slot}(code). Frame thread, between frames; IllegalArgumentException when the
     * image's slot size is not this slab's (another State layout: nothing changed).
     */
    void restore(Image image) {
        if (image.slotSize() != slotSize) {
            throw new IllegalArgumentException("a State slab image of " + image.slotSize() + "-byte slots cannot be restored into "
                    + slotSize + "-byte slots (the State layout changed)");
        }
        int n = image.chunks().length;
        MemorySegment[] placed = new MemorySegment[n];
        for (int c = 0; c < chunks.size(); c++) {
            MemorySegment chunk = chunks.get(c);
            if (c < n && chunk.byteSize() == image.chunks()[c].length) placed[c] = chunk;
            else spare.add(chunk); // taken again below, or by a later allocation of its size
        }
        chunks.clear();
        for (int c = 0; c < n; c++) {
            byte[] bytes = image.chunks()[c];
            MemorySegment chunk = placed[c] != null ? placed[c] : newChunk(bytes.length);
            MemorySegment.copy(bytes, 0, chunk, ValueLayout.JAVA_BYTE, 0, bytes.length);
            chunks.add(chunk);
        }
        free.clear();
        for (long code : image.free()) free.add(slot(code));
        liveSlots = image.liveSlots();
    }

    /**
     * Where {@code slot} lies: its chunk's index in the high 32 bits, its slot index in that
     * chunk in the low 32; -1 for a segment that is none of this slab's slots.
     */
    long slotCode(MemorySegment slot) {
        long at = slot.address();
        for (int c = 0; c < chunks.size(); c++) {
            MemorySegment chunk = chunks.get(c);
            long offset = at - chunk.address();
            if (offset >= 0 && offset < chunk.byteSize()) return (long) c << 32 | offset / slotSize;
        }
        return -1;
    }

    /** The slot {@link #slotCode} named (in the chunks as they are now). */
    MemorySegment slot(long code) {
        return chunks.get((int) (code >>> 32)).asSlice((code & 0xFFFFFFFFL) * slotSize, slotSize);
    }
}
