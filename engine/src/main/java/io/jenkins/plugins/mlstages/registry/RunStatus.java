package io.jenkins.plugins.mlstages.registry;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Status of a run, as MLflow names it. */
public enum RunStatus {
    RUNNING, SCHEDULED, FINISHED, FAILED, KILLED,
    /** A status this client does not know yet. */
    @JsonEnumDefaultValue UNKNOWN
}
