package org.cohortflow.biomarkers.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.biomarkers.feature.Aggregation;
import org.cohortflow.biomarkers.feature.FeatureFamily;

/**
 * PyRadiomics' feature classes and feature names mapped to IBSI families and codes, with PyRadiomics' known
 * deviations from IBSI, so that studies made with either can be compared (biomarkers/README.md prints this table).
 * Features with no IBSI counterpart are listed with a {@code null} code.
 */
public final class PyRadiomicsFeatures {
    private PyRadiomicsFeatures() {
    }

    /**
     * One PyRadiomics feature.
     *
     * @param featureClass PyRadiomics' class ({@code firstorder})
     * @param name         PyRadiomics' name ({@code Mean})
     * @param family       the IBSI family computing it, or {@code null}
     * @param ibsiCode     the IBSI code, or {@code null} where IBSI has no such feature
     * @param deviation    how PyRadiomics' value differs from IBSI's, or {@code null}
     * @param byDefault    whether PyRadiomics computes it when its class lists no features (deprecated ones are off)
     */
    public record Entry(String featureClass, String name, FeatureFamily family, String ibsiCode, String deviation,
                        boolean byDefault) {
    }

    private static final Map<String, FeatureFamily> CLASSES = new LinkedHashMap<>();
    private static final List<Entry> ENTRIES = new ArrayList<>();

