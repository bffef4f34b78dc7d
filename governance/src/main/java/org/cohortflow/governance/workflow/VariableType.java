package org.cohortflow.governance.workflow;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The type of an experiment variable, as declared in a workflow: what CEL sees and what the API accepts. */
public enum VariableType {
    INT(SimpleType.INT), DOUBLE(SimpleType.DOUBLE), STRING(SimpleType.STRING), BOOL(SimpleType.BOOL),
    LIST(ListType.create(SimpleType.DYN)), MAP(MapType.create(SimpleType.STRING, SimpleType.DYN));

    private final CelType celType;

    VariableType(CelType celType) {
        this.celType = celType;
    }

    public CelType celType() {
        return celType;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<VariableType> parse(String s) {
        for (VariableType t : values()) {
            if (t.id().equals(s)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * The value as CEL wants it (integers as {@code Long}), or empty when it is not of this type.
     * Integers are accepted where a double is declared.
     */
    public Optional<Object> coerce(Object v) {
        return switch (this) {
            case INT -> v instanceof Integer || v instanceof Long ? Optional.of(((Number) v).longValue()) : Optional.empty();
            case DOUBLE -> v instanceof Number n ? Optional.of(n.doubleValue()) : Optional.empty();
            case STRING -> v instanceof String ? Optional.of(v) : Optional.empty();
            case BOOL -> v instanceof Boolean ? Optional.of(v) : Optional.empty();
            case LIST -> v instanceof List ? Optional.of(v) : Optional.empty();
            case MAP -> v instanceof Map ? Optional.of(v) : Optional.empty();
        };
    }

    /** The type of a value read from JSON, for variables a workflow does not declare. */
    public static VariableType of(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger) {
            return INT;
        }
        if (v instanceof Number) {
            return DOUBLE;
        }
        if (v instanceof Boolean) {
            return BOOL;
        }
        if (v instanceof List) {
            return LIST;
        }
        if (v instanceof Map) {
            return MAP;
        }
        return STRING;
    }
}
