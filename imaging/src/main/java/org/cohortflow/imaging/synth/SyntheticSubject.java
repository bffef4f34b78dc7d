package org.cohortflow.imaging.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

import org.cohortflow.imaging.Geometry;
import org.cohortflow.imaging.Volume;

/**
 * One synthetic subject, fully determined by its seed: the CT grid, the lesion, its mean intensity and the
 * DICOM identifiers. The image and the contours are computed on demand from these, so a subject is cheap
 * to hold and the same seed always gives the same voxels.
 *
 * @param id           subject id, also the DICOM PatientID
 * @param seed         the subject's own seed (derived from the cohort seed and the subject's index)
 * @param options      grid and texture settings
 * @param geometry     the CT grid (axial, LPS)
 * @param lesion       the lesion's analytic shape
 * @param lesionMeanHu mean lesion intensity in HU (before pattern and noise)
 * @param uids         DICOM identifiers of the subject's study, series and instances
 */
public record SyntheticSubject(String id, long seed, SynthOptions options, Geometry geometry, Lesion lesion, double lesionMeanHu,
                               SubjectUids uids) {

    /** Soft tissue filling the body. */
    public static final double SOFT_TISSUE_HU = 40;
    /** Outside the body. */
    public static final double AIR_HU = -1000;
    /** The ROI name of the lesion in the RTSTRUCT. */
    public static final String ROI_NAME = "GTV";

    private static final double LESION_NOISE_HU = 10;
    private static final double TISSUE_NOISE_HU = 8;
    private static final double AIR_NOISE_HU = 5;
    private static final double PATTERN_AMPLITUDE_HU = 15;
    // Scanners store HU + 1024; the slope/intercept pair in the files undoes it.
    static final int RESCALE_INTERCEPT = -1024;

    public SyntheticSubject {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(geometry, "geometry");
        Objects.requireNonNull(lesion, "lesion");
        Objects.requireNonNull(uids, "uids");
        if (uids.instances().size() != geometry.nz()) {
            throw new IllegalArgumentException(uids.instances().size() + " instance UIDs for " + geometry.nz() + " slices");
        }
    }

    /**
     * DICOM identifiers of one subject.
     *
     * @param study              StudyInstanceUID, shared by the CT and the RTSTRUCT
     * @param series             SeriesInstanceUID of the CT
     * @param frameOfReference   FrameOfReferenceUID of the CT, referenced by the RTSTRUCT
     * @param structureSetSeries SeriesInstanceUID of the RTSTRUCT
     * @param structureSet       SOPInstanceUID of the RTSTRUCT
     * @param instances          SOPInstanceUID of each CT slice, in slice order
     */
    public record SubjectUids(String study, String series, String frameOfReference, String structureSetSeries, String structureSet,
                              List<String> instances) {
        public SubjectUids {
            instances = List.copyOf(instances);
        }
    }

    /**
     * One closed planar contour of the lesion.
     *
     * @param slice  index of the CT slice it lies on
     * @param points x1,y1,z1,x2,... in LPS mm, as DICOM ContourData
     */
    public record Contour(int slice, double[] points) {
        public Contour {
            points = points.clone();
        }

        @Override public double[] points() { return points.clone(); }

        /** Number of points. */
        public int size() { return points.length / 3; }

        /** Area of the polygon (shoelace formula in the axial plane), in mm². */
        public double area() {
            int n = size();
            double s = 0;
            for (int p = 0; p < n; p++) {
                int q = (p + 1) % n;
                s += points[3 * p] * points[3 * q + 1] - points[3 * q] * points[3 * p + 1];
            }
            return Math.abs(s) / 2;
        }
    }

    /** LPS z of the centre of slice {@code k}. */
    public double sliceZ(int k) {
        return geometry.indexToWorld(0, 0, k)[2];
    }

    /** The lesion's contours: one per slice whose plane cuts the lesion, each with {@link SynthOptions#contourPoints()} points. */
    public List<Contour> contours() {
        List<Contour> out = new ArrayList<>();
        for (int k = 0; k < geometry.nz(); k++) {
            int slice = k;
            lesion.axialSection(sliceZ(k)).ifPresent(e -> out.add(new Contour(slice, e.polygon(options.contourPoints()))));
        }
        return out;
    }

    /** Volume the contours describe as slabs one slice thick (sum of polygon areas times slice spacing), in mm³. */
    public double contourVolume() {
        double v = 0;
        for (Contour c : contours()) v += c.area();
        return v * geometry.spacing()[2];
    }

    /**
     * The CT image in HU: air outside an elliptical body of soft tissue, the lesion where voxel centres fall
     * inside it; with texture, Gaussian noise everywhere and a smooth sinusoidal pattern in the lesion.
     */
    public Volume image() {
        SplittableRandom rng = new SplittableRandom(SyntheticCohort.mix(seed, 0x7E47L));
        int nx = geometry.nx(), ny = geometry.ny(), nz = geometry.nz();
        double[] sp = geometry.spacing(), origin = geometry.origin();
        double bodyA = SynthOptions.bodySemiAxisX(nx, sp[0]), bodyB = SynthOptions.bodySemiAxisY(ny, sp[1]);
        double bodyX = origin[0] + (nx - 1) * sp[0] / 2, bodyY = origin[1] + (ny - 1) * sp[1] / 2;
        // The pattern is separable so that it costs three small tables rather than a sin per voxel.
        double[] px = wave(rng, nx, origin[0], sp[0]), py = wave(rng, ny, origin[1], sp[1]), pz = wave(rng, nz, origin[2], sp[2]);
        boolean texture = options.texture();
        short[] hu = new short[geometry.voxelCount()];
        int idx = 0;
        for (int k = 0; k < nz; k++) {
            double z = origin[2] + k * sp[2];
            for (int j = 0; j < ny; j++) {
                double y = origin[1] + j * sp[1];
                double by = (y - bodyY) / bodyB;
                for (int i = 0; i < nx; i++, idx++) {
                    double x = origin[0] + i * sp[0];
                    double bx = (x - bodyX) / bodyA;
                    double v;
                    if (lesion.contains(x, y, z)) {
                        v = lesionMeanHu + (texture ? PATTERN_AMPLITUDE_HU * px[i] * py[j] * pz[k] + LESION_NOISE_HU * rng.nextGaussian() : 0);
                    } else if (bx * bx + by * by <= 1) {
                        v = SOFT_TISSUE_HU + (texture ? TISSUE_NOISE_HU * rng.nextGaussian() : 0);
                    } else {
                        v = AIR_HU + (texture ? AIR_NOISE_HU * rng.nextGaussian() : 0);
                    }
                    hu[idx] = (short) Math.max(RESCALE_INTERCEPT, Math.min(3071, Math.round(v)));
                }
            }
        }
        return Volume.ofShorts(geometry, hu);
    }

    private static double[] wave(SplittableRandom rng, int n, double origin, double spacing) {
        double wavelength = 8 + 12 * rng.nextDouble();
        double phase = 2 * Math.PI * rng.nextDouble();
        double[] w = new double[n];
        for (int i = 0; i < n; i++) w[i] = Math.sin(2 * Math.PI * (origin + i * spacing) / wavelength + phase);
        return w;
    }
}
