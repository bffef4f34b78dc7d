package org.cohortflow.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/**
 * The strict JSON mapping of every service: unknown fields and values of the wrong type are errors that
 * name the field, rather than being ignored or coerced.
 */
public final class Json {
    private final ObjectMapper mapper;

    public Json() {
        ObjectMapper m = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // Numbers or booleans where text is expected are a client error, not something to guess about.
        m.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        this.mapper = m;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Serialises a value. */
    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses arbitrary JSON into a tree, with the same error reporting as {@link #read}. */
    public JsonNode tree(byte[] body) {
        return read(body, JsonNode.class);
    }

    /**
     * Reads a request body as {@code type}, turning every Jackson problem into a 400 {@link ApiError} that
     * names the field ({@code scans[2].url}).
     */
    public <T> T read(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw ApiError.badRequest(null, "a JSON request body is required");
        }
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw ApiError.badRequest(null, "a JSON request body is required, found null");
            }
            return value;
        } catch (JsonParseException e) {
            throw ApiError.badRequest(null, "malformed JSON: " + e.getOriginalMessage());
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw ApiError.badRequest(field, "unknown field '" + field + "'");
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidFieldException f) {
                String prefix = parentPath(e);
                String field = prefix.isEmpty() ? f.field() : prefix + "." + f.field();
                throw ApiError.badRequest(field, f.getMessage());
            }
            throw ApiError.badRequest(emptyToNull(path(e)), cause == null ? e.getOriginalMessage() : cause.getMessage());
        } catch (InvalidFormatException e) {
            String field = path(e);
            throw ApiError.badRequest(field, "'" + field + "' must be " + typeName(e.getTargetType())
                    + ", found " + describe(e.getValue()));
        } catch (MismatchedInputException e) {
            String field = path(e);
            if (field.isEmpty()) {
                throw ApiError.badRequest(null, "the request body must be " + typeName(e.getTargetType()));
            }
            throw ApiError.badRequest(field, "'" + field + "' must be " + typeName(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw ApiError.badRequest(emptyToNull(path(e)), e.getOriginalMessage());
        } catch (JacksonException e) {
            throw ApiError.badRequest(null, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static String describe(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }

    private static String typeName(Class<?> t) {
        if (t == null) {
            return "of another type";
        }
        if (t == String.class) {
            return "a string";
        }
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
            return "an integer";
        }
        if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
            return "a number";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(t) || t.isArray()) {
            return "a list";
        }
        if (t.isEnum()) {
            return "one of " + java.util.Arrays.stream(t.getEnumConstants()).map(Object::toString)
                    .map(s -> s.toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", "));
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(t)) {
            return "an ISO-8601 time";
        }
        return "an object";
    }

    /** The JSON path of the error as {@code a.b[2].c}. */
    static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String parentPath(JsonMappingException e) {
        return path(e);
    }
}
