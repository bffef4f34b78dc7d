/**
 * Cohort discovery: header-only, parallel indexing of DICOM folder trees into CSV and into series samples keyed
 * by patient / study / series; see {@link org.cohortflow.imaging.index.DicomIndexer}.
 */
package org.cohortflow.imaging.index;
