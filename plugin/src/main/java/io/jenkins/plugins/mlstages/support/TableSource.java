package io.jenkins.plugins.mlstages.support;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import io.jenkins.plugins.mlstages.table.TableQuery;
import java.io.Serializable;

/**
 * Where a data step reads from: a file in the workspace, or a table or query in a database ({@code jdbcUrl}) or Spark
 * ({@code sparkRemote}) (docs/tables.md). The one place for the checks validateData and evaluateModel share; built from
 * the step's fields when it starts, so the Pipeline options stay on the steps; it travels to the agent with the stage.
 *
 * @param kind which step's options these are: their names differ (see {@link Kind})
 * @param file the workspace file ({@code data} or {@code predictions}), or null
 * @param reference the reference file in the workspace, or null (always null for a step without a reference)
 * @param referenceTable {@code referenceTable}, or null (always null for a step without a reference)
 * @param referenceQuery {@code referenceQuery}, or null (always null for a step without a reference)
 * @param credentialsId the table source's credential, named {@link Kind#credentialOption}
 */
public record TableSource(Kind kind, @CheckForNull String file, @CheckForNull String jdbcUrl, @CheckForNull String sparkRemote,
        @CheckForNull String table, @CheckForNull String query, @CheckForNull String reference,
        @CheckForNull String referenceTable, @CheckForNull String referenceQuery, @CheckForNull String credentialsId)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The step's names for its options. The table source's credential is {@code credentialsId} on validateData but
     * {@code tableCredentialsId} on evaluateModel, whose {@code credentialsId} is the registry's.
     */
    public enum Kind {
        DATASET("data", "give data (the dataset's path in the workspace), or table or query with jdbcUrl or sparkRemote",
                "credentialsId", true),
        PREDICTIONS("predictions", "evaluateModel needs predictions (the predictions file in the workspace), or table or"
                + " query with sparkRemote or jdbcUrl", "tableCredentialsId", false);

        /** The option naming the workspace file. */
        public final String fileOption;
        private final String noSource;
        /** The option naming the table source's credential. */
        public final String credentialOption;
        private final boolean hasReference;

        Kind(String fileOption, String noSource, String credentialOption, boolean hasReference) {
            this.fileOption = fileOption;
            this.noSource = noSource;
            this.credentialOption = credentialOption;
            this.hasReference = hasReference;
        }
    }

    /** validateData's options: the table credential is {@code credentialsId}. */
    public static TableSource dataset(@CheckForNull String data, @CheckForNull String jdbcUrl, @CheckForNull String sparkRemote,
            @CheckForNull String table, @CheckForNull String query, @CheckForNull String reference,
            @CheckForNull String referenceTable, @CheckForNull String referenceQuery, @CheckForNull String credentialsId) {
        return new TableSource(Kind.DATASET, data, jdbcUrl, sparkRemote, table, query, reference, referenceTable, referenceQuery,
                credentialsId);
    }

    /** evaluateModel's options: the table credential is {@code tableCredentialsId}. */
    public static TableSource predictions(@CheckForNull String predictions, @CheckForNull String jdbcUrl,
            @CheckForNull String sparkRemote, @CheckForNull String table, @CheckForNull String query,
            @CheckForNull String tableCredentialsId) {
        return new TableSource(Kind.PREDICTIONS, predictions, jdbcUrl, sparkRemote, table, query, null, null, null, tableCredentialsId);
    }

    /** Whether the data is a table or query where it lives rather than a file in the workspace. */
    public boolean readsTable() {
        return table != null || query != null;
    }

    /** What names the data, for the log: the file, the table, or "query". */
    public String name() {
        return file != null ? file : table != null ? table : "query";
    }

    /** The table or query to read, after {@link #check()} with {@link #readsTable()}. */
    public TableQuery data() {
        return table != null ? TableQuery.table(table) : TableQuery.query(query);
    }

    /** The step's option that names the data, for the messages: {@code table} or {@code query}. */
    public String dataOption() {
        return table != null ? "table" : "query";
    }

    /** The reference table or query, or null (none, or a {@code reference} file). */
    @CheckForNull
    public TableQuery referenceData() {
        return referenceTable != null ? TableQuery.table(referenceTable) : referenceQuery != null ? TableQuery.query(referenceQuery) : null;
    }

    /**
     * Exactly one of the file, table and query; at most one reference and one location; the location, the reference
     * tables and the credential only with a table source.
     *
     * @throws IllegalArgumentException one line naming the options
     */
    public void check() {
        int sources = (file != null ? 1 : 0) + (table != null ? 1 : 0) + (query != null ? 1 : 0);
        if (sources != 1) {
            throw new IllegalArgumentException(sources == 0 ? kind.noSource
                    : "give only one of " + kind.fileOption + ", table and query");
        }
        if (referenceTable != null && referenceQuery != null || reference != null && (referenceTable != null || referenceQuery != null)) {
            throw new IllegalArgumentException("give only one of reference, referenceTable and referenceQuery");
        }
        if (jdbcUrl != null && sparkRemote != null) {
            throw new IllegalArgumentException("give only one of jdbcUrl and sparkRemote");
        }
        if (!readsTable() && (referenceTable != null || referenceQuery != null || jdbcUrl != null || sparkRemote != null
                || credentialsId != null)) {
            throw new IllegalArgumentException("jdbcUrl, sparkRemote" + (kind.hasReference ? ", referenceTable, referenceQuery" : "")
                    + " and " + kind.credentialOption + " need table or query instead of " + kind.fileOption);
        }
    }

    /** The location and its secrets for this build (the step's credential, else the build's environment). */
    public TableSecrets secrets(StepRun stage) throws AbortException {
        return TableSecrets.forStep(stage, jdbcUrl, sparkRemote, credentialsId, kind.credentialOption);
    }
}
