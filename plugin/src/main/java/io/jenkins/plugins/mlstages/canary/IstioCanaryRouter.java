package io.jenkins.plugins.mlstages.canary;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.mlstages.agent.IstioMirrorCall;
import io.jenkins.plugins.mlstages.agent.IstioRouterCall;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.IstioRouter;
import io.jenkins.plugins.mlstages.deploy.IstioSettings;
import io.jenkins.plugins.mlstages.deploy.ShadowMirror;
import io.jenkins.plugins.mlstages.deploy.Sleeper;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import java.util.Optional;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * An Istio router definition: one {@code spec.http[]} route of a {@code VirtualService} (the CLI's
 * {@code --router istio}), its weights between the stable and canary destinations for {@code canaryDeploy},
 * {@code blueGreenDeploy} and {@code abTest}, and its {@code mirror} to the shadow capture for {@code shadowDeploy}
 * (which is how shadow mode works on KServe: the InferenceServices' predictors are the route's destinations). The
 * identity and agent are those of {@link KubernetesCanaryRouter}.
 */
public final class IstioCanaryRouter extends KubernetesCanaryRouter {
    public static final double DEFAULT_MIRROR_PERCENTAGE = 100;

    private final String virtualService;
    private final String stableDestination;
    private String route;
    private String canaryDestination;
    private String mirrorDestination;
    private double mirrorPercentage = DEFAULT_MIRROR_PERCENTAGE;
    private String captureAgent;
    private String captureFolder;

    @DataBoundConstructor
    public IstioCanaryRouter(String name, String virtualService, String stableDestination) {
        super(name);
        this.virtualService = Util.fixEmptyAndTrim(virtualService);
        this.stableDestination = Util.fixEmptyAndTrim(stableDestination);
        if (this.virtualService == null) {
            throw new IllegalArgumentException("istio router '" + getName() + "' needs virtualService: the VirtualService's name");
        }
        if (this.stableDestination == null) {
            throw new IllegalArgumentException("istio router '" + getName()
                    + "' needs stableDestination: the stable version's HOST[/SUBSET]");
        }
    }

    public String getVirtualService() {
        return virtualService;
    }

    /** The stable (live) version's destination, {@code HOST[/SUBSET]}. */
    public String getStableDestination() {
        return stableDestination;
    }

    @CheckForNull
    public String getRoute() {
        return route;
    }

    /** The {@code spec.http[]} route's name; default: the one route that sends to the stable destination. */
    @DataBoundSetter
    public void setRoute(String route) {
        this.route = Util.fixEmptyAndTrim(route);
    }

    @CheckForNull
    public String getCanaryDestination() {
        return canaryDestination;
    }

    /** The canary (or green, or A/B candidate) version's destination, for weights. */
    @DataBoundSetter
    public void setCanaryDestination(String canaryDestination) {
        this.canaryDestination = Util.fixEmptyAndTrim(canaryDestination);
    }

    @CheckForNull
    public String getMirrorDestination() {
        return mirrorDestination;
    }

    /** Shadow mode: the shadow capture's Service, where the route mirrors requests. */
    @DataBoundSetter
    public void setMirrorDestination(String mirrorDestination) {
        this.mirrorDestination = Util.fixEmptyAndTrim(mirrorDestination);
    }

    /** The default also for a definition saved without it (XStream does not run field initializers). */
    public double getMirrorPercentage() {
        return mirrorPercentage == 0 ? DEFAULT_MIRROR_PERCENTAGE : mirrorPercentage;
    }

    /** Shadow mode: the share of requests mirrored, above 0 and at most 100; 0 means the default, 100. */
    @DataBoundSetter
    public void setMirrorPercentage(double mirrorPercentage) {
        this.mirrorPercentage = mirrorPercentage == 0 ? DEFAULT_MIRROR_PERCENTAGE : mirrorPercentage;
    }

    @CheckForNull
    public String getCaptureAgent() {
        return captureAgent;
    }

    /** Shadow mode: the agent where the capture's folder is read (never the controller). */
    @DataBoundSetter
    public void setCaptureAgent(String captureAgent) {
        this.captureAgent = Util.fixEmptyAndTrim(captureAgent);
    }

