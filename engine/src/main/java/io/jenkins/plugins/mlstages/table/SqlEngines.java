package io.jenkins.plugins.mlstages.table;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jenkins.plugins.mlstages.report.Secrets;

/**
 * Opens the {@link SqlEngine} for a location with the provider that accepts it ({@link ServiceLoader}), and the
 * secrets it needs from documented environment variables only (docs/tables.md): never from the command line or a
 * step's URL text, where other users of the machine or the build log would see them.
 */
public final class SqlEngines {
    /** The database user for {@code jdbc:} locations. */
    public static final String JDBC_USER = "MLSTAGES_JDBC_USER";
    /** The database password for {@code jdbc:} locations. */
    public static final String JDBC_PASSWORD = "MLSTAGES_JDBC_PASSWORD";
    /** A Spark Connect / Databricks token for {@code sc://} locations (else the {@code token} in $SPARK_REMOTE). */
    public static final String SPARK_TOKEN = "MLSTAGES_SPARK_TOKEN";

    /** The keys of the secrets map a provider receives. */
    public static final String USER = "user";
    public static final String PASSWORD = "password";
    public static final String TOKEN = "token";

    /** {@code ;token=…} in an sc:// URL, {@code password=…} in a JDBC URL's parameters. */
    private static final Pattern URL_SECRET = Pattern.compile("(?i)[;?&](token|password)=([^;&]*)");

    private SqlEngines() {
    }

    /**
     * @param env the environment the secrets are taken from
     * @throws TableSourceException no provider accepts the location (exit 2), or it refuses or cannot reach it
     */
    public static SqlEngine open(String location, Map<String, String> env) throws TableSourceException {
        return openWith(location, secrets(location, env));
    }

    /**
     * As {@link #open(String, Map)} with the secrets given (keys {@link #USER}, {@link #PASSWORD}, {@link #TOKEN}),
     * e.g. from a Jenkins credential.
     */
    public static SqlEngine openWith(String location, Map<String, String> secrets) throws TableSourceException {
        if (location == null || location.isBlank()) {
            throw new TableSourceException("no table source: give --jdbc-url or --spark-remote", false);
        }
        remember(location, secrets);
        for (SqlEngineProvider provider : ServiceLoader.load(SqlEngineProvider.class, SqlEngines.class.getClassLoader())) {
            if (provider.accepts(location)) {
                return provider.open(location, secrets);
            }
        }
        String scheme = scheme(location);
        if (scheme.equals("sc")) {
            throw new TableSourceException("sc:// needs the Spark Connect module (ml-stages-spark): the folder of its jars"
                    + " named by -D" + IsolatedSparkProvider.LIB_PROPERTY + " or $" + IsolatedSparkProvider.LIB_ENV
                    + " (bin/mlstages sets it; on a Jenkins agent, the agent's JVM options), see docs/tables.md", false);
        }
        throw new TableSourceException("no table source for '" + scheme + ":' locations: use jdbc:postgresql://… or sc://…"
                + " (docs/tables.md)", false);
    }

    /**
     * The secrets for a location from the environment: {@value #JDBC_USER} and {@value #JDBC_PASSWORD} for
     * {@code jdbc:}, {@value #SPARK_TOKEN} for {@code sc://}. Each is remembered for redaction.
     */
    public static Map<String, String> secrets(String location, Map<String, String> env) {
        Map<String, String> secrets = new LinkedHashMap<>();
        if (location != null && location.startsWith("jdbc:")) {
            putIfSet(secrets, USER, env.get(JDBC_USER));
            putIfSet(secrets, PASSWORD, env.get(JDBC_PASSWORD));
        } else if (location != null && location.startsWith("sc:")) {
            putIfSet(secrets, TOKEN, env.get(SPARK_TOKEN));
        }
        return secrets;
    }

    /** Whether a location's text holds a token or a password (refused on the command line). */
    public static boolean hasUrlSecret(String location) {
        return URL_SECRET.matcher(location).find();
    }

    /** The value of the first {@code token=} or {@code password=} parameter of a location's text, or null. */
    public static String urlSecret(String location) {
        Matcher m = URL_SECRET.matcher(location);
        return m.find() ? m.group(2) : null;
    }

    /** The location's text without the value of any {@code token=} or {@code password=} parameter. */
    public static String withoutSecrets(String location) {
        return URL_SECRET.matcher(location).replaceAll(m -> Matcher.quoteReplacement(m.group().substring(0, m.start(2) - m.start())
                + Secrets.MARK));
    }

    /** Every secret this location and these secrets hold is remembered, so that no message or log shows it. */
    private static void remember(String location, Map<String, String> secrets) {
        Secrets.remember(Secrets.basic(secrets.get(USER), secrets.get(PASSWORD)));
        Secrets.remember(Secrets.bearer(secrets.get(TOKEN)));
        Matcher m = URL_SECRET.matcher(location);
        while (m.find()) {
            Secrets.remember(Secrets.bearer(m.group(2)));
        }
    }

    private static void putIfSet(Map<String, String> secrets, String key, String value) {
        if (value != null && !value.isEmpty()) {
            secrets.put(key, value);
        }
    }

    private static String scheme(String location) {
        String rest = location.startsWith("jdbc:") ? location.substring(5) : location;
        int colon = rest.indexOf(':');
        String scheme = colon < 0 ? rest : rest.substring(0, colon);
        scheme = scheme.length() > 20 ? scheme.substring(0, 20) : scheme;
        return (location.startsWith("jdbc:") ? "jdbc:" : "") + scheme.toLowerCase(Locale.ROOT);
    }
}
