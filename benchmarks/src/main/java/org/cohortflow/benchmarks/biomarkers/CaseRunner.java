package org.cohortflow.benchmarks.biomarkers;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.cohortflow.biomarkers.FeatureExtractor;
import org.cohortflow.biomarkers.adapter.ImagingAdapter;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.filter.FilteredIntensityFeatures;
import org.cohortflow.biomarkers.filter.ImageFilter;
import org.cohortflow.biomarkers.intensity.LocalIntensity;
import org.cohortflow.biomarkers.image.DiscretisedImage;
import org.cohortflow.biomarkers.image.RoiImage;
import org.cohortflow.biomarkers.processing.Discretisation;
import org.cohortflow.biomarkers.processing.Discretiser;
import org.cohortflow.biomarkers.settings.IbsiSettings;
import org.cohortflow.biomarkers.settings.ResponseMapSettings;
import org.cohortflow.biomarkers.settings.SettingsParser;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.dicom.DicomSeries;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.cohortflow.imaging.nifti.Nifti;
import org.cohortflow.imaging.rtstruct.RtStruct;

/**
 * The full IBSI feature set per STS CT case: seconds per family on one thread, the total on one thread,
 * and the total with the families running in parallel ({@link FeatureExtractor#extract(RoiImage,
 * java.util.concurrent.Executor)}). Reading the files is not timed. Each number is the median of
 * {@code --reps} runs after one warm-up pass over all cases; single-thread family times are the thread's
 * CPU time (robust to other load on the machine), totals are also given as wall time.
 *
 * <p>With a {@code filters} section in the settings (e.g. {@code benchmarks/settings/ct-2mm-filter-bank.yaml},
 * issue 18's filter bank) each filter is timed too, on the same thread: "whole" is resampling and
 * re-segmentation of the whole image the filters see (once per case), each filter's time is its response map,
 * the crop to the ROI and the chosen families on it, as {@link FeatureExtractor#responseMapFeatures} does them.
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/runtime-classpath.txt) \
 *     org.cohortflow.benchmarks.biomarkers.CaseRunner [--data shared/data/sts-cohort] [--source nifti|dicom]
 *     [--reps 5] [--threads N] [--settings ct.yaml | benchmarks/settings/ct-2mm-filter-bank.yaml]
 * </pre>
 */
public final class CaseRunner {
    /** IBSI-style CT configuration (as IBSI's configuration C): 2 mm isotropic, linear, HU, fixed bin size 25. */
    static final String DEFAULT_SETTINGS = """
            resampling: {spacing: [2, 2, 2], interpolation: linear, mask_threshold: 0.5, round: true}
            resegmentation: {range: [-1000, 400]}
            discretisation: {method: fixed_bin_size, bin_width: 25}
            ivh: {method: fixed_bin_size, bin_width: 2.5}
            """;

    private CaseRunner() {
    }

    record Case(String id, Volume volume, Mask mask) {}

