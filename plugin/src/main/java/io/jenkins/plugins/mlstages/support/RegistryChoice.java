package io.jenkins.plugins.mlstages.support;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import okhttp3.HttpUrl;

/**
 * Which registry a step talks to and with which credentials, decided without Jenkins: the global
 * credential is the administrator's for the global registry URL, so it goes to that URL only. A step
 * that points elsewhere ({@code registryUrl}, or {@code MLFLOW_TRACKING_URI} from the build's
 * environment) must name its own {@code credentialsId}; without one it gets the environment's
 * {@code MLFLOW_TRACKING_*} credentials (those the build bound itself, as the CLI reads them) or none.
 *
 * @param url the registry URL, as given (null when there is none anywhere)
 * @param credentialsId the Jenkins credential to use, or null for the environment's
 * @param source where {@code credentialsId} comes from
 * @param globalWithheld whether a global credential exists but is not sent, because the URL is not the global one
 */
public record RegistryChoice(
        @CheckForNull String url, @CheckForNull String credentialsId, Source source, boolean globalWithheld) {

    /** Where the credentials come from. */
    public enum Source {
        /** The step's own {@code credentialsId}. */
        STEP,
        /** The global configuration's, with the global URL. */
        GLOBAL,
        /** {@code MLFLOW_TRACKING_TOKEN} or {@code _USERNAME}/{@code _PASSWORD} of the build, or none. */
        ENVIRONMENT
    }

    /**
     * @param stepUrl the step's {@code registryUrl}
     * @param stepCredentialsId the step's {@code credentialsId}
     * @param globalUrl the global configuration's registry URL
     * @param globalCredentialsId the global configuration's credentials ID
     * @param environmentUrl {@code MLFLOW_TRACKING_URI} of the build's environment
     */
    public static RegistryChoice decide(@CheckForNull String stepUrl, @CheckForNull String stepCredentialsId,
            @CheckForNull String globalUrl, @CheckForNull String globalCredentialsId,
            @CheckForNull String environmentUrl) {
        String url = first(stepUrl, first(globalUrl, environmentUrl));
        String own = blankToNull(stepCredentialsId);
        if (own != null) {
            return new RegistryChoice(url, own, Source.STEP, false);
        }
        String global = blankToNull(globalCredentialsId);
        if (global == null) {
            return new RegistryChoice(url, null, Source.ENVIRONMENT, false);
        }
        if (url != null && sameRegistry(url, globalUrl)) {
            return new RegistryChoice(url, global, Source.GLOBAL, false);
        }
        return new RegistryChoice(url, null, Source.ENVIRONMENT, true);
    }

    /**
     * Whether two URLs name the same registry: the same scheme, host and port (case-insensitive, as
     * URLs compare them, default ports omitted) and the same path but for trailing slashes, parsed as
     * the registry client parses them. An unparsable URL is the same as nothing.
     */
    public static boolean sameRegistry(@CheckForNull String a, @CheckForNull String b) {
        HttpUrl x = parse(a);
        HttpUrl y = parse(b);
        return x != null && y != null
                && x.scheme().equals(y.scheme())
                && x.host().equals(y.host())
                && x.port() == y.port()
                && x.username().equals(y.username())
                && x.password().equals(y.password())
                && path(x).equals(path(y));
    }

    @CheckForNull
    private static HttpUrl parse(@CheckForNull String url) {
        String value = blankToNull(url);
        return value == null ? null : HttpUrl.parse(value);
    }

    private static String path(HttpUrl url) {
        String path = url.encodedPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }

    @CheckForNull
    private static String first(@CheckForNull String a, @CheckForNull String b) {
        String value = blankToNull(a);
        return value != null ? value : blankToNull(b);
    }

    @CheckForNull
    private static String blankToNull(@CheckForNull String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
