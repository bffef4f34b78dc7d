package org.cohortflow.benchmarks.imaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.dicom.DicomSeries;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.cohortflow.imaging.index.DicomIndexer;
import org.cohortflow.imaging.index.IndexResult;

/**
 * End-to-end imaging benchmark against pydicom, on the same files and in the same command:
 *
 * <ul>
 *   <li><b>header indexing</b> (files/s): {@link DicomIndexer#index(java.util.Collection, int)} on every DICOM
 *       Part 10 file under {@code --data}, against {@code pydicom.dcmread(stop_before_pixels=True)} reading
 *       the same index columns from the same file list;</li>
 *   <li><b>series loading</b> (MB/s of DICOM files, and of voxels produced): headers, slice sorting and pixel
 *       data of every image series into one volume, against pydicom + numpy doing the same.</li>
 * </ul>
 *
 * <p>Each side runs single-threaded and with {@code --threads} workers (Java threads; a pydicom
 * {@code multiprocessing.Pool}, since the GIL keeps Python threads from parsing in parallel). Each
 * measurement is preceded by {@code --warmup} untimed runs so both read from a warm page cache (and the JVM
 * has compiled the hot paths); the median of {@code --repeat} runs is reported, with all runs in the JSON.
 * pydicom's times are taken inside Python, so interpreter start-up, imports and pool start-up are not in
 * them; they are reported separately.
 *
 * <pre>
 * java -cp ... org.cohortflow.benchmarks.imaging.ImagingBenchmark --data ../shared/data [--repeat 5]
 *     [--warmup 1] [--threads N] [--python /usr/bin/python3] [--json target/imaging-benchmark.json] [--no-python]
 * </pre>
 */
public final class ImagingBenchmark {
    private static final double MB = 1024.0 * 1024.0;

