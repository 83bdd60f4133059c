package dev.kiln.ecs;

/** Result of a world operation; the codes are the kiln_status values of abi/kiln.h. */
public enum Status {
    OK(0),
    STALE_ENTITY(1),
    INVALID_ARGUMENT(2),
    BUFFER_FULL(3),
    NOT_FOUND(4),
    BUFFER_TOO_SMALL(5),
    UNKNOWN_COMPONENT(6),
    SIZE_MISMATCH(7),
    NOT_FINITE(8),
    TOO_LONG(9),
    SCRIPT_FAILED(10),
    NOT_PENDING(11),
    FAULT(12),
    /** A batch call stopped before an instance the command buffer had no room for (not an instance's status). */
    NEEDS_ROOM(13),
    /** At the barrier: add_component refused, the entity has the component and its policy is "keep". */
    ALREADY_PRESENT(14),
    /** Engine-owned container memory: over the instance's budget (or none in this frame). */
    OUT_OF_MEMORY(15);

    private final int code;

    Status(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean ok() {
        return this == OK;
    }

    public static Status ofCode(int code) {
        for (Status s : values()) if (s.code == code) return s;
        return SCRIPT_FAILED;
    }
}