    /** One case's medians: the image's own line, and per filter (with "whole" first) seconds of CPU. */
    record Result(String line, Map<String, Double> filters) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) opt.put(args[i], args[i + 1]);
        Path data = opt.containsKey("--data") ? Path.of(opt.get("--data")) : findData();
        String source = opt.getOrDefault("--source", "nifti");
        int reps = Integer.parseInt(opt.getOrDefault("--reps", "5"));
        int threads = Integer.parseInt(opt.getOrDefault("--threads", Integer.toString(Runtime.getRuntime().availableProcessors())));
        IbsiSettings settings = opt.containsKey("--settings") ? SettingsParser.read(Path.of(opt.get("--settings")))
                : SettingsParser.parse(DEFAULT_SETTINGS);

        List<Case> cases = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(data.resolve(source))) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) cases.add(load(dir, source));
        }
        FeatureExtractor extractor = new FeatureExtractor(settings);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (Case c : cases) {
                measure(c, extractor, settings, pool, 1);
            }
            System.out.printf(Locale.ROOT, "STS CT, %s, settings: %s; median of %d; %d threads for the parallel total%n",
                    source,
                    opt.getOrDefault("--settings", "IBSI-style CT (2 mm, linear, round, [-1000, 400] HU, bin width 25)"),
                    reps, threads);
            StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-8s %7s %7s", "case", "voxels", "process"));
            for (FeatureFamily f : Families.ALL) header.append(String.format(Locale.ROOT, " %6s", f.shortName()));
            boolean filters = settings.responseMaps().any();
            if (filters) header.append(String.format(Locale.ROOT, " %8s", "filters"));
            header.append(String.format(Locale.ROOT, " %9s %9s %9s", "1thr cpu", "1thr wall", "pool" + threads + " wall"));
            System.out.println(header);
            List<Result> results = new ArrayList<>();
            for (Case c : cases) {
                Result r = measure(c, extractor, settings, pool, reps);
                results.add(r);
                System.out.println(r.line());
            }
            System.out.println("(seconds; process = resampling, rounding, re-segmentation, crop and both discretisations"
                    + (filters ? "; filters = whole-image processing and every filter with its families, CPU; "
                    + "1thr cpu includes filters; the walls include filters" : "") + ")");
            if (filters) {
                System.out.printf(Locale.ROOT, "%nPer filter, seconds of one thread's CPU (response map, crop, families %s):%n",
                        settings.responseMaps().families());
                StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-48s", "filter"));
                for (Case c : cases) h.append(String.format(Locale.ROOT, " %8s", c.id()));
                System.out.println(h);
                for (String name : results.get(0).filters().keySet()) {
                    StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-48s", name));
                    for (Result r : results) row.append(String.format(Locale.ROOT, " %8.3f", r.filters().get(name)));
                    System.out.println(row);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Result measure(Case c, FeatureExtractor extractor, IbsiSettings settings, ExecutorService pool, int reps) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        RoiImage image = ImagingAdapter.toRoiImage(c.volume(), c.mask());
        int parts = Families.ALL.size() + 1;
        double[][] cpu = new double[parts][reps];
        ResponseMapSettings maps = settings.responseMaps();
        List<String> filterNames = new ArrayList<>();
        if (maps.any()) {
            filterNames.add("whole (resampling, re-segmentation)");
            for (ImageFilter f : maps.filters()) filterNames.add(f.name());
        }
        double[][] filterCpu = new double[filterNames.size()][reps];
        double[] wall1 = new double[reps];
        double[] wallN = new double[reps];
        int voxels = 0;
        for (int r = 0; r < reps; r++) {
            long w0 = System.nanoTime();
            long t0 = mx.getCurrentThreadCpuTime();
            RoiImage roi = extractor.process(image);
            DiscretisedImage levels = Discretiser.apply(roi, withLowerBound(settings, settings.discretisation()));
            DiscretisedImage ivh = Discretiser.apply(roi, withLowerBound(settings, settings.ivhDiscretisation()));
            long t1 = mx.getCurrentThreadCpuTime();
            cpu[0][r] = (t1 - t0) / 1e9;
            voxels = roi.intensityMaskCount();
            for (int f = 0; f < Families.ALL.size(); f++) {
                long s = mx.getCurrentThreadCpuTime();
                Families.compute(Families.ALL.get(f), roi, levels, ivh, settings.texture());
                cpu[f + 1][r] = (mx.getCurrentThreadCpuTime() - s) / 1e9;
            }
            if (maps.any()) timeFilters(image, settings, filterCpu, r, mx);
            wall1[r] = (System.nanoTime() - w0) / 1e9;
            long p0 = System.nanoTime();
            extractor.extract(image, pool);
            wallN[r] = (System.nanoTime() - p0) / 1e9;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-8s %7d", c.id(), voxels));
        double total = 0;
        for (double[] part : cpu) {
            double m = median(part);
            total += m;
            line.append(String.format(Locale.ROOT, part == cpu[0] ? " %7.3f" : " %6.3f", m));
        }
        Map<String, Double> perFilter = new LinkedHashMap<>();
        double filterTotal = 0;
        for (int i = 0; i < filterNames.size(); i++) {
            double m = median(filterCpu[i]);
            perFilter.put(filterNames.get(i), m);
            filterTotal += m;
        }
        if (maps.any()) {
            perFilter.put("all filters", filterTotal);
            line.append(String.format(Locale.ROOT, " %8.3f", filterTotal));
            total += filterTotal;
        }
        line.append(String.format(Locale.ROOT, " %9.3f %9.3f %9.3f", total, median(wall1), median(wallN)));
        return new Result(line.toString(), perFilter);
    }

    /**
     * Repetition {@code r} of the settings' filters on {@code image}, step by step as
     * {@link FeatureExtractor#responseMapFeatures} runs them: [0] the whole image processed once, then per filter
     * its response map, the crop to the ROI plus local intensity's margin and the chosen families.
     */
    private static void timeFilters(RoiImage image, IbsiSettings settings, double[][] cpu, int r, ThreadMXBean mx) {
        ResponseMapSettings maps = settings.responseMaps();
        long s = mx.getCurrentThreadCpuTime();
        RoiImage whole = FilteredIntensityFeatures.processWhole(image, settings);
        cpu[0][r] = (mx.getCurrentThreadCpuTime() - s) / 1e9;
        int[] margin = new int[3];
        for (int a = 0; a < 3; a++) margin[a] = (int) Math.ceil(LocalIntensity.sphereRadiusMm() / whole.spacing(a));
        for (int i = 0; i < maps.filters().size(); i++) {
            s = mx.getCurrentThreadCpuTime();
            RoiImage response = FilteredIntensityFeatures.responseMap(whole, maps.filters().get(i)).cropToRoi(margin);
            DiscretisedImage levels = needsLevels(maps) ? Discretiser.apply(response, maps.discretisation()) : null;
            for (FeatureFamily f : Families.ALL) {
                if (maps.families().contains(f)) Families.compute(f, response, levels, levels, settings.texture());
            }
            cpu[i + 1][r] = (mx.getCurrentThreadCpuTime() - s) / 1e9;
        }
    }

    private static boolean needsLevels(ResponseMapSettings maps) {
        return maps.families().stream().anyMatch(f -> f != FeatureFamily.MORPHOLOGY && f != FeatureFamily.LOCAL_INTENSITY
                && f != FeatureFamily.INTENSITY_STATISTICS);
    }

    /** As FeatureExtractor: fixed bin size starts at the re-segmentation range's lower bound. */
    private static Discretisation withLowerBound(IbsiSettings s, Discretisation d) {
        if (d.method() == Discretisation.Method.FIXED_BIN_SIZE && Double.isNaN(d.lowerBound())
                && Double.isFinite(s.resegmentation().lower())) {
            return Discretisation.fixedBinSize(d.binWidth(), s.resegmentation().lower());
        }
        return d;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static Case load(Path dir, String source) {
        String id = dir.getFileName().toString();
        if (source.equals("dicom")) {
            DicomSeries series = DicomSeriesReader.single(dir.resolve("CT/image"));
            RtStruct rtstruct = RtStruct.read(dir.resolve("CT/mask/RS.dcm"));
            // The data set calls the contour GTV_Mass; its RTSTRUCTs name it per modality (GTV_Mass_CT).
            String roi = rtstruct.roiNames().stream().filter(n -> n.startsWith("GTV_Mass")).findFirst().orElse("GTV_Mass");
            Mask mask = rtstruct.toMask(roi, series);
            return new Case(id, DicomSeriesReader.read(series), mask);
        }
        Volume ct = Nifti.readVolume(dir.resolve("CT_image.nii.gz"));
        return new Case(id, ct, Nifti.readMask(dir.resolve("CT_mask.nii.gz"), ct.geometry()));
    }

    private static Path findData() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/data/sts-cohort");
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new IllegalArgumentException("no shared/data/sts-cohort above " + Path.of("").toAbsolutePath() + "; pass --data");
    }
}
