package dev.kiln.ecs;

/** A rotation quaternion (x, y, z, w), as the ABI's kiln_quat. */
public record Quat(float x, float y, float z, float w) {
    public static final Quat IDENTITY = new Quat(0, 0, 0, 1);

    /** this * o: rotate by o first, then by this. */
    public Quat times(Quat o) {
        return new Quat(
                w * o.x + x * o.w + y * o.z - z * o.y,
                w * o.y - x * o.z + y * o.w + z * o.x,
                w * o.z + x * o.y - y * o.x + z * o.w,
                w * o.w - x * o.x - y * o.y - z * o.z);
    }

    public Quat normalized() {
        if ((float) Math.sqrt(x * x + y * y + z * z + w * w) == 1f) return this; // the common case: no new object
        // In double: squares of large finite floats (above ~1.8e19) overflow a float.
        double len = Math.sqrt((double) x * x + (double) y * y + (double) z * z + (double) w * w);
        return len < 1e-12 ? IDENTITY : new Quat((float) (x / len), (float) (y / len), (float) (z / len), (float) (w / len));
    }

    public boolean isFinite() {
        return Float.isFinite(x) && Float.isFinite(y) && Float.isFinite(z) && Float.isFinite(w);
    }

    public static Quat axisAngle(Vec3 axis, float radians) {
        Vec3 n = axis.normalized();
        float s = (float) Math.sin(radians / 2);
        return new Quat(n.x() * s, n.y() * s, n.z() * s, (float) Math.cos(radians / 2));
    }

    /** Rotates v by this quaternion. */
    public Vec3 rotate(Vec3 v) {
        Vec3 u = new Vec3(x, y, z);
        Vec3 t = u.cross(v).times(2);
        return v.plus(t.times(w)).plus(u.cross(t));
    }

    /**
     * The rotation that turns the forward axis (-Z) toward {@code direction} with {@code up} as
     * the up hint; identity when direction is zero.
     */
    public static Quat lookRotation(Vec3 direction, Vec3 up) {
        Vec3 f = direction.normalized();
        if (f.length() == 0) return IDENTITY;
        Vec3 r = up.cross(f.times(-1)).normalized();
        if (r.length() == 0) r = new Vec3(1, 0, 0).cross(f.times(-1)).normalized();
        if (r.length() == 0) r = new Vec3(0, 0, 1).cross(f.times(-1)).normalized();
        Vec3 b = f.times(-1); // the +Z axis of the rotated frame
        Vec3 u = b.cross(r);
        return fromAxes(r, u, b);
    }

    /** Quaternion from an orthonormal basis given as the images of +X, +Y, +Z. */
    private static Quat fromAxes(Vec3 xAxis, Vec3 yAxis, Vec3 zAxis) {
        float m00 = xAxis.x(), m10 = xAxis.y(), m20 = xAxis.z();
        float m01 = yAxis.x(), m11 = yAxis.y(), m21 = yAxis.z();
        float m02 = zAxis.x(), m12 = zAxis.y(), m22 = zAxis.z();
        float trace = m00 + m11 + m22;
        if (trace > 0) {
            float s = (float) Math.sqrt(trace + 1) * 2;
            return new Quat((m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s, 0.25f * s).normalized();
        } else if (m00 > m11 && m00 > m22) {
            float s = (float) Math.sqrt(1 + m00 - m11 - m22) * 2;
            return new Quat(0.25f * s, (m01 + m10) / s, (m02 + m20) / s, (m21 - m12) / s).normalized();
        } else if (m11 > m22) {
            float s = (float) Math.sqrt(1 + m11 - m00 - m22) * 2;
            return new Quat((m01 + m10) / s, 0.25f * s, (m12 + m21) / s, (m02 - m20) / s).normalized();
        } else {
            float s = (float) Math.sqrt(1 + m22 - m00 - m11) * 2;
            return new Quat((m02 + m20) / s, (m12 + m21) / s, 0.25f * s, (m10 - m01) / s).normalized();
        }
    }
}
