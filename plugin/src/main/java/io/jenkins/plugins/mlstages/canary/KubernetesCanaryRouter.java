package io.jenkins.plugins.mlstages.canary;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Run;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlstages.agent.KubernetesWeightCall;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.deploy.KubernetesCluster;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import io.jenkins.plugins.mlstages.report.InputFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A router definition that talks to the Kubernetes API (KServe, Istio) through the fabric8 client of the
 * kubernetes-client-api plugin, and the one place of its identity: only a Global Jenkins credential the administrator
 * chose, a Secret file holding a kubeconfig (inline token, client certificate and key, CA, OIDC auth provider; an exec
 * plugin only with {@code agent}), or a Secret text token with {@code apiServer} and an optional CA; never
 * {@code $KUBECONFIG}, {@code ~/.kube/config} or the controller's service account. With {@code agent} every call runs
 * on that agent (an exec plugin such as {@code aws eks get-token} runs there, never on the controller); without it on
 * the controller, where waits go through the step's interruptible sleep.
 */
public abstract class KubernetesCanaryRouter extends CanaryRouter {
    public static final String DEFAULT_READY_TIMEOUT = "5m";
    /** Names of the controller's own node. */
    private static final Set<String> BUILT_IN = Set.of("built-in", "(built-in)", "master", "(master)");

    private String namespace;
    private String credentialsId;
    private String apiServer;
    private String caCertificate;
    private String agent;
    private String readyTimeout = DEFAULT_READY_TIMEOUT;

    protected KubernetesCanaryRouter(String name) {
        super(name);
    }

    @CheckForNull
    public String getNamespace() {
        return namespace;
    }

