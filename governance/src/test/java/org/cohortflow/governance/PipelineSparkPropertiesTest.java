package org.cohortflow.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.cohortflow.governance.callback.PipelineCallback;
import org.cohortflow.server.config.ServiceConfig;
import org.junit.jupiter.api.Test;

/** The governor's {@code settings.pipelines.spark}: Spark properties for pipeline runs on a cluster. */
class PipelineSparkPropertiesTest {

    private static ServiceConfig config(String settings) {
        return ServiceConfig.parse("name: governor\nsettings:\n" + settings, "governor.yaml", "governor");
    }

    @Test
    void sparkPropertiesAreReadFromTheSettings() {
        ServiceConfig c = config("""
                  pipelines:
                    master: "spark://head:7077"
                    spark: {spark.driver.host: governor.example.org, spark.executor.memory: 4g, spark.cores.max: 16}
                """);
        assertEquals(Map.of("spark.driver.host", "governor.example.org", "spark.executor.memory", "4g",
                "spark.cores.max", "16"), Extensions.sparkProperties(c));
    }

    @Test
    void noSparkSectionMeansNoExtraProperties() {
        assertEquals(Map.of(), Extensions.sparkProperties(config("  pipelines: {master: \"local[2]\"}\n")));
    }

    @Test
    void aKeyThatIsNotASparkPropertyIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Extensions.sparkProperties(config("  pipelines:\n    spark: {driver.host: x}\n")));
        assertTrue(e.getMessage().contains("settings.pipelines.spark.driver.host"), e.getMessage());
        assertTrue(e.getMessage().contains("not a Spark property"), e.getMessage());
    }

    @Test
    void aSparkSectionThatIsNotAMappingIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Extensions.sparkProperties(config("  pipelines:\n    spark: yes\n")));
        assertTrue(e.getMessage().contains("settings.pipelines.spark must be a mapping"), e.getMessage());
    }

    @Test
    void anEmbeddedMasterBindsTheDriverToLoopbackAndAClusterMasterLeavesItToSparkUnlessConfigured() {
        Map<String, String> local = PipelineCallback.sparkConf("local[2]", Map.of());
        assertEquals("127.0.0.1", local.get("spark.driver.host"));
        assertEquals("127.0.0.1", local.get("spark.driver.bindAddress"));
        Map<String, String> cluster = PipelineCallback.sparkConf("spark://head:7077", Map.of());
        assertFalse(cluster.containsKey("spark.driver.host"), cluster.toString());
        assertFalse(cluster.containsKey("spark.driver.bindAddress"), cluster.toString());
        assertEquals("false", cluster.get("spark.ui.enabled"));
        assertEquals("gov.example.org", PipelineCallback.sparkConf("spark://head:7077",
                Map.of("spark.driver.host", "gov.example.org")).get("spark.driver.host"));
        assertEquals("true", PipelineCallback.sparkConf("local[1]", Map.of("spark.ui.enabled", "true")).get("spark.ui.enabled"));
    }
}
