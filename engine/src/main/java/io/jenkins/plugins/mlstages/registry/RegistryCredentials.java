package io.jenkins.plugins.mlstages.registry;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

import io.jenkins.plugins.mlstages.report.Secrets;

/**
 * How we authenticate to the registry: nothing, a bearer token, or a user name and password (HTTP
 * basic). The secret is only ever turned into an {@code Authorization} header; {@link #toString()}
 * and {@link #describe()} never show it, and every credential made is {@linkplain Secrets#remember
 * known to the redactor} of the process, so that an error text echoing the header does not show it either.
 */
public final class RegistryCredentials implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final RegistryCredentials NONE = new RegistryCredentials(Kind.NONE, null, null);

    /** The way a request is authenticated. */
    public enum Kind { NONE, BEARER, BASIC }

    private final Kind kind;
    private final String username;
    private final String secret;

    private RegistryCredentials(Kind kind, String username, String secret) {
        this.kind = kind;
        this.username = username;
        this.secret = secret;
        Secrets.remember(secrets());
    }

    /** A credential read back (e.g. a Jenkins pipeline resumed after a restart) is known to the redactor too. */
    private Object readResolve() {
        Secrets.remember(secrets());
        return this;
    }

    public static RegistryCredentials none() {
        return NONE;
    }

    public static RegistryCredentials bearer(String token) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("the bearer token is empty");
        }
        return new RegistryCredentials(Kind.BEARER, null, token);
    }

    public static RegistryCredentials basic(String username, String password) {
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException("the user name for basic authentication is empty");
        }
        return new RegistryCredentials(Kind.BASIC, username, Objects.requireNonNullElse(password, ""));
    }

    public Kind getKind() {
        return kind;
    }

    /** The user name for basic authentication; empty for the other kinds. */
    public Optional<String> getUsername() {
        return Optional.ofNullable(username);
    }

    /** The value of the {@code Authorization} header, or empty when nothing is sent. */
    Optional<String> authorizationHeader() {
        switch (kind) {
            case BEARER:
                return Optional.of("Bearer " + secret);
            case BASIC:
                String pair = username + ":" + secret;
                return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            default:
                return Optional.empty();
        }
    }

    /** Everything of these credentials that must not appear in text: what error texts are redacted with. */
    public Secrets secrets() {
        switch (kind) {
            case BEARER:
                return Secrets.bearer(secret);
            case BASIC:
                return Secrets.basic(username, secret);
            default:
                return Secrets.none();
        }
    }

    /** A description safe to print: {@code basic auth as alice}, {@code bearer token}, {@code no credentials}. */
    public String describe() {
        switch (kind) {
            case BEARER:
                return "bearer token";
            case BASIC:
                return "basic auth as " + username;
            default:
                return "no credentials";
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
