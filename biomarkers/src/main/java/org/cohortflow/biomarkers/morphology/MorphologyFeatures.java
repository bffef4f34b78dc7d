package org.cohortflow.biomarkers.morphology;

import org.cohortflow.biomarkers.feature.Aggregation;
import org.cohortflow.biomarkers.feature.FeatureDefinition;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.feature.FeatureList;
import org.cohortflow.biomarkers.image.RoiImage;

/**
 * Morphological features (IBSI 3.1). Shape comes from the marching-cubes mesh of the morphological
 * mask and from its voxel centres; intensity-weighted features (centre of mass shift, integrated
 * intensity, Moran's I, Geary's C) use the intensity mask. The oriented minimum bounding box and
 * minimum volume enclosing ellipsoid features have no IBSI consensus value and are not computed.
 */
public final class MorphologyFeatures {
    private static final String[][] DEFS = {
        {"Volume (mesh)", "RNU0"}, {"Volume (voxel counting)", "YEKZ"}, {"Surface area (mesh)", "C0JK"},
        {"Surface to volume ratio", "2PR5"}, {"Compactness 1", "SKGS"}, {"Compactness 2", "BQWJ"},
        {"Spherical disproportion", "KRCK"}, {"Sphericity", "QCFX"}, {"Asphericity", "25C7"},
        {"Centre of mass shift", "KLMA"}, {"Maximum 3D diameter", "L0JK"}, {"Major axis length", "TDIC"},
        {"Minor axis length", "P9VJ"}, {"Least axis length", "7J51"}, {"Elongation", "Q3CK"},
        {"Flatness", "N17B"}, {"Volume density (axis-aligned bounding box)", "PBX1"},
        {"Area density (axis-aligned bounding box)", "R59B"},
        {"Volume density (approximate enclosing ellipsoid)", "6BDE"},
        {"Area density (approximate enclosing ellipsoid)", "RDD2"},
        {"Volume density (convex hull)", "R3ER"}, {"Area density (convex hull)", "7T7F"},
        {"Integrated intensity", "99N0"}, {"Moran's I index", "N365"}, {"Geary's C measure", "NPT7"}};

    private MorphologyFeatures() {
    }

    /** @return the features of this family, in output order */
    public static java.util.List<org.cohortflow.biomarkers.feature.FeatureDefinition> featureDefinitions() {
        java.util.List<org.cohortflow.biomarkers.feature.FeatureDefinition> out = new java.util.ArrayList<>();
        for (String[] d : DEFS) out.add(new org.cohortflow.biomarkers.feature.FeatureDefinition(d[0], d[1]));
        return out;
    }

    /** Computes the 25 morphological features. */
    public static FeatureList compute(RoiImage image) {
        FeatureList out = new FeatureList(FeatureFamily.MORPHOLOGY);
        if (image.morphologicalMaskCount() == 0) {
            for (String[] d : DEFS) {
                out.undefined(new FeatureDefinition(d[0], d[1]), Aggregation.FEATURE_3D, "empty morphological mask");
            }
            return out;
        }
        double[] sp = image.spacing();
        Mesh mesh = MarchingCubes.mesh(image.morphologicalMask(), image.dims(), sp);
        double v = mesh.volume();
        double a = mesh.area();
        double voxelVolume = sp[0] * sp[1] * sp[2];
        double vVoxels = image.morphologicalMaskCount() * voxelVolume;

        double[] pos = morphologicalPositions(image);
        double[] eig = covarianceEigenvalues(pos);
        double major = 4 * Math.sqrt(eig[0]), minor = 4 * Math.sqrt(eig[1]), least = 4 * Math.sqrt(eig[2]);

        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        double[] mv = mesh.vertices();
        for (int i = 0; i < mv.length; i += 3) {
            for (int ax = 0; ax < 3; ax++) {
                lo[ax] = Math.min(lo[ax], mv[i + ax]);
                hi[ax] = Math.max(hi[ax], mv[i + ax]);
            }
        }
        double ex = hi[0] - lo[0], ey = hi[1] - lo[1], ez = hi[2] - lo[2];
        double aabbVolume = ex * ey * ez;
        double aabbArea = 2 * (ex * ey + ex * ez + ey * ez);

        double sa = major / 2, sb = minor / 2, sc = least / 2;
        double ellipsoidVolume = 4 * Math.PI * sa * sb * sc / 3;
        double ellipsoidArea = ellipsoidArea(sa, sb, sc);

        ConvexHull hull = ConvexHull.of(mesh, sp);
        double hullVolume = hull == null ? Double.NaN : hull.volume();
        double hullArea = hull == null ? Double.NaN : hull.area();
        double diameter = hull == null ? planarDiameter(mv) : hull.diameter();

        double meanIntensity = Double.NaN;
        double[] roi = image.roiIntensities();
        if (roi.length > 0) {
            double s = 0;
            for (double x : roi) s += x;
            meanIntensity = s / roi.length;
        }
        double[] autocorrelation = SpatialAutocorrelation.compute(image);

        double[] values = {
            v, vVoxels, a, a / v,
            v / (Math.sqrt(Math.PI) * Math.pow(a, 1.5)),
            36 * Math.PI * v * v / (a * a * a),
            a / Math.cbrt(36 * Math.PI * v * v),
            Math.cbrt(36 * Math.PI * v * v) / a,
            Math.cbrt(a * a * a / (36 * Math.PI * v * v)) - 1,
            centreOfMassShift(image, pos),
            diameter, major, minor, least,
            Math.sqrt(eig[1] / eig[0]), Math.sqrt(eig[2] / eig[0]),
            v / aabbVolume, a / aabbArea,
            v / ellipsoidVolume, a / ellipsoidArea,
            v / hullVolume, a / hullArea,
            v * meanIntensity,
            autocorrelation[0], autocorrelation[1]};
        for (int k = 0; k < DEFS.length; k++) {
            boolean hullFeature = DEFS[k][1].equals("R3ER") || DEFS[k][1].equals("7T7F");
            if (hullFeature && hull == null) {
                out.undefined(new FeatureDefinition(DEFS[k][0], DEFS[k][1]), Aggregation.FEATURE_3D,
                        "the ROI is flat: its convex hull has no volume");
            } else {
                out.add(DEFS[k][0], DEFS[k][1], Aggregation.FEATURE_3D, values[k]);
            }
        }
        return out;
    }

