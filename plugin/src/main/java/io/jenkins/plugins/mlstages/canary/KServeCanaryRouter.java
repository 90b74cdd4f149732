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
 * {@code --router kserve}). The identity is only a Global Jenkins credential the administrator chose: a
 * Secret file holding a kubeconfig (inline token and CA only), or a Secret text token with {@code apiServer}
 * and an optional CA; never {@code $KUBECONFIG}, {@code ~/.kube/config} or the controller's service account.
 * Readiness waits go through the step's interruptible sleep.
 */
public final class KServeCanaryRouter extends CanaryRouter {
    public static final String DEFAULT_READY_TIMEOUT = "5m";
    /** The namespace of a token router without one, as kubectl's. */
    static final String DEFAULT_NAMESPACE = "default";

    private final String inferenceService;
    private String namespace;
    private String credentialsId;
    private String apiServer;
    private String caCertificate;
    private String canaryStorageUri;
    private String readyTimeout = DEFAULT_READY_TIMEOUT;

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

    /** KServe has no mirror of its own: shadow mode is not supported for it (docs/shadow.md). */
    @Override
    public ShadowSetup openShadow(Run<?, ?> run) throws AbortException {
        throw io.jenkins.plugins.mlstages.support.BuildLog.failure("shadowDeploy", "kserve router '" + getName() + "': shadow mode"
                + " is not supported for KServe (an InferenceService has no mirror); mirror with an Istio VirtualService and"
                + " define an http router with mirrorUrl, or see docs/shadow.md");
    }

    @Override
    @CheckForNull
    protected String problem() {
        if (credentialsId == null) {
            return "needs credentialsId: a Secret file credential holding a kubeconfig, or a Secret text token with "
                    + "apiServer (the controller's own kubeconfig and service account are never used)";
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
            if (credentials instanceof FileCredentials kubeconfig) {
                if (apiServer != null || caCertificate != null) {
                    throw failure("apiServer and caCertificate go with a Secret text token; the kubeconfig in '"
                            + credentialsId + "' names its own server and CA");
                }
                config = KServeConfig.fromKubeconfigContent(read(kubeconfig), "credentials '" + credentialsId + "'",
                        namespace, inferenceService, storageUri, ready);
            } else if (credentials instanceof StringCredentials token) {
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
