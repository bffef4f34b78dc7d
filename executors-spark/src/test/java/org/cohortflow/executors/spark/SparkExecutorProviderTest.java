package org.cohortflow.executors.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.cohortflow.executors.ExecutorProviders;
import org.junit.jupiter.api.Test;

/** With this module on the class path, "spark" is found by name beside "local" (META-INF/services). */
class SparkExecutorProviderTest {

    @Test
    void sparkIsFoundByNameBesideTheLocalExecutor() {
        assertEquals(List.of("local", "spark"), ExecutorProviders.names());
        assertInstanceOf(SparkExecutorProvider.class, ExecutorProviders.get("spark"));
        assertEquals("spark", ExecutorProviders.get("spark").name());
    }
}
