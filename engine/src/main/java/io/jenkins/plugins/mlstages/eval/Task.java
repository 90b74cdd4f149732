package io.jenkins.plugins.mlstages.eval;

import java.util.Locale;

/** What kind of model the predictions come from. */
public enum Task {
    BINARY, MULTICLASS, REGRESSION;

    public static Task parse(String value) {
        for (Task task : values()) {
            if (task.name().equalsIgnoreCase(value.strip())) {
                return task;
            }
        }
        throw new IllegalArgumentException("unknown task '" + value + "': use binary, multiclass or regression");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
