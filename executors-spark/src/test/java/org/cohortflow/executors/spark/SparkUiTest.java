package org.cohortflow.executors.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** Spark's UI is turned on at a port nobody listens on, and left as the user set it. */
class SparkUiTest {

    @Test
    void aPortSomeoneListensOnIsSkippedForTheNextFreeOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            OptionalInt p = SparkUi.freePort(taken.getLocalPort(), 3);
            assertTrue(p.isPresent());
            assertTrue(p.getAsInt() > taken.getLocalPort() && p.getAsInt() <= taken.getLocalPort() + 3, "port " + p);
            assertEquals(OptionalInt.empty(), SparkUi.freePort(taken.getLocalPort(), 0), "no other port to try");
        }
    }

    @Test
    void theUserChoiceOfSparkUiEnabledIsKeptAndOtherwiseTheUiIsOnAtAFreePort() throws Exception {
        SparkConf off = new SparkConf(false).set("spark.ui.enabled", "false");
        SparkUi.configure(off, Map.of("spark.ui.enabled", "false"));
        assertEquals("false", off.get("spark.ui.enabled"));

        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            SparkConf conf = new SparkConf(false);
            SparkUi.configure(conf, Map.of("spark.ui.port", Integer.toString(taken.getLocalPort())));
            assertEquals("true", conf.get("spark.ui.enabled"));
            assertFalse(conf.get("spark.ui.port").equals(Integer.toString(taken.getLocalPort())), "the taken port is not used");
        }
    }
}
