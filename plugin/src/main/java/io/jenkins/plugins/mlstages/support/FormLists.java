package io.jenkins.plugins.mlstages.support;

import java.util.ArrayList;
import java.util.List;
import net.sf.json.JSONObject;

/**
 * List arguments of the steps (rules, score columns, aliases, tags, ...): a Pipeline passes a list of
 * strings, the Snippet Generator's text area one entry per line.
 */
public final class FormLists {
    private FormLists() {}

    /** One entry per line of each value; blank lines are dropped, entries trimmed. */
    public static List<String> lines(List<String> values) {
        List<String> entries = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                if (value == null) {
                    continue;
                }
                for (String line : value.split("\\R")) {
                    String trimmed = line.strip();
                    if (!trimmed.isEmpty()) {
                        entries.add(trimmed);
                    }
                }
            }
        }
        return entries;
    }

    /** The entries as the Snippet Generator's text area shows them. */
    public static String text(List<String> entries) {
        return String.join("\n", entries);
    }

    /** Turns the text areas named {@code fields} of a submitted form into lists, as the steps take them. */
    public static void splitTextAreas(JSONObject formData, String... fields) {
        for (String field : fields) {
            Object text = formData.opt(field);
            if (text instanceof String) {
                formData.element(field, lines(List.of((String) text)));
            }
        }
    }
}
