package dev.kiln.embed;

import dev.kiln.ecs.ComponentSchema;
import dev.kiln.ecs.FieldType;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout of the {@code kiln.input} component, mirrored from zig/sdk/input.zig (the SDK's
 * {@code kiln.Input}): the Zig arrays are laid out here as runs of same-typed fields, which an
 * extern struct places identically. EmbeddingApiTest checks the two agree by a round trip
 * (actions, axes and the pointer written here and read back by a script).
 */
final class InputLayout {
    private InputLayout() {}

    /** The component's name: scripts read it with {@code ctx.input()}. */
    static final String NAME = "kiln.input";
    /** Named actions (keys, buttons) a host may use: one bit each (zig/sdk/input.zig actions_max). */
    static final int ACTIONS_MAX = 32;
    /** Named axes a host may use (zig/sdk/input.zig axes_max). */
    static final int AXES_MAX = 8;

    static final int HELD = 0;
    static final int PRESSED = 8;
    static final int RELEASED = 16;
    static final int POINTER = 24;
    static final int BUTTONS = 36;
    static final int ACTION_NAMES = 40;
    static final int AXIS_NAMES = ACTION_NAMES + 8 * ACTIONS_MAX;
    static final int AXIS_VALUES = AXIS_NAMES + 8 * AXES_MAX;
    static final int SIZE = AXIS_VALUES + 4 * AXES_MAX;

    static final ComponentSchema SCHEMA = schema();

    private static ComponentSchema schema() {
        List<ComponentSchema.Field> fields = new ArrayList<>();
        fields.add(new ComponentSchema.Field("held_bits", FieldType.U64, 0));
        fields.add(new ComponentSchema.Field("pressed_bits", FieldType.U64, 0));
        fields.add(new ComponentSchema.Field("released_bits", FieldType.U64, 0));
        fields.add(new ComponentSchema.Field("pointer", FieldType.VEC3, 0));
        fields.add(new ComponentSchema.Field("buttons", FieldType.U32, 0));
        for (int i = 0; i < ACTIONS_MAX; i++) fields.add(new ComponentSchema.Field("action_name_" + i, FieldType.U64, 0));
        for (int i = 0; i < AXES_MAX; i++) fields.add(new ComponentSchema.Field("axis_name_" + i, FieldType.U64, 0));
        for (int i = 0; i < AXES_MAX; i++) fields.add(new ComponentSchema.Field("axis_value_" + i, FieldType.F32, 0));
        ComponentSchema s = ComponentSchema.of(NAME, fields);
        if (s.size() != SIZE || s.field("action_name_0").offset() != ACTION_NAMES
                || s.field("axis_value_0").offset() != AXIS_VALUES || s.field("buttons").offset() != BUTTONS) {
            throw new ExceptionInInitializerError("kiln.input layout drifted from zig/sdk/input.zig: " + s);
        }
        return s;
    }
}
