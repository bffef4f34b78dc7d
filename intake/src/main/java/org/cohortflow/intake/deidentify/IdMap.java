package org.cohortflow.intake.deidentify;

/**
 * A project's identity map: original patient id to study subject id (pseudonym). The same original always
 * gets the same pseudonym; a new one gets the next free one.
 */
public interface IdMap {

    /** The pseudonym for an original patient id, assigning one on first sight. */
    String pseudonym(String originalPatientId);
}
