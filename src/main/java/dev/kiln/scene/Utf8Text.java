package dev.kiln.scene;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A scene file's bytes as text. Bytes that are not UTF-8 (binary garbage, a file saved in
 * Latin-1) are reported at the line and column of the first bad byte, counted as an editor
 * counts them, so the user can find it.
 */
final class Utf8Text {
    private Utf8Text() {}

    static String decode(Path file, byte[] bytes) throws SceneException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (result.isError()) {
            out.flip();
            String before = out.toString();
            int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
            int column = before.length() - before.lastIndexOf('\n'); // characters since the line began, + 1
            int bad = bytes[in.position()] & 0xFF;
            throw new SceneException(new SceneLocation(file, line, column, ""), String.format(
                    "byte 0x%02X is not UTF-8 text; save the scene as UTF-8 (is this a text file?)", bad));
        }
        out.flip();
        String text = out.toString();
        // A byte-order mark some editors write is not content.
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
