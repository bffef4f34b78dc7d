/**
 * DIMSE (DICOM's own network protocol) as a service class user, through PixelMed's network classes: C-ECHO,
 * C-FIND, C-GET, C-MOVE and C-STORE, for archives that do not speak DICOMweb; and a small C-STORE receiver
 * (the destination of a C-MOVE).
 */
package org.cohortflow.archive.dimse;
