package org.cohortflow.intake.deidentify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cohortflow.intake.profile.DeidOption;
import org.cohortflow.intake.profile.TagRef;

/**
 * The attribute actions of PS3.15 Table E.1-1 cohortflow applies (the resource {@code basic-profile.csv},
 * also read by the tests' independent pydicom check and listed in docs/intake.md), with the options that
 * change them.
 */
public final class ActionTable {
    /** What happens to an attribute (PS3.15 E.1.1's action codes). */
    public enum Action { X, Z, D, U, K, C }

    /** One row: an attribute, its Basic Profile action and the actions options put in its place. */
    public record Row(TagRef tag, String keyword, Action basic, Map<DeidOption, Action> overrides) {
        public Row {
            overrides = Collections.unmodifiableMap(overrides.isEmpty() ? new EnumMap<>(DeidOption.class)
                    : new EnumMap<>(overrides));
        }

        /** The action under a set of options (the first option that overrides wins, in the table's order). */
        public Action action(Set<DeidOption> options) {
            for (Map.Entry<DeidOption, Action> e : overrides.entrySet()) {
                if (options.contains(e.getKey())) {
                    return e.getValue();
                }
            }
            return basic;
        }
    }

    /** The resource the table is read from. */
    public static final String RESOURCE = "basic-profile.csv";
    private static final Map<String, DeidOption> CODES = Map.of(
            "RLT", DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES,
            "RPC", DeidOption.RETAIN_PATIENT_CHARACTERISTICS,
            "RDI", DeidOption.RETAIN_DEVICE_IDENTITY,
            "RUI", DeidOption.RETAIN_UIDS,
            "CD", DeidOption.CLEAN_DESCRIPTORS,
            "CSC", DeidOption.CLEAN_STRUCTURED_CONTENT);

    private final List<Row> rows;

    private ActionTable(List<Row> rows) {
        this.rows = List.copyOf(rows);
    }

    /** The table shipped with cohortflow. */
    public static ActionTable standard() {
        try (InputStream in = ActionTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the intake jar");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ActionTable parse(BufferedReader reader) throws IOException {
        List<Row> rows = new ArrayList<>();
        String line;
        int n = 0;
        while ((line = reader.readLine()) != null) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split(";", -1);
            if (cols.length != 4) {
                throw new IllegalStateException(RESOURCE + ":" + n + ": expected 4 columns");
            }
            TagRef tag = TagRef.parse(cols[0]).orElseThrow(() -> new IllegalStateException(RESOURCE + ": bad tag"));
            Map<DeidOption, Action> overrides = new EnumMap<>(DeidOption.class);
            for (String o : cols[3].trim().split("\\s+")) {
                if (o.isEmpty()) {
                    continue;
                }
                String[] kv = o.split(":");
                overrides.put(CODES.get(kv[0]), Action.valueOf(kv[1]));
            }
            rows.add(new Row(tag, cols[1], Action.valueOf(cols[2].trim()), overrides));
        }
        return new ActionTable(rows);
    }

    /** Every row, in the table's order. */
    public List<Row> rows() {
        return rows;
    }
}
