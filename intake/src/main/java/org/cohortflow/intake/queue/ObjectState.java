package org.cohortflow.intake.queue;

/** Where a received object is in the intake: received -> de-identified -> forwarded, or quarantined. */
public enum ObjectState {
    /** In the spool as received, waiting for de-identification. */
    RECEIVED,
    /** De-identified (the result is in the spool), waiting to be forwarded. */
    DEIDENTIFIED,
    /** At its destination. */
    FORWARDED,
    /** Held with a reason until an admin releases or deletes it. */
    QUARANTINED,
    /** Deleted from quarantine by an admin (the row stays for tracking). */
    DELETED;

    /** True when nothing more will happen to the object without an admin. */
    public boolean settled() {
        return this == FORWARDED || this == QUARANTINED || this == DELETED;
    }
}
