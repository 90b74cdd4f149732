package io.jenkins.plugins.mlstages.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tags given as text, {@code KEY=VALUE} each, as the CLI's {@code --tag} and the step's {@code tag} take them. */
public final class KeyValues {
    private KeyValues() {
    }

    /**
     * @param option how the user wrote the option, for the message ({@code --tag}, {@code tag})
     * @throws IllegalArgumentException naming the entry without a key or an {@code =}
     */
    public static Map<String, String> parse(List<String> entries, String option) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(option + " must be KEY=VALUE, was '" + entry + "'");
            }
            parsed.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return parsed;
    }
}
