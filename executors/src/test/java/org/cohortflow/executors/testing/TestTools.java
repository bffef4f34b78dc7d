package org.cohortflow.executors.testing;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import org.cohortflow.dsl.tool.Cardinality;
import org.cohortflow.dsl.tool.InputPort;
import org.cohortflow.dsl.tool.OutputPort;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolProvider;
import org.cohortflow.dsl.types.BuiltinTypes;
import org.cohortflow.dsl.types.DataType;
import org.cohortflow.dsl.types.DataTypeProvider;
import org.cohortflow.dsl.types.Tabular;
import org.cohortflow.dsl.types.TypeRef;
import org.cohortflow.dsl.types.ValueType;

/**
 * Java tools for executor tests: a slow step (to kill a run half-way), a step that fails on demand, a step
 * that turns numbers into a table (to feed the Parquet writer), one that ignores interrupts past its own
 * timeout, one that asks for more memory than any JVM has, and one that warns.
 */
public final class TestTools implements ToolProvider, DataTypeProvider {
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

    /** A table of numbers, one row each with its square root and its text; serialisable so it is stored between jobs. */
    public record NumbersTable(List<Long> numbers) implements Tabular, Serializable {
        private static final long serialVersionUID = 1L;
        private static final List<Column> COLUMNS = List.of(new Column("number", ColumnType.LONG),
                new Column("root", ColumnType.DOUBLE), new Column("text", ColumnType.STRING));

        public NumbersTable {
            numbers = List.copyOf(numbers);
        }

        @Override
        public List<Column> columns() {
            return COLUMNS;
        }

        @Override
        public int rowCount() {
            return numbers.size();
        }

        @Override
        public Object value(int row, int column) {
            long n = numbers.get(row);
            return switch (column) {
                case 0 -> n;
                // A column with nulls gives the writer definition levels to encode as well.
                case 1 -> n < 0 ? null : Math.sqrt(n);
                default -> n % 2 == 0 ? "even " + n : null;
            };
        }
    }

    public static final TypeRef<NumbersTable> NUMBERS_TABLE = TypeRef.of("NumbersTable", NumbersTable.class);
    public static final InputPort<Long> NUMBERS = InputPort.of("numbers", BuiltinTypes.INT).cardinality(Cardinality.ONE_OR_MORE);
    public static final OutputPort<NumbersTable> TABLE = OutputPort.of("table", NUMBERS_TABLE);

    /** {@code test/NumbersTable:1.0}: its numbers as a table (see {@link NumbersTable}). */
    public static final ToolDefinition TO_TABLE = ToolDefinition.java("test/NumbersTable:1.0")
            .input(NUMBERS).output(TABLE)
            .runs(ctx -> ctx.output(TABLE, new NumbersTable(ctx.inputs(NUMBERS))));

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

    /** {@code test/WarnOn:1.0}: value + 1, with a warning (the job still succeeds) for the value {@code bad}. */
    public static final ToolDefinition WARN_ON = ToolDefinition.java("test/WarnOn:1.0")
            .input(VALUE).input(BAD).output(RESULT)
            .runs(ctx -> {
                if (ctx.input(VALUE).equals(ctx.input(BAD))) {
                    ctx.warn("value " + ctx.input(VALUE) + " accepted although it is the suspicious one");
                }
                ctx.output(RESULT, ctx.input(VALUE) + 1);
            });

    @Override
    public List<ToolDefinition> tools() {
        return List.of(SLOW, FAIL_ON, TO_TABLE, STUBBORN, ALLOCATE, WARN_ON);
    }

    @Override
    public List<DataType> dataTypes() {
        return List.of(ValueType.object("NumbersTable", "a table of numbers (tests)", NumbersTable.class, "Table"));
    }
}
