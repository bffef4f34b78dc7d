package org.cohortflow.biomarkers.texture;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cohortflow.biomarkers.feature.Aggregation;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.feature.FeatureList;

/**
 * Turns per-slice / per-direction matrices into features with IBSI's aggregation methods.
 *
 * <p>Averages are taken over the matrices where a feature is defined. Empty matrices (a slice with no pair in
 * a direction, say) are left out, as IBSI does. A feature that is undefined on a non-empty matrix (GLCM
 * correlation of a slice whose voxel pairs all share one grey level: zero variance) is left out of that
 * feature's average too, like MIRP's {@code nanmean}, and the feature's {@code reason} names the slices and
 * directions left out; where the IBSI manual defines a value for such a case (NGTDM) the family computes it
 * and nothing is left out. When no matrix is left the feature is undefined.
 */
public final class TextureAggregator {
    /** In-plane directions in {@link Direction#inPlane()} order, for messages. */
    private static final String[] IN_PLANE = {"0", "45", "90", "135"};

    private final FeatureFamily family;
    private final TextureFeatureSet featureSet;

    /**
     * @param family     family the features are reported under
     * @param featureSet the family's features
     */
    public TextureAggregator(FeatureFamily family, TextureFeatureSet featureSet) {
        this.family = family;
        this.featureSet = featureSet;
    }

    /** A matrix and where it comes from, for the reason of a feature it is left out of. */
    private record Labelled(TextureMatrix matrix, int slice, int direction) {
    }

    /**
     * The six aggregations of direction-dependent families (GLCM, GLRLM).
     *
     * @param bySliceAndDirection {@code [slice][in-plane direction]} matrices, one entry per slice of the ROI
     * @param byVolumeDirection   one 3D matrix per 3D direction
     */
    public FeatureList directional(List<List<TextureMatrix>> bySliceAndDirection,
                                   List<TextureMatrix> byVolumeDirection) {
        FeatureList out = new FeatureList(family);
        int slices = bySliceAndDirection.size();
        List<Labelled> all2d = new ArrayList<>();
        List<Labelled> sliceMerged = new ArrayList<>();
        List<TextureMatrix> all2dMatrices = new ArrayList<>();
        int directions = bySliceAndDirection.isEmpty() ? 0 : bySliceAndDirection.get(0).size();
        List<List<TextureMatrix>> byDirection = new ArrayList<>();
        for (int d = 0; d < directions; d++) {
            byDirection.add(new ArrayList<>());
        }
        for (int z = 0; z < slices; z++) {
            List<TextureMatrix> slice = bySliceAndDirection.get(z);
            for (int d = 0; d < slice.size(); d++) {
                all2d.add(new Labelled(slice.get(d), z, d));
                byDirection.get(d).add(slice.get(d));
            }
            all2dMatrices.addAll(slice);
            sliceMerged.add(new Labelled(TextureMatrix.merge(slice), z, -1));
        }
        List<Labelled> directionMerged = new ArrayList<>();
        for (int d = 0; d < directions; d++) {
            directionMerged.add(new Labelled(TextureMatrix.merge(byDirection.get(d)), -1, d));
        }
        List<Labelled> volume = new ArrayList<>();
        for (int d = 0; d < byVolumeDirection.size(); d++) {
            volume.add(new Labelled(byVolumeDirection.get(d), -1, -2 - d));
        }
        emit(out, Aggregation.SLICE_DIRECTION_AVERAGED_2D, average(all2d, slices));
        emit(out, Aggregation.SLICE_MERGED_2D, average(sliceMerged, slices));
        emit(out, Aggregation.DIRECTION_MERGED_2_5D, average(directionMerged, slices));
        emit(out, Aggregation.FULLY_MERGED_2_5D, average(List.of(new Labelled(TextureMatrix.merge(all2dMatrices), -1, -1)),
                slices));
        emit(out, Aggregation.DIRECTION_AVERAGED_3D, average(volume, slices));
        emit(out, Aggregation.MERGED_3D, average(List.of(new Labelled(TextureMatrix.merge(byVolumeDirection), -1, -1)),
                slices));
        return out;
    }

