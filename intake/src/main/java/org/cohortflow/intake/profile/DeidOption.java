package org.cohortflow.intake.profile;

import java.util.Arrays;
import java.util.Optional;

/**
 * The options of DICOM PS3.15 Annex E a project can choose on top of the Basic Application Level
 * Confidentiality Profile, with the code each one is recorded under in DeidentificationMethodCodeSequence
 * (PS3.16 CID 7050).
 */
public enum DeidOption {
    RETAIN_LONGITUDINAL_MODIFIED_DATES("retainLongitudinalModifiedDates", "113107",
            "Retain Longitudinal Temporal Information Modified Dates Option"),
    RETAIN_PATIENT_CHARACTERISTICS("retainPatientCharacteristics", "113108", "Retain Patient Characteristics Option"),
    RETAIN_DEVICE_IDENTITY("retainDeviceIdentity", "113109", "Retain Device Identity Option"),
    RETAIN_UIDS("retainUids", "113110", "Retain UIDs Option"),
    CLEAN_DESCRIPTORS("cleanDescriptors", "113105", "Clean Descriptors Option"),
    CLEAN_STRUCTURED_CONTENT("cleanStructuredContent", "113104", "Clean Structured Content Option"),
    RETAIN_SAFE_PRIVATE("retainSafePrivate", "113111", "Retain Safe Private Option");

    private final String yamlName;
    private final String code;
    private final String meaning;

    DeidOption(String yamlName, String code, String meaning) {
        this.yamlName = yamlName;
        this.code = code;
        this.meaning = meaning;
    }

    /** The option's name in a profile file. */
    public String yamlName() {
        return yamlName;
    }

    /** Its code value in the DCM coding scheme. */
    public String code() {
        return code;
    }

    /** Its code meaning. */
    public String meaning() {
        return meaning;
    }

    /** The option a profile file names, if any. */
    public static Optional<DeidOption> byYamlName(String name) {
        return Arrays.stream(values()).filter(o -> o.yamlName.equals(name)).findFirst();
    }
}
