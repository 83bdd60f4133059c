package dev.kiln.testing;

/**
 * Edits of script sources in tests, failing when the text to replace is not there: a test whose
 * edit silently matched nothing would check the unedited script and pass for the wrong reason.
 */
public final class SourceEdit {
    private SourceEdit() {}

    /** {@code source} with every {@code target} replaced; an AssertionError when there is none. */
    public static String replace(String source, String target, String replacement) {
        if (!source.contains(target)) throw new AssertionError("the source has no \"" + target + "\" to replace");
        return source.replace(target, replacement);
    }
}
