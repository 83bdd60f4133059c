package dev.kiln.build;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * Renders a Zig ErrorBundle (lib/std/zig/ErrorBundle.zig, as sent in an error_bundle message)
 * as the text the compiler prints without --listen: `path:line:col: error: msg`, the source
 * line, then notes; {@code path} maps each file name (snapshot → real). {@link DiagnosticParser}
 * reads that text, so both ways of running the compiler share one parser.
 */
final class ErrorBundleText {
    // Field counts of the extern structs in `extra` (all u32).
    private static final int MESSAGE_FIELDS = 4;      // msg, count, src_loc, notes_len

    private ErrorBundleText() {}

    /** Body: {extra_len: u32, string_bytes_len: u32}, extra[extra_len], string_bytes. */
    static String render(ByteBuffer body, UnaryOperator<String> path) {
        body.order(ByteOrder.LITTLE_ENDIAN);
        int extraLen = body.getInt();
        int stringsLen = body.getInt();
        if (extraLen == 0) return "";
        int[] extra = new int[extraLen];
        for (int i = 0; i < extraLen; i++) extra[i] = body.getInt();
        byte[] strings = new byte[stringsLen];
        body.get(strings);
        // extra[0..3] is the ErrorMessageList {len, start, compile_log_text}.
        int len = extra[0];
        int start = extra[1];
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < len; i++) message(out, extra, strings, extra[start + i], "error", path);
        String log = string(strings, extra[2]);
        if (extra[2] != 0 && !log.isEmpty()) out.append("Compile Log Output:\n").append(log).append('\n');
        return out.toString();
    }

    private static void message(StringBuilder out, int[] extra, byte[] strings, int index, String kind,
                                UnaryOperator<String> path) {
        String msg = string(strings, extra[index]);
        int srcLoc = extra[index + 2];
        int notes = extra[index + 3];
        if (srcLoc != 0) {
            // SourceLocation {src_path, line, column, span_start, span_main, span_end, source_line, ...}
            String file = path.apply(string(strings, extra[srcLoc]));
            int line = extra[srcLoc + 1] + 1;
            int column = extra[srcLoc + 2] + 1;
            out.append(file).append(':').append(line).append(':').append(column).append(": ");
            out.append(kind).append(": ").append(msg).append('\n');
            int sourceLine = extra[srcLoc + 6];
            if (sourceLine != 0) {
                out.append(string(strings, sourceLine)).append('\n');
                out.append(" ".repeat(column - 1)).append("^\n");
            }
        } else {
            out.append(kind).append(": ").append(msg).append('\n');
        }
        for (int n = 0; n < notes; n++) message(out, extra, strings, extra[index + MESSAGE_FIELDS + n], "note", path);
    }

    private static String string(byte[] strings, int index) {
        int end = index;
        while (end < strings.length && strings[end] != 0) end++;
        return new String(strings, index, end - index, StandardCharsets.UTF_8);
    }
}
