package org.cohortflow.executors.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.cohortflow.dsl.types.DataType;
import org.cohortflow.dsl.types.FileRef;
import org.cohortflow.dsl.types.ValueType;
import org.cohortflow.executors.storage.Storage;

/**
 * The canonical text of values of literal types. Parsing the text gives the value back exactly (doubles
 * included), and equal values have equal text, so the text is also what the cache hashes.
 */
public final class Values {
    private Values() {}

    /** True when values of this type can be written as text and read back. */
    public static boolean isLiteral(DataType type) {
        return type instanceof ValueType v && v.parser().isPresent();
    }

    /** The canonical text of a value of a literal type. */
    public static String format(Object value) {
        if (value instanceof Double d) {
            if (d.isNaN()) {
                return "nan";
            }
            if (d.isInfinite()) {
                return d > 0 ? "inf" : "-inf";
            }
            return Double.toString(d);
        }
        if (value instanceof Float f) {
            return format(f.doubleValue());
        }
        if (value instanceof JsonNode j) {
            return j.toString();
        }
        if (value instanceof FileRef f) {
            return f.uri().toString();
        }
        return String.valueOf(value);
    }

    /** Parses and re-formats literal text, so that {@code " 10"} and {@code "10"} become the same value. */
    public static String canonical(ValueType type, String text) {
        return format(type.parse(text));
    }

    /** The content hash of a literal's canonical text. */
    public static String hashText(String canonicalText) {
        return Storage.sha256(("text\0" + canonicalText).getBytes(StandardCharsets.UTF_8));
    }
}
