package dev.kiln.abi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The structs and unions abi/kiln.h declares, with their fields in order, read from the header
 * text (the header is the contract; the C compiler then says where each field really is).
 */
record HeaderStructs(Map<String, List<String>> fields) {
    /** `typedef struct tag { ... } name;`, or `struct name { ... };` after a forward typedef. */
    private static final Pattern TYPEDEF = Pattern.compile(
            "(?:typedef\\s+)?(struct|union)\\s+(\\w+)\\s*\\{(.*?)\\}\\s*(\\w*)\\s*;", Pattern.DOTALL);
    private static final Pattern FUNCTION_POINTER = Pattern.compile("\\(\\s*\\*\\s*(\\w+)\\s*\\)");
    private static final Pattern LAST_NAME = Pattern.compile("(\\w+)\\s*(\\[[^\\]]*\\]\\s*)*$");

    static HeaderStructs parse(String header) {
        String text = header.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
        Map<String, List<String>> out = new LinkedHashMap<>();
        Matcher m = TYPEDEF.matcher(text);
        while (m.find()) {
            List<String> names = new ArrayList<>();
            for (String decl : m.group(3).split(";")) {
                String d = decl.strip();
                if (d.isEmpty()) continue;
                Matcher fp = FUNCTION_POINTER.matcher(d);
                if (fp.find()) {
                    names.add(fp.group(1));
                    continue;
                }
                for (String declarator : d.split(",")) {
                    Matcher name = LAST_NAME.matcher(declarator.strip());
                    if (!name.find()) throw new IllegalArgumentException("cannot read a field of " + m.group(2) + ": " + d);
                    names.add(name.group(1));
                }
            }
            out.put(m.group(4).isEmpty() ? m.group(2) : m.group(4), names);
        }
        return new HeaderStructs(out);
    }
}
