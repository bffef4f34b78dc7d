/** RT Structure Sets and their rasterisation to masks on an image grid; see {@link org.cohortflow.imaging.rtstruct.RtStruct}. */
package org.cohortflow.imaging.rtstruct;
