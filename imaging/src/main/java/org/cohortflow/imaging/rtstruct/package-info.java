/**
 * RT Structure Sets and their rasterisation to masks on an image grid; see {@link org.cohortflow.imaging.rtstruct.RtStruct}.
 *
 * <p>Frame of reference: an ROI is rasterised on a series when its ReferencedFrameOfReferenceUID is the
 * series' frame of reference. When it names a frame the structure set references no image in, while the
 * structure set's ReferencedFrameOfReferenceSequence names the series' frame and the series itself, the ROI
 * is accepted with a warning ({@link org.cohortflow.imaging.rtstruct.RtStruct#rasterise}; the tool
 * {@code imaging/RtStructToMask:1} passes it to {@code ToolContext.warn}). Any other mismatch is refused.
 */
package org.cohortflow.imaging.rtstruct;
