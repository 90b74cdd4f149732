package io.jenkins.plugins.mlstages.registry;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The server's limits on names and values (mlflow/utils/validation.py), checked before sending so
 * that a bad value fails with a clear message and nothing is half written.
 */
public final class RegistryLimits {
    public static final int MAX_KEY_LENGTH = 250;
    public static final int MAX_PARAM_VALUE_LENGTH = 6000;
    public static final int MAX_RUN_TAG_VALUE_LENGTH = 8000;
    public static final int MAX_REGISTRY_TAG_VALUE_LENGTH = 5000;
    public static final int MAX_ALIAS_LENGTH = 255;

    private static final Pattern KEY = Pattern.compile("^[/\\w.\\- ]*$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern ALIAS = Pattern.compile("^[\\w\\-]*$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern VERSION_ALIAS = Pattern.compile("^[vV]\\d+$");

    private RegistryLimits() {
    }

    /** A metric, parameter or tag key. */
    public static void checkKey(String operation, String kind, String key) {
        String problem = null;
        if (key == null || key.isEmpty()) {
            problem = kind + " key is empty";
        } else if (key.length() > MAX_KEY_LENGTH) {
            problem = kind + " key '" + key.substring(0, 40) + "…' is " + key.length() + " characters; at most "
                    + MAX_KEY_LENGTH + " are allowed";
        } else if (!KEY.matcher(key).matches()) {
            problem = kind + " key '" + key + "' may only contain letters, digits, '_', '-', '.', ' ' and '/'";
        } else if (!isNormalisedRelativePath(key)) {
            problem = kind + " key '" + key + "' is not a normalised relative path";
        }
        if (problem != null) {
            throw invalid(operation, problem);
        }
    }

    /** As the server checks it: {@code posixpath.normpath(key) == key}, not ".", not above or at the root. */
    static boolean isNormalisedRelativePath(String key) {
        String normalised = normalisePath(key);
        return normalised.equals(key) && !normalised.equals(".") && !normalised.startsWith("..")
                && !normalised.startsWith("/");
    }

    /** Python's {@code posixpath.normpath}, enough for keys (which cannot start with '/' here). */
    static String normalisePath(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean absolute = path.startsWith("/");
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && (absolute || !parts.isEmpty() && !parts.peekLast().equals(".."))) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        String joined = (absolute ? "/" : "") + String.join("/", parts);
        return joined.isEmpty() ? "." : joined;
    }

    public static void checkValueLength(String operation, String kind, String key, String value, int max) {
        if (value != null && value.length() > max) {
            throw invalid(operation, kind + " '" + key + "' has a value of " + value.length()
                    + " characters; at most " + max + " are allowed");
        }
    }

    /** Alias rules: letters, digits, '_' and '-', at most 255, not {@code latest}, not {@code v<n>}. */
    public static void checkAlias(String operation, String alias) {
        String problem = null;
        if (alias == null || alias.isEmpty()) {
            problem = "the alias is empty";
        } else if (alias.length() > MAX_ALIAS_LENGTH) {
            problem = "alias '" + alias.substring(0, 40) + "…' is longer than " + MAX_ALIAS_LENGTH + " characters";
        } else if (!ALIAS.matcher(alias).matches()) {
            problem = "alias '" + alias + "' may only contain letters, digits, '_' and '-'";
        } else if ("latest".equals(alias.toLowerCase(Locale.ROOT))) {
            problem = "alias 'latest' is reserved by MLflow";
        } else if (VERSION_ALIAS.matcher(alias).matches()) {
            problem = "alias '" + alias + "' is reserved by MLflow (v<number> names a version)";
        }
        if (problem != null) {
            throw invalid(operation, problem);
        }
    }

    public static void checkNotBlank(String operation, String what, String value) {
        if (value == null || value.isBlank()) {
            throw invalid(operation, what + " is empty");
        }
    }

    static InvalidParameterException invalid(String operation, String problem) {
        return new InvalidParameterException(operation, "INVALID_PARAMETER_VALUE", 0,
                operation + " refused: " + problem, null);
    }
}
