package org.cohortflow.server.http;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the OpenAPI 3 document of a service from the operations it registered, so the document can
 * never list an endpoint that does not exist or miss one that does. Request body schemas are derived
 * from the request records.
 */
public final class OpenApiDocument {
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    private OpenApiDocument() {}

    /** The document as nested maps, ready for JSON. */
    public static Map<String, Object> build(String title, String version, List<Operation> operations) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", title, "version", version));
        Map<String, Object> paths = new LinkedHashMap<>();
        for (Operation op : operations) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(op.path(), p -> new LinkedHashMap<>());
            item.put(op.method().toLowerCase(Locale.ROOT), operation(op));
        }
        doc.put("paths", paths);
        Map<String, Object> schemes = new LinkedHashMap<>();
        schemes.put("basicAuth", Map.of("type", "http", "scheme", "basic"));
        schemes.put("bearerAuth", Map.of("type", "http", "scheme", "bearer"));
        schemes.put("callbackSecret", Map.of("type", "apiKey", "in", "header", "name", "X-Callback-Secret"));
        doc.put("components", Map.of("securitySchemes", schemes,
                "schemas", Map.of("Error", Map.of("type", "object", "properties", Map.of(
                        "error", Map.of("type", "string"), "field", Map.of("type", "string", "nullable", true))))));
        return doc;
    }

    private static Map<String, Object> operation(Operation op) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("summary", op.summary());
        List<Object> params = new ArrayList<>();
        Matcher m = PARAM.matcher(op.path());
        while (m.find()) {
            params.add(Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
        }
        if (!params.isEmpty()) {
            o.put("parameters", params);
        }
        switch (op.access()) {
            case PUBLIC -> o.put("security", List.of());
            case ROLE -> {
                o.put("security", List.of(Map.of("basicAuth", List.of()), Map.of("bearerAuth", List.of())));
                o.put("x-required-role", op.role().id());
            }
            case SECRET -> o.put("security", List.of(Map.of("callbackSecret", List.of())));
        }
        if (op.body() != null) {
            o.put("requestBody", Map.of("required", true, "content",
                    Map.of("application/json", Map.of("schema", schema(op.body(), 0)))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put("200", Map.of("description", "OK"));
        Map<String, Object> err = Map.of("description", "error", "content",
                Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Error"))));
        responses.put("400", err);
        if (op.access() != Operation.Access.PUBLIC) {
            responses.put("401", err);
            responses.put("403", err);
        }
        o.put("responses", responses);
        return o;
    }

    /** A JSON schema for a Java type: records become objects with their components as properties. */
    static Map<String, Object> schema(Type type, int depth) {
        Class<?> c = type instanceof Class<?> k ? k : type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : Object.class;
        if (c == String.class) {
            return Map.of("type", "string");
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return Map.of("type", "integer");
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            return Map.of("type", "number");
        }
        if (c == boolean.class || c == Boolean.class) {
            return Map.of("type", "boolean");
        }
        if (c.isEnum()) {
            List<String> values = new ArrayList<>();
            for (Object e : c.getEnumConstants()) {
                values.add(e.toString().toLowerCase(Locale.ROOT));
            }
            return Map.of("type", "string", "enum", values);
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(c)) {
            return Map.of("type", "string", "format", "date-time");
        }
        if (List.class.isAssignableFrom(c) || java.util.Set.class.isAssignableFrom(c)) {
            Type item = type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
            return Map.of("type", "array", "items", depth > 5 ? Map.of() : schema(item, depth + 1));
        }
        if (c.isRecord() && depth <= 5) {
            Map<String, Object> props = new LinkedHashMap<>();
            for (RecordComponent rc : c.getRecordComponents()) {
                props.put(rc.getName(), schema(rc.getGenericType(), depth + 1));
            }
            return Map.of("type", "object", "additionalProperties", false, "properties", props);
        }
        return Map.of("type", "object");
    }
}
