package org.cohortflow.benchmarks.imaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.cohortflow.benchmarks.cohort.BenchCommand;
import org.cohortflow.cli.hadoop.HadoopFileTree;
import org.cohortflow.executors.storage.Storage;
import org.cohortflow.imaging.index.DicomIndexer;
import org.cohortflow.imaging.index.FileTree;
import org.cohortflow.imaging.index.IndexFailure;
import org.cohortflow.imaging.index.IndexResult;
import org.cohortflow.imaging.index.IndexRow;
import org.cohortflow.imaging.synth.SynthOptions;
import org.cohortflow.imaging.synth.SyntheticCohort;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Cohort discovery on HDFS against the cost of reading the same files whole: how much faster, and how many
 * fewer bytes over the wire, indexing a DICOM tree is when it stops at the pixel data
 * ({@link HadoopFileTree}'s positioned reads) than any tool that reads each file to its end.
 *
 * <p>One run starts a real HDFS in this JVM ({@link MiniDFSCluster}, one name node and one data node, in a
 * scratch folder), copies a DICOM tree into it (a synthetic cohort of clinical-size CT slices, or a given
 * tree) and then measures, in rounds so that the three see the same load on a shared machine:
 * <ol>
 *   <li>the index of the local tree ({@link FileTree#local});</li>
 *   <li>the index of the HDFS copy ({@link HadoopFileTree}, header-only);</li>
 *   <li>the baseline: the same listing, then every file read whole through the HDFS client with the same
 *       number of threads, nothing parsed; the least a tool that does not stop at the pixel data must do.</li>
 * </ol>
 * One untimed warm-up round precedes {@code --reps} timed ones; medians are reported. Bytes are the HDFS
 * client's own count ({@code FileSystem.Statistics} of scheme {@code hdfs}), as the cli's integration test
 * measures them. The local and the HDFS index must give the same rows (paths relative to their roots).
 * Writes {@code index-hdfs-bench.json} and the table as {@code index-hdfs-bench.md} into the output folder.
 *
 * <p>Run as {@code cohortflow bench index-hdfs ...} or with this class's {@code main}.
 */
public final class RemoteIndexBenchmark {
    static final String JSON_FILE = "index-hdfs-bench.json", TABLE_FILE = "index-hdfs-bench.md";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final double MB = 1024.0 * 1024.0;
    // Large enough that the baseline's cost is the transfer, not the number of read calls.
    private static final int WHOLE_FILE_BUFFER = 1 << 20;

    /**
     * What to run.
     *
     * @param cohort   a DICOM tree to index instead of a synthetic cohort
     * @param subjects synthetic subjects (ignored with a cohort)
     * @param columns  synthetic CT columns
     * @param rows     synthetic CT rows
     * @param slices   synthetic CT slices
     * @param pixelMm  in-plane pixel spacing of the synthetic CT
     * @param sliceMm  slice spacing of the synthetic CT
     * @param threads  worker threads of every measurement
     * @param reps     timed rounds after the warm-up round
     * @param out      where the reports go
     * @param scratch  where the synthetic cohort and the HDFS storage go, in a folder removed at the end
     */
    public record Options(Optional<Path> cohort, int subjects, int columns, int rows, int slices, double pixelMm, double sliceMm,
                          long seed, int threads, int reps, Path out, Path scratch) {
        public Options {
            if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1: " + threads);
            if (reps < 1) throw new IllegalArgumentException("--reps must be at least 1: " + reps);
            if (cohort.isEmpty() && subjects < 1) throw new IllegalArgumentException("--subjects must be at least 1: " + subjects);
            if (cohort.isPresent() && !Files.isDirectory(cohort.get())) {
                throw new IllegalArgumentException("not a folder: " + cohort.get());
            }
        }

        /** The synthetic cohort's options; an {@link IllegalArgumentException} when the lesions do not fit the grid. */
        SynthOptions synth() {
            return SynthOptions.defaults().withGrid(columns, rows, slices, pixelMm, sliceMm);
        }

        String gridText() {
            return columns + "x" + rows + "x" + slices;
        }
    }

    private final Options o;
    private final PrintStream log;

    public RemoteIndexBenchmark(Options options, PrintStream log) {
        this.o = options;
        this.log = log;
    }

    /** The same command as {@code cohortflow bench index-hdfs}, with its exit codes. */
    public static void main(String[] args) {
        String[] all = new String[args.length + 1];
        all[0] = IndexHdfsCommand.NAME;
        System.arraycopy(args, 0, all, 1, args.length);
        BenchCommand.main(all);
    }

    /** Sets up the tree and HDFS, measures, writes the reports and tears HDFS down; returns what was measured. */
    public RemoteIndexResult run() throws Exception {
        String date = OffsetDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Path out = Files.createDirectories(o.out()).toAbsolutePath();
        Path scratch = Files.createTempDirectory(Files.createDirectories(o.scratch()), "cohortflow-index-hdfs-");
        MiniDFSCluster cluster = null;
        try {
            long t = System.nanoTime();
            Path local;
            if (o.cohort().isPresent()) {
                local = o.cohort().get().toAbsolutePath().normalize();
            } else {
                SynthOptions synth = o.synth();
                log.printf(Locale.ROOT, "writing %d synthetic subjects (%s CT, seed %d) ...%n", o.subjects(), o.gridText(), o.seed());
                new SyntheticCohort(synth, o.seed()).write(scratch.resolve("cohort"), o.subjects(), o.threads());
                local = SyntheticCohort.dicomRoot(scratch.resolve("cohort"));
            }
            double cohortSeconds = o.cohort().isPresent() ? 0 : seconds(t);
            int files = 0;
            long bytes = 0;
            try (Stream<Path> s = Files.walk(local)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    files++;
                    bytes += Files.size(p);
                }
            }
            RemoteIndexResult.Tree tree = o.cohort().isPresent()
                    ? new RemoteIndexResult.Tree("dicom", local.toString(), null, null, null, files, bytes)
                    : new RemoteIndexResult.Tree("synthetic", local.toString(), o.subjects(), o.gridText(), o.seed(), files, bytes);

            t = System.nanoTime();
            Configuration serverConf = new Configuration();
            serverConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, scratch.resolve("hdfs").toString());
            // Closing a file waits until the name node has the data node's block report, polling from 400 ms:
            // copying 488 CT slices took 108 s, nearly all of it asleep. Only the (unmeasured) copy writes.
            serverConf.set("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", "10");
            cluster = new MiniDFSCluster.Builder(serverConf).numDataNodes(1).build();
            cluster.waitActive();
            double startSeconds = seconds(t);
            t = System.nanoTime();
            FileSystem serverFs = cluster.getFileSystem();
            serverFs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path("/cohort"));
            double copySeconds = seconds(t);
            URI hdfsRoot = URI.create(serverFs.getUri() + "/cohort");
            RemoteIndexResult.Setup setup = new RemoteIndexResult.Setup(cohortSeconds, startSeconds, copySeconds, hdfsRoot.toString());
            log.printf(Locale.ROOT, "%d files (%.1f MB) under %s, copied to %s in %.1f s (HDFS start-up %.1f s)%n",
                    files, bytes / MB, local, hdfsRoot, copySeconds, startSeconds);

            // The client side configured as `cohortflow index hdfs://...` configures it.
            Configuration clientConf = Storage.configuration(Map.of());
            Map<String, List<Run>> runs = new LinkedHashMap<>();
            for (String key : List.of(RemoteIndexResult.LOCAL, RemoteIndexResult.HDFS, RemoteIndexResult.BASELINE)) {
                runs.put(key, new ArrayList<>());
            }
            // Rounds rather than one measurement after the other: on a shared machine the three then share
            // whatever load comes and goes, and the ratios stay fair.
            for (int round = 0; round <= o.reps(); round++) {
                log.printf(Locale.ROOT, "%s ...%n", round == 0 ? "warm-up round" : "round " + round + " of " + o.reps());
                runs.get(RemoteIndexResult.LOCAL).add(index(FileTree.local(local)));
                runs.get(RemoteIndexResult.HDFS).add(index(new HadoopFileTree(hdfsRoot, clientConf)));
                runs.get(RemoteIndexResult.BASELINE).add(wholeFiles(hdfsRoot, clientConf));
            }

            List<RemoteIndexResult.Measurement> measurements = List.of(
                    measurement(RemoteIndexResult.LOCAL, "local index (FileTree.local)", runs),
                    measurement(RemoteIndexResult.HDFS, "HDFS index (HadoopFileTree, header-only preads)", runs),
                    measurement(RemoteIndexResult.BASELINE, "HDFS whole-file reads (baseline, nothing parsed)", runs));
            RemoteIndexResult.Measurement a = measurements.get(0), b = measurements.get(1), c = measurements.get(2);
            RemoteIndexResult.Ratios ratios = new RemoteIndexResult.Ratios(b.filesPerSecond() / c.filesPerSecond(),
                    (double) b.hdfsBytesMedian() / c.hdfsBytesMedian(), (double) b.hdfsBytesMedian() / bytes,
                    b.filesPerSecond() / a.filesPerSecond());
            RemoteIndexResult.Checks checks = checks(last(runs, RemoteIndexResult.LOCAL), FileTree.local(local).root(),
                    last(runs, RemoteIndexResult.HDFS), hdfsRoot, runs.get(RemoteIndexResult.BASELINE), b, c, bytes);

            double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            RemoteIndexResult.Machine machine = new RemoteIndexResult.Machine(host(), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                    Runtime.getRuntime().maxMemory() >> 20, loadBefore, loadAfter);
            RemoteIndexResult result = new RemoteIndexResult(date, machine, tree, setup, o.threads(), o.reps(), measurements,
                    ratios, checks);
            JSON.writeValue(out.resolve(JSON_FILE).toFile(), result);
            Files.writeString(out.resolve(TABLE_FILE), markdown(result), StandardCharsets.UTF_8);
            return result;
        } finally {
            if (cluster != null) cluster.shutdown(true);
            deleteTree(scratch);
        }
    }

    /**
     * One timed pass over the tree.
     *
     * @param index     the index (null for the baseline)
     * @param hdfsBytes what the HDFS client read during the pass
     * @param files     files listed
     * @param bytesRead for the baseline, the bytes it read itself (to check it read every file to its end)
     */
    private record Run(double seconds, long hdfsBytes, int files, IndexResult index, long bytesRead) {}

    private Run index(FileTree tree) {
        long before = hdfsBytesRead();
        long t = System.nanoTime();
        IndexResult r = DicomIndexer.index(tree, o.threads());
        double s = seconds(t);
        return new Run(s, hdfsBytesRead() - before, r.rows().size() + r.failures().size(), r, 0);
    }

    private Run wholeFiles(URI root, Configuration conf) throws Exception {
        long before = hdfsBytesRead();
        long t = System.nanoTime();
        // The index's own listing, so that the two differ only in how they read.
        HadoopFileTree tree = new HadoopFileTree(root, conf);
        List<URI> files = tree.files((uri, why) -> {
            throw new IllegalStateException("cannot list " + uri + ": " + why);
        });
        FileSystem fs = FileSystem.get(root, conf);
        ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[WHOLE_FILE_BUFFER]);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(o.threads(), Math.max(1, files.size())), r -> {
            Thread th = new Thread(r, "whole-file-reader");
            th.setDaemon(true);
            return th;
        });
        long read = 0;
        try {
            List<Future<Long>> futures = new ArrayList<>(files.size());
            for (URI f : files) {
                futures.add(pool.submit(() -> {
                    byte[] buf = buffers.get();
                    long n = 0;
                    try (FSDataInputStream in = fs.open(new org.apache.hadoop.fs.Path(f))) {
                        for (int k; (k = in.read(buf)) > 0; ) n += k;
                    }
                    return n;
                }));
            }
            for (Future<Long> fu : futures) read += fu.get();
        } finally {
            pool.shutdownNow();
        }
        double s = seconds(t);
        return new Run(s, hdfsBytesRead() - before, files.size(), null, read);
    }

    private RemoteIndexResult.Measurement measurement(String key, String label, Map<String, List<Run>> runs) {
        List<Run> all = runs.get(key);
        Run warmup = all.get(0);
        List<Run> timed = all.subList(1, all.size());
        Run last = timed.get(timed.size() - 1);
        List<Double> seconds = timed.stream().map(Run::seconds).toList();
        List<Long> bytes = timed.stream().map(Run::hdfsBytes).toList();
        double median = ImagingBenchmark.median(seconds);
        int rows = last.index() != null ? last.index().rows().size() : last.files();
        int failures = last.index() != null ? last.index().failures().size() : 0;
        return new RemoteIndexResult.Measurement(key, label + ", " + o.threads() + " thread" + (o.threads() == 1 ? "" : "s"),
                last.files(), rows, failures, seconds, median, seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                warmup.seconds(), last.files() / median, bytes, Math.round(ImagingBenchmark.median(bytes.stream().map(Long::doubleValue).toList())));
    }

    private static Run last(Map<String, List<Run>> runs, String key) {
        List<Run> all = runs.get(key);
        return all.get(all.size() - 1);
    }

    private static RemoteIndexResult.Checks checks(Run local, URI localRoot, Run hdfs, URI hdfsRoot, List<Run> baseline,
                                                   RemoteIndexResult.Measurement b, RemoteIndexResult.Measurement c, long treeBytes) {
        List<String> l = relativeRows(local.index(), localRoot), h = relativeRows(hdfs.index(), hdfsRoot);
        Set<String> inLocal = new HashSet<>(l), inHdfs = new HashSet<>(h);
        List<String> differences = new ArrayList<>();
        for (String row : l) if (!inHdfs.contains(row) && differences.size() < 10) differences.add("local: " + row);
        for (String row : h) if (!inLocal.contains(row) && differences.size() < 10) differences.add("hdfs: " + row);
        // Both counts must match: what the reader got, and what the HDFS client says it transferred.
        boolean whole = baseline.stream().allMatch(r -> r.bytesRead() == treeBytes && r.hdfsBytes() == treeBytes);
        return new RemoteIndexResult.Checks(l.equals(h), local.index().rows().size(), differences, whole,
                b.hdfsBytesMedian() < c.hdfsBytesMedian());
    }

    /** The index's rows and failures as text with each path relative to {@code root}, sorted. */
    static List<String> relativeRows(IndexResult r, URI root) {
        String prefix = root.getPath().endsWith("/") ? root.getPath() : root.getPath() + "/";
        List<String> out = new ArrayList<>();
        for (IndexRow row : r.rows()) {
            out.add(String.join("|", relative(row.file(), prefix), row.patientId(), row.studyUid(), row.seriesUid(), row.sopUid(),
                    row.modality(), String.valueOf(row.rows()), String.valueOf(row.columns()), row.seriesDescription()));
        }
        for (IndexFailure f : r.failures()) out.add(relative(f.file(), prefix) + "|failure");
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static String relative(URI file, String rootPrefix) {
        String p = file.getPath();
        if (!p.startsWith(rootPrefix)) throw new IllegalStateException(file + " is not under " + rootPrefix);
        return p.substring(rootPrefix.length());
    }

    /** The results as Markdown: the table for benchmarks/README.md, ratios and checks. */
    static String markdown(RemoteIndexResult r) {
        StringBuilder s = new StringBuilder();
        RemoteIndexResult.Tree t = r.tree();
        s.append(String.format(Locale.ROOT, "%s: %d files, %.1f MB%s; %d threads, median of %d after 1 warm-up round; "
                        + "%d cores, load average %.1f -> %.1f%n%n",
                t.path(), t.files(), t.bytes() / MB,
                t.subjects() == null ? "" : String.format(Locale.ROOT, " (%d synthetic subjects, %s CT)", t.subjects(), t.grid()),
                r.threads(), r.reps(), r.machine().cores(), r.machine().loadAverageBefore(), r.machine().loadAverageAfter()));
        s.append("| | median s | min s | files/s | MB read from HDFS | KiB per file | share of tree |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (RemoteIndexResult.Measurement m : r.measurements()) {
            boolean local = m.key().equals(RemoteIndexResult.LOCAL);
            s.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.0f | %s | %s | %s |%n", m.label(), m.medianSeconds(),
                    m.minSeconds(), m.filesPerSecond(),
                    local ? "-" : String.format(Locale.ROOT, "%.2f", m.hdfsBytesMedian() / MB),
                    local ? "-" : String.format(Locale.ROOT, "%.1f", m.hdfsBytesMedian() / 1024.0 / m.files()),
                    local ? "-" : String.format(Locale.ROOT, "%.2f %%", 100.0 * m.hdfsBytesMedian() / t.bytes())));
        }
        RemoteIndexResult.Ratios q = r.ratios();
        s.append(String.format(Locale.ROOT, "%nHDFS index / whole-file baseline: %.2fx the files/s, %.4f of the bytes (1/%.0f)%n",
                q.hdfsIndexVsBaselineFilesPerSecond(), q.hdfsIndexVsBaselineBytes(), 1 / q.hdfsIndexVsBaselineBytes()));
        s.append(String.format(Locale.ROOT, "HDFS index / local index: %.2fx the files/s%n", q.hdfsIndexVsLocalFilesPerSecond()));
        RemoteIndexResult.Checks c = r.checks();
        s.append(String.format(Locale.ROOT, "checks: same rows local and HDFS: %s (%d rows, %d failures); baseline read the whole tree: %s; "
                        + "header-only read less: %s%n", yes(c.sameRows()), c.rowsCompared(),
                r.measurement(RemoteIndexResult.LOCAL).failures(), yes(c.baselineReadWholeTree()), yes(c.headerOnlyReadLess())));
        c.differences().forEach(d -> s.append("  ").append(d).append('\n'));
        s.append(String.format(Locale.ROOT, "setup (not measured): cohort %.1f s, HDFS start-up %.1f s, copy into HDFS %.1f s%n",
                r.setup().cohortSeconds(), r.setup().hdfsStartSeconds(), r.setup().copySeconds()));
        return s.toString();
    }

    private static String yes(boolean b) {
        return b ? "yes" : "NO";
    }

    private static long hdfsBytesRead() {
        return FileSystem.getAllStatistics().stream().filter(s -> s.getScheme().equals("hdfs"))
                .mapToLong(FileSystem.Statistics::getBytesRead).sum();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** {@code cohortflow bench index-hdfs}. */
    @CommandLine.Command(name = IndexHdfsCommand.NAME, mixinStandardHelpOptions = true,
            description = {"Indexes a DICOM tree (cohort discovery, headers only) on a real in-process HDFS and "
                    + "measures it against indexing the local tree and against reading every file of the HDFS tree "
                    + "whole (the least any tool that does not stop at the pixel data does): files/s, bytes read from "
                    + "HDFS and their ratios. Checks that the local and the HDFS index give the same rows.",
                    "Writes OUT/" + JSON_FILE + " and OUT/" + TABLE_FILE + "."},
            footer = {"", "Examples:",
                    "  cohortflow bench index-hdfs --subjects 8 --grid 512x512x60 --threads 4 --reps 3",
                    "  cohortflow bench index-hdfs --cohort ../shared/data/sts-cohort/dicom"})
    public static final class IndexHdfsCommand implements Callable<Integer> {
        static final String NAME = "index-hdfs";

        @Option(names = "--cohort", paramLabel = "DIR", description = "A DICOM tree to index instead of a synthetic cohort.")
        Path cohort;

        @Option(names = "--subjects", paramLabel = "N",
                description = "Synthetic subjects, one CT series and an RTSTRUCT each (default: 8).")
        Integer subjects;

        @Option(names = "--grid", paramLabel = "CxRxS", defaultValue = "512x512x60",
                description = "Synthetic CT grid: columns x rows x slices (default: ${DEFAULT-VALUE}).")
        String grid;

        @Option(names = "--spacing", paramLabel = "PIXELxSLICE", defaultValue = "0.9x2.5",
                description = "Synthetic CT pixel and slice spacing in mm (default: ${DEFAULT-VALUE}).")
        String spacing;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Synthetic cohort seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--threads", paramLabel = "T", defaultValue = "4",
                description = "Threads of every measurement (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--reps", paramLabel = "R", defaultValue = "3",
                description = "Timed rounds after one warm-up round; medians are reported (default: ${DEFAULT-VALUE}).")
        int reps;

        @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: index-hdfs-bench-DATE-TIME in the current folder).")
        Path out;

        @Option(names = "--tmp", paramLabel = "DIR",
                description = "Where the synthetic cohort and the HDFS storage go, in a folder removed at the end "
                        + "(default: the system's temporary folder).")
        Path tmp;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (cohort != null && subjects != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--subjects is for a synthetic cohort, not with --cohort");
            }
            Path dir = out != null ? out : Path.of("index-hdfs-bench-" + LocalDateTime.now()
                    .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
            Options options;
            try {
                double[] sp = numbers(spacing, 2, "--spacing");
                double[] g = numbers(grid, 3, "--grid");
                options = new Options(Optional.ofNullable(cohort), subjects != null ? subjects : 8,
                        whole(g[0], "--grid"), whole(g[1], "--grid"), whole(g[2], "--grid"), sp[0], sp[1], seed, threads, reps, dir,
                        tmp != null ? tmp : Path.of(System.getProperty("java.io.tmpdir")));
                if (cohort == null) options.synth();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            PrintStream log = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            RemoteIndexResult r = new RemoteIndexBenchmark(options, log).run();
            log.println();
            log.print(markdown(r));
            log.println("data: " + dir.toAbsolutePath().resolve(JSON_FILE));
            if (!r.checks().passed()) {
                spec.commandLine().getErr().println("cohortflow bench index-hdfs: the measurements did not do the same work (see checks)");
                return 1;
            }
            return 0;
        }

        private static int whole(double v, String option) {
            if (v != Math.rint(v)) throw new IllegalArgumentException(option + ": not a whole number: " + v);
            return (int) v;
        }

        private static double[] numbers(String text, int count, String option) {
            String[] parts = text.toLowerCase(Locale.ROOT).split("x");
            if (parts.length != count) throw new IllegalArgumentException(option + " needs " + count + " numbers separated by 'x': " + text);
            double[] v = new double[count];
            for (int i = 0; i < count; i++) {
                try {
                    v[i] = Double.parseDouble(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(option + ": not a number: " + parts[i]);
                }
            }
            return v;
        }
    }
}
