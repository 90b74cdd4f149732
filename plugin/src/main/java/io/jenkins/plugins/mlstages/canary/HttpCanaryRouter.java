package io.jenkins.plugins.mlstages.canary;

import io.jenkins.plugins.mlstages.support.BuildLog;
import io.jenkins.plugins.mlstages.support.StepCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlstages.deploy.HttpRouter;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import java.time.Duration;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code http(url: ..., credentialsId: ...)}: a webhook that sets and reports the canary weight
 * ({@code PUT}/{@code GET canary_weight}), with a Secret text credential as bearer token (the CLI's
 * {@code --router http --router-url} and {@code MLSTAGES_ROUTER_TOKEN}).
 */
public final class HttpCanaryRouter extends CanaryRouter {
    private static final long serialVersionUID = 1L;
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;

    private final String url;
    private String credentialsId;
    private int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;

    @DataBoundConstructor
    public HttpCanaryRouter(String url) {
        this.url = Util.fixEmptyAndTrim(url);
        if (this.url == null) {
            throw new IllegalArgumentException("http(...) needs url: the router webhook");
        }
    }

    public String getUrl() {
        return url;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public int getTimeoutSeconds() {
        return timeoutSeconds;
    }

    @DataBoundSetter
    public void setTimeoutSeconds(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds > 0 ? timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
    }

    @Override
    public TrafficRouter open(Run<?, ?> run) throws AbortException {
        try {
            return new HttpRouter(url, StepCredentials.token(run, credentialsId, "http router"),
                    Duration.ofSeconds(timeoutSeconds));
        } catch (IllegalArgumentException e) {
            throw BuildLog.failure("canaryDeploy", "http router: " + e.getMessage());
        }
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
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return StepCredentials.items(item, credentialsId);
        }
    }
}
