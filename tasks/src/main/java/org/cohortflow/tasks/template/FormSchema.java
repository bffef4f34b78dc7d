package org.cohortflow.tasks.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * A template's form: the JSON Schema (draft 2020-12) that a task's result must satisfy, checked against
 * the draft's meta-schema when the template is loaded and compiled once for validating results.
 */
public final class FormSchema {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    /** The meta-schema ships inside the validator's jar, so checking works offline. */
    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

    private final JsonNode schema;
    private final JsonSchema compiled;

    private FormSchema(JsonNode schema, JsonSchema compiled) {
        this.schema = schema;
        this.compiled = compiled;
    }

    /** Problems of {@code schema} against the JSON Schema meta-schema, as (path inside the schema, message). */
    static List<FieldError> metaSchemaProblems(JsonNode schema) {
        JsonSchema meta = FACTORY.getSchema(SchemaLocation.of(META_SCHEMA));
        return errors(meta.validate(schema));
    }

    /** Compiles a schema that passed {@link #metaSchemaProblems}. */
    static FormSchema compile(JsonNode schema) {
        return new FormSchema(schema.deepCopy(), FACTORY.getSchema(schema));
    }

    /** The schema as written in the template. */
    public JsonNode schema() {
        return schema;
    }

    /** Every way {@code result} breaks the schema; empty when it is valid. */
    public List<FieldError> validate(JsonNode result) {
        return errors(compiled.validate(result));
    }

    private static List<FieldError> errors(Set<ValidationMessage> messages) {
        return messages.stream()
                .map(m -> new FieldError(field(m), m.getMessage().replaceFirst("^\\$[^:]*: ", "")))
                .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::message))
                .toList();
    }

    /** The offending member's dotted path; for a missing required member, that member. */
    private static String field(ValidationMessage m) {
        String at = m.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
        if ("required".equals(m.getType()) && m.getProperty() != null) {
            return at.isEmpty() ? m.getProperty() : at + "." + m.getProperty();
        }
        return at;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FormSchema f && f.schema.equals(schema);
    }

    @Override
    public int hashCode() {
        return schema.hashCode();
    }

    @Override
    public String toString() {
        return schema.toString();
    }
}
