package org.cohortflow.executors;

import org.cohortflow.executors.spark.SparkExecutor;
import org.cohortflow.executors.spark.SparkSettings;
import java.util.Map;

/** One embedded Spark for a test class (start-up takes seconds); created in {@code @BeforeAll}. */
final class SharedSpark {
    private SharedSpark() {}

    static SparkExecutor start() {
        return SparkExecutor.create(new SparkSettings("local[2]", 1, Map.of("spark.sql.shuffle.partitions", "2",
                "spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1")));
    }
}
