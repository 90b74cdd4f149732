package io.jenkins.plugins.mlstages.registry;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import okhttp3.HttpUrl;

/**
 * Where the registry is and how to talk to it. Immutable; build it with {@link #builder(String)} or
 * read it from the standard MLflow environment variables with {@link #fromEnvironment(Map)}.
 */
public final class RegistryConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String TRACKING_URI = "MLFLOW_TRACKING_URI";
    public static final String TRACKING_TOKEN = "MLFLOW_TRACKING_TOKEN";
    public static final String TRACKING_USERNAME = "MLFLOW_TRACKING_USERNAME";
    public static final String TRACKING_PASSWORD = "MLFLOW_TRACKING_PASSWORD";
    public static final String TRACKING_INSECURE_TLS = "MLFLOW_TRACKING_INSECURE_TLS";

    private final String baseUrl;
    private final RegistryCredentials credentials;
    private final boolean insecureTls;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final RetryPolicy retryPolicy;
    private final String userAgent;

    private RegistryConfig(Builder builder) {
        this.baseUrl = builder.baseUrl;
        this.credentials = builder.credentials;
        this.insecureTls = builder.insecureTls;
        this.connectTimeout = builder.connectTimeout;
        this.readTimeout = builder.readTimeout;
        this.retryPolicy = builder.retryPolicy;
        this.userAgent = builder.userAgent;
    }

    /**
     * @param baseUrl {@code http(s)://host:port}, optionally with a path prefix set by a reverse proxy
     * @throws IllegalArgumentException naming the URL when it is not an http(s) URL
     */
    public static Builder builder(String baseUrl) {
        return new Builder(normalise(baseUrl));
    }

    /**
     * Reads {@code MLFLOW_TRACKING_URI} (required), {@code MLFLOW_TRACKING_USERNAME} with
     * {@code MLFLOW_TRACKING_PASSWORD} (basic, which wins as in the official client) or
     * {@code MLFLOW_TRACKING_TOKEN} (bearer), and {@code MLFLOW_TRACKING_INSECURE_TLS}.
     *
     * @param urlOverride a URL given explicitly (a command-line option), or null to use the environment
     */
    public static Builder fromEnvironment(Map<String, String> env, String urlOverride) {
        String url = urlOverride != null && !urlOverride.isBlank() ? urlOverride : env.get(TRACKING_URI);
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("no registry URL: pass --registry-url or set " + TRACKING_URI);
        }
        Builder builder = builder(url);
        String user = env.get(TRACKING_USERNAME);
        String token = env.get(TRACKING_TOKEN);
        if (user != null && !user.isEmpty()) {
            builder.credentials(RegistryCredentials.basic(user, env.get(TRACKING_PASSWORD)));
        } else if (token != null && !token.isEmpty()) {
            builder.credentials(RegistryCredentials.bearer(token));
        }
        builder.insecureTls("true".equalsIgnoreCase(env.getOrDefault(TRACKING_INSECURE_TLS, "false").strip()));
        return builder;
    }

    private static String normalise(String url) {
        Objects.requireNonNull(url, "baseUrl");
        String trimmed = url.strip();
        HttpUrl parsed = HttpUrl.parse(trimmed);
        if (parsed == null) {
            // Never echo a password someone put into the URL.
            String shown = trimmed.replaceAll("//[^/@]*@", "//***@");
            throw new IllegalArgumentException("registry URL '" + shown + "' is not an http:// or https:// URL");
        }
        if (!parsed.username().isEmpty() || !parsed.password().isEmpty()) {
            throw new IllegalArgumentException("registry URL must not carry credentials; use "
                    + TRACKING_USERNAME + "/" + TRACKING_PASSWORD + " or " + TRACKING_TOKEN);
        }
        String text = parsed.newBuilder().query(null).fragment(null).build().toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }

    /** The base URL without a trailing slash; API paths are appended to it. */
    public String getBaseUrl() {
        return baseUrl;
    }

    public RegistryCredentials getCredentials() {
        return credentials;
    }

    public boolean isInsecureTls() {
        return insecureTls;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public Duration getReadTimeout() {
        return readTimeout;
    }

    public RetryPolicy getRetryPolicy() {
        return retryPolicy;
    }

    public String getUserAgent() {
        return userAgent;
    }

    @Override
    public String toString() {
        return "RegistryConfig[" + baseUrl + ", " + credentials.describe() + (insecureTls ? ", insecure TLS" : "") + "]";
    }

    /** Builds a {@link RegistryConfig}. */
    public static final class Builder {
        private final String baseUrl;
        private RegistryCredentials credentials = RegistryCredentials.none();
        private boolean insecureTls;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(60);
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private String userAgent = "ml-stages/" + Versions.engineVersion();

        private Builder(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        public Builder credentials(RegistryCredentials value) {
            this.credentials = Objects.requireNonNull(value, "credentials");
            return this;
        }

        public Builder insecureTls(boolean value) {
            this.insecureTls = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = positive(value, "connect timeout");
            return this;
        }

        public Builder readTimeout(Duration value) {
            this.readTimeout = positive(value, "read timeout");
            return this;
        }

        public Builder retryPolicy(RetryPolicy value) {
            this.retryPolicy = Objects.requireNonNull(value, "retryPolicy");
            return this;
        }

        public Builder userAgent(String value) {
            this.userAgent = Objects.requireNonNull(value, "userAgent");
            return this;
        }

        private static Duration positive(Duration value, String name) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }

        public RegistryConfig build() {
            return new RegistryConfig(this);
        }
    }
}
