package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cohortflow run} from the command line's own class path, which (unlike the executors module's)
 * also holds the imaging and biomarkers libraries: both executors must work there.
 */
class RunCommandTest {

    private static Path network(Path dir) throws Exception {
        return Files.writeString(dir.resolve("add.yaml"), """
                network: add
                sources:
                  numbers: {type: Int}
                nodes:
                  add:
                    tool: basic/AddInt:1.0
                    inputs: {left: numbers}
                    parameters: {right: 10}
                sinks:
                  sums: {from: add.result, url: "%s/{executor}/{sample_id}.txt"}
                """.formatted(dir.resolve("out").toUri()));
    }

    @Test
    void theLocalAndSparkExecutorsWriteTheSameSinksFromTheCommandLine(@TempDir Path dir) throws Exception {
        Path net = network(dir);
        for (String executor : List.of("local", "spark")) {
            String yaml = Files.readString(net).replace("{executor}", executor);
            Path n = Files.writeString(dir.resolve(executor + ".yaml"), yaml);
            List<String> args = new java.util.ArrayList<>(List.of("run", n.toString(), "--source", "numbers=a:1,b:2,c:3",
                    "--work", dir.resolve("work-" + executor).toString(), "--executor", executor, "--progress", "off"));
            if (executor.equals("spark")) {
                args.addAll(List.of("--master", "local[2]"));
            }
            CohortflowCommandTest.Result r = CohortflowCommandTest.run(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("succeeded"), r.out());
        }
        for (String sample : List.of("a", "b", "c")) {
            assertEquals(Files.readString(dir.resolve("out/local/" + sample + ".txt")),
                    Files.readString(dir.resolve("out/spark/" + sample + ".txt")));
        }
        assertEquals("13", Files.readString(dir.resolve("out/local/c.txt")).trim());
    }

    @Test
    void aSampleMissingFromOneSourceFailsTheRunWithExitOneAndTheOthersAreWritten(@TempDir Path dir) throws Exception {
        Path sheet = Files.writeString(dir.resolve("s.csv"), "sample_id,numbers,offsets\na,1,5\nb,2,\n");
        Path net = Files.writeString(dir.resolve("n.yaml"), """
                network: pairs
                sources:
                  numbers: {type: Int}
                  offsets: {type: Int}
                nodes:
                  add:
                    tool: basic/AddInt:1.0
                    inputs: {left: numbers, right: offsets}
                sinks:
                  sums: {from: add.result, url: "%s/{sample_id}.txt"}
                """.formatted(dir.resolve("pairs").toUri()));
        CohortflowCommandTest.Result r = CohortflowCommandTest.run("run", net.toString(), "--samples", sheet.toString(),
                "--work", dir.resolve("work").toString(), "--progress", "off");
        assertEquals(1, r.code(), r.out() + r.err());
        assertEquals("6", Files.readString(dir.resolve("pairs/a.txt")).trim());
        assertTrue(!Files.exists(dir.resolve("pairs/b.txt")));
        assertTrue(r.out().contains("missing"), r.out());
    }
}
