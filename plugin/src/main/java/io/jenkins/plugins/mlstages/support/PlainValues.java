package io.jenkins.plugins.mlstages.support;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import java.util.Map;

/** The maps of plain values the steps return to (sandboxed) Pipeline scripts. */
public final class PlainValues {
    private PlainValues() {}

    /** Puts {@code value} under {@code key} unless it is null: a script reads an absent key as null anyway. */
    public static void putIfNotNull(Map<String, Object> map, String key, @CheckForNull Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
