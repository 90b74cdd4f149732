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
import io.jenkins.plugins.mlstages.agent.KServeRouterCall;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.deploy.KServeConfig;
import io.jenkins.plugins.mlstages.deploy.KServeRouter;
import io.jenkins.plugins.mlstages.deploy.Sleeper;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import io.jenkins.plugins.mlstages.report.InputFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A KServe router definition: the {@code canaryTrafficPercent} of one InferenceService (the CLI's
 * {@code --router kserve}), through the fabric8 client of the kubernetes-client-api plugin. The identity is only a
 * Global Jenkins credential the administrator chose: a Secret file holding a kubeconfig (inline token, client
 * certificate and key, CA, OIDC auth provider; an exec plugin only with {@code agent}), or a Secret text token with
 * {@code apiServer} and an optional CA; never {@code $KUBECONFIG}, {@code ~/.kube/config} or the controller's
 * service account. With {@code agent} every call runs on that agent (an exec plugin such as {@code aws eks
 * get-token} runs there, never on the controller); without it on the controller, where readiness waits go through
 * the step's interruptible sleep.
 */
public final class KServeCanaryRouter extends CanaryRouter {
    public static final String DEFAULT_READY_TIMEOUT = "5m";
    /** Names of the controller's own node. */
    private static final java.util.Set<String> BUILT_IN = java.util.Set.of("built-in", "(built-in)", "master", "(master)");
    /** The namespace of a token router without one, as kubectl's. */
    static final String DEFAULT_NAMESPACE = "default";

    private final String inferenceService;
    private String namespace;
    private String credentialsId;
    private String apiServer;
    private String caCertificate;
    private String canaryStorageUri;
    private String readyTimeout = DEFAULT_READY_TIMEOUT;
    private String agent;

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
    public String getCanaryStorageUri() {
        return canaryStorageUri;
    }

    /** The canary model's storage URI when the step does not give one. */
    @DataBoundSetter
    public void setCanaryStorageUri(String canaryStorageUri) {
        this.canaryStorageUri = Util.fixEmptyAndTrim(canaryStorageUri);
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

    @Override
    public boolean takesCanaryStorageUri() {
        return true;
    }

    @Override
    protected String kind() {
        return "kserve";
    }

    /**
     * KServe has no mirror of its own; the CLI mirrors through an Istio VirtualService in front of it, which a router
     * definition cannot do yet (docs/shadow.md).
     */
    @Override
    public ShadowSetup openShadow(Run<?, ?> run) throws AbortException {
        throw io.jenkins.plugins.mlstages.support.BuildLog.failure("shadowDeploy", "kserve router '" + getName() + "': shadow mode"
                + " is not supported for a KServe router definition (an InferenceService has no mirror); mirror with the Istio"
                + " VirtualService in front of it (mlstages shadow --router istio, or an http router with mirrorUrl), see docs/shadow.md");
    }

    @Override
    @CheckForNull
    protected String problem() {
        if (credentialsId == null) {
            return "needs credentialsId: a Secret file credential holding a kubeconfig, or a Secret text token with "
                    + "apiServer (the controller's own kubeconfig and service account are never used)";
        }
        if (agent != null && BUILT_IN.contains(agent.toLowerCase(java.util.Locale.ROOT))) {
            return "agent must name an agent, not the built-in node: a kubeconfig's exec plugin never runs on the controller";
        }
        try {
            Durations.parse(getReadyTimeout());
            return null;
        } catch (IllegalArgumentException e) {
            return "readyTimeout: " + e.getMessage();
        }
    }

    @Override
    public TrafficRouter open(Run<?, ?> run, Sleeper sleeper, Optional<String> stepStorageUri) throws AbortException {
        requireUsable();
        StandardCredentials credentials = RouterCredentials.find(credentialsId, run);
        Optional<String> storageUri = stepStorageUri.or(() -> Optional.ofNullable(canaryStorageUri));
        try {
            Duration ready = Durations.parse(getReadyTimeout());
            KServeConfig config;
            String source = "credentials '" + credentialsId + "'";
            if (credentials instanceof FileCredentials kubeconfig) {
                if (apiServer != null || caCertificate != null) {
                    throw failure("apiServer and caCertificate go with a Secret text token; the kubeconfig in '"
                            + credentialsId + "' names its own server and CA");
                }
                if (agent != null) {
                    // every call on the agent: its exec plugin runs there; nothing is built or run here
                    return new OnAgent(getName(), agent, new KServeRouterCall(read(kubeconfig), source, namespace,
                            inferenceService, storageUri.orElse(null), getReadyTimeout()));
                }
                // on the controller: a kubeconfig that runs a program is refused, naming the field
                config = KServeConfig.fromKubeconfigContent(read(kubeconfig), source, false, namespace, inferenceService,
                        storageUri, ready);
            } else if (credentials instanceof StringCredentials token) {
                if (agent != null) {
                    throw failure("agent goes with a kubeconfig credential (whose exec plugin runs there); a Secret text"
                            + " token is used from the controller: leave agent empty");
                }
                if (apiServer == null) {
                    throw failure("a Secret text token ('" + credentialsId + "') needs apiServer: the Kubernetes API URL");
                }
                config = KServeConfig.withToken(apiServer, token.getSecret().getPlainText(),
                        Optional.ofNullable(caCertificate), namespace == null ? DEFAULT_NAMESPACE : namespace,
                        inferenceService, storageUri, ready);
            } else {
                throw failure("credentialsId '" + credentialsId + "' is not a Global Secret file (kubeconfig) or "
                        + "Secret text (token) credential");
            }
            return new KServeRouter(config, sleeper);
        } catch (IllegalArgumentException | DeployException e) {
            throw failure(e.getMessage());
        }
    }

    /** The kubeconfig's text, at most the engine's cap for configuration files. */
    private String read(FileCredentials kubeconfig) throws AbortException {
        byte[] content;
        try (InputStream in = kubeconfig.getContent()) {
            content = in.readNBytes((int) InputFiles.CONFIG_CAP + 1);
        } catch (IOException e) {
            throw failure("cannot read the kubeconfig in '" + credentialsId + "': " + e.getMessage());
        }
        if (content.length > InputFiles.CONFIG_CAP) {
            throw failure("the kubeconfig in '" + credentialsId + "' is larger than "
                    + InputFiles.CONFIG_CAP / (1024 * 1024) + " MiB");
        }
        return new String(content, StandardCharsets.UTF_8);
    }

    /**
     * The engine's KServe router on the named agent: each operation is one call through the node's channel as it is
     * now (an agent that reconnects is used again; an offline or missing one is one line). The agent waits for the
     * split itself; an abort of the step stops waiting for the agent's answer.
     */
    private static final class OnAgent implements TrafficRouter {
        private final String name;
        private final String agent;
        private final KServeRouterCall call;

        OnAgent(String name, String agent, KServeRouterCall call) {
            this.name = name;
            this.agent = agent;
            this.call = call;
        }

        @Override
        public void setCanaryWeight(int canaryPercent) {
            NodeCalls.call(agent, call.setting(canaryPercent), "kserve router '" + name + "'");
        }

        @Override
        public int canaryWeight() {
            return NodeCalls.call(agent, call, "kserve router '" + name + "'");
        }

        @Override
        public String describe() {
            return call.describe(agent);
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

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return RouterCredentials.items(credentialsId, CredentialsMatchers.anyOf(
                    CredentialsMatchers.instanceOf(FileCredentials.class),
                    CredentialsMatchers.instanceOf(StringCredentials.class)));
        }
    }
}
