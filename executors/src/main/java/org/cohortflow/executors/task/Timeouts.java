package org.cohortflow.executors.task;

import java.time.Duration;
import java.util.Optional;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolImplementation;
import org.cohortflow.dsl.tool.commandline.CommandLineSpec;

/**
 * How long a job may run: the tool's own timeout ({@code timeout:} in a command-line tool file,
 * {@code .timeout(...)} on a Java tool), else the run's default ({@code cohortflow run --timeout},
 * {@link #DEFAULT} unless given). No job waits forever: a tool that hangs must not hang the run.
 */
public final class Timeouts {
    /** The run's default when {@code --timeout} is not given. */
    public static final Duration DEFAULT = Duration.ofHours(1);

    private Timeouts() {}

    /** A job's time limit and where it came from, for error messages. */
    public record Limit(Duration duration, String origin) {}

    /** The limit of a job of {@code tool} in a run whose default is {@code runDefault}. */
    public static Limit of(ToolDefinition tool, Duration runDefault) {
        Optional<Duration> own = tool.implementation() instanceof CommandLineSpec c ? c.timeout()
                : tool.implementation() instanceof ToolImplementation.Java j ? j.timeout() : Optional.empty();
        return own.map(d -> new Limit(d, "the timeout of tool " + tool.id()))
                .orElseGet(() -> new Limit(runDefault, "the run's default timeout; set one per tool or with --timeout"));
    }

    /** {@code 2s}, {@code 1500ms}, {@code 10m}, {@code 1h}: the shortest exact form. */
    public static String human(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) return ms + "ms";
        long s = ms / 1000;
        if (s % 3600 == 0) return s / 3600 + "h";
        if (s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }
}
