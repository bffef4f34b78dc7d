package org.cohortflow.imaging.synth;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One row of a synthetic cohort's {@code truth.csv}: what was drawn for a subject, to check measurements
 * against.
 *
 * @param subject              subject id (= PatientID, = folder name)
 * @param shape                lesion shape
 * @param radii                lesion semi-axes in mm
 * @param centre               lesion centre, LPS mm
 * @param analyticVolumeMm3    {@code 4/3 pi a b c}
 * @param contourVolumeMm3     sum of the RTSTRUCT contour areas times the slice spacing: what the contours
 *                             themselves describe, which differs from the analytic volume by the slice sampling
 * @param lesionMeanHu         mean lesion intensity before pattern and noise
 * @param roi                  ROI name of the lesion in the RTSTRUCT
 * @param seriesUid            SeriesInstanceUID of the CT
 * @param ctDir                the CT folder, relative to the cohort folder
 * @param rtstruct             the RTSTRUCT file, relative to the cohort folder
 */
public record SubjectTruth(String subject, LesionShape shape, double[] radii, double[] centre, double analyticVolumeMm3,
                           double contourVolumeMm3, double lesionMeanHu, String roi, String seriesUid, String ctDir, String rtstruct) {

    /** The CSV header, in column order. */
    public static final String HEADER = "subject,shape,radius_1_mm,radius_2_mm,radius_3_mm,centre_x_mm,centre_y_mm,centre_z_mm,"
            + "analytic_volume_mm3,contour_volume_mm3,lesion_mean_hu,roi,series_uid,ct_dir,rtstruct";

    public SubjectTruth {
        radii = radii.clone();
        centre = centre.clone();
    }

    @Override public double[] radii() { return radii.clone(); }
    @Override public double[] centre() { return centre.clone(); }

    /** This row as a CSV line (without line end); no field needs quoting. */
    public String toCsv() {
        return String.join(",", subject, shape.label(), num(radii[0]), num(radii[1]), num(radii[2]), num(centre[0]), num(centre[1]),
                num(centre[2]), num(analyticVolumeMm3), num(contourVolumeMm3), num(lesionMeanHu), roi, seriesUid, ctDir, rtstruct);
    }

    /** Parses a line written by {@link #toCsv()}. */
    public static SubjectTruth parse(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 15) throw new IllegalArgumentException("truth.csv line has " + f.length + " fields, not 15: " + line);
        return new SubjectTruth(f[0], LesionShape.of(f[1]), doubles(f, 2), doubles(f, 5), Double.parseDouble(f[8]),
                Double.parseDouble(f[9]), Double.parseDouble(f[10]), f[11], f[12], f[13], f[14]);
    }

    private static double[] doubles(String[] f, int from) {
        return new double[] {Double.parseDouble(f[from]), Double.parseDouble(f[from + 1]), Double.parseDouble(f[from + 2])};
    }

    // Full precision: the volumes are references that measurements are compared against.
    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubjectTruth t && subject.equals(t.subject) && shape == t.shape && Arrays.equals(radii, t.radii)
                && Arrays.equals(centre, t.centre) && analyticVolumeMm3 == t.analyticVolumeMm3 && contourVolumeMm3 == t.contourVolumeMm3
                && lesionMeanHu == t.lesionMeanHu && roi.equals(t.roi) && seriesUid.equals(t.seriesUid) && ctDir.equals(t.ctDir)
                && rtstruct.equals(t.rtstruct);
    }

    @Override
    public int hashCode() {
        return subject.hashCode() * 31 + seriesUid.hashCode();
    }

    @Override
    public String toString() {
        return "SubjectTruth[" + toCsv() + "]";
    }

    /** Column names of {@link #HEADER}. */
    public static List<String> columns() {
        return List.of(HEADER.split(","));
    }
}
