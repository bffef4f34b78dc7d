package org.cohortflow.dsl.tools.basic;

import java.util.List;
import org.cohortflow.dsl.tool.Cardinality;
import org.cohortflow.dsl.tool.InputPort;
import org.cohortflow.dsl.tool.OutputPort;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolProvider;
import org.cohortflow.dsl.types.BuiltinTypes;

/**
 * Small arithmetic tools in the spirit of fastr's tutorial tools ({@code AddInt}, {@code Sum}), used by
 * the examples, the tests and the framework-overhead benchmarks. Each is pure and cheap, so what is
 * measured around them is the framework.
 */
public final class BasicTools implements ToolProvider {
    public static final InputPort<Long> LEFT = InputPort.of("left", BuiltinTypes.INT).describedAs("first term");
    public static final InputPort<Long> RIGHT = InputPort.of("right", BuiltinTypes.INT).withDefault("0")
            .describedAs("second term");
    public static final OutputPort<Long> RESULT = OutputPort.of("result", BuiltinTypes.INT).describedAs("left + right");

    /** {@code basic/AddInt:1.0}: adds two integers. */
    public static final ToolDefinition ADD_INT = ToolDefinition.java("basic/AddInt:1.0")
            .description("adds two integers")
            .input(LEFT).input(RIGHT).output(RESULT)
            .runs(ctx -> ctx.output(RESULT, ctx.input(LEFT) + ctx.input(RIGHT)));

    public static final InputPort<Number> VALUES = InputPort.of("values", BuiltinTypes.NUMBER)
            .cardinality(Cardinality.ONE_OR_MORE).describedAs("numbers to add");
    public static final OutputPort<Double> TOTAL = OutputPort.of("total", BuiltinTypes.FLOAT).describedAs("their sum");

    /** {@code basic/Sum:1.0}: sums any number of numbers (the target of a collapse). */
    public static final ToolDefinition SUM = ToolDefinition.java("basic/Sum:1.0")
            .description("sums all values of its input")
            .input(VALUES).output(TOTAL)
            .runs(ctx -> ctx.output(TOTAL, ctx.inputs(VALUES).stream().mapToDouble(Number::doubleValue).sum()));

    public static final InputPort<Long> COUNT = InputPort.of("count", BuiltinTypes.INT).describedAs("how many");
    public static final OutputPort<Long> NUMBERS = OutputPort.of("numbers", BuiltinTypes.INT)
            .cardinality(Cardinality.ANY).describedAs("0, 1, ..., count-1");

    /** {@code basic/Range:1.0}: 0 .. count-1, a variable number of values (the source of an expand). */
    public static final ToolDefinition RANGE = ToolDefinition.java("basic/Range:1.0")
            .description("gives the integers 0 to count-1")
            .input(COUNT).output(NUMBERS)
            .runs(ctx -> {
                for (long i = 0; i < ctx.input(COUNT); i++) {
                    ctx.output(NUMBERS, i);
                }
            });

    public static final InputPort<Long> VALUE = InputPort.of("value", BuiltinTypes.INT).describedAs("a number");
    public static final OutputPort<Long> NEIGHBOURS = OutputPort.of("neighbours", BuiltinTypes.INT)
            .cardinality(Cardinality.exactly(3)).describedAs("value-1, value, value+1");

    /** {@code basic/Neighbours:1.0}: a fixed cardinality of three values. */
    public static final ToolDefinition NEIGHBOURS_TOOL = ToolDefinition.java("basic/Neighbours:1.0")
            .description("gives value-1, value and value+1")
            .input(VALUE).output(NEIGHBOURS)
            .runs(ctx -> {
                long v = ctx.input(VALUE);
                ctx.output(NEIGHBOURS, v - 1);
                ctx.output(NEIGHBOURS, v);
                ctx.output(NEIGHBOURS, v + 1);
            });

    public static final InputPort<Double> FACTOR_A = InputPort.of("a", BuiltinTypes.FLOAT).describedAs("a factor");
    public static final InputPort<Double> FACTOR_B = InputPort.of("b", BuiltinTypes.FLOAT).describedAs("a factor");
    public static final OutputPort<Double> PRODUCT = OutputPort.of("product", BuiltinTypes.FLOAT).describedAs("a * b");

    /** {@code basic/Multiply:1.0}: multiplies two floats. */
    public static final ToolDefinition MULTIPLY = ToolDefinition.java("basic/Multiply:1.0")
            .description("multiplies two floating-point numbers")
            .input(FACTOR_A).input(FACTOR_B).output(PRODUCT)
            .runs(ctx -> ctx.output(PRODUCT, ctx.input(FACTOR_A) * ctx.input(FACTOR_B)));

    @Override
    public List<ToolDefinition> tools() {
        return List.of(ADD_INT, SUM, RANGE, NEIGHBOURS_TOOL, MULTIPLY);
    }
}
