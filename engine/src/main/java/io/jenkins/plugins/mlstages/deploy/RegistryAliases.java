package io.jenkins.plugins.mlstages.deploy;

import java.util.Optional;

import io.jenkins.plugins.mlstages.registry.ModelRegistry;
import io.jenkins.plugins.mlstages.registry.ModelVersion;
import io.jenkins.plugins.mlstages.registry.NotFoundException;

/** {@link ModelAliases} over the MLflow registry port. Failures are {@code RegistryException}s (exit 3). */
public final class RegistryAliases implements ModelAliases {
    private final ModelRegistry registry;

    public RegistryAliases(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Optional<String> version(String model, String alias) {
        return registry.findVersionByAlias(model, alias).map(ModelVersion::version);
    }

    @Override
    public void set(String model, String alias, String version) {
        registry.setAlias(model, alias, version);
    }

    @Override
    public void remove(String model, String alias) {
        // MLflow refuses to delete an unset alias: look first.
        if (version(model, alias).isPresent()) {
            registry.deleteAlias(model, alias);
        }
    }

    @Override
    public boolean exists(String model, String version) {
        try {
            registry.getModelVersion(model, version);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
