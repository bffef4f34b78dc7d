package org.cohortflow.executors.testing;

import java.util.List;
import org.cohortflow.dsl.tool.InputPort;
import org.cohortflow.dsl.tool.OutputPort;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolProvider;
import org.cohortflow.dsl.types.BuiltinTypes;

/** Java tools for executor tests: a slow step (to kill a run half-way) and a step that fails on demand. */
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

    @Override
    public List<ToolDefinition> tools() {
        return List.of(SLOW, FAIL_ON);
    }
}
