/**
 * Archives as pipeline sources: a QIDO-RS query becomes a cohort index and samples (one per series, with the
 * RTSTRUCT that references it), named by {@code dicomweb://} URIs that executors stage with WADO-RS only when
 * a job needs them and hash by SOP Instance UIDs and instance metadata.
 */
package org.cohortflow.archive.source;
