package dev.kiln.ecs;

/** A 3-component float vector, as the ABI's kiln_vec3. */
public record Vec3(float x, float y, float z) {
    public static final Vec3 ZERO = new Vec3(0, 0, 0);
    public static final Vec3 ONE = new Vec3(1, 1, 1);
    public static final Vec3 UP = new Vec3(0, 1, 0);

    /** "[x, y, z]", as a scene file writes it (what users read in messages). */
    public String text() {
        return "[" + num(x) + ", " + num(y) + ", " + num(z) + "]";
    }

    private static String num(float v) {
        return v == (long) v && Math.abs(v) < 1e7f ? Long.toString((long) v) : Float.toString(v);
    }

    public Vec3 plus(Vec3 o) {
        return new Vec3(x + o.x, y + o.y, z + o.z);
    }

    public Vec3 minus(Vec3 o) {
        return new Vec3(x - o.x, y - o.y, z - o.z);
    }

    public Vec3 times(float s) {
        return new Vec3(x * s, y * s, z * s);
    }

    public float dot(Vec3 o) {
        return x * o.x + y * o.y + z * o.z;
    }

    public Vec3 cross(Vec3 o) {
        return new Vec3(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x);
    }

    public float length() {
        return (float) Math.sqrt(dot(this));
    }

    public Vec3 normalized() {
        // In double: squares of large finite floats (above ~1.8e19) overflow a float.
        double len = Math.sqrt((double) x * x + (double) y * y + (double) z * z);
        return len < 1e-12 ? ZERO : new Vec3((float) (x / len), (float) (y / len), (float) (z / len));
    }

    public boolean isFinite() {
        return Float.isFinite(x) && Float.isFinite(y) && Float.isFinite(z);
    }

    public float distanceTo(Vec3 o) {
        return minus(o).length();
    }
}
