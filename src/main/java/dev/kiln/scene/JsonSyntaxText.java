package dev.kiln.scene;

import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jackson's syntax errors in the words of someone writing JSON by hand. Jackson's messages
 * name its own switches ({@code enable JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS}, {@code
 * Feature 'ALLOW_COMMENTS'}) and character codes: advice for a Java programmer configuring a
 * parser, not for the author of a scene or an inspector request, who cannot enable anything.
 */
public final class JsonSyntaxText {
    private JsonSyntaxText() {}

    private record Rule(Pattern pattern, Function<Matcher, String> text) {}

    private static Rule rule(String regex, Function<Matcher, String> text) {
        return new Rule(Pattern.compile(regex, Pattern.DOTALL), text);
    }

    private static final String C = "\\('(.)' \\(code \\d+\\)\\)";
    private static final Rule[] RULES = {
        rule("Non-standard token '(.+?)'.*", m -> m.group(1) + " is not a JSON number; numbers must be finite,"
                + " written as digits (like 0.5 or 1e3)"),
        rule(".*maybe a \\(non-standard\\) comment.*", m -> "comments are not allowed in JSON; remove the text"
                + " starting with '/'"),
        rule("Unexpected character " + C + ": was expecting double-quote to start field name.*", m -> switch (m.group(1)) {
            case "}" -> "a comma before '}' has nothing after it; JSON allows no trailing comma";
            case "'" -> "keys are written in double quotes (\"key\"), not single quotes";
            default -> "expected a key in double quotes, found '" + m.group(1) + "'";
        }),
        rule("Unexpected character " + C + ": expected a valid value.*", m -> switch (m.group(1)) {
            case "]" -> "a comma before ']' has nothing after it; JSON allows no trailing comma";
            case "'" -> "strings are written in double quotes (\"text\"), not single quotes";
            default -> "expected a value (a string in double quotes, a number, an array, an object, true, false"
                    + " or null), found '" + m.group(1) + "'";
        }),
        rule("Unrecognized token '(.+?)'.*", m -> "unknown word '" + m.group(1) + "' (expected a string in double"
                + " quotes, a number, true, false or null)"),
        rule("Unexpected character " + C + ": was expecting a colon.*", m -> "expected ':' after the key, found '"
                + m.group(1) + "'"),
        rule("Unexpected character " + C + ": was expecting comma to separate Array entries.*",
                m -> "expected ',' or ']' after an array item, found '" + m.group(1) + "'"),
        rule("Unexpected character " + C + ": was expecting comma to separate Object entries.*",
                m -> "expected ',' or '}' after a value, found '" + m.group(1) + "'"),
        rule("Unexpected end-of-input: expected close marker for (\\w+).*?line: (\\d+), column: (\\d+).*",
                m -> "the text ends before the " + m.group(1).toLowerCase(Locale.ROOT) + " opened at line "
                        + m.group(2) + ", column " + m.group(3) + " is closed"),
        rule("Unexpected end-of-input: was expecting closing quote.*", m -> "the text ends inside a string (its"
                + " closing \" is missing)"),
        rule("Unexpected end-of-input.*", m -> "the text ends too early"),
        rule("Illegal unquoted character \\(\\(CTRL-CHAR, code (\\d+)\\)\\).*", m -> "control character "
                + codePoint(m.group(1)) + " inside a string must be escaped (\\n, \\t or \\u00XX)"),
        rule("Illegal character \\(\\(CTRL-CHAR, code (\\d+)\\)\\).*", m -> "control character "
                + codePoint(m.group(1)) + " is not allowed here; is this a text file?"),
        rule(".*Leading zeroes not allowed.*", m -> "a number cannot start with 0 (write 1, not 01)"),
        rule(".*plus signs.*", m -> "a number cannot start with '+' (write 1, not +1)"),
        rule(".*Exponent indicator not followed by a digit.*", m -> "malformed number: 'e' must be followed by digits"),
        rule(".*Decimal point not followed by a digit.*", m -> "malformed number: '.' must be followed by digits"),
        rule(".*to follow minus sign.*", m -> "malformed number: '-' must be followed by digits"),
        rule("Unrecognized character escape '(.)'.*", m -> "unknown escape '\\" + m.group(1) + "' in a string"
                + " (write \\\\ for a backslash)"),
        rule("Unexpected close marker '(.)': expected '(.)' \\(for (\\w+) starting at .*?line: (\\d+), column: (\\d+).*",
                m -> "found '" + m.group(1) + "' where the " + m.group(3).toLowerCase(Locale.ROOT) + " opened at line "
                        + m.group(4) + ", column " + m.group(5) + " needs its closing '" + m.group(2) + "'"),
        rule("Unexpected close marker '(.)'.*", m -> "'" + m.group(1) + "' closes nothing"),
        rule("Trailing token.*", m -> "unexpected content after the end of the JSON value"),
        rule("Duplicate field '(.+?)'.*", m -> "duplicate key '" + m.group(1) + "' (each key may appear once)"),
    };

    /** Jackson's original message (without location) as a sentence about the text. */
    public static String of(String jacksonMessage) {
        String message = jacksonMessage == null ? "" : jacksonMessage.strip();
        for (Rule r : RULES) {
            Matcher m = r.pattern().matcher(message);
            if (m.matches()) return r.text().apply(m);
        }
        // Whatever is left: keep what it says, drop what only a parser's programmer can act on.
        String plain = message.replaceAll(" \\(code \\d+\\)", "")
                .replaceAll("(?s):? *enable `.*", "")
                .replaceAll("(?s) *\\(?(from )?`[^`]*`\\)?", "")
                .replaceAll("(?s)\\[Source:.*?\\]", "")
                .strip();
        return "malformed JSON: " + (plain.isEmpty() ? "unreadable text" : plain);
    }

    /**
     * How many columns before Jackson's location the offending text starts: Jackson reports
     * some errors where it stopped reading (after NaN, after a control character), while an
     * editor's cursor should land on the thing itself.
     */
    public static int columnsBack(String jacksonMessage) {
        if (jacksonMessage == null) return 0;
        Matcher token = NON_STANDARD.matcher(jacksonMessage);
        if (token.matches()) return token.group(1).length();
        return jacksonMessage.startsWith("Illegal character ((CTRL-CHAR") ? 1 : 0;
    }

    private static final Pattern NON_STANDARD = Pattern.compile("Non-standard token '(.+?)'.*", Pattern.DOTALL);

    private static String codePoint(String decimal) {
        return String.format(Locale.ROOT, "U+%04X", Integer.parseInt(decimal));
    }
}
