package org.cohortflow.executors.testing;

import java.time.Duration;
import java.util.List;
import org.cohortflow.dsl.tool.InputPort;
import org.cohortflow.dsl.tool.OutputPort;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolProvider;
import org.cohortflow.dsl.types.BuiltinTypes;

/**
 * Java tools for executor tests: a slow step (to kill a run half-way), a step that fails on demand, one that
 * ignores interrupts past its own timeout, and one that asks for more memory than any JVM has.
 */
public final class TestTools implements ToolProvider {
    public static final InputPort<Long> VALUE = InputPort.of("value", BuiltinTypes.INT);
    public static final InputPort<Long> MILLIS = InputPort.of("millis", BuiltinTypes.INT).withDefault("0");
    public static final InputPort<Long> BAD = InputPort.of("bad", BuiltinTypes.INT).withDefault("-1");
    public static final OutputPort<Long> RESULT = OutputPort.of("result", BuiltinTypes.INT);

    /** {@code test/Slow:1.0}: value + 1, after sleeping {@code millis}. */
    public static final ToolDefinition SLOW = ToolDefinition.java("test/Slow:1.0")
            .input(VALUE).input(MILLIS).output(RESULT)
            .runs(ctx -> {
                Thread.sleep(ctx.input(MILLIS));
                ctx.output(RESULT, ctx.input(VALUE) + 1);
            });

    /** {@code test/FailOn:1.0}: value * 2, but throws for the value {@code bad}. */
    public static final ToolDefinition FAIL_ON = ToolDefinition.java("test/FailOn:1.0")
            .input(VALUE).input(BAD).output(RESULT)
            .runs(ctx -> {
                if (ctx.input(VALUE).equals(ctx.input(BAD))) {
                    throw new IllegalArgumentException("refusing to double " + ctx.input(VALUE));
                }
                ctx.output(RESULT, ctx.input(VALUE) * 2);
            });

    /**
     * {@code test/Stubborn:1.0}: value + 1 after spinning for {@code millis} without ever looking at interrupts;
     * its own timeout is 1 s.
     */
    public static final ToolDefinition STUBBORN = ToolDefinition.java("test/Stubborn:1.0")
            .input(VALUE).input(MILLIS).output(RESULT).timeout(Duration.ofSeconds(1))
            .runs(ctx -> {
                long until = System.nanoTime() + ctx.input(MILLIS) * 1_000_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                ctx.output(RESULT, ctx.input(VALUE) + 1);
            });

    /**
     * {@code test/Allocate:1.0}: value + 1, but for the value {@code bad} first allocates an array of about
     * 16 GiB, as a resampling to a tiny spacing does: an {@link OutOfMemoryError} in a test JVM of a few GiB.
     */
    public static final ToolDefinition ALLOCATE = ToolDefinition.java("test/Allocate:1.0")
            .input(VALUE).input(BAD).output(RESULT)
            .runs(ctx -> {
                if (ctx.input(VALUE).equals(ctx.input(BAD))) {
                    long[] huge = new long[Integer.MAX_VALUE - 8];
                    huge[huge.length - 1] = 1;
                    ctx.output(RESULT, huge[huge.length - 1]);
                    return;
                }
                ctx.output(RESULT, ctx.input(VALUE) + 1);
            });

    @Override
    public List<ToolDefinition> tools() {
        return List.of(SLOW, FAIL_ON, STUBBORN, ALLOCATE);
    }
}
