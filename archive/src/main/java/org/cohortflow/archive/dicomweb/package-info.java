/**
 * A DICOMweb client on the JDK's HTTP client: QIDO-RS (search), WADO-RS (retrieve, metadata) and STOW-RS
 * (store), with basic or bearer authentication, timeouts, retries with back-off and errors that name the URL
 * and the status.
 */
package org.cohortflow.archive.dicomweb;
