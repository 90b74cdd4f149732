package io.jenkins.plugins.mlstages.canary;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.mlstages.agent.CaptureCall;
import io.jenkins.plugins.mlstages.deploy.CaptureComparison;
import io.jenkins.plugins.mlstages.deploy.CaptureSource;
import io.jenkins.plugins.mlstages.deploy.ShadowMirror;
import java.time.Instant;

/**
 * What a {@code shadowDeploy} drives and reads for one router definition: its mirror, and the capture's
 * folder on the node next to the router (read there through {@link CaptureCall}).
 *
 * @param captureFolder the folder as the capture's node sees it, for the plan and the report
 */
public record ShadowSetup(ShadowMirror mirror, CaptureSource capture, String captureFolder) {

    /** The capture's folder on {@code agent} (null: on the controller, an administrator's explicit choice). */
    static CaptureSource captureOn(@CheckForNull String agent, String folder, String routerName) {
        String where = "shadow capture of router '" + routerName + "' in " + folder;
        return new CaptureSource() {
            @Override
            public int count(Instant from, Instant to) {
                return NodeCalls.call(agent, new CaptureCall(folder, from, to, 0), where).metrics().get("count").intValue();
            }

            @Override
            public CaptureComparison compare(Instant from, Instant to, int max) {
                return NodeCalls.call(agent, new CaptureCall(folder, from, to, Math.max(1, max)), where);
            }
        };
    }
}
