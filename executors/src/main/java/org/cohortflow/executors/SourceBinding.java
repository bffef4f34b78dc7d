package org.cohortflow.executors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.dsl.csv.CsvFile;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.Source;
import org.cohortflow.dsl.plan.SampleIds;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.dsl.types.DataType;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.dsl.types.TypeRegistry;
import org.cohortflow.dsl.types.ValueType;
import org.cohortflow.executors.storage.Storage;

/**
 * Turns {@code --source} arguments and a sample sheet into the {@link SourceData} of a run.
 *
 * <ul>
 *   <li>{@code --source ID=URI} for a file-typed source: a file or folder (one sample, its id the name
 *       without the type's extension) or a glob such as {@code /data/ct/*.nii.gz} or
 *       {@code hdfs://nn/cohort/*}{@code /ct} (one sample per match, ids from the names).</li>
 *   <li>{@code --source ID=S1:V1,S2:V2} for a value-typed source: sample ids and literals; a bare value
 *       {@code --source ID=V1,V2} is also its sample id (the syntax of the CLI's {@code plan}).</li>
 *   <li>A sample sheet: a CSV file whose header is {@code sample_id,SOURCE,...}; each row gives a sample's
 *       value for each source (a URI, a glob whose matches all become values of that sample, or a literal).
 *       An empty cell means the sample has no data for that source; it is reported as missing, not
 *       dropped. Relative paths are relative to the sheet's folder.</li>
 * </ul>
 * A URI that does not exist is bound as given: the jobs reading it fail with an error naming the sample,
 * and the other samples run. A glob that matches nothing is an error at once.
 */
public final class SourceBinding {
    private final Network network;
    private final TypeRegistry types;
    private final Storage storage;

    public SourceBinding(Network network, TypeRegistry types, Storage storage) {
        this.network = network;
        this.types = types;
        this.storage = storage;
    }

    /** A {@code --source ID=VALUE} argument. */
    public record SourceArgument(String source, String value) {
        /** Parses {@code ID=VALUE}. */
        public static SourceArgument parse(String text) {
            int eq = text.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--source takes ID=URI, not '" + text + "'");
            }
            return new SourceArgument(text.substring(0, eq), text.substring(eq + 1));
        }
    }

    public SourceData bind(List<SourceArgument> arguments, Optional<Path> sheet) {
        Map<String, Map<String, List<Object>>> data = new LinkedHashMap<>();
        sheet.ifPresent(s -> readSheet(s, data));
        for (SourceArgument a : arguments) {
            Source src = source(a.source());
            Map<String, List<Object>> samples = data.computeIfAbsent(src.id(), k -> new LinkedHashMap<>());
            DataType t = type(src);
            if (t instanceof ValueType) {
                for (String item : a.value().split(",")) {
                    int colon = item.indexOf(':');
                    String id = SampleIds.require(colon < 0 ? item.trim() : item.substring(0, colon).trim(),
                            "--source " + src.id());
                    samples.put(id, List.of(colon < 0 ? item.trim() : item.substring(colon + 1).trim()));
                }
            } else {
                URI uri = Storage.toUri(a.value());
                for (URI u : expand(uri, a.source())) {
                    String id = SampleIds.require(sampleId(u, t), "source '" + src.id() + "': " + u);
                    if (samples.containsKey(id)) {
                        throw new IllegalArgumentException("source '" + src.id() + "': two files give sample id '" + id
                                + "' (" + samples.get(id).get(0) + " and " + u + ")");
                    }
                    samples.put(id, List.of(u.toString()));
                }
            }
        }
        SourceData.Builder b = SourceData.builder();
        data.forEach((source, samples) -> samples.forEach((id, vs) -> {
            if (!vs.isEmpty()) {
                b.add(source, id, vs.toArray());
            }
        }));
        return b.build();
    }

    private void readSheet(Path sheet, Map<String, Map<String, List<Object>>> data) {
        List<CsvFile.Row> rows;
        try {
            rows = CsvFile.read(sheet);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sample sheet " + sheet + ": " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(sheet + ": the sample sheet is empty");
        }
        List<String> header = rows.get(0).cells();
        List<Source> columns = new ArrayList<>();
        for (String h : header.subList(1, header.size())) {
            try {
                columns.add(source(h.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(sheet + ":1: " + e.getMessage());
            }
        }
        Path base = sheet.toAbsolutePath().getParent();
        Map<String, Integer> firstLine = new HashMap<>();
        for (CsvFile.Row row : rows.subList(1, rows.size())) {
            List<String> cells = row.cells();
            String id = cells.get(0).trim();
            if (id.isEmpty()) {
                throw new IllegalArgumentException(sheet + ":" + row.line() + ": no sample id");
            }
            SampleIds.require(id, sheet + ":" + row.line());
            Integer before = firstLine.putIfAbsent(id, row.line());
            if (before != null) {
                throw new IllegalArgumentException(sheet + ":" + row.line() + ": duplicate sample id '" + id
                        + "' (first on line " + before + "); each sample needs its own row");
            }
            for (int c = 0; c < columns.size(); c++) {
                String cell = c + 1 < cells.size() ? cells.get(c + 1).trim() : "";
                Source src = columns.get(c);
                Map<String, List<Object>> samples = data.computeIfAbsent(src.id(), k -> new LinkedHashMap<>());
                if (cell.isEmpty()) {
                    continue;
                }
                if (type(src) instanceof ValueType) {
                    samples.put(id, List.of(cell));
                    continue;
                }
                URI uri = Storage.toUri(cell.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") || cell.startsWith("/")
                        ? cell : base.resolve(cell).toString());
                try {
                    samples.put(id, new ArrayList<>(expand(uri, src.id()).stream().map(URI::toString).toList()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(sheet + ":" + row.line() + ": sample '" + id + "': " + e.getMessage());
                }
            }
        }
    }

    private List<URI> expand(URI uri, String source) {
        if (!uri.getPath().matches(".*[*?\\[{].*")) {
            return List.of(uri);
        }
        try {
            List<URI> found = storage.glob(uri);
            if (found.isEmpty()) {
                throw new IllegalArgumentException("source '" + source + "': " + uri + " matches nothing");
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("source '" + source + "': cannot list " + uri, e);
        }
    }

    private static String sampleId(URI u, DataType t) {
        String path = u.getPath().replaceAll("/+$", "");
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (t instanceof FileType ft && !ft.extensions().isEmpty() && ft.matchesName(name)) {
            return name.substring(0, name.length() - ft.extensionOf(name).length());
        }
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private Source source(String id) {
        return network.source(id).orElseThrow(() -> new IllegalArgumentException("network '" + network.id()
                + "' has no source '" + id + "' (sources: " + String.join(", ", network.sources().stream().map(Source::id).toList()) + ")"));
    }

    private DataType type(Source s) {
        return types.find(s.type()).orElseThrow(() -> new IllegalArgumentException("unknown type " + s.type()));
    }
}