    @CheckForNull
    public String getCaptureFolder() {
        return captureFolder;
    }

    /** Shadow mode: the capture's {@code --out} folder as the capture agent sees it. */
    @DataBoundSetter
    public void setCaptureFolder(String captureFolder) {
        this.captureFolder = Util.fixEmptyAndTrim(captureFolder);
    }

    /** The route's settings, as they travel to the agent. */
    IstioSettings settings() {
        return new IstioSettings(getNamespace(), virtualService, route, stableDestination, canaryDestination, mirrorDestination,
                getMirrorPercentage(), getReadyTimeout());
    }

    @Override
    protected String kind() {
        return "istio";
    }

    @Override
    @CheckForNull
    protected String problem() {
        String identity = identityProblem();
        if (identity != null) {
            return identity;
        }
        if (canaryDestination == null && mirrorDestination == null) {
            return "needs canaryDestination (weights: canaryDeploy, blueGreenDeploy, abTest) or mirrorDestination (shadowDeploy),"
                    + " or both";
        }
        if (mirrorDestination != null && (captureAgent == null || captureFolder == null)) {
            return "mirrorDestination needs captureAgent and captureFolder: where shadowDeploy reads the shadow capture's files";
        }
        if (captureAgent != null && isBuiltIn(captureAgent)) {
            return "captureAgent must name an agent, not the built-in node: the capture receives production traffic";
        }
        return settings().problem();
    }

    @Override
    public TrafficRouter open(Run<?, ?> run, Sleeper sleeper, Optional<String> canaryStorageUri) throws AbortException {
        requireUsable();
        IstioSettings settings = settings();
        if (!settings.weights()) {
            throw failure("it sets no weights: it has no canaryDestination (an administrator adds it, or uses it for"
                    + " shadowDeploy only)");
        }
        Access access = access(run, "canaryDeploy");
        if (access.onAgent()) {
            return new WeightsOnAgent(this, access.agent(), new IstioRouterCall(access.kubeconfig(), access.source(), settings));
        }
        return here(access, sleeper, "canaryDeploy");
    }

    @Override
    public ShadowSetup openShadow(Run<?, ?> run) throws AbortException {
        String problem = problem();
        if (problem != null) {
            throw failure("shadowDeploy", problem);
        }
        IstioSettings settings = settings();
        if (!settings.mirrors()) {
            throw failure("shadowDeploy", "has no shadow mirror: an administrator adds mirrorDestination, captureAgent and"
                    + " captureFolder (docs/shadow.md)");
        }
        Access access = access(run, "shadowDeploy");
        ShadowMirror mirror;
        if (access.onAgent()) {
            IstioMirrorCall call = new IstioMirrorCall(access.kubeconfig(), access.source(), settings);
            String where = "istio router '" + getName() + "'";
            String agent = access.agent();
            mirror = new ShadowMirror() {
                @Override
                public void setMirroring(boolean on) {
                    NodeCalls.call(agent, call.setting(on), where);
                }

                @Override
                public boolean mirroring() {
                    return NodeCalls.call(agent, call, where);
                }

                @Override
                public String describe() {
                    return call.describe(agent);
                }
            };
        } else {
            // the step's waits are its own (ShadowRun's), Istio's readiness waits the system's
            mirror = here(access, Sleeper.SYSTEM, "shadowDeploy");
        }
        return new ShadowSetup(mirror, ShadowSetup.captureOn(captureAgent, captureFolder, getName()), captureFolder);
    }

    /** The engine's router in this JVM, on the cluster built here. */
    private IstioRouter here(Access access, Sleeper sleeper, String step) throws AbortException {
        try {
            return new IstioRouter(settings().config(access.cluster()), sleeper);
        } catch (IllegalArgumentException | DeployException e) {
            throw failure(step, e.getMessage());
        }
    }

    @Extension
    @Symbol("istio")
    public static final class DescriptorImpl extends KubernetesRouterDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Istio VirtualService (weights and shadow mirror)";
        }
    }
}