    private static double[] morphologicalPositions(RoiImage image) {
        double[] pos = new double[image.morphologicalMaskCount() * 3];
        int k = 0;
        for (int z = 0; z < image.nz(); z++) {
            for (int y = 0; y < image.ny(); y++) {
                for (int x = 0; x < image.nx(); x++) {
                    if (!image.inMorphologicalMask(image.index(x, y, z))) continue;
                    pos[k++] = x * image.spacing(0);
                    pos[k++] = y * image.spacing(1);
                    pos[k++] = z * image.spacing(2);
                }
            }
        }
        return pos;
    }

    /** Sample covariance (n - 1), which the IBSI consensus axis lengths are based on. */
    private static double[] covarianceEigenvalues(double[] pos) {
        int n = pos.length / 3;
        if (n < 2) return new double[] {Double.NaN, Double.NaN, Double.NaN};
        double[] mean = new double[3];
        for (int i = 0; i < pos.length; i += 3) {
            for (int a = 0; a < 3; a++) mean[a] += pos[i + a] / n;
        }
        double[][] cov = new double[3][3];
        for (int i = 0; i < pos.length; i += 3) {
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) cov[a][b] += (pos[i + a] - mean[a]) * (pos[i + b] - mean[b]) / (n - 1.0);
            }
        }
        double[] ev = SymmetricEigen.eigenvalues(cov);
        for (int k = 0; k < 3; k++) ev[k] = Math.max(0, ev[k]);
        return ev;
    }

    private static double centreOfMassShift(RoiImage image, double[] morphPositions) {
        int n = morphPositions.length / 3;
        double[] geometric = new double[3];
        for (int i = 0; i < morphPositions.length; i += 3) {
            for (int a = 0; a < 3; a++) geometric[a] += morphPositions[i + a] / n;
        }
        double[] weighted = new double[3];
        double total = 0;
        for (int z = 0; z < image.nz(); z++) {
            for (int y = 0; y < image.ny(); y++) {
                for (int x = 0; x < image.nx(); x++) {
                    int i = image.index(x, y, z);
                    if (!image.inIntensityMask(i)) continue;
                    double w = image.intensity(i);
                    weighted[0] += w * x * image.spacing(0);
                    weighted[1] += w * y * image.spacing(1);
                    weighted[2] += w * z * image.spacing(2);
                    total += w;
                }
            }
        }
        double d2 = 0;
        for (int a = 0; a < 3; a++) {
            double d = geometric[a] - weighted[a] / total;
            d2 += d * d;
        }
        return Math.sqrt(d2);
    }

    /** Surface area of an ellipsoid with semi-axes {@code a >= b >= c} by IBSI's Legendre series. */
    static double ellipsoidArea(double a, double b, double c) {
        double alpha = Math.sqrt(Math.max(0, 1 - b * b / (a * a)));
        double beta = Math.sqrt(Math.max(0, 1 - c * c / (a * a)));
        double ab = alpha * beta;
        double x = ab == 0 ? 1 : (alpha * alpha + beta * beta) / (2 * ab);
        double sum = 0;
        for (int nu = 0; nu <= 20; nu++) {
            sum += Math.pow(ab, nu) / (1 - 4.0 * nu * nu) * legendre(nu, x);
        }
        return 4 * Math.PI * a * b * sum;
    }

    private static double legendre(int n, double x) {
        if (n == 0) return 1;
        double p0 = 1, p1 = x;
        for (int k = 2; k <= n; k++) {
            double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
            p0 = p1;
            p1 = p2;
        }
        return p1;
    }

    private static double planarDiameter(double[] v) {
        double best = 0;
        for (int i = 0; i < v.length; i += 3) {
            for (int j = i + 3; j < v.length; j += 3) {
                double dx = v[i] - v[j], dy = v[i + 1] - v[j + 1], dz = v[i + 2] - v[j + 2];
                best = Math.max(best, dx * dx + dy * dy + dz * dz);
            }
        }
        return Math.sqrt(best);
    }
}
