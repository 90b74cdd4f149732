package io.jenkins.plugins.mlstages.registry;

/** The engine's own version, from the jar manifest when packaged. */
final class Versions {
    private Versions() {
    }

    static String engineVersion() {
        String version = Versions.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
