package io.jenkins.plugins.mlstages.deploy.ab;

import java.util.Locale;

/** What happens when the promotion rule does not hold. */
public enum NoWinnerAction {
    /** Router back to 0 %: every user gets the control again. */
    ROLLBACK,
    /** End the test and leave the split as it is, for people to decide. */
    STOP;

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static NoWinnerAction parse(String text) {
        for (NoWinnerAction action : values()) {
            if (action.text().equals(text)) {
                return action;
            }
        }
        throw new IllegalArgumentException("must be rollback or stop, was '" + text + "'");
    }
}
