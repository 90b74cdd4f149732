package io.jenkins.plugins.mlstages.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Item;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlstages.canary.CanaryRouters;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * What the descriptors of the deployment steps ({@code canaryDeploy}, {@code blueGreenDeploy}, {@code shadowDeploy},
 * {@code abTest}) share: they run outside {@code node { }}, show the model version in the build's step list, offer
 * the routers an administrator defined (names only: the definitions stay theirs), and refuse a router described in
 * the Jenkinsfile with one line. Public, as its web method is found by reflection on the step's public descriptor.
 */
public abstract class DeploymentDescriptor extends MlStageStep.MlStageDescriptor {
    protected DeploymentDescriptor(String functionName, String displayName, String... textAreas) {
        super(functionName, displayName, false, textAreas);
    }

    /** The one line for a router given as anything but a name. */
    protected String routerByName() {
        return getFunctionName() + ": router: must name a router, e.g. router: 'prod-fraud'; " + CanaryRouters.WHERE;
    }

    @Override
    public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
        Object model = namedArgs.get("model");
        Object version = namedArgs.get("version");
        return model == null ? null : model + (version == null ? "" : " v" + version);
    }

    /**
     * Refuses a router described in the Jenkinsfile ({@code router: nginx(config: ...)}, which Pipeline passes as a
     * describable, not a name) with one line that says where routers are defined.
     */
    @Override
    @SuppressWarnings("deprecation") // the one hook that sees the raw argument before it is bound to a String
    public Step newInstance(Map<String, Object> arguments) throws Exception {
        Object router = arguments.get("router");
        if (router != null && !(router instanceof String)) {
            // an AbortException: Pipeline shows its message alone, without a stack trace
            throw new AbortException(routerByName());
        }
        return super.newInstance(arguments);
    }

    /** The names of the routers an administrator defined. */
    @POST
    public ListBoxModel doFillRouterItems(@AncestorInPath Item item, @QueryParameter String router) {
        return CanaryRouters.get().routerItems(item, router);
    }
}