    private final Options options;
    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    ImagingBenchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        new ImagingBenchmark(o, System.out).run();
    }

    /** Runs both workloads on both sides, prints the table and writes the JSON report; returns the report. */
    ObjectNode run() throws IOException, InterruptedException, ExecutionException {
        List<Path> files = dicomFiles(options.data());
        if (files.isEmpty()) throw new IllegalArgumentException("no DICOM files under " + options.data());
        List<DicomSeries> series = DicomSeriesReader.scan(options.data()).stream().filter(DicomSeries::isRegular).toList();
        long indexBytes = 0;
        for (Path f : files) indexBytes += Files.size(f);
        long seriesBytes = 0;
        for (DicomSeries s : series) for (Path f : s.files()) seriesBytes += Files.size(f);

        ObjectNode report = json.createObjectNode();
        ObjectNode env = report.putObject("environment");
        env.put("data", options.data().toAbsolutePath().toString());
        env.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        env.put("threads", options.threads());
        env.put("repeat", options.repeat());
        env.put("warmup", options.warmup());
        env.put("files", files.size());
        env.put("file_bytes", indexBytes);
        env.put("series", series.size());
        env.put("series_file_bytes", seriesBytes);
        env.put("loadavg_at_start", loadAverage());

        out.printf(Locale.ROOT, "Imaging benchmark: %d DICOM files (%.1f MB), %d image series (%.1f MB of files) under %s%n",
                files.size(), indexBytes / MB, series.size(), seriesBytes / MB, options.data());
        out.printf(Locale.ROOT, "%d CPUs, %d threads, median of %d runs after %d warm-up run(s)%n%n",
                Runtime.getRuntime().availableProcessors(), options.threads(), options.repeat(), options.warmup());

        ObjectNode ours = report.putObject("cohortflow");
        List<Result> rows = new ArrayList<>();
        rows.add(indexRun(ours, "index_single", files, 1));
        rows.add(indexRun(ours, "index_parallel", files, options.threads()));
        long[] voxelBytes = new long[1];
        double[][] ourSums = new double[2][];
        rows.add(loadRun(ours, "load_single", series, 1, seriesBytes, voxelBytes, ourSums, 0));
        rows.add(loadRun(ours, "load_parallel", series, options.threads(), seriesBytes, voxelBytes, ourSums, 1));

        if (options.python() != null) {
            JsonNode py = runPydicom(files, series);
            report.set("pydicom", py);
            rows.add(pyResult(py, "index_single", "pydicom index, 1 process", files.size(), indexBytes, "files"));
            rows.add(pyResult(py, "index_pool", "pydicom index, pool of " + options.threads(), files.size(), indexBytes, "files"));
            rows.add(pyResult(py, "load_single", "pydicom+numpy load, 1 process", series.size(), seriesBytes, "series"));
            rows.add(pyResult(py, "load_pool", "pydicom+numpy load, pool of " + options.threads(), series.size(), seriesBytes, "series"));
            report.set("checks", checks(py, files.size(), ourSums[0]));
        }
        rows.removeIf(r -> r == null);
        env.put("loadavg_at_end", loadAverage());
        report.set("ratios", ratios(rows));
        printTable(rows, report.get("ratios"));
        if (options.python() != null) {
            JsonNode py = report.get("pydicom");
            out.printf(Locale.ROOT, "%npydicom %s (Python %s): interpreter start-up + imports %.2f s, whole process %.2f s (not in the rates above)%n",
                    py.path("pydicom_version").asText(), py.path("python_version").asText(),
                    py.path("startup_and_import_seconds").asDouble(), py.path("process_wall_seconds").asDouble());
            out.println("checks: " + report.get("checks"));
        }
        if (options.json() != null) {
            Path parent = options.json().toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            json.writeValue(options.json().toFile(), report);
            out.println("JSON report: " + options.json());
        }
        return report;
    }

    /** One measured line of the table. {@code units} are files or series; {@code bytes} are the files' bytes. */
    record Result(String key, String label, double medianSeconds, double firstSeconds, double units, String unitName, double bytes,
                  double voxelBytes) {
        double unitsPerSecond() { return units / medianSeconds; }
        double mbPerSecond() { return bytes / MB / medianSeconds; }
    }

    private Result indexRun(ObjectNode ours, String key, List<Path> files, int threads) {
        List<Double> times = new ArrayList<>();
        double first = Double.NaN;
        IndexResult last = null;
        for (int i = 0; i < options.warmup() + options.repeat(); i++) {
            long t = System.nanoTime();
            last = DicomIndexer.index(files, threads);
            double s = (System.nanoTime() - t) / 1e9;
            if (i == 0) first = s;
            if (i >= options.warmup()) times.add(s);
        }
        if (!last.failures().isEmpty()) {
            throw new IllegalStateException("our indexer failed on " + last.failures().size() + " file(s), e.g. " + last.failures().get(0));
        }
        ObjectNode n = ours.putObject(key);
        n.put("threads", threads);
        n.put("files", files.size());
        n.put("rows", last.rows().size());
        n.put("first_run_seconds", first);
        putTimes(n, times);
        return new Result(key, "cohortflow index, " + threads + " thread" + (threads == 1 ? "" : "s"), median(times), first, files.size(), "files",
                bytesOf(files), 0);
    }

    private Result loadRun(ObjectNode ours, String key, List<DicomSeries> series, int threads, long fileBytes, long[] voxelBytes,
                           double[][] sums, int slot) throws InterruptedException, ExecutionException {
        List<Double> times = new ArrayList<>();
        double first = Double.NaN;
        List<Volume> last = null;
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "imaging-benchmark");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < options.warmup() + options.repeat(); i++) {
                last = null;        // let the previous run's volumes go before the next one allocates its own
                long t = System.nanoTime();
                last = loadAll(series, threads, pool);
                double s = (System.nanoTime() - t) / 1e9;
                if (i == 0) first = s;
                if (i >= options.warmup()) times.add(s);
            }
        } finally {
            pool.shutdownNow();
        }
        long vb = 0;
        double[] s = new double[last.size()];
        for (int i = 0; i < last.size(); i++) {
            Volume v = last.get(i);
            vb += v.sizeInBytes();
            double sum = 0;
            for (int k = 0; k < v.voxelCount(); k++) sum += v.valueAt(k);
            s[i] = sum;
        }
        voxelBytes[0] = vb;
        sums[slot] = s;
        ObjectNode n = ours.putObject(key);
        n.put("threads", threads);
        n.put("series", series.size());
        n.put("file_bytes", fileBytes);
        n.put("voxel_bytes", vb);
        n.put("first_run_seconds", first);
        putTimes(n, times);
        return new Result(key, "cohortflow load, " + threads + " thread" + (threads == 1 ? "" : "s"), median(times), first, series.size(), "series",
                fileBytes, vb);
    }

    /**
     * Loads every series from its files as a user would (headers, grouping and slice order, then pixels),
     * series spread over {@code threads}.
     */
    private static List<Volume> loadAll(List<DicomSeries> series, int threads, ExecutorService pool)
            throws InterruptedException, ExecutionException {
        if (threads == 1) {
            List<Volume> out = new ArrayList<>(series.size());
            for (DicomSeries s : series) out.add(load(s));
            return out;
        }
        List<Future<Volume>> futures = new ArrayList<>();
        for (DicomSeries s : series) futures.add(pool.submit(() -> load(s)));
        List<Volume> out = new ArrayList<>(series.size());
        for (Future<Volume> f : futures) out.add(f.get());
        return out;
    }

    private static Volume load(DicomSeries s) {
        return DicomSeriesReader.read(DicomSeriesReader.group(s.files()).get(0));
    }

    private JsonNode runPydicom(List<Path> files, List<DicomSeries> series) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("cohortflow-imaging-benchmark");
        try {
            Path script = dir.resolve("pydicom_bench.py");
            try (InputStream in = ImagingBenchmark.class.getResourceAsStream("pydicom_bench.py")) {
                if (in == null) throw new IllegalStateException("pydicom_bench.py is not on the classpath");
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            Path fileList = dir.resolve("files.txt");
            Files.write(fileList, files.stream().map(Path::toString).toList(), StandardCharsets.UTF_8);
            Path seriesList = dir.resolve("series.txt");
            List<String> lines = new ArrayList<>();
            for (DicomSeries s : series) lines.add(String.join("\t", s.files().stream().map(Path::toString).toList()));
            Files.write(seriesList, lines, StandardCharsets.UTF_8);
            Path stderr = dir.resolve("stderr.txt");
            ProcessBuilder pb = new ProcessBuilder(options.python(), script.toString(), fileList.toString(), seriesList.toString(),
                    Integer.toString(options.repeat()), Integer.toString(options.warmup()), Integer.toString(options.threads()))
                    .redirectError(stderr.toFile());
            long t = System.nanoTime();
            Process p = pb.start();
            byte[] stdout = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("pydicom benchmark did not finish in 30 minutes");
            }
            double wall = (System.nanoTime() - t) / 1e9;
            if (p.exitValue() != 0) {
                throw new IllegalStateException("pydicom benchmark failed (exit " + p.exitValue() + "): " + Files.readString(stderr));
            }
            ObjectNode py = (ObjectNode) json.readTree(stdout);
            py.put("python", options.python());
            py.put("process_wall_seconds", wall);
            // Everything the process did besides its own timed work happened before its clock started or in imports.
            py.put("startup_and_import_seconds", wall - py.path("elapsed_seconds").asDouble() + py.path("import_seconds").asDouble());
            return py;
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private Result pyResult(JsonNode py, String key, String label, double units, double bytes, String unitName) {
        JsonNode n = py.get(key);
        if (n == null) return null;
        List<Double> times = new ArrayList<>();
        n.get("seconds").forEach(x -> times.add(x.asDouble()));
        return new Result("pydicom_" + key, label, median(times), n.path("first_run_seconds").asDouble(Double.NaN), units, unitName, bytes, 0);
    }

    /** Both sides must have read the same thing, or the rates compare different work. */
    private ObjectNode checks(JsonNode py, int files, double[] ourSums) {
        ObjectNode c = json.createObjectNode();
        c.put("pydicom_index_files", py.path("index_single").path("files").asInt());
        c.put("same_file_count", py.path("index_single").path("files").asInt() == files);
        JsonNode sums = py.path("load_single").path("sums");
        double worst = 0;
        for (int i = 0; i < ourSums.length && i < sums.size(); i++) {
            double a = ourSums[i], b = sums.get(i).asDouble();
            worst = Math.max(worst, Math.abs(a - b) / Math.max(1, Math.max(Math.abs(a), Math.abs(b))));
        }
        c.put("series_compared", Math.min(ourSums.length, sums.size()));
        c.put("max_relative_voxel_sum_difference", worst);
        c.put("same_volumes", sums.size() == ourSums.length && worst < 1e-5);
        return c;
    }

    private ObjectNode ratios(List<Result> rows) {
        ObjectNode r = json.createObjectNode();
        ratio(r, rows, "index_single_vs_pydicom_single", "index_single", "pydicom_index_single");
        ratio(r, rows, "index_parallel_vs_pydicom_single", "index_parallel", "pydicom_index_single");
        ratio(r, rows, "index_parallel_vs_pydicom_pool", "index_parallel", "pydicom_index_pool");
        ratio(r, rows, "load_single_vs_pydicom_single", "load_single", "pydicom_load_single");
        ratio(r, rows, "load_parallel_vs_pydicom_pool", "load_parallel", "pydicom_load_pool");
        return r;
    }

    private static void ratio(ObjectNode r, List<Result> rows, String name, String ours, String theirs) {
        Result a = find(rows, ours), b = find(rows, theirs);
        if (a != null && b != null) r.put(name, b.medianSeconds() / a.medianSeconds());
    }

    private static Result find(List<Result> rows, String key) {
        return rows.stream().filter(r -> r.key().equals(key)).findFirst().orElse(null);
    }

    private void printTable(List<Result> rows, JsonNode ratios) {
        out.printf(Locale.ROOT, "%-36s %10s %12s %10s %12s %12s%n", "", "median s", "files/s", "MB/s", "voxel MB/s", "1st run s");
        for (Result r : rows) {
            String rate = r.unitName().equals("files") ? String.format(Locale.ROOT, "%12.0f", r.unitsPerSecond())
                    : String.format(Locale.ROOT, "%12s", String.format(Locale.ROOT, "%.1f ser/s", r.unitsPerSecond()));
            String voxels = r.voxelBytes() > 0 ? String.format(Locale.ROOT, "%12.1f", r.voxelBytes() / MB / r.medianSeconds()) : "";
            // Indexing reads headers, not whole files, so a file MB/s would flatter it; only loading gets one.
            String mb = r.unitName().equals("files") ? "" : String.format(Locale.ROOT, "%10.1f", r.mbPerSecond());
            String voxelCell = String.format(Locale.ROOT, "%12s", voxels);
            out.printf(Locale.ROOT, "%-36s %10.4f %s %10s %s %12.4f%n", r.label(), r.medianSeconds(), rate, mb, voxelCell, r.firstSeconds());
        }
        out.println("(1st run: the first, untimed warm-up run; for us the first in this JVM, after listing the files and scanning the series headers)");
        out.println();
        for (String name : (Iterable<String>) ratios::fieldNames) {
            out.printf(Locale.ROOT, "%-36s %9.1fx%n", name, ratios.get(name).asDouble());
        }
    }

    private static void putTimes(ObjectNode n, List<Double> times) {
        ArrayNode a = n.putArray("seconds");
        times.forEach(a::add);
        n.put("median_seconds", median(times));
        // The least disturbed run: on a shared machine the median carries other people's load too.
        n.put("min_seconds", times.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
    }

    static double median(List<Double> times) {
        double[] t = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (t.length == 0) return Double.NaN;
        return t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
    }

    /** Other work on the machine skews every number here; the report says how busy it was. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long bytesOf(List<Path> files) {
        long b = 0;
        try {
            for (Path f : files) b += Files.size(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b;
    }

    /** Regular files under {@code root} with the DICOM Part 10 prefix, sorted: the list both sides index. */
    static List<Path> dicomFiles(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    byte[] head = in.readNBytes(132);
                    if (head.length == 132 && Arrays.equals(Arrays.copyOfRange(head, 128, 132), "DICM".getBytes(StandardCharsets.US_ASCII))) {
                        out.add(f);
                    }
                }
            }
        }
        return out;
    }

    /** Command-line options. {@code python} is null with {@code --no-python}. */
    record Options(Path data, int repeat, int warmup, int threads, String python, Path json) {
        static final String USAGE = "usage: ImagingBenchmark --data DIR [--repeat N] [--warmup N] [--threads N] [--python EXE | --no-python]"
                + " [--json FILE | --no-json]";

        static Options parse(String[] args) {
            Path data = null, json = Path.of("target", "imaging-benchmark.json");
            int repeat = 5, warmup = 3, threads = Runtime.getRuntime().availableProcessors();
            String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--data" -> data = Path.of(value(args, ++i, a));
                    case "--repeat" -> repeat = positive(value(args, ++i, a), a);
                    case "--warmup" -> warmup = Integer.parseInt(value(args, ++i, a));
                    case "--threads" -> threads = positive(value(args, ++i, a), a);
                    case "--python" -> python = value(args, ++i, a);
                    case "--no-python" -> python = null;
                    case "--json" -> json = Path.of(value(args, ++i, a));
                    case "--no-json" -> json = null;
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (data == null) throw new IllegalArgumentException("--data is required");
            if (!Files.isDirectory(data)) throw new IllegalArgumentException("not a folder: " + data);
            if (warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0");
            return new Options(data, repeat, warmup, threads, python, json);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
            return args[i];
        }

        private static int positive(String v, String option) {
            int n = Integer.parseInt(v);
            if (n < 1) throw new IllegalArgumentException(option + " must be >= 1");
            return n;
        }
    }
}
