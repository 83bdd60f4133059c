package dev.kiln.script;

import dev.kiln.abi.ScriptInfo;
import dev.kiln.state.StateMigration;
import dev.kiln.state.StateType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The loops over every instance that a hot-reload swap runs on the frame thread, as static
 * methods of their own so that {@link #warmUp} can have the JIT compile them before the first
 * swap. A swap runs each loop once over its instances: without a warm-up the first swaps of
 * 10,000 instances run them in the interpreter (≈ 0.3–1 ms per loop instead of tens of µs).
 */
final class SwapLoops {
    /**
     * Synthetic instances per warm-up round and rounds: the JIT compiles a method fully once it
     * has been called hundreds of times (long loops in few calls get only their loops compiled),
     * so many short rounds, ≈ 130,000 iterations of each loop in all.
     */
    static final int WARMUP_INSTANCES = 64;
    static final int WARMUP_ROUNDS = 2_000;
    /** Old States per block in the warm-up: runs of this many, several per round. */
    static final int WARMUP_RUN = 16;

    private SwapLoops() {}

    /**
     * {@code attached} (attach order) in canonical order (priority, then attach order): one
     * pass to check the order, a sort only when priorities differ.
     */
    static ScriptInstance[] inOrder(Collection<ScriptInstance> attached) {
        ScriptInstance[] out = attached.toArray(new ScriptInstance[0]);
        for (int k = 1; k < out.length; k++) {
            if (ScriptInstance.compareOrder(out[k - 1], out[k]) > 0) {
                Arrays.sort(out, ScriptInstance::compareOrder);
                break;
            }
        }
        return out;
    }

    /**
     * How many of {@code affected} carry their State over (initialised, init succeeded), and
     * whether any needs more than a plain switch (init to run again, or a fault to clear):
     * {carried, 1 if any needs care else 0}.
     */
    static int[] census(ScriptInstance[] affected) {
        int carried = 0, care = 0;
        for (ScriptInstance i : affected) {
            boolean initialised = i.stateMemory() != null;
            if (initialised && i.initSucceeded()) carried++;
            else if (initialised) care = 1;
            if (i.fault() != null) care = 1;
        }
        return new int[] {carried, care};
    }

    /**
     * A plan of plain copies (see {@link StateMigration#plainCopies}): the block gets the
     * defaults in bulk unless {@code defaultsFilled} (a prepared block) or the copies write every
     * byte, then {@link #migrateEach} runs each State's one or two copies.
     */
    static StateMoves copyStates(StateMigration migration, ScriptInstance[] affected, StateSlab.Block block, int carried,
                                 boolean defaultsFilled, MemorySegment[] migrated, byte[] oldScratch, byte[] newScratch,
                                 StateSlab oldStates) {
        if (migration.copiesWholeState() && oldStates.slotSize() == block.slotSize()) {
            StateMoves moves = new StateMoves();
            if (copyRuns(affected, block, migrated, oldStates.chunks(), moves)) return moves;
        }
        if (!defaultsFilled && !migration.copiesCoverAll()) migration.fillDefaults(block.whole(), block.slotSize(), carried);
        migrateEach(migration, affected, block.slots(), migrated, null, oldScratch, newScratch);
        return null;
    }

    /**
     * A body edit (see {@link StateMigration#copiesWholeState}): each carried instance gets the
     * next slot of {@code block}, and its old State's bytes are copied there by runs — old States
     * that lie back to back (a previous swap's block, a chunk filled in attach order) are one
     * copy, not one per instance. False, and {@code block} to be written again by the caller,
     * when a run does not lie within one chunk of {@code oldChunks} (two chunks that happen to be
     * adjacent in memory). Each run copied is added to {@code moves}.
     */
    static boolean copyRuns(ScriptInstance[] affected, StateSlab.Block block, MemorySegment[] migrated,
                            List<MemorySegment> oldChunks, StateMoves moves) {
        MemorySegment[] slots = block.slots();
        long slotSize = block.slotSize();
        int slot = 0, runSlot = 0;
        long runStart = 0, runEnd = 0; // old addresses of the current run, [start, end)
        for (int k = 0; k < affected.length; k++) {
            ScriptInstance i = affected[k];
            MemorySegment old = i.stateMemory();
            if (old == null || !i.initSucceeded()) continue;
            migrated[k] = slots[slot];
            long at = old.address();
            if (at != runEnd) {
                if (runEnd != runStart && !copyRun(oldChunks, runStart, runEnd, block.whole(), runSlot * slotSize, moves)) {
                    return false;
                }
                runStart = at;
                runSlot = slot;
            }
            runEnd = at + slotSize;
            slot++;
        }
        return runEnd == runStart || copyRun(oldChunks, runStart, runEnd, block.whole(), runSlot * slotSize, moves);
    }

    /** Copies old addresses [start, end) to {@code to} at {@code offset}; false when no one chunk holds them. */
    private static boolean copyRun(List<MemorySegment> chunks, long start, long end, MemorySegment to, long offset,
                                   StateMoves moves) {
        for (MemorySegment c : chunks) {
            long base = c.address();
            if (start >= base && end <= base + c.byteSize()) {
                MemorySegment.copy(c, start - base, to, offset, end - start);
                moves.add(start, end, to.address() + offset);
                return true;
            }
        }
        return false;
    }

    /**
     * Each carried instance's new State (initialised, init succeeded), the next of {@code slots},
     * migrated from its old one with no hook; {@code migrated[k]} names affected[k]'s. A plan of
     * plain copies writes only its copies (the slots hold the defaults already); any other plan
     * migrates through the two buffers ({@code oldScratch} at least the old State's size,
     * {@code newScratch} at least the new one's), containers through {@code containers}. One
     * tight loop for a body edit and for a layout edit.
     */
    static void migrateEach(StateMigration migration, ScriptInstance[] affected, MemorySegment[] slots,
                            MemorySegment[] migrated, SwapContainers containers, byte[] oldScratch, byte[] newScratch) {
        boolean plain = migration.plainCopies();
        int slot = 0;
        for (int k = 0; k < affected.length; k++) {
            ScriptInstance i = affected[k];
            MemorySegment old = i.stateMemory();
            if (old == null || !i.initSucceeded()) continue;
            MemorySegment state = slots[slot++];
            migrated[k] = state;
            if (plain && migration.copyInto(old, state)) continue;
            if (containers != null) containers.forInstance(i.id());
            migration.migrate(old, state, oldScratch, newScratch, containers);
        }
    }

    /**
     * A State whose fields change type in {@link #CONVERTED_TO}, floats and integers of every
     * width, but one kept as it is: a layout edit's plan mixes conversions and copies, and a
     * warm-up of conversions alone leaves the JIT a plan step it has never seen (a
     * deoptimisation, then the loop interpreted, on the first real layout edit).
     */
    static final StateType.StructType CONVERTED_FROM = new StateType.StructType("Old", 32, List.of(
            new StateType.Field("a", 0, new StateType.FloatType(32, 4)),
            new StateType.Field("b", 4, new StateType.IntType(false, 32, 4)),
            new StateType.Field("c", 8, new StateType.IntType(true, 64, 8)),
            new StateType.Field("d", 16, new StateType.FloatType(64, 8)),
            new StateType.Field("e", 24, new StateType.IntType(false, 32, 4))));
    static final StateType.StructType CONVERTED_TO = new StateType.StructType("New", 32, List.of(
            new StateType.Field("d", 0, new StateType.FloatType(32, 4)),
            new StateType.Field("c", 4, new StateType.IntType(true, 32, 4)),
            new StateType.Field("a", 8, new StateType.FloatType(64, 8)),
            new StateType.Field("b", 16, new StateType.IntType(false, 64, 8)),
            new StateType.Field("e", 24, new StateType.IntType(false, 32, 4))));

    /**
     * Every instance of {@code affected} gets its migrated State (its script's new version runs
     * already: {@link ScriptLibrary#becomeRunning}): the switch when no instance needs care (see
     * {@link #census}) and no container moves.
     */
    static void switchTo(ScriptInstance[] affected, MemorySegment[] migrated) {
        for (int k = 0; k < affected.length; k++) {
            if (migrated[k] != null) affected[k].setStateMemory(migrated[k]);
        }
    }

    /**
     * Runs every loop above on synthetic instances whose State has {@code info}'s type (migrated
     * into itself) and, for {@link #migrateEach}, {@link #CONVERTED_FROM}'s, {@link #WARMUP_ROUNDS}
     * times, on the calling thread. Touches nothing of any
     * runtime; never throws for a State it cannot describe (only a warm-up).
     */
    static void warmUp(ScriptInfo info) {
        if (info.stateType() == null) return;
        // The States in a shared arena, as a script's State slab keeps them (and the rest, as a
        // library's arena is): another kind of memory session would train the JIT on the wrong
        // one, and the first real swap would deoptimise. All freed when the warm-up ends.
        try (Arena arena = Arena.ofShared()) {
            Arena states = arena;
            StateMigration migration = new StateMigration(info.stateType(), info.stateType(), info.stateDefaults());
            int size = Math.max(1, migration.newSize());
            StateSlab slab = new StateSlab(states, size, 8);
            LinkedHashSet<ScriptInstance> attached = new LinkedHashSet<>();
            // The old States in several blocks, as a real script's lie in several chunks: the loops
            // meet run boundaries (a branch the JIT would otherwise prune, then deoptimise on).
            MemorySegment[] olds = new MemorySegment[WARMUP_INSTANCES];
            for (int b = 0; b < WARMUP_INSTANCES; b += WARMUP_RUN) {
                System.arraycopy(slab.allocateBlock(WARMUP_RUN).slots(), 0, olds, b, WARMUP_RUN);
            }
            for (int k = 0; k < WARMUP_INSTANCES; k++) {
                ScriptInstance i = new ScriptInstance(k + 1, null, k, 0, Phase.UPDATE, k);
                i.setStateMemory(olds[k].asSlice(0, migration.newSize()));
                i.setInitSucceeded(true);
                attached.add(i);
            }
            byte[] oldScratch = new byte[Math.max(size, CONVERTED_FROM.size())];
            byte[] newScratch = new byte[Math.max(size, CONVERTED_TO.size())];
            StateMigration converting = new StateMigration(CONVERTED_FROM, CONVERTED_TO, new byte[CONVERTED_TO.size()]);
            StateSlab convertedSlab = new StateSlab(states, CONVERTED_FROM.size(), 8);
            ScriptInstance[] converted = new ScriptInstance[WARMUP_INSTANCES];
            for (int k = 0; k < WARMUP_INSTANCES; k++) {
                converted[k] = new ScriptInstance(k + 1, null, k, 0, Phase.UPDATE, k);
                converted[k].setStateMemory(convertedSlab.allocate().asSlice(0, CONVERTED_FROM.size()));
                converted[k].setInitSucceeded(true);
            }
            SwapContainers noContainers = new PendingContainers(null);
            MemorySegment entries = arena.allocate((long) InstanceBatch.ENTRY * WARMUP_INSTANCES, 8);
            MemorySegment notInitialised = arena.allocate(InstanceBatch.ENTRY, 8);
            // The blocks are made once and written again every round: allocating per round would
            // hold WARMUP_ROUNDS blocks of States at once (gigabytes for a large State).
            StateSlab.Block block = new StateSlab(states, size, 8).allocateBlock(census(inOrder(attached))[0] + 1);
            MemorySegment[] convertedSlots = new StateSlab(states, CONVERTED_TO.size(), 8).allocateBlock(WARMUP_INSTANCES).slots();
            for (int round = 0; round < WARMUP_ROUNDS; round++) {
                ScriptInstance[] affected = inOrder(attached);
                int[] census = census(affected);
                MemorySegment[] migrated = new MemorySegment[affected.length];
                // The census meets an instance that needs care every other round (a body edit's
                // only pass), so the JIT sees both answers.
                if (round % 2 == 1) affected[WARMUP_INSTANCES / 2].setInitSucceeded(false);
                census(affected);
                affected[WARMUP_INSTANCES / 2].setInitSucceeded(true);
                StateMoves moves = copyStates(migration, affected, block, census[0], false, migrated, oldScratch, newScratch,
                        slab); // by runs, as a body edit
                // The entries hold the old States' addresses (written at the end of the last round).
                if (moves != null) {
                    InstanceBatch.moveStates(entries, WARMUP_INSTANCES, moves);
                    InstanceBatch.moveStates(notInitialised, 1, moves); // an entry with no State yet
                }
                migrateEach(migration, affected, block.slots(), migrated, null, oldScratch, newScratch); // State by State
                migration.fillDefaults(block.whole(), block.slotSize(), census[0]); // what a layout edit runs
                switchTo(affected, migrated);
                for (int k = 0; k < affected.length; k++) affected[k].setStateMemory(olds[k].asSlice(0, migration.newSize()));
                List<ScriptInstance> members = new ArrayList<>(attached);
                InstanceBatch.writeStates(entries, members, members.size());
                migrateEach(converting, converted, convertedSlots, new MemorySegment[WARMUP_INSTANCES], noContainers,
                        oldScratch, newScratch);
            }
        } catch (RuntimeException e) {
            // only a warm-up: the real swap reports its own problems
        }
    }
}
