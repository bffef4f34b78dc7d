package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Which Spark master a run uses: the flag, then spark-submit's, then the embedded one. */
class RunnerMasterTest {

    @Test
    void theMasterFlagWinsOverTheOneSparkSubmitSet() {
        Properties submitted = new Properties();
        submitted.setProperty("spark.master", "yarn");
        assertEquals("spark://head:7077", Runner.sparkMaster(Optional.of("spark://head:7077"), submitted));
    }

    @Test
    void underSparkSubmitWithoutTheFlagTheSubmittedMasterIsUsed() {
        Properties submitted = new Properties();
        submitted.setProperty("spark.master", "k8s://https://kube:6443");
        assertEquals("k8s://https://kube:6443", Runner.sparkMaster(Optional.empty(), submitted));
    }

    @Test
    void withNeitherTheRunIsEmbedded() {
        assertEquals("local[*]", Runner.sparkMaster(Optional.empty(), new Properties()));
    }
}
