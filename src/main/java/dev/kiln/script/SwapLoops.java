package dev.kiln.script;

import dev.kiln.abi.ScriptInfo;
import dev.kiln.state.StateMigration;
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
     * A plan of plain copies (see {@link StateMigration#plainCopies}): each carried instance's
     * new State, the next slot of {@code block}, is its old one migrated; {@code migrated[k]}
     * names affected[k]'s. The block gets the defaults in bulk unless {@code defaultsFilled} (a
     * prepared block) or the copies write every byte, then each State is its plan's one or two
     * copies: no hook, no container, one tight loop.
     */
    static void copyStates(StateMigration migration, ScriptInstance[] affected, StateSlab.Block block, int carried,
                           boolean defaultsFilled, MemorySegment[] migrated, byte[] oldScratch, byte[] newScratch) {
        if (!defaultsFilled && !migration.copiesCoverAll()) migration.fillDefaults(block.whole(), block.slotSize(), carried);
        MemorySegment[] slots = block.slots();
        int slot = 0;
        for (int k = 0; k < affected.length; k++) {
            ScriptInstance i = affected[k];
            MemorySegment old = i.stateMemory();
            if (old == null || !i.initSucceeded()) continue;
            MemorySegment state = slots[slot++];
            if (!migration.copyInto(old, state)) migration.migrate(old, state, oldScratch, newScratch, null);
            migrated[k] = state;
        }
    }

    /**
     * Every instance of {@code affected} runs {@code fresh} with its migrated State: the switch
     * when no instance needs care (see {@link #census}) and no container moves.
     */
    static void switchTo(ScriptLibrary fresh, ScriptInstance[] affected, MemorySegment[] migrated) {
        for (int k = 0; k < affected.length; k++) {
            ScriptInstance i = affected[k];
            i.setLibrary(fresh);
            if (migrated[k] != null) i.setStateMemory(migrated[k]);
        }
    }

    /**
     * Runs every loop above on synthetic instances whose State has {@code info}'s type (migrated
     * into itself), {@link #WARMUP_ROUNDS} times, on the calling thread. Touches nothing of any
     * runtime; never throws for a State it cannot describe (only a warm-up).
     */
    static void warmUp(ScriptInfo info) {
        if (info.stateType() == null) return;
        // Shared, as a library's own State arena is: a confined one would train the JIT on
        // another kind of memory session, and the first real swap would deoptimise.
        try (Arena arena = Arena.ofShared()) {
            StateMigration migration = new StateMigration(info.stateType(), info.stateType(), info.stateDefaults());
            int size = Math.max(1, migration.newSize());
            StateSlab slab = new StateSlab(arena, size, 8);
            LinkedHashSet<ScriptInstance> attached = new LinkedHashSet<>();
            MemorySegment[] olds = slab.allocateBlock(WARMUP_INSTANCES).slots();
            for (int k = 0; k < WARMUP_INSTANCES; k++) {
                ScriptInstance i = new ScriptInstance(k + 1, null, k, 0, Phase.UPDATE, k);
                i.setStateMemory(olds[k].asSlice(0, migration.newSize()));
                i.setInitSucceeded(true);
                attached.add(i);
            }
            byte[] oldScratch = new byte[size], newScratch = new byte[size];
            MemorySegment entries = arena.allocate((long) InstanceBatch.ENTRY * WARMUP_INSTANCES, 8);
            for (int round = 0; round < WARMUP_ROUNDS; round++) {
                ScriptInstance[] affected = inOrder(attached);
                int[] census = census(affected);
                StateSlab.Block block = new StateSlab(arena, size, 8).allocateBlock(census[0] + 1);
                MemorySegment[] migrated = new MemorySegment[affected.length];
                copyStates(migration, affected, block, census[0], false, migrated, oldScratch, newScratch);
                migration.fillDefaults(block.whole(), block.slotSize(), census[0]); // what a layout edit runs
                switchTo(null, affected, migrated);
                for (int k = 0; k < affected.length; k++) affected[k].setStateMemory(olds[k].asSlice(0, migration.newSize()));
                List<ScriptInstance> members = new ArrayList<>(attached);
                InstanceBatch.writeStates(entries, members, members.size());
            }
        } catch (RuntimeException e) {
            // only a warm-up: the real swap reports its own problems
        }
    }
}
