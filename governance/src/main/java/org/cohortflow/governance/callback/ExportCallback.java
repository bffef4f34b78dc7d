package org.cohortflow.governance.callback;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cohortflow.dsl.types.Tabular;
import org.cohortflow.executors.tables.ParquetTables;
import org.cohortflow.governance.model.Experiment;
import org.cohortflow.governance.model.ExperimentStore;
import org.cohortflow.governance.model.JsonText;
import org.cohortflow.governance.workflow.CallbackCatalog;
import org.cohortflow.server.db.Database;

/**
 * Collects the results of a study's experiments into one table — a row per experiment with its subject,
 * state and every variable — and writes it as CSV or Parquet into a folder ({@code STUDY.csv} /
 * {@code STUDY.parquet}, replaced atomically so a reader never sees half a table).
 *
 * <pre>
 * - name: export
 *   type: export
 *   args: {folder: /data/exports, format: parquet, states: [done]}
 * </pre>
 */
public final class ExportCallback implements CallbackType {
    private final Database db;
    private final ExperimentStore experiments = new ExperimentStore();
    /**
     * One lock per table file: two experiments entering a final state together each export the study; unserialised,
     * the one that read the experiments first could replace the table last, with the other in its earlier state.
     * Read and write under the lock, the table written last was read last. (One governor writes a folder.)
     */
    private final Map<Path, Object> tables = new ConcurrentHashMap<>();

    /** @param db the governor's database, or {@code null} for a catalog that only checks workflows */
    public ExportCallback(Database db) {
        this.db = db;
    }

    @Override
    public String name() {
        return "export";
    }

    @Override
    public CallbackCatalog.Arguments arguments() {
        return new CallbackCatalog.Arguments(Set.of("folder"), Set.of("format", "states", "variable"));
    }

    @Override
    public Outcome run(CallbackRequest r) throws Exception {
        if (db == null) {
            throw new IllegalStateException("export needs the governor's database");
        }
        String format = r.text("format", "csv");
        if (!format.equals("csv") && !format.equals("parquet")) {
            throw new IllegalArgumentException("export format must be csv or parquet, not '" + format + "'");
        }
        Set<String> states = new LinkedHashSet<>();
        if (r.args().get("states") instanceof List<?> l) {
            l.forEach(s -> states.add(s.toString()));
        }
        String study = r.experiment().study();
        Path folder = Path.of(r.text("folder", "."));
        Path target = folder.toAbsolutePath().normalize().resolve(study + "." + format);
        synchronized (tables.computeIfAbsent(target, t -> new Object())) {
            return export(r, study, states, format, folder, target);
        }
    }

    private Outcome export(CallbackRequest r, String study, Set<String> states, String format, Path folder, Path target) throws Exception {
        record Row(Experiment e, Map<String, Object> vars) {}
        List<Row> rows = db.withHandle(h -> {
            List<Row> out = new ArrayList<>();
            for (int offset = 0; ; offset += 1000) {
                List<Experiment> page = experiments.list(h, new ExperimentStore.Filter(study, null, null, 1000, offset));
                for (Experiment e : page) {
                    if (states.isEmpty() || states.contains(e.state())) {
                        out.add(new Row(e, experiments.variables(h, e.id())));
                    }
                }
                if (page.size() < 1000) {
                    return out;
                }
            }
        });
        Set<String> names = new LinkedHashSet<>();
        rows.forEach(row -> names.addAll(row.vars().keySet()));
        List<Tabular.Column> columns = new ArrayList<>(List.of(col("study"), col("subject"), col("experiment"), col("state")));
        for (String n : names) {
            columns.add(new Tabular.Column(n, typeOf(rows.stream().map(row -> row.vars().get(n)).toList())));
        }
        List<Object[]> cells = new ArrayList<>();
        for (Row row : rows) {
            Object[] c = new Object[columns.size()];
            c[0] = study;
            c[1] = row.e().subject();
            c[2] = row.e().label();
            c[3] = row.e().state();
            int i = 4;
            for (String n : names) {
                c[i] = cell(row.vars().get(n), columns.get(i).type());
                i++;
            }
            cells.add(c);
        }
        Tabular table = new Tabular() {
            @Override
            public List<Column> columns() {
                return columns;
            }

            @Override
            public int rowCount() {
                return cells.size();
            }

            @Override
            public Object value(int row, int column) {
                return cells.get(row)[column];
            }
        };
        Files.createDirectories(folder);
        Path tmp = folder.resolve("." + study + "." + format + ".tmp-" + r.executionId());
        Files.deleteIfExists(tmp);
        if (format.equals("csv")) {
            writeCsv(table, tmp);
        } else {
            ParquetTables.write(table, tmp);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("file", target.toUri().toString());
        output.put("rows", (long) cells.size());
        Map<String, Object> variables = new LinkedHashMap<>();
        if (r.args().get("variable") != null) {
            variables.put(r.text("variable", ""), target.toUri().toString());
        }
        return new Outcome.Finished(true, "exported " + cells.size() + " experiment(s) of " + study + " to " + target, output, variables);
    }

    private static Tabular.Column col(String name) {
        return new Tabular.Column(name, Tabular.ColumnType.STRING);
    }

    private static Tabular.ColumnType typeOf(List<Object> values) {
        boolean allLong = true;
        boolean allNumber = true;
        for (Object v : values) {
            if (v == null) {
                continue;
            }
            allLong &= v instanceof Long;
            allNumber &= v instanceof Number;
        }
        return allLong ? Tabular.ColumnType.LONG : allNumber ? Tabular.ColumnType.DOUBLE : Tabular.ColumnType.STRING;
    }

    private static Object cell(Object v, Tabular.ColumnType type) {
        if (v == null) {
            return null;
        }
        return switch (type) {
            case LONG -> v;
            case DOUBLE -> ((Number) v).doubleValue();
            case STRING -> v instanceof String s ? s : JsonText.write(v);
        };
    }

    private static void writeCsv(Tabular t, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            List<String> header = t.columns().stream().map(c -> csv(c.name())).toList();
            w.write(String.join(",", header));
            w.write('\n');
            for (int r = 0; r < t.rowCount(); r++) {
                for (int c = 0; c < t.columns().size(); c++) {
                    if (c > 0) {
                        w.write(',');
                    }
                    Object v = t.value(r, c);
                    w.write(v == null ? "" : csv(v.toString()));
                }
                w.write('\n');
            }
        }
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
