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
import io.jenkins.plugins.mlstages.deploy.MetricSource;
import io.jenkins.plugins.mlstages.deploy.PrometheusMetricSource;
import java.time.Duration;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code prometheus(url: ..., credentialsId: ...)}: the Prometheus HTTP API, one instant query per check,
 * with a Secret text credential as bearer token (the CLI's {@code --prometheus-url} and
 * {@code MLSTAGES_PROMETHEUS_TOKEN}).
 */
public final class PrometheusAnalysisSource extends AnalysisSource {
    private static final long serialVersionUID = 1L;
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;

    private final String url;
    private String credentialsId;
    private int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;

    @DataBoundConstructor
    public PrometheusAnalysisSource(String url) {
        this.url = Util.fixEmptyAndTrim(url);
        if (this.url == null) {
            throw new IllegalArgumentException("prometheus(...) needs url: the Prometheus server");
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
    public MetricSource open(Run<?, ?> run) throws AbortException {
        try {
            return new PrometheusMetricSource(url, StepCredentials.token(run, credentialsId, "Prometheus"),
                    Duration.ofSeconds(timeoutSeconds));
        } catch (IllegalArgumentException e) {
            throw BuildLog.failure("canaryDeploy", "prometheus: " + e.getMessage());
        }
    }

    @Extension
    @Symbol("prometheus")
    public static final class DescriptorImpl extends AnalysisSourceDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Prometheus";
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return StepCredentials.items(item, credentialsId);
        }
    }
}
