package io.jenkins.plugins.mlstages.registry;

import java.io.Serializable;

/**
 * What {@link ModelRegistry#probe()} found: the server's version, and who the server says we are
 * ({@code null} when the server has no authentication app, or does not say).
 */
public record ServerInfo(String baseUrl, String version, String authenticatedUser) implements Serializable {
}
