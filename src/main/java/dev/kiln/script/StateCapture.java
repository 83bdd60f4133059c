package dev.kiln.script;

import dev.kiln.loader.ContainerMemory;
import dev.kiln.state.ContainerHandles;
import dev.kiln.state.StateType;
import dev.kiln.state.StateValues;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A copy of one script instance's State and of its containers' contents (kiln.List / String /
 * Map elements): what a rewind keyframe keeps of an instance, restored with
 * {@link ScriptRuntime#restoreState}. Immutable; made and restored on the frame thread between
 * frames (at a frame boundary or a barrier's end, never while the instance runs).
 *
 * <p>{@code state} is the State's bytes as captured (its handles as they were); {@code containers}
 * each non-empty container's elements, in State order, with the offset of the handle that named
 * it. A restore gives the containers new handles, so compare captures with {@link #contentHash},
 * which leaves handle bits out.
 *
 * @param instance   the instance's id
 * @param stateType  the State's type when captured (a restore into another layout is refused)
 * @param state      State bytes, {@code stateType.size()} of them
 * @param containers every non-empty container, in State order
 */
public record StateCapture(int instance, StateType.StructType stateType, byte[] state, List<Container> containers) {
    /**
     * One container: the offset of its handle in the State, bytes per element, and its elements
     * ({@code len × elemSize} bytes).
     */
    public record Container(int offset, int elemSize, byte[] elements) {
        public int len() {
            return elements.length / elemSize;
        }
    }

    public StateCapture {
        state = state.clone();
        containers = List.copyOf(containers);
    }

    @Override
    public byte[] state() {
        return state.clone();
    }

    /**
     * SHA-256 of the State with its handle bits zeroed, then each non-empty container's offset,
     * element size and elements: equal for a capture and the capture of its restore (32 bytes).
     * Raw bytes, padding included: two runs writing the same values may differ in the padding
     * of struct elements (a script writes whatever its stack held there), so comparing runs
     * (rewind's frame hash) goes through the element types instead.
     */
    public byte[] contentHash() {
        byte[] bytes = state.clone();
        for (Container c : containers) Arrays.fill(bytes, c.offset(), c.offset() + StateType.ListType.HANDLE_BYTES, (byte) 0);
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(bytes);
            for (Container c : containers) {
                if (c.len() == 0) continue; // an empty container restores as no container at all
                d.update(ByteBuffer.allocate(12).putInt(c.offset()).putInt(c.elemSize()).putInt(c.len()).array());
                d.update(c.elements());
            }
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Captures {@code i}: its State and every container it names, read from {@code memory}. */
    static StateCapture of(ScriptInstance i, ContainerMemory memory) {
        MemorySegment segment = i.state();
        if (segment == null) throw new IllegalStateException("instance " + i.id() + " (" + i.scriptName() + ") has no State to capture");
        StateType.StructType type = i.library().info().stateType();
        byte[] state = segment.toArray(ValueLayout.JAVA_BYTE);
        List<Container> containers = new ArrayList<>();
        for (ContainerHandles.Slot slot : ContainerHandles.slots(type, state)) {
            int elemSize = slot.type().elem().size();
            byte[] elements = memory == null ? null : memory.elements(StateValues.handle(state, slot.offset()), elemSize);
            // A stale handle (a container freed without clearing its field) reads as empty, as the SDK reads it.
            containers.add(new Container(slot.offset(), elemSize, elements == null ? new byte[0] : elements));
        }
        return new StateCapture(i.id(), type, state, containers);
    }

    /**
     * Puts {@code capture} back into {@code i}: frees the instance's containers, makes new ones
     * holding the captured elements (outside its budget, as a migration's are), and writes the
     * State with their handles. Throws IllegalArgumentException (nothing changed) when the
     * capture is another instance's or its State layout is not the instance's current one (a
     * reload changed State since), IllegalStateException when a container could not be made
     * (the instance keeps the captured State with that container empty).
     */
    static void restore(ScriptInstance i, StateCapture capture, ContainerMemory memory, Runnable reapplyBudget) {
        if (capture.instance() != i.id()) {
            throw new IllegalArgumentException("a capture of instance " + capture.instance() + " cannot be restored into instance " + i.id());
        }
        StateType.StructType now = i.library().info().stateType();
        MemorySegment segment = i.stateMemory();
        if (segment == null || !now.equals(capture.stateType()) || segment.byteSize() != capture.state.length) {
            throw new IllegalArgumentException("instance " + i.id() + " (" + i.scriptName() + ") has another State layout than"
                    + " when it was captured (a reload changed State since): nothing restored");
        }
        byte[] state = capture.state.clone();
        String failed = null;
        if (memory != null) {
            memory.freeInstance(i.id()); // forgets its account: the budget is set again below
            reapplyBudget.run();
        }
        for (Container c : capture.containers()) {
            long handle = c.len() == 0 || memory == null ? 0 : memory.create(i.id(), c.elemSize(), c.len(), c.elements());
            if (handle == 0 && c.len() > 0) failed = "the container at State offset " + c.offset();
            for (int k = 0; k < StateType.ListType.HANDLE_BYTES; k++) state[c.offset() + k] = (byte) (handle >>> (8 * k));
        }
        segment.copyFrom(MemorySegment.ofArray(state));
        if (failed != null) {
            throw new IllegalStateException("instance " + i.id() + " (" + i.scriptName() + "): " + failed
                    + " could not be made again (no container memory); it reads as empty");
        }
    }
}
