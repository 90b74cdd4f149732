package io.jenkins.plugins.mlstages.canary;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.mlstages.agent.KServeRouterCall;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.deploy.KServeConfig;
import io.jenkins.plugins.mlstages.deploy.KServeRouter;
import io.jenkins.plugins.mlstages.deploy.Sleeper;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import io.jenkins.plugins.mlstages.support.BuildLog;
import java.util.Optional;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * A KServe router definition: the {@code canaryTrafficPercent} of one InferenceService (the CLI's
 * {@code --router kserve}), with the identity and agent of {@link KubernetesCanaryRouter}.
 */
public final class KServeCanaryRouter extends KubernetesCanaryRouter {
    private final String inferenceService;
    private String canaryStorageUri;

    @DataBoundConstructor
    public KServeCanaryRouter(String name, String inferenceService) {
        super(name);
        this.inferenceService = Util.fixEmptyAndTrim(inferenceService);
        if (this.inferenceService == null) {
            throw new IllegalArgumentException("kserve router '" + getName()
                    + "' needs inferenceService: the InferenceService's name");
        }
    }

    public String getInferenceService() {
        return inferenceService;
    }

    @CheckForNull
    public String getCanaryStorageUri() {
        return canaryStorageUri;
    }

    /** The canary model's storage URI when the step does not give one. */
    @DataBoundSetter
    public void setCanaryStorageUri(String canaryStorageUri) {
        this.canaryStorageUri = Util.fixEmptyAndTrim(canaryStorageUri);
    }

    @Override
    public boolean takesCanaryStorageUri() {
        return true;
    }

    @Override
    protected String kind() {
        return "kserve";
    }

    /**
     * KServe has no mirror of its own: an istio router definition of the VirtualService in front of the
     * InferenceService mirrors (docs/shadow.md).
     */
    @Override
    public ShadowSetup openShadow(Run<?, ?> run) throws AbortException {
        throw BuildLog.failure("shadowDeploy", "kserve router '" + getName() + "': shadow mode is not supported for a KServe"
                + " router definition (an InferenceService has no mirror of its own): name an istio router definition of the"
                + " VirtualService in front of it, with mirrorDestination (docs/shadow.md)");
    }

    @Override
    @CheckForNull
    protected String problem() {
        return identityProblem();
    }

    @Override
    public TrafficRouter open(Run<?, ?> run, Sleeper sleeper, Optional<String> stepStorageUri) throws AbortException {
        requireUsable();
        Access access = access(run, "canaryDeploy");
        Optional<String> storageUri = stepStorageUri.or(() -> Optional.ofNullable(canaryStorageUri));
        if (access.onAgent()) {
            // every call on the agent: its exec plugin runs there; nothing is built or run here
            return new WeightsOnAgent(this, access.agent(), new KServeRouterCall(access.kubeconfig(), access.source(),
                    getNamespace(), inferenceService, storageUri.orElse(null), getReadyTimeout()));
        }
        try {
            return new KServeRouter(KServeConfig.of(access.cluster(), getNamespace(), inferenceService, storageUri,
                    Durations.parse(getReadyTimeout())), sleeper);
        } catch (IllegalArgumentException | DeployException e) {
            throw failure(e.getMessage());
        }
    }

    @Extension
    @Symbol("kserve")
    public static final class DescriptorImpl extends KubernetesRouterDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "KServe InferenceService canary";
        }
    }
}
