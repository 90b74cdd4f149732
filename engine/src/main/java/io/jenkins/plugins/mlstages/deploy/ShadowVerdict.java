package io.jenkins.plugins.mlstages.deploy;

/** How a shadow run ended. None of them changes what users receive. */
public enum ShadowVerdict {
    /** Every behaviour check passed on enough captured requests. */
    PROMOTE_READY,
    /** A behaviour check failed or had no value, too few requests were captured, or the mirror failed. */
    REJECTED,
    /** Stopped on request before it was judged. */
    ABORTED
}
