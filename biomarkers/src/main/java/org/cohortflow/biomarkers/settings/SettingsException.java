package org.cohortflow.biomarkers.settings;

/** A settings document that is malformed, has an unknown key or an impossible value; the message names the key. */
public class SettingsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, starting with the offending key */
    public SettingsException(String message) {
        super(message);
    }

    /** @param message what is wrong, starting with the offending key */
    public SettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