    static {
        CLASSES.put("shape", FeatureFamily.MORPHOLOGY);
        CLASSES.put("firstorder", FeatureFamily.INTENSITY_STATISTICS);
        CLASSES.put("glcm", FeatureFamily.GLCM);
        CLASSES.put("glrlm", FeatureFamily.GLRLM);
        CLASSES.put("glszm", FeatureFamily.GLSZM);
        CLASSES.put("gldm", FeatureFamily.NGLDM);
        CLASSES.put("ngtdm", FeatureFamily.NGTDM);
        FeatureFamily m = FeatureFamily.MORPHOLOGY;
        add("shape", "MeshVolume", m, "RNU0", null);
        add("shape", "VoxelVolume", m, "YEKZ", null);
        add("shape", "SurfaceArea", m, "C0JK", null);
        add("shape", "SurfaceVolumeRatio", m, "2PR5", null);
        add("shape", "Sphericity", m, "QCFX", null);
        deprecated("shape", "Compactness1", m, "SKGS", null);
        deprecated("shape", "Compactness2", m, "BQWJ", null);
        deprecated("shape", "SphericalDisproportion", m, "KRCK", null);
        add("shape", "Maximum3DDiameter", m, "L0JK", null);
        add("shape", "Maximum2DDiameterSlice", m, null, "no IBSI feature");
        add("shape", "Maximum2DDiameterColumn", m, null, "no IBSI feature");
        add("shape", "Maximum2DDiameterRow", m, null, "no IBSI feature");
        add("shape", "MajorAxisLength", m, "TDIC", null);
        add("shape", "MinorAxisLength", m, "P9VJ", null);
        add("shape", "LeastAxisLength", m, "7J51", null);
        add("shape", "Elongation", m, "Q3CK", null);
        add("shape", "Flatness", m, "N17B", null);
        FeatureFamily s = FeatureFamily.INTENSITY_STATISTICS;
        FeatureFamily h = FeatureFamily.INTENSITY_HISTOGRAM;
        add("firstorder", "Energy", s, "N8CA", "PyRadiomics adds voxelArrayShift to each intensity first (refused unless 0)");
        add("firstorder", "TotalEnergy", s, null, "energy times the voxel volume: no IBSI feature");
        add("firstorder", "Entropy", h, "TLU2", "on PyRadiomics' bins (binWidth from a multiple of the width), log2 with a small epsilon");
        add("firstorder", "Minimum", s, "1GSF", null);
        add("firstorder", "10Percentile", s, "QG58", null);
        add("firstorder", "90Percentile", s, "8DWT", null);
        add("firstorder", "Maximum", s, "84IY", null);
        add("firstorder", "Mean", s, "Q4LE", null);
        add("firstorder", "Median", s, "Y12H", null);
        add("firstorder", "InterquartileRange", s, "SALO", null);
        add("firstorder", "Range", s, "2OJQ", null);
        add("firstorder", "MeanAbsoluteDeviation", s, "4FUA", null);
        add("firstorder", "RobustMeanAbsoluteDeviation", s, "1128", null);
        add("firstorder", "RootMeanSquared", s, "5ZWQ", "PyRadiomics adds voxelArrayShift to each intensity first (refused unless 0)");
        add("firstorder", "StandardDeviation", s, null, "the square root of IBSI's variance (ECT3): no IBSI feature");
        add("firstorder", "Skewness", s, "KE2A", null);
        add("firstorder", "Kurtosis", s, "IPH6", "PyRadiomics' kurtosis is not the excess: IBSI's value plus 3");
        add("firstorder", "Variance", s, "ECT3", null);
        add("firstorder", "Uniformity", h, "BJ5W", "on PyRadiomics' bins");
        FeatureFamily c = FeatureFamily.GLCM;
        add("glcm", "Autocorrelation", c, "QWB0", null);
        add("glcm", "JointAverage", c, "60VM", null);
        add("glcm", "ClusterProminence", c, "AE86", null);
        add("glcm", "ClusterShade", c, "7NFM", null);
        add("glcm", "ClusterTendency", c, "DG8W", null);
        add("glcm", "Contrast", c, "ACUI", null);
        add("glcm", "Correlation", c, "NI2N", "PyRadiomics sets a value where a matrix has one grey level (IBSI: undefined, left out of averages here)");
        add("glcm", "DifferenceAverage", c, "TF7R", null);
        add("glcm", "DifferenceEntropy", c, "NTRS", null);
        add("glcm", "DifferenceVariance", c, "D3YU", null);
        add("glcm", "JointEnergy", c, "8ZQL", null);
        add("glcm", "JointEntropy", c, "TU9B", null);
        add("glcm", "Imc1", c, "R8DG", "PyRadiomics sets a value where a matrix has one grey level (IBSI: undefined, left out of averages here)");
        add("glcm", "Imc2", c, "JN9H", null);
        add("glcm", "Idm", c, "WF0Z", null);
        add("glcm", "MCC", c, null, "maximal correlation coefficient: no IBSI feature");
        add("glcm", "Idmn", c, "1QCO", null);
        add("glcm", "Id", c, "IB1Z", null);
        add("glcm", "Idn", c, "NDRX", null);
        add("glcm", "InverseVariance", c, "E8JP", null);
        add("glcm", "MaximumProbability", c, "GYBY", null);
        deprecated("glcm", "SumAverage", c, "ZGXS", null);
        add("glcm", "SumEntropy", c, "P6QZ", null);
        add("glcm", "SumSquares", c, "UR99", null);
        FeatureFamily r = FeatureFamily.GLRLM;
        add("glrlm", "ShortRunEmphasis", r, "22OV", null);
        add("glrlm", "LongRunEmphasis", r, "W4KF", null);
        add("glrlm", "GrayLevelNonUniformity", r, "R5YN", null);
        add("glrlm", "GrayLevelNonUniformityNormalized", r, "OVBL", null);
        add("glrlm", "RunLengthNonUniformity", r, "W92Y", null);
        add("glrlm", "RunLengthNonUniformityNormalized", r, "IC23", null);
        add("glrlm", "RunPercentage", r, "9ZK5", null);
        add("glrlm", "GrayLevelVariance", r, "8CE5", null);
        add("glrlm", "RunVariance", r, "SXLW", null);
        add("glrlm", "RunEntropy", r, "HJ9O", null);
        add("glrlm", "LowGrayLevelRunEmphasis", r, "V3SW", null);
        add("glrlm", "HighGrayLevelRunEmphasis", r, "G3QZ", null);
        add("glrlm", "ShortRunLowGrayLevelEmphasis", r, "HTZT", null);
        add("glrlm", "ShortRunHighGrayLevelEmphasis", r, "GD3A", null);
        add("glrlm", "LongRunLowGrayLevelEmphasis", r, "IVPO", null);
        add("glrlm", "LongRunHighGrayLevelEmphasis", r, "3KUM", null);
        FeatureFamily z = FeatureFamily.GLSZM;
        add("glszm", "SmallAreaEmphasis", z, "5QRC", null);
        add("glszm", "LargeAreaEmphasis", z, "48P8", null);
        add("glszm", "GrayLevelNonUniformity", z, "JNSA", null);
        add("glszm", "GrayLevelNonUniformityNormalized", z, "Y1RO", null);
        add("glszm", "SizeZoneNonUniformity", z, "4JP3", null);
        add("glszm", "SizeZoneNonUniformityNormalized", z, "VB3A", null);
        add("glszm", "ZonePercentage", z, "P30P", null);
        add("glszm", "GrayLevelVariance", z, "BYLV", null);
        add("glszm", "ZoneVariance", z, "3NSA", null);
        add("glszm", "ZoneEntropy", z, "GU8N", null);
        add("glszm", "LowGrayLevelZoneEmphasis", z, "XMSY", null);
        add("glszm", "HighGrayLevelZoneEmphasis", z, "5GN9", null);
        add("glszm", "SmallAreaLowGrayLevelEmphasis", z, "5RAI", null);
        add("glszm", "SmallAreaHighGrayLevelEmphasis", z, "HW1V", null);
        add("glszm", "LargeAreaLowGrayLevelEmphasis", z, "YH51", null);
        add("glszm", "LargeAreaHighGrayLevelEmphasis", z, "J17V", null);
        FeatureFamily d = FeatureFamily.NGLDM;
        add("gldm", "SmallDependenceEmphasis", d, "SODN", null);
        add("gldm", "LargeDependenceEmphasis", d, "IMOQ", null);
        add("gldm", "GrayLevelNonUniformity", d, "FP8K", null);
        deprecated("gldm", "GrayLevelNonUniformityNormalized", d, "5SPA", null);
        add("gldm", "DependenceNonUniformity", d, "Z87G", null);
        add("gldm", "DependenceNonUniformityNormalized", d, "OKJI", null);
        add("gldm", "GrayLevelVariance", d, "1PFV", null);
        add("gldm", "DependenceVariance", d, "DNX2", null);
        add("gldm", "DependenceEntropy", d, "FCBV", null);
        add("gldm", "LowGrayLevelEmphasis", d, "TL9H", null);
        add("gldm", "HighGrayLevelEmphasis", d, "OAE7", null);
        add("gldm", "SmallDependenceLowGrayLevelEmphasis", d, "EQ3F", null);
        add("gldm", "SmallDependenceHighGrayLevelEmphasis", d, "JA6D", null);
        add("gldm", "LargeDependenceLowGrayLevelEmphasis", d, "NBZI", null);
        add("gldm", "LargeDependenceHighGrayLevelEmphasis", d, "9QMG", null);
        FeatureFamily t = FeatureFamily.NGTDM;
        add("ngtdm", "Coarseness", t, "QCDE", null);
        add("ngtdm", "Contrast", t, "65HE", null);
        add("ngtdm", "Busyness", t, "NQ30", null);
        add("ngtdm", "Complexity", t, "HDEZ", null);
        add("ngtdm", "Strength", t, "1X9X", null);
    }

