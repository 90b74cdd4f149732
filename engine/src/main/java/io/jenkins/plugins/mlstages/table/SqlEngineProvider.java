package io.jenkins.plugins.mlstages.table;

import java.util.Map;

/**
 * Opens {@link SqlEngine}s for one kind of location, found with {@link java.util.ServiceLoader} so that an
 * engine with heavy dependencies (the Spark Connect client) lives in its own jar and only its users load it.
 */
public interface SqlEngineProvider {

    /** Whether this provider opens {@code location} (e.g. {@code sc://…}, {@code jdbc:postgresql:…}). */
    boolean accepts(String location);

    /**
     * @param secrets credentials by name (e.g. {@code user}, {@code password}, {@code token}), from the
     *        environment or a Jenkins credential, never from the location text
     * @throws TableSourceException the location is refused or the engine cannot be reached
     */
    SqlEngine open(String location, Map<String, String> secrets) throws TableSourceException;
}
