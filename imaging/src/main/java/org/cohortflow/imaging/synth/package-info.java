/**
 * Synthetic cohorts for runs and checks on machines without patient data: real DICOM CT series with an
 * RT Structure Set outlining a lesion of known analytic shape, and a {@code truth.csv} of those shapes.
 * Start at {@link org.cohortflow.imaging.synth.SyntheticCohort}.
 */
package org.cohortflow.imaging.synth;
