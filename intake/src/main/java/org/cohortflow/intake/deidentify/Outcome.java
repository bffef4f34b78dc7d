package org.cohortflow.intake.deidentify;

/** What became of one object given to the {@link Deidentifier}. */
public sealed interface Outcome {

    /**
     * It was de-identified (the attribute list was changed in place).
     *
     * @param pseudonym   the patient's pseudonym
     * @param studyUid    the new StudyInstanceUID
     * @param seriesUid   the new SeriesInstanceUID
     * @param sopUid      the new SOPInstanceUID
     */
    record Deidentified(String pseudonym, String studyUid, String seriesUid, String sopUid) implements Outcome {}

    /** It must not be forwarded: it goes to quarantine with this reason. */
    record Quarantined(Reason reason, String detail) implements Outcome {}

    /** Why an object was quarantined. */
    enum Reason { NOT_DICOM, NO_PATIENT_ID, FILTERED, BURNED_IN, UNKNOWN_SOP_CLASS, FAILED }
}
