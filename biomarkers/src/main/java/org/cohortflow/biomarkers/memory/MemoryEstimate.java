package org.cohortflow.biomarkers.memory;

import java.util.Arrays;
import java.util.Locale;
import org.cohortflow.biomarkers.intensity.LocalIntensity;
import org.cohortflow.biomarkers.processing.Discretisation;
import org.cohortflow.biomarkers.settings.IbsiSettings;
import org.cohortflow.biomarkers.settings.Resampling;
import org.cohortflow.biomarkers.settings.SettingsException;

/**
 * The peak heap the IBSI chain of one image and ROI needs with given settings, estimated before anything is
 * allocated, so that settings no JVM of this size can run are refused with an error naming the setting
 * instead of an {@link OutOfMemoryError} (which on Spark used to end the whole executor).
 *
 * <p>The estimate adds up the big arrays of each step, rounded up:
 * <ul>
 *   <li>the image as the chain's float and mask arrays, with their copies: {@value #BYTES_PER_INPUT_VOXEL} bytes per
 *       voxel of the whole grid (more with resampling, which interpolates float copies of both masks, and
 *       {@value #BYTES_PER_SPLINE_VOXEL} more with spline interpolation, whose coefficients are doubles on at most
 *       the whole grid);</li>
 *   <li>the resampled region (the ROI's bounding box plus the local-intensity margin on the new grid): re-segmented
 *       and cropped copies, grey levels, zones and morphology, {@value #BYTES_PER_ROI_VOXEL} bytes per voxel;</li>
 *   <li>texture matrices, which grow with the number of grey levels the discretisation gives: a GLCM is
 *       {@code levels x levels} doubles, and one is kept per slice and direction ({@code 5 x slices + 20} at once);
 *       a GLRLM is {@code levels x longest run}.</li>
 *   <li>with a {@code filters} section (IBSI 2 response maps), the whole image resampled, since filters see all of
 *       it: {@value #BYTES_PER_FILTERED_VOXEL} bytes per voxel of the whole resampled grid (float and mask copies,
 *       the filter's double input, output and work arrays; FFT filters pad the grid by up to half per side).</li>
 * </ul>
 * GLSZM and GLDZM matrices depend on the zones found and are not estimated.
 *
 * @param bytes   the estimate
 * @param driver  what dominates it, naming the setting that drives it
 */
public record MemoryEstimate(long bytes, String driver) {
    static final int BYTES_PER_INPUT_VOXEL = 12;
    static final int BYTES_PER_RESAMPLED_INPUT_VOXEL = 8;
    static final int BYTES_PER_SPLINE_VOXEL = 8;
    static final int BYTES_PER_ROI_VOXEL = 136;
    static final int BYTES_PER_FILTERED_VOXEL = 160;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** Estimates the need of {@code settings} for an image and ROI. */
    public static MemoryEstimate of(RoiFootprint roi, IbsiSettings settings) {
        long input = roi.voxels() * BYTES_PER_INPUT_VOXEL;
        String inputWhy = "the image's " + roi.voxels() + " voxels";
        double[] spacing = roi.spacing();
        long[] region = region(roi, settings.resampling());
        long regionVoxels = saturatedProduct(region);
        String regionWhy;
        if (settings.resampling() != null) {
            input += roi.voxels() * BYTES_PER_RESAMPLED_INPUT_VOXEL;
            if (settings.resampling().interpolation() == Resampling.Interpolation.SPLINE) {
                input += roi.voxels() * BYTES_PER_SPLINE_VOXEL;
            }
            spacing = settings.resampling().spacingFor(spacing);
            regionWhy = "resampling.spacing " + Arrays.toString(spacing) + " makes the ROI's region " + region[0] + " x "
                    + region[1] + " x " + region[2] + " voxels";
            if (regionVoxels > MAX_ARRAY) {
                return new MemoryEstimate(Long.MAX_VALUE, regionWhy + ", more than a Java array holds");
            }
        } else {
            regionWhy = "the ROI's region of " + region[0] + " x " + region[1] + " x " + region[2] + " voxels";
        }
        long processing = saturatedMultiply(regionVoxels, BYTES_PER_ROI_VOXEL);

        long levels = levels(roi, settings);
        long slices = roi.emptyRoi() ? 0 : Math.max(1, Math.round((roi.hi()[2] - roi.lo()[2] + 1) * roi.spacing()[2] / spacing[2]));
        long longestRun = Math.max(region[0], Math.max(region[1], region[2]));
        long glcm = saturatedMultiply(saturatedMultiply(levels, levels), 8 * (5 * slices + 20));
        long glrlm = saturatedMultiply(saturatedMultiply(levels, longestRun), 8 * (5 * slices + 20));
        // With method none, intensities below 1 stop the discretisation (the texture families are then undefined)
        // before any matrix exists; settings selecting no texture family build none.
        boolean noMatrices = settings.discretisation().method() == Discretisation.Method.NONE && !(roi.min() >= 1)
                || !settings.needsDiscretisation();
        long texture = noMatrices ? 0 : Math.max(glcm, glrlm);
        String textureWhy = discretisationKey(settings.discretisation()) + " gives " + levels
                + " grey levels, so GLCM and GLRLM matrices of " + levels + " x " + (glcm >= glrlm ? levels : longestRun)
                + " values for each of about " + (5 * slices + 20) + " slice directions";
        if (!noMatrices && saturatedMultiply(levels, levels) > MAX_ARRAY) {
            return new MemoryEstimate(Long.MAX_VALUE, textureWhy + ", more than a Java array holds");
        }
        long total = saturatedAdd(saturatedAdd(input, processing), texture);
        String driver = texture >= processing && texture >= input ? textureWhy
                : processing >= input ? regionWhy : inputWhy;
        if (settings.responseMaps().any()) {
            long[] whole = new long[3];
            for (int a = 0; a < 3; a++) whole[a] = (long) Math.ceil(roi.dims()[a] * roi.spacing()[a] / spacing[a]);
            long wholeVoxels = saturatedProduct(whole);
            String filtersWhy = "filters need the whole image resampled to " + whole[0] + " x " + whole[1] + " x " + whole[2]
                    + " voxels";
            if (wholeVoxels > MAX_ARRAY) return new MemoryEstimate(Long.MAX_VALUE, filtersWhy + ", more than a Java array holds");
            long filtering = saturatedMultiply(wholeVoxels, BYTES_PER_FILTERED_VOXEL);
            if (filtering > total) driver = filtersWhy;
            total = saturatedAdd(total, filtering);
        }
        return new MemoryEstimate(total, driver);
    }

