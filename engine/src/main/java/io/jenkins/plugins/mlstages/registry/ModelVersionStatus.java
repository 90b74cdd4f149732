package io.jenkins.plugins.mlstages.registry;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Registration status of a model version. The OSS server creates versions READY at once. */
public enum ModelVersionStatus {
    PENDING_REGISTRATION, FAILED_REGISTRATION, READY,
    /** A status this client does not know yet. */
    @JsonEnumDefaultValue UNKNOWN
}
