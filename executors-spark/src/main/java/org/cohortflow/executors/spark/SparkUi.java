package org.cohortflow.executors.spark;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.spark.SparkConf;

/**
 * Turns Spark's web UI on where it can run. Spark binds its UI to {@code spark.ui.port} (4040) or, when that
 * is taken, one of the next {@code spark.port.maxRetries} ports, and a session fails to start when none is
 * free; so the UI is on when one of those ports is free now and off otherwise, unless the user chose
 * ({@code spark.ui.enabled}, e.g. {@code cohortflow run --spark-ui off}).
 */
final class SparkUi {
    private static final int DEFAULT_PORT = 4040;
    private static final int DEFAULT_RETRIES = 16;

    private SparkUi() {}

    /** Sets {@code spark.ui.enabled} (and the port found) unless {@code userConf} sets it. */
    static void configure(SparkConf conf, Map<String, String> userConf) {
        if (userConf.containsKey("spark.ui.enabled")) {
            return;
        }
        int first = Integer.parseInt(userConf.getOrDefault("spark.ui.port", Integer.toString(DEFAULT_PORT)));
        int retries = Integer.parseInt(userConf.getOrDefault("spark.port.maxRetries", Integer.toString(DEFAULT_RETRIES)));
        OptionalInt port = first == 0 ? OptionalInt.of(0) : freePort(first, retries);
        conf.set("spark.ui.enabled", Boolean.toString(port.isPresent()));
        port.ifPresent(p -> conf.set("spark.ui.port", Integer.toString(p)));
    }

    /** The first port of {@code first .. first + retries} nobody listens on now. */
    static OptionalInt freePort(int first, int retries) {
        for (int p = first; p <= first + retries && p < 65536; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getByName("0.0.0.0"))) {
                return OptionalInt.of(p);
            } catch (IOException taken) {
                // next one
            }
        }
        return OptionalInt.empty();
    }
}
