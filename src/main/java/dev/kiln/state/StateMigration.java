package dev.kiln.state;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves a State from an old library's type to a new one's, by name and type, recursively (the
 * table is in docs/reload.md): a field keeps its value when its type is unchanged; numbers are
 * converted, integers saturating; nested structs migrate field by field by name; arrays element
 * by element (grown: new elements keep the default; shrunk: the rest dropped); enums by tag name;
 * optionals by payload (and T ↔ ?T); new fields get their declared default; a field whose type
 * cannot be converted is reset to its default and reported. Containers (kiln.List/String/Map)
 * keep their handle; when their element type changes, every element is migrated by these same
 * rules through a {@link ContainerStore} (engine memory), and a container whose elements cannot
 * be converted is emptied and reported. The plan is worked out once per pair of types;
 * {@link #migrate} applies it to one instance's bytes.
 *
 * <p>Not thread-safe: one swap, on the frame thread.
 */
public final class StateMigration {
    /** What happened to one field (a dotted path for nested ones, {@code []} for array elements). */
    public record FieldChange(String field, Kind kind, String detail) {
        public enum Kind { KEPT, CONVERTED, ADDED, REMOVED, RESET }
    }

    /** A value that could not be carried over in some instances (an enum tag that is gone, a NaN). */
    public record ValueReset(String field, String detail, int instances) {}

    private final byte[] newDefaults;
    private final List<FieldChange> plan = new ArrayList<>();
    private final List<Op> ops = new ArrayList<>();
    /** Per field path: how many instances had a value reset at migration, and why. */
    private final Map<String, int[]> valueResetCounts = new LinkedHashMap<>();
    private final Map<String, String> valueResetDetails = new LinkedHashMap<>();

    /** True when containers move to another memory: every one is rewritten, even unchanged. */
    private final boolean relocate;

    public StateMigration(StateType.StructType oldType, StateType.StructType newType, byte[] newDefaults) {
        this(oldType, newType, newDefaults, false);
    }

    /**
     * {@code relocate}: the new version keeps its containers in another memory (an isolated
     * script's new host), so every container is copied there through the store, with a new
     * handle, whether its element type changed or not.
     */
    public StateMigration(StateType.StructType oldType, StateType.StructType newType, byte[] newDefaults,
                          boolean relocate) {
        if (newDefaults.length != newType.size()) {
            throw new IllegalArgumentException("defaults are " + newDefaults.length + " bytes, State " + newType.size());
        }
        this.newDefaults = newDefaults;
        this.oldSize = oldType.size();
        this.relocate = relocate;
        structFields(oldType, 0, newType, 0, "", ops, true);
        this.copies = relocate || !ops.stream().allMatch(op -> op instanceof Copy) ? null : coalesce(ops);
        this.defaultsSegment = MemorySegment.ofArray(newDefaults);
    }

    /**
     * When every step of the plan copies bytes (what an edit of code only, or fields only
     * added, removed or moved, gives): those copies merged where contiguous, as {src, dst, len}
     * triples; null otherwise. A native State is then migrated by the defaults plus these few
     * copies, native to native, instead of through the two buffers — the same bytes.
     */
    private final int[] copies;
    private final MemorySegment defaultsSegment;
    /** Bytes of the old State. */
    private final int oldSize;

    private static int[] coalesce(List<Op> ops) {
        List<Copy> sorted = new ArrayList<>();
        for (Op op : ops) sorted.add((Copy) op);
        sorted.sort(Comparator.comparingInt(Copy::dst));
        List<int[]> merged = new ArrayList<>();
        for (Copy c : sorted) {
            int[] last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && last[0] + last[2] == c.src() && last[1] + last[2] == c.dst()) last[2] += c.len();
            else merged.add(new int[] {c.src(), c.dst(), c.len()});
        }
        int[] out = new int[merged.size() * 3];
        for (int k = 0; k < merged.size(); k++) System.arraycopy(merged.get(k), 0, out, 3 * k, 3);
        return out;
    }

    /**
     * True when the plan is made only of copies (no conversion, no reset, no container to move):
     * {@link #migrate(MemorySegment, MemorySegment, byte[], byte[], ContainerStore)} then never
     * reads its store.
     */
    public boolean plainCopies() {
        return copies != null;
    }

    /**
     * True when the plan's copies write every byte of the new State (a body edit: one copy of
     * the whole State), so the declared defaults need not be written first.
     */
    public boolean copiesCoverAll() {
        if (copies == null) return false;
        int covered = 0;
        for (int k = 2; k < copies.length; k += 3) covered += copies[k];
        return covered == newDefaults.length; // the copies' destinations are distinct fields
    }

    /**
     * True when the plan is one copy of the whole State into a State of the same size (an edit of
     * code only): States laid out back to back then migrate as one copy of all their bytes.
     */
    public boolean copiesWholeState() {
        return copies != null && copies.length == 3 && copies[0] == 0 && copies[1] == 0
                && copies[2] == newDefaults.length && oldSize == newDefaults.length;
    }

    /**
     * Writes the declared defaults into each of the {@code n} slots of {@code slotSize} bytes at
     * the start of {@code block}: one copy, then the block doubled into itself (log2 n copies
     * instead of n).
     */
    public void fillDefaults(MemorySegment block, long slotSize, int n) {
        if (n == 0) return;
        MemorySegment.copy(defaultsSegment, 0, block, 0, newDefaults.length);
        long total = slotSize * n;
        for (long filled = slotSize; filled < total; filled *= 2) {
            MemorySegment.copy(block, 0, block, filled, Math.min(filled, total - filled));
        }
    }

    /**
     * Only the plan's copies from {@code from} into {@code to} (a plan of {@link #plainCopies};
     * {@code to} already holds the defaults, or {@link #copiesCoverAll}); false, writing nothing,
     * when {@code from} is too short for them.
     */
    public boolean copyInto(MemorySegment from, MemorySegment to) {
        if (!copiesFit(from)) return false;
        for (int k = 0; k < copies.length; k += 3) MemorySegment.copy(from, copies[k], to, copies[k + 1], copies[k + 2]);
        return true;
    }

    /** True when the copies read only bytes {@code from} has. */
    private boolean copiesFit(MemorySegment from) {
        for (int k = 0; k < copies.length; k += 3) if (copies[k] + copies[k + 2] > from.byteSize()) return false;
        return true;
    }

    /** Every top-level field's fate, and the nested fields that did not simply keep their value. */
    public List<FieldChange> plan() {
        return List.copyOf(plan);
    }

    /** Fields reset because their type changed incompatibly (reported as warnings). */
    public List<FieldChange> resets() {
        return plan.stream().filter(c -> c.kind() == FieldChange.Kind.RESET).toList();
    }

    /** Values reset while migrating instances so far, per field (reported as warnings). */
    public List<ValueReset> valueResets() {
        List<ValueReset> out = new ArrayList<>();
        valueResetCounts.forEach((field, n) -> out.add(new ValueReset(field, valueResetDetails.get(field), n[0])));
        return out;
    }

    /** The new State's bytes for an instance whose old State is {@code oldState} (no containers). */
    public byte[] migrate(byte[] oldState) {
        byte[] out = new byte[newDefaults.length];
        migrateInto(oldState, out, null);
        return out;
    }

    /**
     * The new State's bytes for an instance whose old State is {@code oldState}; containers whose
     * element type changed are rewritten through {@code store} (null: they are emptied).
     */
    public byte[] migrate(byte[] oldState, ContainerStore store) {
        byte[] out = new byte[newDefaults.length];
        migrateInto(oldState, out, store);
        return out;
    }

    /** Bytes of the new State: what {@link #migrateInto} writes. */
    public int newSize() {
        return newDefaults.length;
    }

    /**
     * Like {@link #migrate(byte[], ContainerStore)}, into {@code out} (at least {@link #newSize}
     * bytes): a swap of 10,000 instances reuses one pair of buffers instead of allocating two
     * arrays per instance.
     */
    public void migrateInto(byte[] oldState, byte[] out, ContainerStore store) {
        this.store = store;
        try {
            System.arraycopy(newDefaults, 0, out, 0, newDefaults.length);
            for (Op op : ops) op.apply(oldState, 0, out, 0);
        } finally {
            this.store = null;
        }
    }

    /**
     * Migrates from native State memory to native State memory through two caller-owned
     * buffers ({@code oldScratch} at least {@code from}'s size, {@code newScratch} at least
     * {@link #newSize}): no allocation per instance.
     */
    public void migrate(MemorySegment from, MemorySegment to, byte[] oldScratch, byte[] newScratch, ContainerStore store) {
        if (copies != null && copiesFit(from)) {
            MemorySegment.copy(defaultsSegment, 0, to, 0, newDefaults.length);
            for (int k = 0; k < copies.length; k += 3) MemorySegment.copy(from, copies[k], to, copies[k + 1], copies[k + 2]);
            return;
        }
        int oldSize = (int) from.byteSize();
        MemorySegment.copy(from, ValueLayout.JAVA_BYTE, 0, oldScratch, 0, oldSize);
        Arrays.fill(oldScratch, oldSize, oldScratch.length, (byte) 0);
        migrateInto(oldScratch, newScratch, store);
        MemorySegment.copy(newScratch, 0, to, ValueLayout.JAVA_BYTE, 0, newDefaults.length);
    }

    /** Where the containers of the State being migrated live; set during {@link #migrateInto}. */
    private ContainerStore store;

    // ---- planning ----------------------------------------------------------------------

    private void structFields(StateType.StructType o, int src, StateType.StructType n, int dst, String prefix,
                              List<Op> into, boolean top) {
        for (StateType.Field nf : n.fields()) {
            StateType.Field of = o.field(nf.name());
            String path = prefix + nf.name();
            if (of == null) {
                plan.add(new FieldChange(path, FieldChange.Kind.ADDED, "new field: declared default"));
                continue;
            }
            FieldChange.Kind kind = value(of.type(), src + of.offset(), nf.type(), dst + nf.offset(), path, into);
            if (kind == FieldChange.Kind.KEPT && top) plan.add(new FieldChange(path, kind, ""));
        }
        for (StateType.Field of : o.fields()) {
            if (n.field(of.name()) == null) {
                plan.add(new FieldChange(prefix + of.name(), FieldChange.Kind.REMOVED, "field removed: value dropped"));
            }
        }
    }

    /**
     * Plans one value of type {@code o} at {@code src} into type {@code n} at {@code dst}; returns
     * KEPT (carried unchanged), CONVERTED (carried with changes, reported here) or RESET (left at
     * the default, reported here).
     */
    private FieldChange.Kind value(StateType o, int src, StateType n, int dst, String path, List<Op> into) {
        if (o.equals(n) && !(relocate && StateTypeJson.containsList(n))) {
            into.add(new Copy(src, dst, n.size()));
            return FieldChange.Kind.KEPT;
        }
        if (o instanceof StateType.ListType ol && n instanceof StateType.ListType nl) return list(ol, src, nl, dst, path, into);
        if (ScalarConversion.isScalar(o) && ScalarConversion.isScalar(n)) {
            into.add(new Convert(src, o, dst, n, path));
            return converted(path, o.describe() + " → " + n.describe() + (narrows(o, n) ? ", saturating" : ""));
        }
        if (o instanceof StateType.StructType os && n instanceof StateType.StructType ns) {
            int before = plan.size();
            structFields(os, src, ns, dst, path + ".", into, false);
            return plan.size() == before ? FieldChange.Kind.KEPT : FieldChange.Kind.CONVERTED;
        }
        if (o instanceof StateType.ArrayType oa && n instanceof StateType.ArrayType na) return array(oa, src, na, dst, path, into);
        if (o instanceof StateType.EnumType oe && n instanceof StateType.EnumType ne) return enumeration(oe, src, ne, dst, path, into);
        if (o instanceof StateType.OptionalType oo && n instanceof StateType.OptionalType no) {
            List<Op> payload = new ArrayList<>();
            if (value(oo.payload(), 0, no.payload(), 0, path, payload) == FieldChange.Kind.RESET) return FieldChange.Kind.RESET;
            into.add(new Optional(src, oo.flag(), dst, no.flag(), payloadDefault(no), payload));
            return FieldChange.Kind.CONVERTED;
        }
        if (n instanceof StateType.OptionalType no && !(o instanceof StateType.OptionalType)) {
            List<Op> payload = new ArrayList<>();
            if (value(o, 0, no.payload(), 0, path, payload) == FieldChange.Kind.RESET) return FieldChange.Kind.RESET;
            into.add(new Optional(src, -1, dst, no.flag(), payloadDefault(no), payload));
            return converted(path, o.describe() + " → " + n.describe());
        }
        if (o instanceof StateType.OptionalType oo) {
            List<Op> payload = new ArrayList<>();
            if (value(oo.payload(), 0, n, 0, path, payload) == FieldChange.Kind.RESET) return FieldChange.Kind.RESET;
            into.add(new Optional(src, oo.flag(), dst, -1, new byte[n.size()], payload));
            return converted(path, o.describe() + " → " + n.describe() + ": a null value keeps the new default");
        }
        plan.add(new FieldChange(path, FieldChange.Kind.RESET, "type changed from " + o.describe() + " (" + o.size()
                + " bytes) to " + n.describe() + " (" + n.size() + " bytes), which cannot be converted: reset to its default"));
        return FieldChange.Kind.RESET;
    }

    private FieldChange.Kind converted(String path, String detail) {
        plan.add(new FieldChange(path, FieldChange.Kind.CONVERTED, detail));
        return FieldChange.Kind.CONVERTED;
    }

    private FieldChange.Kind array(StateType.ArrayType o, int src, StateType.ArrayType n, int dst, String path, List<Op> into) {
        List<Op> element = new ArrayList<>();
        FieldChange.Kind kind = value(o.elem(), 0, n.elem(), 0, path + "[]", element);
        if (kind == FieldChange.Kind.RESET) return FieldChange.Kind.RESET;
        into.add(new Each(Math.min(o.len(), n.len()), src, o.elem().size(), dst, n.elem().size(), element));
        if (n.len() > o.len()) {
            return converted(path, "grown from " + o.len() + " to " + n.len() + " elements: the new ones get the default");
        }
        if (n.len() < o.len()) {
            return converted(path, "shrunk from " + o.len() + " to " + n.len() + " elements: the last "
                    + (o.len() - n.len()) + " dropped");
        }
        return kind;
    }

    /**
     * A container: its handle is carried over (the elements stay where they are, in engine
     * memory); when the element type changed, every element is migrated by the element plan.
     */
    private FieldChange.Kind list(StateType.ListType o, int src, StateType.ListType n, int dst, String path, List<Op> into) {
        boolean sameElements = o.elem().equals(n.elem()); // at most the element's declared default changed
        if (sameElements && !relocate) {
            into.add(new Copy(src, dst, n.size()));
            return FieldChange.Kind.KEPT;
        }
        int before = plan.size();
        List<Op> element = new ArrayList<>();
        FieldChange.Kind kind = value(o.elem(), 0, n.elem(), 0, path + "[]", element);
        if (kind == FieldChange.Kind.RESET) {
            plan.subList(before, plan.size()).clear();
            plan.add(new FieldChange(path, FieldChange.Kind.RESET, "element type changed from " + o.elem().describe()
                    + " to " + n.elem().describe() + ", which cannot be converted: emptied"));
            return FieldChange.Kind.RESET;
        }
        into.add(new ListConvert(src, o.elem().size(), dst, n.elem().size(), n.defaultElement(), element, path));
        if (sameElements) return FieldChange.Kind.KEPT; // moved, not changed
        return converted(path, "every element migrated from " + o.elem().describe() + " to " + n.elem().describe());
    }

    private FieldChange.Kind enumeration(StateType.EnumType o, int src, StateType.EnumType n, int dst, String path,
                                         List<Op> into) {
        long[] from = new long[o.tags().size()];
        long[] to = new long[o.tags().size()];
        boolean[] known = new boolean[o.tags().size()];
        List<String> gone = new ArrayList<>();
        boolean renumbered = false;
        for (int k = 0; k < from.length; k++) {
            StateType.Tag t = o.tags().get(k);
            StateType.Tag now = n.tagNamed(t.name());
            from[k] = t.value();
            if (now == null) {
                gone.add(t.name());
            } else {
                to[k] = now.value();
                known[k] = true;
                renumbered |= now.value() != t.value();
            }
        }
        into.add(new EnumMap(src, o, dst, n, from, to, known, path));
        String detail = (renumbered ? "tags matched by name" : "")
                + (gone.isEmpty() ? "" : (renumbered ? "; " : "") + "tag" + (gone.size() > 1 ? "s " : " ")
                + String.join(", ", gone) + " removed: an instance holding one gets the default");
        return detail.isEmpty() ? FieldChange.Kind.KEPT : converted(path, detail);
    }

    private static boolean narrows(StateType o, StateType n) {
        if (o instanceof StateType.IntType oi && n instanceof StateType.IntType ni) {
            return ScalarConversion.min(oi).compareTo(ScalarConversion.min(ni)) < 0
                    || ScalarConversion.max(oi).compareTo(ScalarConversion.max(ni)) > 0;
        }
        return !(n instanceof StateType.FloatType) || o instanceof StateType.FloatType of && n.size() < of.size();
    }

    private void valueReset(String path, String detail) {
        valueResetCounts.computeIfAbsent(path, p -> new int[1])[0]++;
        valueResetDetails.putIfAbsent(path, detail);
    }

    // ---- the plan's steps: each reads the old bytes at srcBase + its offset, writes the new ----

    private interface Op {
        void apply(byte[] old, int srcBase, byte[] out, int dstBase);
    }

    private record Copy(int src, int dst, int len) implements Op {
        public void apply(byte[] old, int srcBase, byte[] out, int dstBase) {
            System.arraycopy(old, srcBase + src, out, dstBase + dst, len);
        }
    }

    private final class Convert implements Op {
        final int src;
        final StateType from;
        final int dst;
        final StateType to;
        final String path;

        Convert(int src, StateType from, int dst, StateType to, String path) {
            this.src = src;
            this.from = from;
            this.dst = dst;
            this.to = to;
            this.path = path;
        }

        public void apply(byte[] old, int srcBase, byte[] out, int dstBase) {
            Object v = ScalarConversion.read(old, srcBase + src, from);
            if (!ScalarConversion.write(out, dstBase + dst, to, v)) {
                valueReset(path, "NaN has no " + to.describe() + " value: reset to its default");
            }
        }
    }

    private final class EnumMap implements Op {
        final int src;
        final StateType.EnumType from;
        final int dst;
        final StateType.EnumType to;
        final long[] oldValues;
        final long[] newValues;
        final boolean[] known;
        final String path;

        EnumMap(int src, StateType.EnumType from, int dst, StateType.EnumType to, long[] oldValues, long[] newValues,
                boolean[] known, String path) {
            this.src = src;
            this.from = from;
            this.dst = dst;
            this.to = to;
            this.oldValues = oldValues;
            this.newValues = newValues;
            this.known = known;
            this.path = path;
        }

        public void apply(byte[] old, int srcBase, byte[] out, int dstBase) {
            long value = ScalarConversion.readInt(old, srcBase + src, from.tag()).longValue();
            for (int k = 0; k < oldValues.length; k++) {
                if (oldValues[k] != value) continue;
                if (known[k]) {
                    ScalarConversion.writeInt(out, dstBase + dst, to.tag(), BigInteger.valueOf(newValues[k]));
                } else {
                    valueReset(path, "tag " + from.tags().get(k).name() + " no longer exists in " + to.describe()
                            + ": reset to its default");
                }
                return;
            }
            // A non-exhaustive enum's unnamed value keeps its number when the new enum allows it.
            BigInteger v = BigInteger.valueOf(value);
            boolean fits = v.compareTo(ScalarConversion.min(to.tag())) >= 0 && v.compareTo(ScalarConversion.max(to.tag())) <= 0;
            if (!to.exhaustive() && fits && to.tagOf(value) == null) {
                ScalarConversion.writeInt(out, dstBase + dst, to.tag(), v);
            } else {
                valueReset(path, "value " + value + " has no tag in " + to.describe() + ": reset to its default");
            }
        }
    }

    /** One payload of {@code n} with its declared defaults (zero where the SDK gave none). */
    private static byte[] payloadDefault(StateType.OptionalType n) {
        return n.defaultHex().isEmpty() ? new byte[n.payload().size()] : HexFormat.of().parseHex(n.defaultHex());
    }

    /**
     * Optional ↔ optional (both flags ≥ 0), T → ?T (srcFlag −1) or ?T → T (dstFlag −1);
     * {@code payloadDefault}: where a value starts when the new default is null.
     */
    private record Optional(int src, int srcFlag, int dst, int dstFlag, byte[] payloadDefault, List<Op> payload) implements Op {
        public void apply(byte[] old, int srcBase, byte[] out, int dstBase) {
            boolean present = srcFlag < 0 || (old[srcBase + src + srcFlag] & 1) != 0;
            if (!present) {
                if (dstFlag >= 0) out[dstBase + dst + dstFlag] = 0;
                return;
            }
            if (dstFlag >= 0 && out[dstBase + dst + dstFlag] == 0) {
                // The default was null: its payload bytes mean nothing; start from the payload's
                // declared defaults, so a field new to the payload takes its default as anywhere else.
                System.arraycopy(payloadDefault, 0, out, dstBase + dst, payloadDefault.length);
            }
            for (Op op : payload) op.apply(old, srcBase + src, out, dstBase + dst);
            if (dstFlag >= 0) out[dstBase + dst + dstFlag] = 1;
        }
    }

    /** A container whose element type changed: same handle, every element migrated in the store. */
    private final class ListConvert implements Op {
        final int src;
        final int srcStride;
        final int dst;
        final int dstStride;
        final byte[] defaultElement;
        final List<Op> element;
        final String path;

        ListConvert(int src, int srcStride, int dst, int dstStride, byte[] defaultElement, List<Op> element, String path) {
            this.src = src;
            this.srcStride = srcStride;
            this.dst = dst;
            this.dstStride = dstStride;
            this.defaultElement = defaultElement;
            this.element = element;
            this.path = path;
        }

        public void apply(byte[] old, int srcBase, byte[] out, int dstBase) {
            long handle = StateValues.handle(old, srcBase + src);
            if (ContainerStore.id(handle) == 0) return; // empty: the default (empty) handle stays
            byte[] elements = store == null ? null : store.elements(handle, srcStride);
            if (elements == null) {
                valueReset(path, "its elements could not be read (a stale handle): emptied");
                return;
            }
            int count = elements.length / srcStride;
            byte[] converted = new byte[count * dstStride];
            for (int k = 0; k < count; k++) {
                System.arraycopy(defaultElement, 0, converted, k * dstStride, dstStride);
                for (Op op : element) op.apply(elements, k * srcStride, converted, k * dstStride);
            }
            long now = store.replace(handle, dstStride, count, converted);
            for (int k = 0; k < StateType.ListType.HANDLE_BYTES; k++) out[dstBase + dst + k] = (byte) (now >>> (8 * k));
        }
    }

    private record Each(int count, int src, int srcStride, int dst, int dstStride, List<Op> element) implements Op {
        public void apply(byte[] old, int srcBase, byte[] out, int dstBase) {
            for (int k = 0; k < count; k++) {
                for (Op op : element) op.apply(old, srcBase + src + k * srcStride, out, dstBase + dst + k * dstStride);
            }
        }
    }
}