    private static void add(String cls, String name, FeatureFamily family, String code, String deviation) {
        ENTRIES.add(new Entry(cls, name, family, code, deviation, true));
    }

    private static void deprecated(String cls, String name, FeatureFamily family, String code, String deviation) {
        ENTRIES.add(new Entry(cls, name, family, code, deviation, false));
    }

    /** Every PyRadiomics feature of the classes we map, in PyRadiomics' order. */
    public static List<Entry> all() {
        return Collections.unmodifiableList(ENTRIES);
    }

    /** PyRadiomics' feature classes we map, with the IBSI family of most of their features. */
    public static Map<String, FeatureFamily> classes() {
        return Collections.unmodifiableMap(CLASSES);
    }

    /** The entry of {@code featureClass}'s feature {@code name}, if PyRadiomics has it. */
    public static Optional<Entry> find(String featureClass, String name) {
        return ENTRIES.stream().filter(e -> e.featureClass.equals(featureClass) && e.name.equals(name)).findFirst();
    }

    /**
     * The IBSI aggregation PyRadiomics' value corresponds to: shape and first order in 3D; GLCM and GLRLM averaged
     * over the 13 3D directions (with {@code force2D}: the 4 in-plane directions, each matrix merged over slices);
     * GLSZM, GLDM and NGTDM over the volume (with {@code force2D}: one matrix of in-plane neighbourhoods merged
     * over slices).
     */
    public static Aggregation aggregation(Entry e, boolean force2D) {
        return switch (e.featureClass) {
            case "shape", "firstorder" -> Aggregation.FEATURE_3D;
            case "glcm", "glrlm" -> force2D ? Aggregation.DIRECTION_MERGED_2_5D : Aggregation.DIRECTION_AVERAGED_3D;
            default -> force2D ? Aggregation.MERGED_2_5D : Aggregation.VOLUME_3D;
        };
    }
}
