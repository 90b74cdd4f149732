package io.jenkins.plugins.mlstages.deploy;

/**
 * A canary setting that cannot be used, naming which one: {@link #setting()} is the name the
 * Jenkinsfile uses ({@code steps}, {@code failureLimit}, {@code router}, ...), so that the CLI can
 * name its option and the step its parameter. The message itself does not repeat the name.
 */
public class CanarySettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Both {@code championAlias} and {@code previousAlias}: the two must differ. */
    public static final String ALIASES = "championAlias/previousAlias";

    private final String setting;

    public CanarySettingException(String setting, String message) {
        super(message);
        this.setting = setting;
    }

    public CanarySettingException(String setting, String message, Throwable cause) {
        super(message, cause);
        this.setting = setting;
    }

    /** The setting at fault, as the Jenkinsfile names it. */
    public String setting() {
        return setting;
    }
}
