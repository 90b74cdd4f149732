package io.jenkins.plugins.mlstages.table;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A checked {@code jdbc:postgresql:} URL. Its parameters pass an allow-list: pgjdbc parameters such as
 * {@code socketFactory}, {@code sslfactory}, {@code sslhostnameverifier}, {@code sslpasswordcallback} or
 * {@code authenticationPluginClassName} make the driver instantiate a class named in the URL, and {@code loggerFile}
 * writes a file (CVE-2022-21724 and its kin): a URL from a Jenkinsfile or a script must not do that on an agent.
 * Only parameters that change how the connection is made, never what code runs, are allowed (docs/tables.md).
 *
 * @param url the URL as given, passed to the driver
 * @param location the URL without its parameters, for messages and lineage
 * @param parameters the URL's parameters, decoded
 */
public record JdbcUrl(String url, String location, Map<String, String> parameters) {
    public static final String PREFIX = "jdbc:postgresql:";

    /** The parameters a URL may set, by pgjdbc's names (compared without case). */
    public static final Set<String> ALLOWED = allowed("ApplicationName", "applicationName", "currentSchema", "connectTimeout",
            "socketTimeout", "loginTimeout", "cancelSignalTimeout", "tcpKeepAlive", "tcpNoDelay", "ssl", "sslmode", "sslrootcert",
            "sslcert", "sslkey", "gssEncMode", "gsslib", "kerberosServerName", "jaasApplicationName", "jaasLogin",
            "sspiServiceClass", "useSpnego", "targetServerType", "loadBalanceHosts", "hostRecheckSeconds", "readOnly",
            "readOnlyMode", "options", "user", "defaultRowFetchSize", "prepareThreshold", "preferQueryMode",
            "assumeMinServerVersion", "channelBinding", "sslNegotiation", "stringtype", "binaryTransfer", "escapeSyntaxCallMode");

    public JdbcUrl {
        parameters = Map.copyOf(parameters);
    }

    /**
     * @throws TableSourceException not a PostgreSQL URL, or a parameter not on the allow-list (exit 2)
     */
    public static JdbcUrl parse(String url) throws TableSourceException {
        if (!url.startsWith(PREFIX)) {
            throw new TableSourceException("--jdbc-url: only " + PREFIX + "… URLs are supported (docs/tables.md)", false);
        }
        int question = url.indexOf('?');
        String base = question < 0 ? url : url.substring(0, question);
        if (base.indexOf('@') >= 0) {
            throw new TableSourceException("--jdbc-url: user information in the URL is not supported: set $" + SqlEngines.JDBC_USER
                    + " and $" + SqlEngines.JDBC_PASSWORD + " (docs/tables.md)", false);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (question >= 0) {
            for (String pair : url.substring(question + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                if (name.equalsIgnoreCase("password")) {
                    throw new TableSourceException("--jdbc-url: a password in the URL is not allowed: set $" + SqlEngines.JDBC_PASSWORD
                            + " (docs/tables.md)", false);
                }
                if (!ALLOWED.contains(name.toLowerCase(Locale.ROOT))) {
                    throw new TableSourceException("--jdbc-url: parameter '" + shortName(name) + "' is not allowed: it is not on the"
                            + " list of parameters that cannot load classes or write files (docs/tables.md)", false);
                }
                parameters.put(name, value);
            }
        }
        return new JdbcUrl(url, base, parameters);
    }

    private static String decode(String text) throws TableSourceException {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new TableSourceException("--jdbc-url: a parameter is not valid percent-encoding", false);
        }
    }

    private static String shortName(String name) {
        String shown = name.length() > 60 ? name.substring(0, 60) + "…" : name;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    private static Set<String> allowed(String... names) {
        Set<String> set = new TreeSet<>();
        for (String name : names) {
            set.add(name.toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(set);
    }
}
