package io.jenkins.plugins.mlstages.canary;

import io.jenkins.plugins.mlstages.support.BuildLog;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.deploy.KServeConfig;
import io.jenkins.plugins.mlstages.deploy.KServeRouter;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import java.nio.file.Path;
import java.util.Optional;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code kserve(inferenceService: ...)}: the {@code canaryTrafficPercent} of a KServe InferenceService,
 * with the cluster found as kubectl finds it from the controller (the CLI's {@code --router kserve}
 * options).
 */
public final class KServeCanaryRouter extends CanaryRouter {
    private static final long serialVersionUID = 1L;
    public static final String DEFAULT_READY_TIMEOUT = "5m";

    private final String inferenceService;
    private String namespace;
    private String kubeconfig;
    private String canaryStorageUri;
    private String readyTimeout = DEFAULT_READY_TIMEOUT;

    @DataBoundConstructor
    public KServeCanaryRouter(String inferenceService) {
        this.inferenceService = Util.fixEmptyAndTrim(inferenceService);
        if (this.inferenceService == null) {
            throw new IllegalArgumentException("kserve(...) needs inferenceService: the InferenceService's name");
        }
    }

    public String getInferenceService() {
        return inferenceService;
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace);
    }

    public String getKubeconfig() {
        return kubeconfig;
    }

    /** A kubeconfig file on the controller; default {@code $KUBECONFIG}, {@code ~/.kube/config}, in-cluster. */
    @DataBoundSetter
    public void setKubeconfig(String kubeconfig) {
        this.kubeconfig = Util.fixEmptyAndTrim(kubeconfig);
    }

    public String getCanaryStorageUri() {
        return canaryStorageUri;
    }

    @DataBoundSetter
    public void setCanaryStorageUri(String canaryStorageUri) {
        this.canaryStorageUri = Util.fixEmptyAndTrim(canaryStorageUri);
    }

    public String getReadyTimeout() {
        return readyTimeout;
    }

    @DataBoundSetter
    public void setReadyTimeout(String readyTimeout) {
        String value = Util.fixEmptyAndTrim(readyTimeout);
        if (value != null) {
            Durations.parse(value);
        }
        this.readyTimeout = value == null ? DEFAULT_READY_TIMEOUT : value;
    }

    @Override
    public TrafficRouter open(Run<?, ?> run) throws AbortException {
        try {
            return new KServeRouter(KServeConfig.resolve(Optional.ofNullable(kubeconfig).map(Path::of), namespace,
                    inferenceService, Optional.ofNullable(canaryStorageUri), Durations.parse(readyTimeout)));
        } catch (IllegalArgumentException e) {
            throw BuildLog.failure("canaryDeploy", "kserve router: " + e.getMessage());
        }
    }

    @Extension
    @Symbol("kserve")
    public static final class DescriptorImpl extends CanaryRouterDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "KServe InferenceService canary";
        }
    }
}
