package org.cohortflow.executors;

import java.util.Map;
import org.cohortflow.executors.spark.SparkExecutor;

/**
 * One embedded Spark for a test class (start-up takes seconds); created in {@code @BeforeAll}. Found by name as
 * {@code cohortflow run --executor spark} finds it, so every test that uses it also covers the provider.
 */
final class SharedSpark {
    private SharedSpark() {}

    static SparkExecutor start() {
        return (SparkExecutor) ExecutorProviders.create("spark", ExecutorSettings.defaults().withMaster("local[2]")
                .withTaskRetries(1).withConf(Map.of("spark.sql.shuffle.partitions", "2",
                        "spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1")));
    }
}
