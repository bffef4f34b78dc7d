package org.cohortflow.benchmarks.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.cohortflow.benchmarks.cohort.BenchCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cohortflow bench index-hdfs} end to end on one tiny synthetic subject and a real in-process HDFS:
 * the three measurements ran, did the same work and the reports are written. No timings are checked (the
 * machine is shared); most of the test's time is HDFS start-up.
 */
class RemoteIndexBenchmarkSmokeTest {
    @TempDir
    Path dir;

    @Test
    void theHdfsIndexHasTheLocalRowsAndReadsLessThanTheWholeFiles() throws Exception {
        Path out = dir.resolve("out");
        StringWriter err = new StringWriter();
        // 128 x 128 slices (32 KiB of pixels) rather than smaller ones: a file that fits in one 16 KiB read
        // window is read whole by the index too, and "fewer bytes than the baseline" would test nothing.
        int code = command(err).execute("index-hdfs", "--subjects", "1", "--grid", "128x128x8", "--spacing", "1x8",
                "--threads", "2", "--reps", "1", "--out", out.toString(), "--tmp", dir.resolve("tmp").toString());
        assertEquals(0, code, err.toString());

        RemoteIndexResult r = new ObjectMapper().readValue(out.resolve(RemoteIndexBenchmark.JSON_FILE).toFile(), RemoteIndexResult.class);
        assertEquals(9, r.tree().files(), "8 CT slices and an RTSTRUCT");
        assertEquals(List.of(RemoteIndexResult.LOCAL, RemoteIndexResult.HDFS, RemoteIndexResult.BASELINE),
                r.measurements().stream().map(RemoteIndexResult.Measurement::key).toList());
        for (RemoteIndexResult.Measurement m : r.measurements()) {
            assertEquals(1, m.seconds().size(), m.key());
            assertEquals(9, m.files(), m.key());
            assertEquals(9, m.rows(), m.key());
            assertEquals(0, m.failures(), m.key());
            assertTrue(m.filesPerSecond() > 0, m.key());
        }
        RemoteIndexResult.Checks checks = r.checks();
        assertTrue(checks.sameRows(), checks.differences().toString());
        assertEquals(9, checks.rowsCompared());
        assertTrue(checks.baselineReadWholeTree());
        assertTrue(checks.headerOnlyReadLess());

        assertEquals(0, r.measurement(RemoteIndexResult.LOCAL).hdfsBytesMedian(), "the local index does not touch HDFS");
        long header = r.measurement(RemoteIndexResult.HDFS).hdfsBytesMedian();
        long whole = r.measurement(RemoteIndexResult.BASELINE).hdfsBytesMedian();
        assertEquals(r.tree().bytes(), whole);
        assertTrue(header > 0 && header < whole, header + " of " + whole + " bytes");
        assertEquals((double) header / whole, r.ratios().hdfsIndexVsBaselineBytes(), 1e-12);

        String table = Files.readString(out.resolve(RemoteIndexBenchmark.TABLE_FILE));
        assertTrue(table.contains("| HDFS index (HadoopFileTree, header-only preads), 2 threads |"), table);
        try (Stream<Path> left = Files.list(dir.resolve("tmp"))) {
            assertEquals(List.of(), left.toList(), "the cohort and the HDFS storage are removed");
        }
    }

    @Test
    void optionsThatCannotWorkAreUsageErrors() {
        StringWriter err = new StringWriter();
        assertEquals(2, command(err).execute("index-hdfs", "--cohort", dir.toString(), "--subjects", "2"));
        assertTrue(err.toString().contains("--subjects is for a synthetic cohort"), err.toString());
        err.getBuffer().setLength(0);
        // A 2-slice grid has no room for a lesion; the synthetic cohort's own check says so before HDFS starts.
        assertEquals(2, command(err).execute("index-hdfs", "--grid", "64x64x2", "--out", dir.resolve("never").toString()));
        assertTrue(err.toString().contains("grid too small"), err.toString());
        assertTrue(Files.notExists(dir.resolve("never")));
    }

    private static CommandLine command(StringWriter err) {
        return new CommandLine(new BenchCommand()).setErr(new PrintWriter(err, true));
    }
}
