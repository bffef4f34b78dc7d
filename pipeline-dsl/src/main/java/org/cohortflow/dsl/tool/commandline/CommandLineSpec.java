package org.cohortflow.dsl.tool.commandline;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.dsl.tool.ToolImplementation;

/**
 * How to run an external program as a tool: the executable, an argument template rendered from the
 * input values, how each output is collected afterwards, and what the job needs from its machine.
 *
 * @param collectors one per output id
 * @param timeout    the job is killed and fails after this long; empty waits forever
 */
public record CommandLineSpec(String executable, List<Argument> arguments, Map<String, OutputCollector> collectors,
                              Resources resources, Optional<Duration> timeout) implements ToolImplementation {

    /** The special value name that renders as the job's output folder. */
    public static final String OUTPUT_DIR = "$out";

    public CommandLineSpec {
        arguments = List.copyOf(arguments);
        collectors = Map.copyOf(collectors);
    }

    /**
     * The argument list for one job, from the formatted values of each input (absent or empty list for an
     * input without value) and the job's output folder.
     */
    public List<String> render(Map<String, List<String>> values, String outputDir) {
        return Argument.renderAll(arguments, values, outputDir);
    }

    /** What a job asks of the machine it runs on. */
    public record Resources(int cores, long memoryBytes) {
        public static final Resources DEFAULT = new Resources(1, 512L << 20);

        public Resources {
            if (cores < 1 || memoryBytes < 1) {
                throw new IllegalArgumentException("resources need at least 1 core and 1 byte of memory");
            }
        }
    }
}
