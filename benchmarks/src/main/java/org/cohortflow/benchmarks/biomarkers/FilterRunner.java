package org.cohortflow.benchmarks.biomarkers;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.cohortflow.biomarkers.filter.FilterImage;
import org.cohortflow.biomarkers.filter.FilterSpec;
import org.cohortflow.biomarkers.filter.ImageFilter;

/**
 * Issue 18's "per-filter time on a 256^3 image": each IBSI 2 filter family, 3D with typical parameters (those of
 * IBSI 2's phase 2 configurations where it has them), applied once per repetition to a generated volume of 1 mm
 * voxels on the calling thread. Reports the thread's CPU time (robust to other load on a shared machine), median
 * of {@code --reps}, after one warm-up application of every filter on a small volume (so that the JIT has compiled
 * the filters' loops before timing), and the system load average before and after.
 *
 * <pre>
 * java -XX:ActiveProcessorCount=1 -Xmx6g -cp "$CP" org.cohortflow.benchmarks.biomarkers.FilterRunner \
 *     [--size 256] [--reps 3] [--only log,wavelet]
 * </pre>
 */
public final class FilterRunner {
    /** Label and filter (as in a settings file's {@code filters.maps}), in IBSI 2's order of families. */
    static final Map<String, String> FILTERS = filters();

    private FilterRunner() {
    }

    private static Map<String, String> filters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mean, support 5", "{\"type\": \"mean\", \"support\": 5, \"boundary\": \"mirror\"}");
        m.put("mean, support 15", "{\"type\": \"mean\", \"support\": 15, \"boundary\": \"mirror\"}");
        m.put("log, sigma 1.5 mm", "{\"type\": \"log\", \"sigma_mm\": 1.5, \"cutoff\": 4, \"boundary\": \"mirror\"}");
        m.put("log, sigma 3 mm", "{\"type\": \"log\", \"sigma_mm\": 3, \"cutoff\": 4, \"boundary\": \"mirror\"}");
        m.put("laws L5E5E5, energy 7", "{\"type\": \"laws\", \"kernels\": \"L5E5E5\", \"energy_distance\": 7, \"boundary\": \"mirror\"}");
        m.put("laws L5E5E5, energy 7, rot. inv. (max)",
                "{\"type\": \"laws\", \"kernels\": \"L5E5E5\", \"energy_distance\": 7, \"pooling\": \"max\", \"boundary\": \"mirror\"}");
        m.put("gabor s5 l2 g1.5, one orientation",
                "{\"type\": \"gabor\", \"sigma_mm\": 5, \"lambda_mm\": 2, \"gamma\": 1.5, \"theta_deg\": 0, \"boundary\": \"mirror\"}");
        m.put("gabor s5 l2 g1.5, 22.5 deg, 3 planes (avg)",
                "{\"type\": \"gabor\", \"sigma_mm\": 5, \"lambda_mm\": 2, \"gamma\": 1.5, \"theta_step_deg\": 22.5, \"pooling\": \"average\","
                        + " \"orthogonal_planes\": true, \"boundary\": \"mirror\"}");
        m.put("wavelet haar LLH, level 1", wavelet("haar", null));
        m.put("wavelet db3 LLH, level 1", wavelet("db3", null));
        m.put("wavelet coif1 LLH, level 1", wavelet("coif1", null));
        m.put("wavelet coif1 LLH, level 1, rot. inv. (avg)", wavelet("coif1", "average"));
        m.put("simoncelli, level 1", "{\"type\": \"simoncelli\", \"level\": 1, \"boundary\": \"periodic\"}");
        m.put("riesz [1,0,0] of log 3 mm", "{\"type\": \"riesz\", \"order\": [1, 0, 0], \"base\": {\"type\": \"log\", \"sigma_mm\": 3},"
                + " \"boundary\": \"mirror\"}");
        return m;
    }

    /** {@link #FILTERS} read as a settings file's filters are (so a spelling mistake fails as it would there). */
    static Map<String, ImageFilter> parsed() throws java.io.IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, ImageFilter> filters = new LinkedHashMap<>();
        for (var e : FILTERS.entrySet()) filters.put(e.getKey(), FilterSpec.parse(json.readTree(e.getValue())));
        return filters;
    }

    private static String wavelet(String name, String pooling) {
        return "{\"type\": \"wavelet\", \"wavelet\": \"" + name + "\", \"subband\": \"LLH\", \"level\": 1"
                + (pooling == null ? "" : ", \"pooling\": \"" + pooling + "\"") + ", \"boundary\": \"mirror\"}";
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) opt.put(args[i], args[i + 1]);
        int size = Integer.parseInt(opt.getOrDefault("--size", "256"));
        int reps = Integer.parseInt(opt.getOrDefault("--reps", "3"));
        List<String> only = opt.containsKey("--only") ? Arrays.asList(opt.get("--only").split(",")) : null;
        Map<String, ImageFilter> filters = new LinkedHashMap<>();
        for (var e : parsed().entrySet()) {
            if (only == null || only.stream().anyMatch(o -> e.getKey().startsWith(o))) filters.put(e.getKey(), e.getValue());
        }
        double load0 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        FilterImage warm = volume(48);
        for (ImageFilter f : filters.values()) f.apply(warm);
        FilterImage image = volume(size);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "IBSI 2 filters, 3D, on a generated %d^3 volume of 1 mm voxels; one thread; median of %d; "
                        + "%d processors visible to the JVM; load average %.2f%n", size, reps,
                Runtime.getRuntime().availableProcessors(), load0);
        System.out.printf(Locale.ROOT, "%-46s %9s %9s  %s%n", "filter", "cpu s", "wall s", "name");
        for (var e : filters.entrySet()) {
            double[] cpu = new double[reps];
            double[] wall = new double[reps];
            double check = 0;
            for (int r = 0; r < reps; r++) {
                long w = System.nanoTime();
                long c = mx.getCurrentThreadCpuTime();
                FilterImage out = e.getValue().apply(image);
                cpu[r] = (mx.getCurrentThreadCpuTime() - c) / 1e9;
                wall[r] = (System.nanoTime() - w) / 1e9;
                check += out.values()[out.values().length / 2];
            }
            if (!Double.isFinite(check)) throw new IllegalStateException(e.getKey() + " gave a non-finite response");
            System.out.printf(Locale.ROOT, "%-46s %9.3f %9.3f  %s%n", e.getKey(), median(cpu), median(wall), e.getValue().name());
        }
        System.out.printf(Locale.ROOT, "load average at the end: %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /**
     * A CT-like test volume: a soft-tissue background with noise, a brighter ellipsoid with texture and a few
     * dense spheres, in HU, deterministic (seed 1), so every filter sees edges, texture and flat regions.
     */
    static FilterImage volume(int n) {
        SplittableRandom random = new SplittableRandom(1);
        double[] v = new double[n * n * n];
        double c = (n - 1) / 2.0;
        for (int z = 0, i = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++, i++) {
                    double dx = (x - c) / (0.35 * n), dy = (y - c) / (0.25 * n), dz = (z - c) / (0.3 * n);
                    double r2 = dx * dx + dy * dy + dz * dz;
                    double value = r2 < 1 ? 60 + 40 * Math.sin(x * 0.4) * Math.cos(y * 0.3 + z * 0.2) : -80;
                    if ((x / 32 + y / 32 + z / 32) % 7 == 0 && r2 > 1.2) value = 700;
                    v[i] = Math.rint(value + 20 * random.nextGaussian());
                }
            }
        }
        return new FilterImage(n, n, n, new double[] {1, 1, 1}, v);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
