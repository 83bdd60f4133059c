package dev.kiln.rewind;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recording as a text file, one record a line, so a bug report can carry it to another run:
 *
 * <pre>
 * kiln-recording 2
 * scene /abs/path/scene.json
 * seed 5425521592335443276                 (unsigned decimal)
 * library mover /abs/build/mover-1a2b.so   (one per script, frame 0's)
 * prelude spawn 4294967296 kiln.input      (done before loading the scene: {@link Recording#prelude})
 * reload mover /abs/build/mover-3c4d.so    (before the next frame line)
 * edit state 7 speed 4.5                   (an inspector edit before the next frame: {@link HostEdit#encode})
 * handled 4294967297                       (a request the next frame handed to the physics handler, its entity)
 * wrote position 4294967297 0 3f800000 0   (a write the handler made for it: an edit's fields)
 * frame 0 3f91111111111111 9e3779b97f4a7c15 (index, dt's IEEE bits, hash; hex)
 * frame 1 3f91111111111111 -                (a frame the recorder did not hash)
 * </pre>
 *
 * Library paths name content-hashed files in the recording machine's build directory: the file
 * replays where those files still exist (the same checkout and build directory). A loaded file
 * is untrusted: every line is checked, and an error names the file, line and what is wrong.
 */
public final class RecordingFile {
    /** The format this code writes and reads (2: the frame hash folds a chunk's tail by 8 bytes, so format 1 hashes cannot be compared). */
    public static final int FORMAT_VERSION = 2;
    private static final String MAGIC = "kiln-recording";
    /** A frame line's hash field when the recorder skipped that frame's hash. */
    private static final String NOT_HASHED = "-";
    /** Longest line read: a path of a few KiB, far below any real line's need. */
    private static final int LINE_CHARS_MAX = 8192;

    private RecordingFile() {}

    /** Writes {@code recording} to {@code file} (replacing it). */
    public static void save(Recording recording, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(recording, w);
        }
    }

    /** Writes {@code recording} in this format to {@code w} (not closed). */
    public static void write(Recording recording, Writer w) throws IOException {
        w.write(MAGIC + " " + FORMAT_VERSION + "\n");
        w.write("scene " + recording.scene() + "\n");
        w.write("seed " + Long.toUnsignedString(recording.seed()) + "\n");
        for (var e : recording.libraries().entrySet()) w.write("library " + e.getKey() + " " + e.getValue() + "\n");
        for (HostEdit e : recording.prelude()) w.write("prelude " + e.encode() + "\n");
        for (FrameRecord f : recording.frames()) {
            for (FrameRecord.Reload r : f.reloads()) w.write("reload " + r.script() + " " + r.library() + "\n");
            for (HostEdit e : f.edits()) w.write("edit " + e.encode() + "\n");
            for (FrameRecord.Handled h : f.physics()) {
                w.write("handled " + h.entity() + "\n");
                for (HostEdit e : h.writes()) w.write("wrote " + e.encode() + "\n");
            }
            w.write("frame " + f.frame() + " " + Long.toHexString(Double.doubleToRawLongBits(f.dt())) + " "
                    + (f.hashed() ? Long.toHexString(f.hash()) : NOT_HASHED) + "\n");
        }
    }

    /** A recording file that cannot be read, with the file and line. */
    public static final class FormatException extends Exception {
        public FormatException(Path file, int line, String message) {
            super(file + ":" + line + ": " + message);
        }
    }

    /**
     * Reads a recording (with an unlimited budget: it was within one when recorded).
     *
     * @throws FormatException a line is not what the format allows
     * @throws IOException     the file cannot be read
     */
    public static Recording load(Path file) throws IOException, FormatException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(MAGIC + " " + FORMAT_VERSION)) {
            throw new FormatException(file, 1, "not a Kiln recording of format " + FORMAT_VERSION
                    + " (the first line must be '" + MAGIC + " " + FORMAT_VERSION + "')");
        }
        Path scene = null;
        Long seed = null;
        Map<String, Path> libraries = new LinkedHashMap<>();
        Recording recording = null;
        List<FrameRecord.Reload> reloads = new ArrayList<>();
        List<HostEdit> edits = new ArrayList<>();
        List<HostEdit> prelude = new ArrayList<>();
        List<FrameRecord.Handled> physics = new ArrayList<>();
        long handledEntity = 0;
        List<HostEdit> wrote = null; // the writes of the last "handled" line, until the next one or the frame
        for (int n = 2; n <= lines.size(); n++) {
            String line = lines.get(n - 1);
            if (line.length() > LINE_CHARS_MAX) throw new FormatException(file, n, "line longer than " + LINE_CHARS_MAX + " characters");
            if (line.isBlank()) continue;
            String[] p = line.split(" ", 3);
            switch (p[0]) {
                case "scene" -> scene = path(file, n, p, 1);
                case "seed" -> {
                    String text = field(file, n, p, 1);
                    seed = parse(file, n, () -> Long.parseUnsignedLong(text), "an unsigned 64-bit seed");
                }
                case "library" -> {
                    if (recording != null) throw new FormatException(file, n, "a library line after the first frame");
                    libraries.put(field(file, n, p, 1), path(file, n, p, 2));
                }
                case "reload" -> {
                    if (!edits.isEmpty() || wrote != null) throw new FormatException(file, n, "a reload line after the frame's edit or physics lines");
                    reloads.add(new FrameRecord.Reload(field(file, n, p, 1), path(file, n, p, 2)));
                }
                case "edit" -> {
                    if (wrote != null) throw new FormatException(file, n, "an edit line after the frame's physics lines");
                    edits.add(edit(file, n, line));
                }
                case "handled" -> {
                    String text = field(file, n, p, 1);
                    long entity = parse(file, n, () -> Long.parseLong(text), "an entity handle");
                    if (wrote != null) physics.add(new FrameRecord.Handled(handledEntity, wrote));
                    handledEntity = entity;
                    wrote = new ArrayList<>();
                }
                case "wrote" -> {
                    if (wrote == null) throw new FormatException(file, n, "a wrote line without a handled line before it");
                    wrote.add(edit(file, n, line));
                }
                case "prelude" -> {
                    if (recording != null || !edits.isEmpty() || !reloads.isEmpty() || wrote != null) {
                        throw new FormatException(file, n, "a prelude line after the first frame's records");
                    }
                    prelude.add(edit(file, n, line));
                }
                case "frame" -> {
                    if (scene == null || seed == null) throw new FormatException(file, n, "a frame before the scene and seed lines");
                    if (recording == null) recording = new Recording(scene, seed, libraries, prelude, Long.MAX_VALUE);
                    String[] f = line.split(" ");
                    if (f.length != 4) throw new FormatException(file, n, "a frame line is 'frame <index> <dt bits> <hash or ->'");
                    long index = parse(file, n, () -> Long.parseLong(f[1]), "a frame index");
                    if (index != recording.size()) {
                        throw new FormatException(file, n, "frame " + index + " where frame " + recording.size() + " was expected");
                    }
                    double dt = Double.longBitsToDouble(parse(file, n, () -> Long.parseUnsignedLong(f[2], 16), "a delta time's bits in hex"));
                    if (!(dt > 0 && dt <= 1)) throw new FormatException(file, n, "delta time " + dt + " is not in (0, 1] seconds");
                    boolean hashed = !f[3].equals(NOT_HASHED);
                    long hash = hashed ? parse(file, n, () -> Long.parseUnsignedLong(f[3], 16), "a hash in hex or -") : 0;
                    if (wrote != null) physics.add(new FrameRecord.Handled(handledEntity, wrote));
                    recording.append(new FrameRecord(index, dt, reloads, edits, physics, hash, hashed));
                    reloads = new ArrayList<>();
                    edits = new ArrayList<>();
                    physics = new ArrayList<>();
                    wrote = null;
                }
                default -> throw new FormatException(file, n, "unknown record '" + p[0] + "'");
            }
        }
        if (scene == null || seed == null) throw new FormatException(file, lines.size(), "no scene or seed line");
        if (!reloads.isEmpty() || !edits.isEmpty() || wrote != null) {
            throw new FormatException(file, lines.size(), "reload, edit or physics lines after the last frame");
        }
        return recording != null ? recording : new Recording(scene, seed, libraries, prelude, Long.MAX_VALUE);
    }

    /** The {@link HostEdit} after an "edit" or "prelude" line's first word. */
    private static HostEdit edit(Path file, int n, String line) throws FormatException {
        try {
            return HostEdit.decode(line.substring(line.indexOf(' ') + 1));
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw new FormatException(file, n, e.getMessage());
        }
    }

    private static String field(Path file, int n, String[] p, int i) throws FormatException {
        if (p.length <= i || p[i].isEmpty()) throw new FormatException(file, n, "'" + p[0] + "' needs " + (i + 1) + " fields");
        return p[i];
    }

    /** The path that is field {@code i} and the rest of the line (paths may hold spaces). */
    private static Path path(Path file, int n, String[] p, int i) throws FormatException {
        String text = p.length > i ? p[i] : "";
        if (p[0].equals("scene") && p.length > 2) text = p[1] + " " + p[2];
        if (text.isEmpty()) throw new FormatException(file, n, "'" + p[0] + "' needs a path");
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new FormatException(file, n, "not a path: " + e.getMessage());
        }
    }

    private interface Parse<T> {
        T get();
    }

    private static <T> T parse(Path file, int n, Parse<T> parse, String what) throws FormatException {
        try {
            return parse.get();
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new FormatException(file, n, "expected " + what + ": " + e.getMessage());
        }
    }
}
