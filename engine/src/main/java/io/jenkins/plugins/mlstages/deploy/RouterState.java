package io.jenkins.plugins.mlstages.deploy;

import java.io.Serializable;

/**
 * What the canary last told the router, and whether the router confirmed it (set, then read back).
 * An unconfirmed weight is an intention: the router may be at it, at the weight before, or anywhere
 * a failed reload left it, so the weight is applied again before anything else.
 */
public record RouterState(int weight, boolean confirmed) implements Serializable {
    public RouterState {
        if (weight < 0 || weight > 100) {
            throw new IllegalArgumentException("router weight must be 0..100, was " + weight);
        }
    }

    public static RouterState intended(int weight) {
        return new RouterState(weight, false);
    }

    public boolean isConfirmedAt(int weight) {
        return confirmed && this.weight == weight;
    }
}
