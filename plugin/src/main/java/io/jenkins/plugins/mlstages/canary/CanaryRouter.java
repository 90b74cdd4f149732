package io.jenkins.plugins.mlstages.canary;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Run;
import io.jenkins.plugins.mlstages.deploy.Sleeper;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import io.jenkins.plugins.mlstages.support.BuildLog;
import java.util.Optional;
import org.kohsuke.stapler.DataBoundSetter;
import java.util.regex.Pattern;

/**
 * A router definition an administrator made in {@link CanaryRouters} ({@code nginx}, {@code kserve}, {@code istio} or
 * {@code http}), which a {@code canaryDeploy} names: {@code router: 'prod-fraud'}. Everything that reaches a
 * command, a file or an identity comes from here, never from a Jenkinsfile, so that a Pipeline author cannot
 * make the controller run a command, touch a file or use a credential (controller isolation).
 */
public abstract class CanaryRouter implements Describable<CanaryRouter> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final String name;
    private String probeStableUrl;
    private String probeCanaryUrl;

    protected CanaryRouter(String name) {
        String value = Util.fixEmptyAndTrim(name);
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("a canary router needs a name of letters, digits, '.', '_' and '-'"
                    + " (at most 100), e.g. prod-fraud; was '" + (value == null ? "" : value) + "'");
        }
        this.name = value;
    }

    /** What a {@code canaryDeploy} names with {@code router:}. */
    public String getName() {
        return name;
    }

    /** The stable version's scoring server (MLflow protocol) that behaviour rules send their probe to; null when not set. */
    @CheckForNull
    public String getProbeStableUrl() {
        return probeStableUrl;
    }

    @DataBoundSetter
    public void setProbeStableUrl(String probeStableUrl) {
        this.probeStableUrl = Util.fixEmptyAndTrim(probeStableUrl);
    }

    /** The canary version's scoring server that behaviour rules send their probe to; null when not set. */
    @CheckForNull
    public String getProbeCanaryUrl() {
        return probeCanaryUrl;
    }

    @DataBoundSetter
    public void setProbeCanaryUrl(String probeCanaryUrl) {
        this.probeCanaryUrl = Util.fixEmptyAndTrim(probeCanaryUrl);
    }

    /**
     * The probe URLs, or the step's one-line failure when this definition has none: like every address the
     * controller calls, they come from the administrator's definition, never from a Jenkinsfile.
     */
    public String[] requireProbeUrls() throws AbortException {
        if (probeStableUrl == null || probeCanaryUrl == null) {
            throw failure("behaviour rules send a probe to both versions, and this router defines no probeStableUrl and"
                    + " probeCanaryUrl: " + CanaryRouters.WHERE);
        }
        return new String[] {probeStableUrl, probeCanaryUrl};
    }

    /** Throws an {@link IllegalArgumentException} naming the router and the field when the definition cannot be used. */
    public final void check() {
        String problem = problem();
        if (problem != null) {
            throw new IllegalArgumentException(kind() + " router '" + name + "': " + problem);
        }
    }

    /** What makes the definition unusable, naming the field; null when it can be used. */
    @CheckForNull
    protected abstract String problem();

    /** {@link #check()} as the step's one-line failure. */
    protected void requireUsable() throws AbortException {
        String problem = problem();
        if (problem != null) {
            throw failure(problem);
        }
    }

    /**
     * The engine's router for one drive of a canary of {@code run}.
     *
     * @param sleeper the step's interruptible waits, for a router that waits for its split to be applied
     * @param canaryStorageUri the model the step asks a KServe router to serve as the canary
     * @throws AbortException with one line when the definition or its credential cannot be used
     */
    public abstract TrafficRouter open(Run<?, ?> run, Sleeper sleeper, Optional<String> canaryStorageUri)
            throws AbortException;

    /**
     * The shadow mirror and capture of this router for {@code shadowDeploy}: only a definition with its
     * mirror settings has them; the others say so in one line.
     *
     * @throws AbortException with one line when the router has no mirror, or cannot be used
     */
    public ShadowSetup openShadow(Run<?, ?> run) throws AbortException {
        throw BuildLog.failure("shadowDeploy", kind() + " router '" + name + "' has no shadow mirror: an administrator adds"
                + " its mirror settings (docs/shadow.md)");
    }

    /** Whether the step's {@code canaryStorageUri} means anything to this kind of router. */
    public boolean takesCanaryStorageUri() {
        return false;
    }

    /** The one-line failure about this definition. */
    protected AbortException failure(String problem) {
        return failure("canaryDeploy", problem);
    }

    /** The one-line failure about this definition, naming {@code step}. */
    protected AbortException failure(String step, String problem) {
        return BuildLog.failure(step, kind() + " router '" + name + "': " + problem);
    }

    /** {@code nginx}, {@code kserve}, {@code istio} or {@code http}. */
    protected abstract String kind();

    /** The kinds of router definition. */
    public abstract static class CanaryRouterDescriptor extends Descriptor<CanaryRouter> {}
}
