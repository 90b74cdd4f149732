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
import io.jenkins.plugins.mlstages.deploy.HttpRouter;
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
        Optional<String> token = Optional.empty();
        if (credentialsId != null) {
            StandardCredentials credentials = RouterCredentials.find(credentialsId, run);
            if (!(credentials instanceof StringCredentials secret)) {
                throw failure("credentialsId '" + credentialsId + "' is not a Global Secret text credential");
            }
            token = Optional.of(secret.getSecret().getPlainText());
        }
        try {
            return new HttpRouter(url, token, Duration.ofSeconds(getTimeoutSeconds()));
        } catch (IllegalArgumentException e) {
            throw failure(e.getMessage());
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
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return RouterCredentials.items(credentialsId, CredentialsMatchers.instanceOf(StringCredentials.class));
        }
    }
}
