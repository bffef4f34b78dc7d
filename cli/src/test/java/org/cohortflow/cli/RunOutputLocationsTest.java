package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cohortflow.dsl.BuildVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cohortflow run --out DIR --sink ID=URL}: where a run's sinks write is decided when it runs. Real runs of the
 * example network {@code add-ints.yaml}, whose sink url is relative.
 */
class RunOutputLocationsTest {

    private static String addInts() {
        return CohortflowCommandTest.examples().resolve("networks/add-ints.yaml").toString();
    }

    @Test
    void relativeSinkUrlsOfTheExampleAreWrittenBelowTheOutFolderAndTheSummarySaysWhere(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("my results");
        CohortflowCommandTest.Result r = CohortflowCommandTest.run("run", addInts(), "--source", "numbers=a:1,b:2",
                "--work", dir.resolve("work").toString(), "--out", out.toString(), "--progress", "off");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals("11", Files.readString(out.resolve("a.txt")).trim());
        assertEquals("12", Files.readString(out.resolve("b.txt")).trim());
        assertTrue(Files.isRegularFile(out.resolve("a.txt.prov.json")), "each output has its provenance");
        assertTrue(r.out().lines().anyMatch(l -> l.equals("sink sums: " + out.toUri() + "{sample_id}.txt")), r.out());
    }

    @Test
    void twoRunsOfOneNetworkWithTheirOwnOutFoldersDoNotTouchEachOthersResults(@TempDir Path dir) throws Exception {
        for (String run : new String[] {"first", "second"}) {
            String numbers = run.equals("first") ? "numbers=a:1" : "numbers=a:5";
            CohortflowCommandTest.Result r = CohortflowCommandTest.run("run", addInts(), "--source", numbers, "--run-id", run,
                    "--work", dir.resolve("work").toString(), "--out", dir.resolve(run).toString(), "--progress", "off");
            assertEquals(0, r.code(), r.out() + r.err());
        }
        assertEquals("11", Files.readString(dir.resolve("first/a.txt")).trim());
        assertEquals("15", Files.readString(dir.resolve("second/a.txt")).trim());
    }

    @Test
    void sinkOverridesASinksUrlRelativeToOutOrAbsolute(@TempDir Path dir) throws Exception {
        CohortflowCommandTest.Result r = CohortflowCommandTest.run("run", addInts(), "--source", "numbers=a:1",
                "--work", dir.resolve("work").toString(), "--out", dir.resolve("out").toString(),
                "--sink", "sums=sums/{sample_id}-plus-ten.txt", "--progress", "off");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals("11", Files.readString(dir.resolve("out/sums/a-plus-ten.txt")).trim());
        assertFalse(Files.exists(dir.resolve("out/a.txt")), "the network's own url is not used");

        Path elsewhere = dir.resolve("elsewhere");
        String template = elsewhere.toUri() + "/{sample_id}.txt";
        r = CohortflowCommandTest.run("run", addInts(), "--source", "numbers=b:2", "--run-id", "abs",
                "--work", dir.resolve("work").toString(), "--sink", "sums=" + template,
                "--progress", "off");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals("12", Files.readString(elsewhere.resolve("b.txt")).trim());
        assertTrue(r.out().contains("sink sums: " + template), r.out());
    }

    @Test
    void aSinkOverrideForAnUnknownSinkOrWithDotDotOrAnUnknownSchemeStopsTheRunBeforeItStarts(@TempDir Path dir) {
        String work = dir.resolve("work").toString();
        CohortflowCommandTest.Result r = CohortflowCommandTest.run("run", addInts(), "--source", "numbers=a:1", "--work", work,
                "--out", dir.resolve("out").toString(), "--sink", "totals=x/{sample_id}.txt", "--progress", "off");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("the network has no sink 'totals' (its sinks: sums)"), r.err());

        r = CohortflowCommandTest.run("run", addInts(), "--source", "numbers=a:1", "--work", work,
                "--out", dir.resolve("out").toString(), "--sink", "sums=../escape/{sample_id}.txt", "--progress", "off");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--sink sums: url '../escape/{sample_id}.txt' contains a '..' segment"), r.err());

        r = CohortflowCommandTest.run("run", addInts(), "--source", "numbers=a:1", "--work", work,
                "--out", dir.resolve("out").toString(), "--sink", "sums=ftp://host/{sample_id}.txt", "--progress", "off");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("has scheme 'ftp:', which is not a file system cohortflow can write to"), r.err());
        assertFalse(Files.exists(dir.resolve("escape")));
        assertFalse(Files.exists(dir.resolve("out")), "nothing was written");
    }

    @Test
    void provenanceRecordsTheVersionOfTheBuildThatRan(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CohortflowCommandTest.Result r = CohortflowCommandTest.run("run", addInts(), "--source", "numbers=a:1",
                "--work", dir.resolve("work").toString(), "--out", out.toString(), "--progress", "off");
        assertEquals(0, r.code(), r.out() + r.err());
        String prov = Files.readString(out.resolve("a.txt.prov.json"));
        assertTrue(new ObjectMapper().readTree(prov).toString().contains("\"cf:version\":\"" + BuildVersion.version() + "\""),
                prov);
        assertFalse(prov.contains("development"), prov);
    }
}
