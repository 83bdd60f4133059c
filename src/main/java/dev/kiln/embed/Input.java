package dev.kiln.embed;

import dev.kiln.abi.Layouts;
import dev.kiln.ecs.NameHash;
import dev.kiln.ecs.Status;
import dev.kiln.ecs.World;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The input a game hands its scripts each frame: named actions (held / pressed / released),
 * named axes and a pointer. Scripts read it with {@code ctx.input()} (zig/sdk/input.zig).
 *
 * <p><b>When it applies:</b> what you set between two {@link Kiln#step} calls is written into
 * the engine at the start of the next step, before any script runs, and every phase of that
 * frame sees the same values. "Pressed" and "released" are latched: an action that goes down
 * and up again between two steps is seen as pressed (and released) in the next frame, and both
 * clear after that frame.
 *
 * <p><b>Names:</b> an action or axis is named by the game ({@code "left"}, {@code "fire"},
 * {@code "move_x"}): the first use of a name takes a slot. At most {@link #ACTIONS_MAX} actions
 * and {@link #AXES_MAX} axes; names are 1–64 bytes of UTF-8.
 *
 * <p><b>Units:</b> the pointer is in whatever units you pass (by convention world units: the
 * game knows its camera, the engine does not); axes are plain floats (by convention -1..1).
 *
 * <p><b>Threads:</b> not thread-safe; call from the thread that calls {@link Kiln#step} (the
 * render thread in libGDX, where its input callbacks run too).
 *
 * <p><b>Errors</b> are {@link Status} values: {@code INVALID_ARGUMENT} (empty name),
 * {@code TOO_LONG} (name over 64 bytes), {@code BUFFER_FULL} (no free slot), {@code NOT_FINITE}.
 */
public final class Input {
    /** Actions a game may name (one bit each in the script-side u64 masks; zig/sdk/input.zig). */
    public static final int ACTIONS_MAX = InputLayout.ACTIONS_MAX;
    /** Axes a game may name. */
    public static final int AXES_MAX = InputLayout.AXES_MAX;

    private final long[] actionNames = new long[ACTIONS_MAX];
    private int actions;
    private final long[] axisNames = new long[AXES_MAX];
    private final float[] axisValues = new float[AXES_MAX];
    private int axes;
    private long held;
    private long pressed;
    private long released;
    private float pointerX, pointerY, pointerZ;
    private int buttons;
    /** Something changed since the engine last got it: only then is the component rewritten. */
    private boolean dirty = true;
    /** Reused for every write: applying input allocates nothing. */
    private final byte[] encoded = new byte[InputLayout.SIZE];
    private final ByteBuffer view = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);

    Input() {}

    /** Sets whether action {@code name} is held; going down latches "pressed", up "released". */
    public Status set(String name, boolean down) {
        int slot = actionSlot(name);
        if (slot < 0) return Status.values()[-slot];
        long bit = 1L << slot;
        boolean was = (held & bit) != 0;
        if (down == was) return Status.OK;
        if (down) {
            held |= bit;
            pressed |= bit;
        } else {
            held &= ~bit;
            released |= bit;
        }
        dirty = true;
        return Status.OK;
    }

    /** True while the game holds action {@code name} (as last set). */
    public boolean held(String name) {
        long h = NameHash.of(name);
        for (int i = 0; i < actions; i++) if (actionNames[i] == h) return (held & (1L << i)) != 0;
        return false;
    }

    /** Sets axis {@code name} to {@code value} until set again. */
    public Status axis(String name, float value) {
        if (!Float.isFinite(value)) return Status.NOT_FINITE;
        Status bad = checkName(name);
        if (bad != null) return bad;
        long h = NameHash.of(name);
        int slot = -1;
        for (int i = 0; i < axes; i++) if (axisNames[i] == h) slot = i;
        if (slot < 0) {
            if (axes == AXES_MAX) return Status.BUFFER_FULL;
            slot = axes++;
            axisNames[slot] = h;
        }
        if (axisValues[slot] != value) {
            axisValues[slot] = value;
            dirty = true;
        }
        return Status.OK;
    }

    /** Sets the pointer's position (by convention in world units). */
    public Status pointer(float x, float y, float z) {
        if (!Float.isFinite(x) || !Float.isFinite(y) || !Float.isFinite(z)) return Status.NOT_FINITE;
        if (x != pointerX || y != pointerY || z != pointerZ) {
            pointerX = x;
            pointerY = y;
            pointerZ = z;
            dirty = true;
        }
        return Status.OK;
    }

    /** Sets whether pointer button {@code button} (0: primary, up to 31) is held. */
    public Status button(int button, boolean down) {
        if (button < 0 || button > 31) return Status.INVALID_ARGUMENT;
        int next = down ? buttons | (1 << button) : buttons & ~(1 << button);
        if (next != buttons) {
            buttons = next;
            dirty = true;
        }
        return Status.OK;
    }

    /** Slot of action {@code name}, taking a free one on first use; -(Status ordinal) when refused. */
    private int actionSlot(String name) {
        Status bad = checkName(name);
        if (bad != null) return -bad.ordinal();
        long h = NameHash.of(name);
        for (int i = 0; i < actions; i++) if (actionNames[i] == h) return i;
        if (actions == ACTIONS_MAX) return -Status.BUFFER_FULL.ordinal();
        actionNames[actions] = h;
        dirty = true;
        return actions++;
    }

    private static Status checkName(String name) {
        if (name == null || name.isEmpty()) return Status.INVALID_ARGUMENT;
        if (name.getBytes(StandardCharsets.UTF_8).length > Layouts.NAME_MAX_BYTES) return Status.TOO_LONG;
        return null;
    }

    /**
     * Start of a step: writes the input into the engine-owned entity's component when it
     * changed; returns the bytes written (a copy, for the run's recording), or null when unchanged.
     */
    byte[] applyTo(World world, long entity, long typeHash) {
        if (!dirty) return null;
        view.putLong(InputLayout.HELD, held);
        view.putLong(InputLayout.PRESSED, pressed);
        view.putLong(InputLayout.RELEASED, released);
        view.putFloat(InputLayout.POINTER, pointerX);
        view.putFloat(InputLayout.POINTER + 4, pointerY);
        view.putFloat(InputLayout.POINTER + 8, pointerZ);
        view.putInt(InputLayout.BUTTONS, buttons);
        for (int i = 0; i < ACTIONS_MAX; i++) view.putLong(InputLayout.ACTION_NAMES + 8 * i, actionNames[i]);
        for (int i = 0; i < AXES_MAX; i++) {
            view.putLong(InputLayout.AXIS_NAMES + 8 * i, axisNames[i]);
            view.putFloat(InputLayout.AXIS_VALUES + 4 * i, axisValues[i]);
        }
        world.addComponent(entity, typeHash, encoded); // the store copies the bytes
        dirty = false;
        return encoded.clone();
    }

    /** A frame ran with this input: the latched edges are consumed. */
    void frameRan() {
        if (pressed != 0 || released != 0) {
            pressed = 0;
            released = 0;
            dirty = true;
        }
    }
}
