package org.cohortflow.biomarkers.texture;

import java.util.ArrayList;
import java.util.List;
import org.cohortflow.biomarkers.feature.Aggregation;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.feature.FeatureList;

/**
 * Turns per-slice / per-direction matrices into features with IBSI's aggregation methods. Empty
 * matrices (a slice with no pair in a direction, say) are left out of averages, as IBSI does; when
 * nothing is left the features are undefined.
 */
public final class TextureAggregator {
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

    /**
     * The six aggregations of direction-dependent families (GLCM, GLRLM).
     *
     * @param bySliceAndDirection {@code [slice][in-plane direction]} matrices
     * @param byVolumeDirection   one 3D matrix per 3D direction
     */
    public FeatureList directional(List<List<TextureMatrix>> bySliceAndDirection,
                                   List<TextureMatrix> byVolumeDirection) {
        FeatureList out = new FeatureList(family);
        List<TextureMatrix> all2d = new ArrayList<>();
        List<TextureMatrix> sliceMerged = new ArrayList<>();
        int directions = bySliceAndDirection.isEmpty() ? 0 : bySliceAndDirection.get(0).size();
        List<List<TextureMatrix>> byDirection = new ArrayList<>();
        for (int d = 0; d < directions; d++) {
            byDirection.add(new ArrayList<>());
        }
        for (List<TextureMatrix> slice : bySliceAndDirection) {
            all2d.addAll(slice);
            sliceMerged.add(TextureMatrix.merge(slice));
            for (int d = 0; d < slice.size(); d++) {
                byDirection.get(d).add(slice.get(d));
            }
        }
        List<TextureMatrix> directionMerged = new ArrayList<>();
        for (List<TextureMatrix> dir : byDirection) {
            directionMerged.add(TextureMatrix.merge(dir));
        }
        emit(out, Aggregation.SLICE_DIRECTION_AVERAGED_2D, average(all2d));
        emit(out, Aggregation.SLICE_MERGED_2D, average(sliceMerged));
        emit(out, Aggregation.DIRECTION_MERGED_2_5D, average(directionMerged));
        emit(out, Aggregation.FULLY_MERGED_2_5D, average(List.of(TextureMatrix.merge(all2d))));
        emit(out, Aggregation.DIRECTION_AVERAGED_3D, average(byVolumeDirection));
        emit(out, Aggregation.MERGED_3D, average(List.of(TextureMatrix.merge(byVolumeDirection))));
        return out;
    }

    /**
     * The three aggregations of direction-free families (GLSZM, GLDZM, NGTDM, NGLDM).
     *
     * @param bySlice one matrix per slice
     * @param volume  the 3D matrix
     */
    public FeatureList directionFree(List<TextureMatrix> bySlice, TextureMatrix volume) {
        FeatureList out = new FeatureList(family);
        emit(out, Aggregation.AVERAGED_2D, average(bySlice));
        emit(out, Aggregation.MERGED_2_5D, average(List.of(TextureMatrix.merge(bySlice))));
        emit(out, Aggregation.VOLUME_3D, average(List.of(volume)));
        return out;
    }

    private double[] average(List<TextureMatrix> matrices) {
        int n = featureSet.definitions().size();
        double[] sum = new double[n];
        int used = 0;
        for (TextureMatrix m : matrices) {
            if (m.isEmpty()) {
                continue;
            }
            double[] v = featureSet.compute(m);
            for (int k = 0; k < n; k++) {
                sum[k] += v[k];
            }
            used++;
        }
        if (used == 0) {
            return null;
        }
        for (int k = 0; k < n; k++) {
            sum[k] /= used;
        }
        return sum;
    }

    private void emit(FeatureList out, Aggregation aggregation, double[] values) {
        var defs = featureSet.definitions();
        for (int k = 0; k < defs.size(); k++) {
            if (values == null) {
                out.undefined(defs.get(k), aggregation, "no voxel pairs, runs or zones in the ROI for this aggregation");
            } else {
                out.add(defs.get(k), aggregation, values[k]);
            }
        }
    }
}
