package dev.kiln.ecs;

/**
 * Euler angles in radians in Kiln's one order, yaw-pitch-roll: intrinsic Y, then X, then Z, so
 * {@code q = qY(yaw) * qX(pitch) * qZ(roll)} (KILN_ROTATION_EULER_YXZ of abi/kiln.h; the Zig SDK's
 * math.quatFromEuler / quatToEuler compute the same). Yaw turns about the up axis, pitch tilts
 * the forward axis (-Z) up or down, roll spins about it: the usual order for a camera or a
 * character, where pitch is the one limited to [-pi/2, pi/2].
 */
public record Euler(float yaw, float pitch, float roll) {

    /** The rotation these angles describe (computed in double, then rounded once). */
    public Quat toQuat() {
        double hy = yaw * 0.5, hp = pitch * 0.5, hr = roll * 0.5;
        double cy = Math.cos(hy), sy = Math.sin(hy);
        double cp = Math.cos(hp), sp = Math.sin(hp);
        double cr = Math.cos(hr), sr = Math.sin(hr);
        // qY * qX = (cy sp, sy cp, -sy sp, cy cp); times qZ = (0, 0, sr, cr):
        double x = cy * sp * cr + sy * cp * sr;
        double y = sy * cp * cr - cy * sp * sr;
        double z = cy * cp * sr - sy * sp * cr;
        double w = cy * cp * cr + sy * sp * sr;
        return new Quat((float) x, (float) y, (float) z, (float) w);
    }

    /**
     * The angles of {@code q} (normalised first): pitch in [-pi/2, pi/2], yaw and roll in
     * [-pi, pi]. At pitch = +-pi/2 (gimbal lock) yaw and roll turn about the same axis; the
     * whole turn is then put in yaw and roll is 0.
     */
    public static Euler of(Quat q) {
        Quat n = q.normalized();
        double x = n.x(), y = n.y(), z = n.z(), w = n.w();
        // Rotation matrix elements of R = Ry(yaw) Rx(pitch) Rz(roll): m12 = -sin(pitch),
        // m02 = sin(yaw) cos(pitch), m22 = cos(yaw) cos(pitch), m10 = cos(pitch) sin(roll),
        // m11 = cos(pitch) cos(roll).
        double m12 = 2 * (y * z - w * x);
        double sinPitch = Math.max(-1, Math.min(1, -m12));
        double pitch = Math.asin(sinPitch);
        if (Math.abs(sinPitch) > 1 - 1e-6) {
            double m00 = 1 - 2 * (y * y + z * z);
            double m20 = 2 * (x * z - w * y);
            return new Euler((float) Math.atan2(-m20, m00), (float) pitch, 0f);
        }
        double m02 = 2 * (x * z + w * y);
        double m22 = 1 - 2 * (x * x + y * y);
        double m10 = 2 * (x * y + w * z);
        double m11 = 1 - 2 * (x * x + z * z);
        return new Euler((float) Math.atan2(m02, m22), (float) pitch, (float) Math.atan2(m10, m11));
    }
}
