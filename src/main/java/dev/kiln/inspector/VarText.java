package dev.kiln.inspector;

import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;

/**
 * Reads an edited ScriptVars value from text as the same kind as the value it replaces (a var
 * keeps its type: scripts read it with a fixed type). Throws IllegalArgumentException with a
 * message naming the kind and what was wrong.
 */
final class VarText {
    private VarText() {}

    static VarValue parse(VarValue current, String text) {
        String t = text.strip();
        return switch (current) {
            case VarValue.F64 f -> new VarValue.F64(finite(number(t, "an f64"), "an f64"));
            case VarValue.I64 i -> {
                try {
                    yield new VarValue.I64(Long.parseLong(t));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "' is not an i64 (a whole number)");
                }
            }
            case VarValue.Bool b -> switch (t) {
                case "true" -> new VarValue.Bool(true);
                case "false" -> new VarValue.Bool(false);
                default -> throw new IllegalArgumentException("'" + text + "' is not a bool (true or false)");
            };
            case VarValue.V3 v -> {
                String[] parts = t.replace("[", "").replace("]", "").split(",");
                if (parts.length != 3) throw new IllegalArgumentException("'" + text + "' is not a vec3 (x, y, z)");
                yield new VarValue.V3(new Vec3((float) finite(number(parts[0].strip(), "a vec3"), "a vec3"),
                        (float) finite(number(parts[1].strip(), "a vec3"), "a vec3"),
                        (float) finite(number(parts[2].strip(), "a vec3"), "a vec3")));
            }
        };
    }

    private static double number(String t, String kind) {
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "' is not a number (" + kind + ")");
        }
    }

    private static double finite(double v, String kind) {
        if (!Double.isFinite(v) || (kind.equals("a vec3") && !Float.isFinite((float) v))) {
            throw new IllegalArgumentException(v + " is not finite (" + kind + ")");
        }
        return v;
    }
}
