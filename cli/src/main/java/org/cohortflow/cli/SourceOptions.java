package org.cohortflow.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.Source;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.dsl.types.DataType;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.dsl.types.TypeRegistry;
import picocli.CommandLine.Option;

/**
 * Binds data to a network's sources from the command line: {@code --source ID=SPEC} and
 * {@code --samples SHEET.csv}.
 */
final class SourceOptions {

    @Option(names = "--source", paramLabel = "ID=SPEC",
            description = {"Data for source ID; repeatable. For a file type SPEC is a file, a folder (each entry",
                    "one sample) or a glob such as 'scans/*.nii.gz'; the sample id is the file name without",
                    "its extension. For a value type SPEC is a comma-separated list of SAMPLE:VALUE or VALUE",
                    "(the value is then also the sample id)."})
    List<String> sources = new ArrayList<>();

    @Option(names = "--samples", paramLabel = "SHEET.csv",
            description = {"A sample sheet: a header 'sample_id,SOURCE[,SOURCE...]' and one row per sample with",
                    "each source's value or file URI; an empty cell means the sample has no data for that source."})
    Path sheet;

    /** The source data, checked against the network's sources; errors name the option or sheet line. */
    SourceData bind(Network network, TypeRegistry types) {
        SourceData.Builder data = SourceData.builder();
        if (sheet != null) {
            readSheet(network, data);
        }
        for (String s : sources) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--source " + s + ": expected ID=SPEC");
            }
            String id = s.substring(0, eq);
            String spec = s.substring(eq + 1);
            Source source = network.source(id).orElseThrow(() -> new IllegalArgumentException("--source " + s
                    + ": network " + network.id() + " has no source '" + id + "' (sources: "
                    + String.join(", ", network.sources().stream().map(Source::id).toList()) + ")"));
            DataType type = types.find(source.type()).orElseThrow(() -> new IllegalArgumentException(
                    "unknown data type '" + source.type() + "' of source '" + id + "'"));
            if (type instanceof FileType ft) {
                files(spec, ft).forEach((sample, path) -> data.add(id, sample, path.toUri().toString()));
            } else {
                for (String item : spec.split(",")) {
                    int colon = item.indexOf(':');
                    data.add(id, colon < 0 ? item.trim() : item.substring(0, colon).trim(),
                            colon < 0 ? item.trim() : item.substring(colon + 1).trim());
                }
            }
        }
        return data.build();
    }

    private static Map<String, Path> files(String spec, FileType type) {
        Path p = Path.of(spec);
        List<Path> matches = new ArrayList<>();
        try {
            if (spec.contains("*") || spec.contains("?") || spec.contains("[")) {
                Path base = Path.of("");
                String pattern = spec;
                int slash = spec.lastIndexOf('/', firstWildcard(spec));
                if (slash >= 0) {
                    base = Path.of(spec.substring(0, Math.max(slash, 1)));
                    pattern = spec.substring(slash + 1);
                }
                PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
                Path root = base;
                try (Stream<Path> s = Files.walk(root)) {
                    s.filter(x -> !x.equals(root) && m.matches(root.relativize(x))).sorted().forEach(matches::add);
                }
            } else if (Files.isDirectory(p) && !type.directory()) {
                try (Stream<Path> s = Files.list(p)) {
                    s.sorted().forEach(matches::add);
                }
            } else if (Files.exists(p)) {
                matches.add(p);
            } else {
                throw new IllegalArgumentException("--source: " + spec + " does not exist");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + spec, e);
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("--source: no file matches " + spec);
        }
        Map<String, Path> out = new LinkedHashMap<>();
        for (Path f : matches) {
            String name = f.getFileName().toString();
            String ext = type.extensionOf(name);
            String sample = name.endsWith(ext) && !ext.isEmpty() ? name.substring(0, name.length() - ext.length())
                    : name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
            if (out.put(sample, f.toAbsolutePath()) != null) {
                throw new IllegalArgumentException("--source: two files give sample id '" + sample + "' in " + spec);
            }
        }
        return out;
    }

    private static int firstWildcard(String s) {
        int i = s.length();
        for (char c : new char[] {'*', '?', '['}) {
            int j = s.indexOf(c);
            if (j >= 0) {
                i = Math.min(i, j);
            }
        }
        return i;
    }

    private void readSheet(Network network, SourceData.Builder data) {
        List<String> lines;
        try {
            lines = Files.readAllLines(sheet);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sample sheet " + sheet, e);
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(sheet + ":1: the sample sheet is empty");
        }
        String[] header = lines.get(0).split(",", -1);
        if (!header[0].trim().equals("sample_id")) {
            throw new IllegalArgumentException(sheet + ":1: the first column must be 'sample_id', found '" + header[0] + "'");
        }
        for (int c = 1; c < header.length; c++) {
            String src = header[c].trim();
            if (network.source(src).isEmpty()) {
                throw new IllegalArgumentException(sheet + ":1: column '" + src + "' is not a source of network "
                        + network.id());
            }
        }
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != header.length) {
                throw new IllegalArgumentException(sheet + ":" + (i + 1) + ": expected " + header.length
                        + " cells, found " + cells.length);
            }
            for (int c = 1; c < header.length; c++) {
                if (!cells[c].isBlank()) {
                    data.add(header[c].trim(), cells[0].trim(), cells[c].trim());
                }
            }
        }
    }
}
