package io.jenkins.plugins.mlstages.config;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlstages.gate.ModelGateRequest;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import io.jenkins.plugins.mlstages.registry.RegistryCredentials;
import io.jenkins.plugins.mlstages.registry.RegistryException;
import io.jenkins.plugins.mlstages.registry.RetryPolicy;
import io.jenkins.plugins.mlstages.registry.ServerInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Where the MLflow-compatible registry is and how to authenticate to it, for every step of every job.
 * A step may override the URL and the credentials. Only a credentials ID is stored: a Secret text
 * credential is sent as a bearer token, a Username with password one as HTTP basic authentication.
 * In JCasC: {@code unclassified: mlStages: registryUrl: ...}.
 */
@Extension
@Symbol("mlStages")
public class MlStagesConfiguration extends GlobalConfiguration {
    static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
    static final int DEFAULT_READ_TIMEOUT_SECONDS = 60;
    /** As the CLI's {@code --retry-for}: two minutes. */
    static final int DEFAULT_RETRY_BUDGET_SECONDS = (int) RetryPolicy.DEFAULT_BUDGET.toSeconds();
    /** A day, as the CLI's bound: beyond that a pipeline is better off failing and being re-run. */
    static final int MAX_RETRY_BUDGET_SECONDS = 24 * 60 * 60;
    /** "Test connection" should answer quickly, whatever the builds' budget. */
    private static final int TEST_CONNECTION_RETRY_SECONDS = 10;
    /** The metrics of the job-level trend unless configured: the headline metrics of each task. */
    public static final String DEFAULT_TREND_METRICS = "roc_auc, f1_score, accuracy_score, root_mean_squared_error, r2_score";

