package org.cohortflow.dsl.tool;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a tool runs: Java code in the executor's JVM ({@link Java}), or an external program
 * ({@code CommandLineSpec}). Executors dispatch on the implementing type.
 */
public interface ToolImplementation {

    /**
     * A tool implemented by a {@link JavaTool}.
     *
     * @param timeout how long one job may take before the executor gives up on it; empty means the run's
     *                default timeout
     */
    record Java(JavaTool body, Optional<Duration> timeout) implements ToolImplementation {
        public Java {
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isPresent() && (timeout.get().isNegative() || timeout.get().isZero())) {
                throw new IllegalArgumentException("a timeout must be positive, not " + timeout.get());
            }
        }

        /** A body that runs under the run's default timeout. */
        public Java(JavaTool body) {
            this(body, Optional.empty());
        }
    }
}
