package io.jenkins.plugins.mlstages.agent;

import io.jenkins.plugins.mlstages.report.StageLog;
import java.util.ArrayList;

/**
 * The engine's {@link StageLog} on an agent: keeps the messages, to be replayed into the build log on
 * the controller when the stage is over.
 */
public final class CollectedLog implements StageLog {
    public final ArrayList<String> lines = new ArrayList<>();

    @Override
    public void info(String message) {
        lines.add(message);
    }

    @Override
    public void progress(String task, double share, String detail) {
        // Progress would only reach the build log when the stage is over: dropped.
    }
}
