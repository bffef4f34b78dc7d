package org.cohortflow.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The Spark options of the commands that can run on Spark ({@code run}, {@code index}): {@code --master},
 * {@code --conf} (also {@code spark.eventLog.*} for Spark's History Server) and {@code --spark-ui}.
 */
final class SparkOptions {
    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    @Option(names = "--master", paramLabel = "URL",
            description = {"Spark master: local[N], spark://HOST:7077, yarn, k8s://... (with --executor spark). Default: the "
                                   + "master spark-submit was given, else local[*]."})
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting (with --executor spark); repeatable.")
    Map<String, String> conf = new LinkedHashMap<>();

    /**
     * {@code --spark-ui on|off}: Spark's web UI, on by default where a port is free (4040 and the next ones);
     * stored as {@code spark.ui.enabled} so that the executor leaves the choice alone.
     */
    @Option(names = "--spark-ui", paramLabel = "on|off", description = "Spark's web UI (with --executor spark): on by "
            + "default when a port from 4040 up is free (the run prints its address), off to disable.")
    void sparkUi(String onOff) {
        switch (onOff) {
            case "on" -> conf.put("spark.ui.enabled", "true");
            case "off" -> conf.put("spark.ui.enabled", "false");
            default -> throw new picocli.CommandLine.ParameterException(mixee.commandLine(),
                    "--spark-ui must be 'on' or 'off', not '" + onOff + "'");
        }
    }

    /** The master named on the command line, if any. */
    Optional<String> master() {
        return Optional.ofNullable(master);
    }
}
