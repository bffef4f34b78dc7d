package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --spark-ui on|off} becomes {@code spark.ui.enabled}, which the Spark executor then leaves alone. */
class SparkUiOptionTest {
    @Test
    void sparkUiOffAndOnBecomeSparkUiEnabledAndAnythingElseIsAUsageError() {
        for (String v : new String[] {"off", "on"}) {
            CommandLine cl = Cohortflow.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
            CommandLine.ParseResult p = cl.parseArgs("run", "n.yaml", "--work", "/tmp/w", "--spark-ui", v);
            RunCommand run = (RunCommand) p.subcommand().commandSpec().userObject();
            assertEquals(v.equals("on") ? "true" : "false", run.spark.conf.get("spark.ui.enabled"));
        }
        StringWriter err = new StringWriter();
        int code = Cohortflow.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err))
                .execute("run", "n.yaml", "--work", "/tmp/w", "--spark-ui", "maybe");
        assertEquals(2, code);
        assertTrue(err.toString().contains("--spark-ui must be 'on' or 'off', not 'maybe'"), err.toString());
    }
}