    /**
     * The three aggregations of direction-free families (GLSZM, GLDZM, NGTDM, NGLDM).
     *
     * @param bySlice one matrix per slice of the ROI
     * @param volume  the 3D matrix
     */
    public FeatureList directionFree(List<TextureMatrix> bySlice, TextureMatrix volume) {
        FeatureList out = new FeatureList(family);
        List<Labelled> slices = new ArrayList<>();
        for (int z = 0; z < bySlice.size(); z++) {
            slices.add(new Labelled(bySlice.get(z), z, -1));
        }
        emit(out, Aggregation.AVERAGED_2D, average(slices, bySlice.size()));
        emit(out, Aggregation.MERGED_2_5D, average(List.of(new Labelled(TextureMatrix.merge(bySlice), -1, -1)),
                bySlice.size()));
        emit(out, Aggregation.VOLUME_3D, average(List.of(new Labelled(volume, -1, -1)), bySlice.size()));
        return out;
    }

    /** Per feature: the average over the matrices where it is defined, and a note on those left out. */
    private record Averaged(double[] values, String[] notes) {
    }

    private Averaged average(List<Labelled> matrices, int slices) {
        int n = featureSet.definitions().size();
        double[] sum = new double[n];
        int[] used = new int[n];
        int nonEmpty = 0;
        List<List<Labelled>> undefined = new ArrayList<>();
        for (int k = 0; k < n; k++) undefined.add(new ArrayList<>());
        for (Labelled m : matrices) {
            if (m.matrix().isEmpty()) {
                continue;
            }
            nonEmpty++;
            double[] v = featureSet.compute(m.matrix());
            for (int k = 0; k < n; k++) {
                if (Double.isFinite(v[k])) {
                    sum[k] += v[k];
                    used[k]++;
                } else {
                    undefined.get(k).add(m);
                }
            }
        }
        double[] values = new double[n];
        String[] notes = new String[n];
        for (int k = 0; k < n; k++) {
            if (nonEmpty == 0) {
                values[k] = Double.NaN;
                notes[k] = "no voxel pairs, runs or zones in the ROI for this aggregation";
            } else if (used[k] == 0) {
                values[k] = Double.NaN;
                notes[k] = "undefined on every matrix (" + describe(undefined.get(k), slices) + ")";
            } else {
                values[k] = sum[k] / used[k];
                if (!undefined.get(k).isEmpty()) {
                    notes[k] = "averaged over the " + used[k] + " of " + nonEmpty + " matrices where it is defined;"
                            + " undefined on " + describe(undefined.get(k), slices);
                }
            }
        }
        return new Averaged(values, notes);
    }

    /** Names the matrices: ROI slices (counted from the ROI's first slice) with their in-plane directions. */
    private static String describe(List<Labelled> matrices, int slices) {
        Map<Integer, List<String>> bySlice = new TreeMap<>();
        List<String> other = new ArrayList<>();
        for (Labelled m : matrices) {
            if (m.slice() >= 0) {
                List<String> dirs = bySlice.computeIfAbsent(m.slice(), z -> new ArrayList<>());
                if (m.direction() >= 0) dirs.add(IN_PLANE[m.direction()]);
            } else if (m.direction() >= 0) {
                other.add("in-plane direction " + IN_PLANE[m.direction()] + " degrees");
            } else if (m.direction() <= -2) {
                Direction d = Direction.volumetric().get(-2 - m.direction());
                other.add("3D direction (" + d.dx() + ", " + d.dy() + ", " + d.dz() + ")");
            } else {
                other.add("the merged matrix");
            }
        }
        List<String> parts = new ArrayList<>();
        bySlice.forEach((z, dirs) -> parts.add("ROI slice " + (z + 1) + " of " + slices
                + (dirs.isEmpty() ? "" : dirs.size() == IN_PLANE.length ? " (all directions)"
                        : " (direction" + (dirs.size() > 1 ? "s " : " ") + String.join(", ", dirs) + " degrees)")));
        parts.addAll(other);
        return String.join("; ", parts);
    }

    private void emit(FeatureList out, Aggregation aggregation, Averaged averaged) {
        var defs = featureSet.definitions();
        for (int k = 0; k < defs.size(); k++) {
            double v = averaged.values()[k];
            if (Double.isNaN(v)) {
                out.undefined(defs.get(k), aggregation, averaged.notes()[k]);
            } else {
                out.add(defs.get(k), aggregation, v, averaged.notes()[k]);
            }
        }
    }
}
