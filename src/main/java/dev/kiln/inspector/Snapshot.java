package dev.kiln.inspector;

import java.util.List;
import java.util.Map;

/**
 * A compact immutable copy of what the inspector shows, taken on the frame thread at a frame
 * boundary (at most every {@link FrameBridge#SNAPSHOT_INTERVAL_NANOS}) and serialised on the
 * server's own thread. Records only: Jackson writes them as JSON as they are.
 */
public record Snapshot(long seq, long frame, double time, Control control, List<EntityRow> entities,
                       Map<Long, EntityDetail> details, List<LibraryView> scripts, List<ErrorView> errors,
                       List<FrameSample> frames) {

    /** Run control as the engine and the reload manager see it. */
    public record Control(boolean paused, boolean safeMode, boolean autoReload, boolean reloadAvailable) {}

    /** One row of the entity list and one dot on the canvas (x/z: the top-down plane). */
    public record EntityRow(long id, String handle, String name, List<String> tags, float x, float y, float z) {}

    /** Everything about one watched (selected) entity. */
    public record EntityDetail(long id, String handle, String name, List<String> tags, float[] position,
                               float[] rotation, float[] scale, float[] velocity, List<ComponentView> components,
                               Map<String, Object> vars, List<InstanceView> scripts) {}

    /** A user POD component shown by its schema: field name → value. */
    public record ComponentView(String name, List<FieldView> fields) {}

    /** One typed field; {@code text} is the editable spelling the edit endpoint accepts. */
    public record FieldView(String name, String type, Object value, String text) {}

    /** One script instance on an entity, in execution order; {@code memory}: its containers. */
    public record InstanceView(int id, String script, String phase, int priority, boolean enabled,
                               String lifecycle, String fault, List<FieldView> state, MemoryView memory) {}

    /**
     * An instance's engine memory (kiln.List / String / Map): capacity bytes in use, its budget,
     * and each container.
     */
    public record MemoryView(long usedBytes, long budgetBytes, List<ContainerView> containers) {}

    /**
     * One container field of the State: its path ("trail", "cache.names[2]", a map's own field),
     * {@code kind} "list", "string" or "map", {@code type} as declared ("kiln.List(u32)"),
     * elements in use, elements allocated, bytes each, bytes allocated; {@code elements} the first
     * of them (a list: values by the element type; a map: {key, value} entries; a string: its
     * text, at most ContainerViews.TEXT_BYTES_SHOWN bytes), null when they could not be read;
     * {@code more}: how many are not shown.
     */
    public record ContainerView(String field, String kind, String type, int len, int capacity, int elemSize, long bytes,
                                Object elements, int more) {
        ContainerView plusBytes(long extra) {
            return new ContainerView(field, kind, type, len, capacity, elemSize, bytes + extra, elements, more);
        }
    }

    /**
     * One loaded script library. Times in ms; {@code gitCommit} the commit checked out where its
     * source lives, as the build recorded it in the library (null outside a git repository);
     * {@code buildMode} the optimize mode it was
     * built in ("ReleaseSafe"); {@code isolated}: it runs in a host process of its own.
     */
    public record LibraryView(String name, String source, String library, long buildTimeUnix, String sourceHash,
                              String gitCommit, int abiVersion, List<String> exports, String currentVersion,
                              String lastGoodVersion, int goodVersions, int instances, double updateMsPerFrame,
                              String poisonedBy, boolean isolated, List<StateFieldView> stateFields, String buildMode) {}

    /** The SDK's reflection schema of a State field. */
    public record StateFieldView(String name, String type, int offset, int size) {}

    /** A compile failure, refused load or swap, or a runtime fault, with where it happened. */
    public record ErrorView(String kind, String script, String entity, Integer instance, String message,
                            List<DiagnosticView> diagnostics) {}

    /** One compiler message with the source lines around it. */
    public record DiagnosticView(String severity, String file, int line, int column, String message,
                                 List<String> sourceLines, List<String> notes) {}

    /** One frame's timings in ms. */
    public record FrameSample(long frame, double total, double pre, double update, double post, double barriers) {}
}
