package org.cohortflow.dsl.types;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The data types every network can use: fastr's value types ({@code Int}, {@code Float}, {@code Bool},
 * {@code String}, {@code Json}), the group {@code Number}, generic file types, the group
 * {@code File} that every file type belongs to and the group {@code Table} of in-memory tables.
 */
public final class BuiltinTypes implements DataTypeProvider {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final TypeRef<Long> INT = TypeRef.of("Int", Long.class);
    public static final TypeRef<Double> FLOAT = TypeRef.of("Float", Double.class);
    public static final TypeRef<Number> NUMBER = TypeRef.of("Number", Number.class);
    public static final TypeRef<Boolean> BOOL = TypeRef.of("Bool", Boolean.class);
    public static final TypeRef<String> STRING = TypeRef.of("String", String.class);
    public static final TypeRef<JsonNode> JSON_VALUE = TypeRef.of("Json", JsonNode.class);
    public static final TypeRef<FileRef> ANY_FILE = TypeRef.of("File", FileRef.class);
    public static final TypeRef<TextFile> TEXT_FILE = TypeRef.of("TextFile", TextFile.class);
    public static final TypeRef<CsvFile> CSV_FILE = TypeRef.of("CsvFile", CsvFile.class);
    public static final TypeRef<JsonFile> JSON_FILE = TypeRef.of("JsonFile", JsonFile.class);
    public static final TypeRef<Directory> DIRECTORY = TypeRef.of("Directory", Directory.class);
    /** The group of in-memory table types ({@link Tabular}), for tools that take any table. */
    public static final TypeRef<Tabular> TABLE = TypeRef.of("Table", Tabular.class);

    /** A plain text file. */
    public record TextFile(URI uri) implements FileRef {}

    /** A comma-separated table with a header line. */
    public record CsvFile(URI uri) implements FileRef {}

    /** A JSON document. */
    public record JsonFile(URI uri) implements FileRef {}

    /** A folder of files. */
    public record Directory(URI uri) implements FileRef {}

    @Override
    public List<DataType> dataTypes() {
        return List.of(
                TypeGroup.of("Number", "an integer or floating-point number", Number.class),
                ValueType.literal("Int", "a 64-bit integer", Long.class, BuiltinTypes::parseInt, "Number"),
                ValueType.literal("Float", "a 64-bit floating-point number", Double.class, BuiltinTypes::parseFloat, "Number"),
                ValueType.literal("Bool", "true or false", Boolean.class, BuiltinTypes::parseBool),
                ValueType.literal("String", "text", String.class, s -> s),
                ValueType.literal("Json", "a JSON value", JsonNode.class, BuiltinTypes::parseJson),
                TypeGroup.of("File", "any file or folder type", FileRef.class),
                TypeGroup.of("Table", "any in-memory table with named, typed columns", Tabular.class),
                new FileType("TextFile", "a text file (plain or Markdown)", Set.of("File"), TextFile.class, List.of(".txt", ".md"), false,
                        FileType.Validator.ANY, TextFile::new),
                new FileType("CsvFile", "a CSV table", Set.of("File"), CsvFile.class, List.of(".csv"), false,
                        FileType.Validator.ANY, CsvFile::new),
                new FileType("JsonFile", "a JSON document", Set.of("File"), JsonFile.class, List.of(".json"), false,
                        BuiltinTypes::validateJson, JsonFile::new),
                new FileType("Directory", "a folder", Set.of("File"), Directory.class, List.of(), true,
                        FileType.Validator.ANY, Directory::new));
    }

    private static Object parseInt(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(s.trim().matches("[-+]?\\d+")
                    ? "'" + s + "' is out of range for a 64-bit integer" : "'" + s + "' is not an integer");
        }
    }

    private static Object parseFloat(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case ".nan":
            case "nan":
                return Double.NaN;
            case ".inf":
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-.inf":
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + s + "' is not a number");
                }
        }
    }

    private static Object parseBool(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
                return true;
            case "false":
            case "no":
                return false;
            default:
                throw new IllegalArgumentException("'" + s + "' is not true or false");
        }
    }

    private static Object parseJson(String s) {
        try {
            return JSON.readTree(s);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("'" + s + "' is not JSON: " + e.getOriginalMessage());
        }
    }

    private static void validateJson(Path p) throws InvalidFileException {
        try {
            JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new InvalidFileException(p, "is not valid JSON: " + e.getMessage());
        }
    }
}
