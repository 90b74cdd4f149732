package io.jenkins.plugins.mlstages.canary;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlstages.deploy.HttpMirror;
import io.jenkins.plugins.mlstages.deploy.HttpRouter;
import io.jenkins.plugins.mlstages.support.BuildLog;
import io.jenkins.plugins.mlstages.deploy.Sleeper;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * An HTTP router definition: a webhook that sets and reports the canary weight ({@code PUT}/{@code GET
 * canary_weight}), with a Global Secret text credential as bearer token, sent only to this definition's
 * URL (the CLI's {@code --router http --router-url} and {@code MLSTAGES_ROUTER_TOKEN}).
 */
public final class HttpCanaryRouter extends CanaryRouter {
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;
    private static final Pattern HTTP_URL = Pattern.compile("(?i)https?://[^/?#\\s]+([/?#]\\S*)?");

    private final String url;
    private String credentialsId;
    private int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
    private String mirrorUrl;
    private String captureAgent;
    private String captureFolder;

    @DataBoundConstructor
    public HttpCanaryRouter(String name, String url) {
        super(name);
        this.url = Util.fixEmptyAndTrim(url);
        if (this.url == null) {
            throw new IllegalArgumentException("http router '" + getName() + "' needs url: the router webhook");
        }
    }

    public String getUrl() {
        return url;
    }

    @CheckForNull
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    /** The default also for a definition saved without it (XStream does not run field initializers). */
    public int getTimeoutSeconds() {
        return timeoutSeconds > 0 ? timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
    }

    @DataBoundSetter
    public void setTimeoutSeconds(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds > 0 ? timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
    }

    @CheckForNull
    public String getMirrorUrl() {
        return mirrorUrl;
    }

    /** Shadow mode: the mirror webhook ({@code PUT}/{@code GET shadow_mirror}), with the same bearer token. */
    @DataBoundSetter
    public void setMirrorUrl(String mirrorUrl) {
        this.mirrorUrl = Util.fixEmptyAndTrim(mirrorUrl);
    }

    @CheckForNull
    public String getCaptureAgent() {
        return captureAgent;
    }

    /** Shadow mode: the node where {@code mlstages shadow-capture} writes (never the controller). */
    @DataBoundSetter
    public void setCaptureAgent(String captureAgent) {
        this.captureAgent = Util.fixEmptyAndTrim(captureAgent);
    }

    @CheckForNull
    public String getCaptureFolder() {
        return captureFolder;
    }

    /** Shadow mode: the capture's {@code --out} folder on the capture agent. */
    @DataBoundSetter
    public void setCaptureFolder(String captureFolder) {
        this.captureFolder = Util.fixEmptyAndTrim(captureFolder);
    }

    @Override
    public ShadowSetup openShadow(Run<?, ?> run) throws AbortException {
        requireUsable();
        if (mirrorUrl == null || captureAgent == null || captureFolder == null) {
            throw BuildLog.failure("shadowDeploy", "http router '" + getName() + "' has no shadow mirror: it needs mirrorUrl,"
                    + " captureAgent and captureFolder");
        }
        try {
            return new ShadowSetup(new HttpMirror(mirrorUrl, token(run), Duration.ofSeconds(getTimeoutSeconds())),
                    ShadowSetup.captureOn(captureAgent, captureFolder, getName()), captureFolder);
        } catch (IllegalArgumentException e) {
            throw BuildLog.failure("shadowDeploy", "http router '" + getName() + "': " + e.getMessage());
        }
    }

    @Override
    protected String kind() {
        return "http";
    }

    @Override
    @CheckForNull
    protected String problem() {
        // the engine's own check, without building a client: http(s) with a host
        return HTTP_URL.matcher(url).matches() ? null
                : "url must be an http:// or https:// URL, was '" + url + "'";
    }

    @Override
    public TrafficRouter open(Run<?, ?> run, Sleeper sleeper, Optional<String> canaryStorageUri) throws AbortException {
        requireUsable();
        Optional<String> token = token(run);
        try {
            return new HttpRouter(url, token, Duration.ofSeconds(getTimeoutSeconds()));
        } catch (IllegalArgumentException e) {
            throw failure(e.getMessage());
        }
    }

    private Optional<String> token(Run<?, ?> run) throws AbortException {
        if (credentialsId == null) {
            return Optional.empty();
        }
        StandardCredentials credentials = RouterCredentials.find(credentialsId, run);
        if (!(credentials instanceof StringCredentials secret)) {
            throw failure("credentialsId '" + credentialsId + "' is not a Global Secret text credential");
        }
        return Optional.of(secret.getSecret().getPlainText());
    }

    @Extension
    @Symbol("http")
    public static final class DescriptorImpl extends CanaryRouterDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "HTTP webhook router";
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return RouterCredentials.items(credentialsId, CredentialsMatchers.instanceOf(StringCredentials.class));
        }
    }
}