    /** Default: the kubeconfig context's, or {@code default} with a token. */
    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace);
    }

    @CheckForNull
    public String getCredentialsId() {
        return credentialsId;
    }

    /** A Global Secret file (a kubeconfig) or Secret text (a bearer token, with {@link #setApiServer}). */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    @CheckForNull
    public String getApiServer() {
        return apiServer;
    }

    /** The Kubernetes API server of a token credential, e.g. {@code https://10.0.0.1:6443}. */
    @DataBoundSetter
    public void setApiServer(String apiServer) {
        this.apiServer = Util.fixEmptyAndTrim(apiServer);
    }

    @CheckForNull
    public String getCaCertificate() {
        return caCertificate;
    }

    /** The PEM text of the CA that signed the API server's certificate, with a token credential. */
    @DataBoundSetter
    public void setCaCertificate(String caCertificate) {
        this.caCertificate = Util.fixEmptyAndTrim(caCertificate);
    }

    @CheckForNull
    public String getAgent() {
        return agent;
    }

    /** The agent that runs every call of this router (and a kubeconfig's exec plugin); null: the controller, no exec. */
    @DataBoundSetter
    public void setAgent(String agent) {
        this.agent = Util.fixEmptyAndTrim(agent);
    }

    /** The default also for a definition saved without it (XStream does not run field initializers). */
    public String getReadyTimeout() {
        return readyTimeout == null ? DEFAULT_READY_TIMEOUT : readyTimeout;
    }

    @DataBoundSetter
    public void setReadyTimeout(String readyTimeout) {
        String value = Util.fixEmptyAndTrim(readyTimeout);
        if (value != null) {
            Durations.parse(value);
        }
        this.readyTimeout = value == null ? DEFAULT_READY_TIMEOUT : value;
    }

    /** What makes the identity unusable, naming the field; null when it can be used. */
    @CheckForNull
    protected final String identityProblem() {
        if (credentialsId == null) {
            return "needs credentialsId: a Secret file credential holding a kubeconfig, or a Secret text token with "
                    + "apiServer (the controller's own kubeconfig and service account are never used)";
        }
        if (agent != null && isBuiltIn(agent)) {
            return "agent must name an agent, not the built-in node: a kubeconfig's exec plugin never runs on the controller";
        }
        try {
            Durations.parse(getReadyTimeout());
            return null;
        } catch (IllegalArgumentException e) {
            return "readyTimeout: " + e.getMessage();
        }
    }

    /** Whether {@code node} names the controller's own node. */
    protected static boolean isBuiltIn(String node) {
        return BUILT_IN.contains(node.toLowerCase(Locale.ROOT));
    }

    /**
     * Where the calls run and as whom: the credential's kubeconfig to send to {@code agent} (nothing is built or run
     * here), or the cluster built here (a token, or a kubeconfig that runs no program: one that does is refused
     * naming its field, before anything runs).
     *
     * @param step the step that opens the router, for the one-line failure
     */
    protected final Access access(Run<?, ?> run, String step) throws AbortException {
        StandardCredentials credentials = RouterCredentials.find(credentialsId, run);
        String source = "credentials '" + credentialsId + "'";
        try {
            if (credentials instanceof FileCredentials kubeconfig) {
                if (apiServer != null || caCertificate != null) {
                    throw failure(step, "apiServer and caCertificate go with a Secret text token; the kubeconfig in '"
                            + credentialsId + "' names its own server and CA");
                }
                String yaml = read(kubeconfig, step);
                if (agent != null) {
                    return new Access(agent, yaml, source, null);
                }
                return new Access(null, null, source, KubernetesCluster.fromKubeconfigContent(yaml, source, false));
            }
            if (credentials instanceof StringCredentials token) {
                if (agent != null) {
                    throw failure(step, "agent goes with a kubeconfig credential (whose exec plugin runs there); a Secret"
                            + " text token is used from the controller: leave agent empty");
                }
                if (apiServer == null) {
                    throw failure(step, "a Secret text token ('" + credentialsId + "') needs apiServer: the Kubernetes API URL");
                }
                return new Access(null, null, source, KubernetesCluster.withToken(apiServer, token.getSecret().getPlainText(),
                        Optional.ofNullable(caCertificate)));
            }
        } catch (IllegalArgumentException | DeployException e) {
            throw failure(step, e.getMessage());
        }
        throw failure(step, "credentialsId '" + credentialsId + "' is not a Global Secret file (kubeconfig) or "
                + "Secret text (token) credential");
    }

    /** The kubeconfig's text, at most the engine's cap for configuration files. */
    private String read(FileCredentials kubeconfig, String step) throws AbortException {
        byte[] content;
        try (InputStream in = kubeconfig.getContent()) {
            content = in.readNBytes((int) InputFiles.CONFIG_CAP + 1);
        } catch (IOException e) {
            throw failure(step, "cannot read the kubeconfig in '" + credentialsId + "': " + e.getMessage());
        }
        if (content.length > InputFiles.CONFIG_CAP) {
            throw failure(step, "the kubeconfig in '" + credentialsId + "' is larger than "
                    + InputFiles.CONFIG_CAP / (1024 * 1024) + " MiB");
        }
        return new String(content, StandardCharsets.UTF_8);
    }

    /**
     * Where a router's calls run and as whom.
     *
     * @param agent the agent that makes every call, with {@code kubeconfig}; null: here, with {@code cluster}
     * @param kubeconfig the credential's kubeconfig, sent with each call to {@code agent}
     * @param source names the credential in messages, never its content
     * @param cluster the cluster built here
     */
    protected record Access(@CheckForNull String agent, @CheckForNull String kubeconfig, String source,
            @CheckForNull KubernetesCluster cluster) {
        /** Whether the calls go to {@link #agent}. */
        public boolean onAgent() {
            return agent != null;
        }

        /** Never the kubeconfig. */
        @Override
        public String toString() {
            return "Access[" + source + (agent == null ? " here" : " through agent '" + agent + "'") + "]";
        }
    }

    /**
     * The engine's router on the named agent: each operation is one call through the node's channel as it is now (an
     * agent that reconnects is used again; an offline or missing one is one line). The agent waits for the change
     * itself; an abort of the step stops waiting for the agent's answer.
     */
    protected static final class WeightsOnAgent implements TrafficRouter {
        private final String where;
        private final String agent;
        private final KubernetesWeightCall call;

        WeightsOnAgent(KubernetesCanaryRouter router, String agent, KubernetesWeightCall call) {
            this.where = router.kind() + " router '" + router.getName() + "'";
            this.agent = agent;
            this.call = call;
        }

        @Override
        public void setCanaryWeight(int canaryPercent) {
            NodeCalls.call(agent, call.setting(canaryPercent), where);
        }

        @Override
        public int canaryWeight() {
            return NodeCalls.call(agent, call, where);
        }

        @Override
        public String describe() {
            return call.describe(agent);
        }
    }

    /** The kinds of Kubernetes router definition: their credentials are kubeconfig files or tokens. */
    public abstract static class KubernetesRouterDescriptor extends CanaryRouterDescriptor {
        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return RouterCredentials.items(credentialsId, CredentialsMatchers.anyOf(
                    CredentialsMatchers.instanceOf(FileCredentials.class),
                    CredentialsMatchers.instanceOf(StringCredentials.class)));
        }
    }
}
