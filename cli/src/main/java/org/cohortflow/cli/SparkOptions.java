package org.cohortflow.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The Spark options of the commands that can run on Spark ({@code run}, {@code index}): {@code --master} and {@code --conf}. */
final class SparkOptions {

    @Option(names = "--master", paramLabel = "URL",
            description = {"Spark master: local[N], spark://HOST:7077, yarn, k8s://... (with --executor spark). Default: the "
                                   + "master spark-submit was given, else local[*]."})
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting (with --executor spark); repeatable.")
    Map<String, String> conf = new LinkedHashMap<>();

    /** The master named on the command line, if any. */
    Optional<String> master() {
        return Optional.ofNullable(master);
    }
}