    /**
     * The credential kinds the registry client understands, in the scope builds can use (System-scoped
     * credentials are for Jenkins itself, not for jobs).
     */
    private static final CredentialsMatcher REGISTRY_CREDENTIALS = CredentialsMatchers.allOf(
            CredentialsMatchers.anyOf(
                    CredentialsMatchers.instanceOf(StringCredentials.class),
                    CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class)),
            CredentialsMatchers.withScope(CredentialsScope.GLOBAL));

    private String registryUrl;
    private String credentialsId;
    private int connectTimeoutSeconds = DEFAULT_CONNECT_TIMEOUT_SECONDS;
    private int readTimeoutSeconds = DEFAULT_READ_TIMEOUT_SECONDS;
    private int retryBudgetSeconds = DEFAULT_RETRY_BUDGET_SECONDS;
    private String championAlias = ModelGateRequest.DEFAULT_CHAMPION_ALIAS;
    private String mlflowUiUrl;
    private String trendMetrics = DEFAULT_TREND_METRICS;

    public MlStagesConfiguration() {
        load();
    }

    public static MlStagesConfiguration get() {
        return ExtensionList.lookupSingleton(MlStagesConfiguration.class);
    }

    /**
     * The form of Manage Jenkins › System: binds every field through its setter, then saves once. The
     * setters do not save: a submitted form would otherwise write the file once per field, and a
     * configuration half-applied would be on disk between them. JCasC saves once too: it applies the
     * setters inside a {@code BulkChange} on this descriptor and commits it, which calls {@link #save()}
     * ({@code BaseConfigurator.configure} of configuration-as-code). Code that calls a setter and wants
     * it kept calls {@link #save()} itself.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        req.bindJSON(this, json);
        save();
        return true;
    }

    /** Which credentials the registry fields offer: Secret text or Username with password, Global scope. */
    public static CredentialsMatcher registryCredentialsMatcher() {
        return REGISTRY_CREDENTIALS;
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return "ML Stages";
    }

    @CheckForNull
    public String getRegistryUrl() {
        return registryUrl;
    }

    @DataBoundSetter
    public void setRegistryUrl(String registryUrl) {
        this.registryUrl = Util.fixEmptyAndTrim(registryUrl);
    }

    @CheckForNull
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public int getConnectTimeoutSeconds() {
        return connectTimeoutSeconds > 0 ? connectTimeoutSeconds : DEFAULT_CONNECT_TIMEOUT_SECONDS;
    }

    @DataBoundSetter
    public void setConnectTimeoutSeconds(int connectTimeoutSeconds) {
        this.connectTimeoutSeconds = connectTimeoutSeconds > 0 ? connectTimeoutSeconds : DEFAULT_CONNECT_TIMEOUT_SECONDS;
    }

    public int getReadTimeoutSeconds() {
        return readTimeoutSeconds > 0 ? readTimeoutSeconds : DEFAULT_READ_TIMEOUT_SECONDS;
    }

    @DataBoundSetter
    public void setReadTimeoutSeconds(int readTimeoutSeconds) {
        this.readTimeoutSeconds = readTimeoutSeconds > 0 ? readTimeoutSeconds : DEFAULT_READ_TIMEOUT_SECONDS;
    }

    /**
     * How long one registry call keeps retrying a registry that does not answer or answers 408/429/5xx;
     * 0 for a single try. Each retry is a line in the build log.
     */
    public int getRetryBudgetSeconds() {
        return retryBudgetSeconds;
    }

    /** Negative is the default; more than a day is a day. */
    @DataBoundSetter
    public void setRetryBudgetSeconds(int retryBudgetSeconds) {
        this.retryBudgetSeconds = retryBudgetSeconds < 0
                ? DEFAULT_RETRY_BUDGET_SECONDS
                : Math.min(retryBudgetSeconds, MAX_RETRY_BUDGET_SECONDS);
    }

    /** The alias modelGate compares with when a step names a model but no alias. */
    @NonNull
    public String getChampionAlias() {
        return championAlias != null ? championAlias : ModelGateRequest.DEFAULT_CHAMPION_ALIAS;
    }

    @DataBoundSetter
    public void setChampionAlias(String championAlias) {
        String value = Util.fixEmptyAndTrim(championAlias);
        this.championAlias = value != null ? value : ModelGateRequest.DEFAULT_CHAMPION_ALIAS;
    }

    /** The MLflow web UI, for links to runs and model versions; null when not set. */
    @CheckForNull
    public String getMlflowUiUrl() {
        return mlflowUiUrl;
    }

    @DataBoundSetter
    public void setMlflowUiUrl(String mlflowUiUrl) {
        this.mlflowUiUrl = Util.fixEmptyAndTrim(mlflowUiUrl);
    }

    /** The metrics shown on the job-level trend and the build summary, comma separated. */
    @NonNull
    public String getTrendMetrics() {
        return trendMetrics != null ? trendMetrics : DEFAULT_TREND_METRICS;
    }

    @DataBoundSetter
    public void setTrendMetrics(String trendMetrics) {
        String value = Util.fixEmptyAndTrim(trendMetrics);
        this.trendMetrics = value != null ? String.join(", ", names(value)) : DEFAULT_TREND_METRICS;
    }

    /** {@link #getTrendMetrics()} as a list of metric names, in order. */
    @NonNull
    public List<String> trendMetricNames() {
        return names(getTrendMetrics());
    }

    private static List<String> names(String text) {
        List<String> names = new ArrayList<>();
        for (String name : text.split("[,\\s]+")) {
            if (!name.isEmpty() && !names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * The base URL of the MLflow web UI for links: the configured one, else the registry a stage used
     * (MLflow serves its UI at the tracking URL).
     */
    @CheckForNull
    public String uiBaseUrl(@CheckForNull String registryUrl) {
        String base = mlflowUiUrl != null ? mlflowUiUrl : Util.fixEmptyAndTrim(registryUrl);
        if (base == null) {
            return null;
        }
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base;
    }

    /** Applies the configured connect and read timeouts and the retry budget to a registry configuration being built. */
    public RegistryConfig.Builder withTimeouts(@NonNull RegistryConfig.Builder builder) {
        return withTimeouts(builder, getRetryBudgetSeconds());
    }

    private RegistryConfig.Builder withTimeouts(RegistryConfig.Builder builder, int retrySeconds) {
        return builder.connectTimeout(Duration.ofSeconds(getConnectTimeoutSeconds()))
                .readTimeout(Duration.ofSeconds(getReadTimeoutSeconds()))
                .retryPolicy(RetryPolicy.DEFAULT.withBudget(Duration.ofSeconds(retrySeconds)));
    }

    /**
     * The engine's form of a Jenkins credential: Secret text is a bearer token, Username with
     * password is HTTP basic authentication.
     *
     * @throws IllegalArgumentException for any other kind (the message names the ID, never a secret)
     */
    public static RegistryCredentials toRegistryCredentials(@NonNull StandardCredentials credentials) {
        if (credentials instanceof StringCredentials token) {
            return RegistryCredentials.bearer(token.getSecret().getPlainText());
        }
        if (credentials instanceof StandardUsernamePasswordCredentials user) {
            return RegistryCredentials.basic(user.getUsername(), user.getPassword().getPlainText());
        }
        throw new IllegalArgumentException("credentials '" + credentials.getId()
                + "' are neither Secret text (a token) nor Username with password");
    }

    @POST
    public FormValidation doCheckRegistryUrl(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String url = Util.fixEmptyAndTrim(value);
        if (url == null) {
            return FormValidation.warning("Without a registry URL, steps need registryUrl or MLFLOW_TRACKING_URI.");
        }
        try {
            RegistryConfig.builder(url);
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    @POST
    public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return result.includeCurrentValue(credentialsId);
        }
        List<DomainRequirement> anyDomain = List.of();
        return result.includeEmptyValue()
                .includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), StandardCredentials.class, anyDomain, REGISTRY_CREDENTIALS)
                .includeCurrentValue(credentialsId);
    }

    /** Connects to the registry with the values in the form (not yet saved) and says what answered. */
    @POST
    public FormValidation doTestConnection(@QueryParameter String registryUrl, @QueryParameter String credentialsId) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String url = Util.fixEmptyAndTrim(registryUrl);
        if (url == null) {
            return FormValidation.error("Enter the registry URL first.");
        }
        String id = Util.fixEmptyAndTrim(credentialsId);
        StandardCredentials credentials = null;
        if (id != null) {
            List<DomainRequirement> anyDomain = List.of();
            credentials = CredentialsProvider.findCredentialByIdInItemGroup(
                    id, StandardCredentials.class, Jenkins.get(), ACL.SYSTEM2, anyDomain);
            if (credentials == null) {
                return FormValidation.error("No credentials with ID '" + id + "' were found.");
            }
            if (credentials.getScope() == CredentialsScope.SYSTEM) {
                return FormValidation.error("The credentials '" + id
                        + "' have System scope, which builds cannot use: give them Global scope.");
            }
        }
        try {
            RegistryConfig.Builder builder = withTimeouts(RegistryConfig.builder(url),
                    Math.min(getRetryBudgetSeconds(), TEST_CONNECTION_RETRY_SECONDS));
            if (credentials != null) {
                builder.credentials(toRegistryCredentials(credentials));
            }
            try (MlflowRegistry registry = new MlflowRegistry(builder.build())) {
                ServerInfo info = registry.probe();
                return FormValidation.ok("MLflow " + info.version() + " at " + info.baseUrl()
                        + (info.authenticatedUser() == null ? "" : ", authenticated as " + info.authenticatedUser()));
            }
        } catch (IllegalArgumentException | RegistryException e) {
            return FormValidation.error(oneLine(e.getMessage()));
        }
    }

    private static String oneLine(String message) {
        return message == null ? "failed without a message" : message.strip().replaceAll("\\s+", " ");
    }
}