    /**
     * Refuses what needs more than {@code maxBytes} (the JVM's {@code Runtime.maxMemory()}).
     *
     * @param what names the job, e.g. {@code "sample 'STS_001' with settings ct-2mm.yaml"}
     * @throws SettingsException naming the setting that drives the need
     */
    public void requireAtMost(long maxBytes, String what) {
        if (bytes > maxBytes) {
            throw new SettingsException(what + " would need " + (bytes == Long.MAX_VALUE ? "more memory than any JVM has"
                    : "about " + gib(bytes)) + " (" + driver + "), but this JVM may use at most " + gib(maxBytes)
                    + "; choose a coarser setting or give the job more memory (-Xmx, spark.executor.memory)");
        }
    }

    /** Voxels per axis of the region the chain works on after resampling (or on the original grid). */
    private static long[] region(RoiFootprint roi, Resampling r) {
        int[] n = roi.dims();
        double[] s = roi.spacing();
        double margin = LocalIntensity.sphereRadiusMm();
        long[] out = new long[3];
        for (int a = 0; a < 3; a++) {
            double t = r == null ? s[a] : r.spacingFor(s)[a];
            long full = (long) Math.ceil(n[a] * s[a] / t - 1e-9);
            if (roi.emptyRoi()) {
                out[a] = full;
                continue;
            }
            // As Resampler: the ROI's extent plus the margin and two voxels of the original grid on each side.
            double mm = (roi.hi()[a] - roi.lo()[a] + 1) * s[a] + 2 * (margin + 2 * s[a]);
            out[a] = Math.max(1, Math.min(full, (long) Math.ceil(mm / t) + 2));
        }
        return out;
    }

    /** Grey levels the discretisation gives (at least 1). */
    private static long levels(RoiFootprint roi, IbsiSettings settings) {
        Discretisation d = settings.discretisation();
        if (roi.emptyRoi()) {
            return 1;
        }
        double lower = Math.max(roi.min(), settings.resegmentation().lower());
        double upper = Math.min(roi.max(), settings.resegmentation().upper());
        if (!(upper >= lower)) {
            return 1;
        }
        return switch (d.method()) {
            case FIXED_BIN_NUMBER -> d.bins();
            case FIXED_BIN_SIZE -> {
                double from = !Double.isNaN(d.lowerBound()) ? d.lowerBoundFor(lower)
                        : Double.isFinite(settings.resegmentation().lower()) ? settings.resegmentation().lower() : lower;
                double bins = Math.floor((upper - from) / d.binWidth()) + 1;
                yield bins >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : Math.max(1, (long) bins);
            }
            case NONE -> Math.max(1, (long) Math.min(upper, Long.MAX_VALUE / 2.0));
        };
    }

    private static String discretisationKey(Discretisation d) {
        return switch (d.method()) {
            case FIXED_BIN_NUMBER -> "discretisation.bins " + d.bins();
            case FIXED_BIN_SIZE -> "discretisation.bin_width " + d.binWidth();
            case NONE -> "discretisation.method none (the ROI's intensities are the grey levels)";
        };
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }

    private static long saturatedProduct(long[] v) {
        long p = 1;
        for (long x : v) p = saturatedMultiply(p, x);
        return p;
    }

    private static long saturatedMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }

    private static long saturatedAdd(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }
}
