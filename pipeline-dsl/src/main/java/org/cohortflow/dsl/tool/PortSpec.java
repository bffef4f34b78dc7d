package org.cohortflow.dsl.tool;

import java.util.Optional;

/**
 * An input or output of a tool.
 *
 * @param type          name of the data type (see {@code TypeRegistry})
 * @param required      for inputs: a network must link it or give it a value (when there is no default)
 * @param defaultValue  for inputs: literal used when nothing is linked
 */
public record PortSpec(String id, String type, Cardinality cardinality, boolean required,
                       Optional<String> defaultValue, String description) {

    public PortSpec {
        if (!id.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("'" + id + "' is not a port id (letters, digits and _, not starting with a digit)");
        }
        description = description == null ? "" : description;
    }

    public static PortSpec of(String id, String type) {
        return new PortSpec(id, type, Cardinality.ONE, true, Optional.empty(), "");
    }

    public PortSpec withCardinality(Cardinality c) {
        return new PortSpec(id, type, c, required, defaultValue, description);
    }

    public PortSpec optional() {
        return new PortSpec(id, type, cardinality, false, defaultValue, description);
    }

    public PortSpec withDefault(String literal) {
        return new PortSpec(id, type, cardinality, required, Optional.of(literal), description);
    }

    public PortSpec describedAs(String text) {
        return new PortSpec(id, type, cardinality, required, defaultValue, text);
    }

    /** True when a network must link this input or set it. */
    public boolean mustBeBound() {
        return required && defaultValue.isEmpty();
    }
}
