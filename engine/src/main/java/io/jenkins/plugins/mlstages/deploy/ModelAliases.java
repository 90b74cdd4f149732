package io.jenkins.plugins.mlstages.deploy;

import java.util.Optional;

/**
 * The registry as a canary sees it: aliases of a registered model. Promotion and rollback move
 * aliases only; setting an alias to where it already points, or removing an unset one, is harmless,
 * so an interrupted promotion or rollback is simply done again.
 */
public interface ModelAliases {
    /** The version the alias points at, or empty when it is not set. */
    Optional<String> version(String model, String alias);

    /** Points the alias at the version, moving it if it pointed elsewhere. */
    void set(String model, String alias, String version);

    /** Removes the alias; nothing happens when it is not set. */
    void remove(String model, String alias);

    /** Whether the model has this version (checked before a canary starts). */
    boolean exists(String model, String version);
}
