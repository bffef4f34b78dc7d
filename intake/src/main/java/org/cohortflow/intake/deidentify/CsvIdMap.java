package org.cohortflow.intake.deidentify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An identity map kept in memory and, for the offline {@code cohortflow deidentify}, in a two-column CSV
 * file ({@code original,pseudonym}) so that later batches of the same project reuse the same pseudonyms.
 * Pseudonyms are the prefix and a four-digit sequence number in order of first sight.
 */
public final class CsvIdMap implements IdMap {
    private final String prefix;
    private final Map<String, String> map = new LinkedHashMap<>();

    public CsvIdMap(String prefix) {
        this.prefix = prefix;
    }

    /** A map loaded from {@code file} (empty when it does not exist). */
    public static CsvIdMap load(Path file, String prefix) throws IOException {
        CsvIdMap m = new CsvIdMap(prefix);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int comma = line.lastIndexOf(',');
                if (line.isBlank() || line.equals("original,pseudonym") || comma < 0) {
                    continue;
                }
                m.map.put(unquote(line.substring(0, comma)), line.substring(comma + 1).trim());
            }
        }
        return m;
    }

    @Override
    public synchronized String pseudonym(String originalPatientId) {
        return map.computeIfAbsent(originalPatientId, k -> String.format("%s%04d", prefix, map.size() + 1));
    }

    /** The mapping so far, in order of first sight. */
    public synchronized Map<String, String> entries() {
        return new LinkedHashMap<>(map);
    }

    /** Writes the map to {@code file} (atomically). */
    public synchronized void save(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("original,pseudonym\n");
        map.forEach((k, v) -> sb.append('"').append(k.replace("\"", "\"\"")).append("\",").append(v).append('\n'));
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".idmap-", ".csv");
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        DicomFiles.moveAtomically(tmp, file);
    }

    private static String unquote(String s) {
        String t = s.trim();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            return t.substring(1, t.length() - 1).replace("\"\"", "\"");
        }
        return t;
    }
}
