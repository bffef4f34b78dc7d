package org.cohortflow.imaging.dicom;

import java.nio.file.Path;

/**
 * One 2-D image of a series: a single-frame file, or one frame of a multi-frame file, with the header
 * fields needed to place it in space and to turn stored values into real values.
 *
 * @param file            the file holding the frame
 * @param frame           frame number within the file, from 0
 * @param sopInstanceUid  SOPInstanceUID of the file
 * @param position        ImagePositionPatient (LPS, mm) of the first pixel's centre
 * @param row             unit direction of a row (first three ImageOrientationPatient values)
 * @param column          unit direction of a column
 * @param pixelSpacing    PixelSpacing: [between rows, between columns] in mm
 * @param rows            Rows
 * @param columns         Columns
 * @param slope           RescaleSlope (1 when absent)
 * @param intercept       RescaleIntercept (0 when absent)
 * @param bitsAllocated   BitsAllocated
 * @param bitsStored      BitsStored
 * @param signed          PixelRepresentation == 1
 */
public record DicomFrame(Path file, int frame, String sopInstanceUid, double[] position, double[] row, double[] column,
                         double[] pixelSpacing, int rows, int columns, double slope, double intercept,
                         int bitsAllocated, int bitsStored, boolean signed) {

    /** Slice normal, row x column. */
    public double[] normal() {
        return new double[] {
            row[1] * column[2] - row[2] * column[1],
            row[2] * column[0] - row[0] * column[2],
            row[0] * column[1] - row[1] * column[0]};
    }

    /** Smallest and largest stored value the header allows. */
    long minStored() { return signed ? -(1L << (bitsStored - 1)) : 0; }

    long maxStored() { return signed ? (1L << (bitsStored - 1)) - 1 : (1L << bitsStored) - 1; }

    String where() {
        return file + (frame > 0 ? " frame " + (frame + 1) : "");
    }
}
