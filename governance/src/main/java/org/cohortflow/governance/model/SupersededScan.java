package org.cohortflow.governance.model;

import java.time.Instant;

/**
 * A scan of an experiment that a newer scan with the same label replaced (e.g. a corrected RTSTRUCT); kept
 * for the experiment's history, never bound by {@code scan:LABEL}.
 *
 * @param scan         the scan as it was
 * @param supersededAt when the newer scan arrived
 * @param replacedBy   the id of the scan that replaced it
 */
public record SupersededScan(Scan scan, Instant supersededAt, long replacedBy) {}
