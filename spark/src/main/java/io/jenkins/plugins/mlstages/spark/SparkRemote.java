package io.jenkins.plugins.mlstages.spark;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jenkins.plugins.mlstages.table.TableSourceException;

/**
 * A Spark Connect location, {@code sc://host[:port][/;name=value;…]} (Spark's syntax; Databricks adds
 * {@code x-databricks-cluster-id} and a token). The token comes from the secrets and is added only to the URL the
 * client is given ({@link #withToken}); {@link #shown()} never holds one.
 *
 * @param host the server's host
 * @param port its port (Spark's default 15002)
 * @param parameters the {@code name=value} parameters other than {@code token}, in order
 * @param token the token from the location text ($SPARK_REMOTE may carry one), else null
 */
record SparkRemote(String host, int port, List<String> parameters, String token) {
    static final int DEFAULT_PORT = 15002;
    private static final Pattern SC = Pattern.compile("sc://([^/:;?#]+|\\[[0-9a-fA-F:.]+\\])(?::(\\d{1,5}))?/?(;.*)?");

    static boolean accepts(String location) {
        return location != null && location.regionMatches(true, 0, "sc://", 0, 5);
    }

    /** @throws TableSourceException not an sc:// URL Spark understands (exit 2); the message never repeats a token */
    static SparkRemote parse(String location) throws TableSourceException {
        Matcher m = SC.matcher(location.strip());
        if (!m.matches()) {
            throw new TableSourceException("--spark-remote: not a Spark Connect URL (sc://host:port[/;name=value…]): "
                    + shorten(withoutToken(location)), false);
        }
        int port = m.group(2) == null ? DEFAULT_PORT : Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            throw new TableSourceException("--spark-remote: port " + port + " is outside 1..65535", false);
        }
        List<String> parameters = new ArrayList<>();
        String token = null;
        if (m.group(3) != null) {
            for (String parameter : m.group(3).substring(1).split(";")) {
                if (parameter.isEmpty()) {
                    continue;
                }
                int eq = parameter.indexOf('=');
                String name = eq < 0 ? parameter : parameter.substring(0, eq);
                if (name.toLowerCase(Locale.ROOT).equals("token")) {
                    token = eq < 0 ? "" : parameter.substring(eq + 1);
                } else {
                    parameters.add(parameter);
                }
            }
        }
        return new SparkRemote(m.group(1), port, List.copyOf(parameters), token);
    }

    /** The URL for messages and lineage: host, port and the parameters that are not secret. */
    String shown() {
        StringBuilder url = new StringBuilder("sc://").append(host).append(':').append(port);
        if (!parameters.isEmpty()) {
            url.append('/');
            for (String p : parameters) {
                url.append(';').append(p);
            }
        }
        return url.toString();
    }

    /** The URL for the client: {@link #shown()} plus {@code ;token=} when there is one (never printed). */
    String withToken(String secretToken) {
        String t = secretToken != null && !secretToken.isEmpty() ? secretToken : token;
        if (t == null || t.isEmpty()) {
            return shown();
        }
        return shown() + (parameters.isEmpty() ? "/" : "") + ";token=" + t;
    }

    /** host:port as a URI authority, for the reachability check. */
    URI address() {
        return URI.create("tcp://" + host + ":" + port);
    }

    static String withoutToken(String location) {
        return location.replaceAll("(?i)(;token=)[^;]*", "$1****");
    }

    private static String shorten(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
