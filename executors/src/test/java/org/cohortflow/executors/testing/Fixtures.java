package org.cohortflow.executors.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.network.Sink;
import org.cohortflow.executors.ToolSet;

/** The repository's examples and test tools, with sinks moved into a test's own folder. */
public final class Fixtures {
    private Fixtures() {}

    public static Path repo() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples/networks"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find examples/ above " + Path.of("").toAbsolutePath());
    }

    public static Path exampleNetwork(String name) {
        return repo().resolve("examples/networks").resolve(name);
    }

    public static Path testTools() {
        return repo().resolve("executors/src/test/resources/tools");
    }

    /** Example tools plus the test tools. */
    public static ToolSet tools() {
        return ToolSet.load(List.of(repo().resolve("examples/tools"), testTools()));
    }

    /** Reads a network from YAML text, with every sink url rewritten to {@code <dir>/<sink>/<file name>}. */
    public static NetworkYaml.Loaded network(String yaml, Path dir) {
        NetworkYaml.Loaded l = NetworkYaml.read(yaml, "test.yaml");
        return new NetworkYaml.Loaded(withSinksUnder(l.network(), dir), l.locator(), l.file());
    }

    public static NetworkYaml.Loaded example(String name, Path dir) {
        NetworkYaml.Loaded l = NetworkYaml.read(exampleNetwork(name));
        return new NetworkYaml.Loaded(withSinksUnder(l.network(), dir), l.locator(), l.file());
    }

    public static Network withSinksUnder(Network n, Path dir) {
        List<Sink> sinks = n.sinks().stream().map(s -> new Sink(s.id(), s.type(), s.from(),
                dir.resolve(s.id()).toUri() + "/" + s.url().substring(s.url().lastIndexOf('/') + 1))).toList();
        return new Network(n.id(), n.description(), n.sources(), n.constants(), n.nodes(), sinks);
    }

    /** Every file below {@code dir} by relative path, with its bytes as text. */
    public static Map<String, String> files(Path dir) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), text(Files.readAllBytes(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Bytes as UTF-8 text when they are, else one char per byte (ISO-8859-1), so that binary outputs
     * such as Parquet compare byte for byte too.
     */
    private static String text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** The sink outputs below {@code dir}, without their provenance documents (which hold times and hosts). */
    public static Map<String, String> outputs(Path dir) {
        Map<String, String> out = files(dir);
        out.keySet().removeIf(k -> k.endsWith(".prov.json"));
        return out;
    }

    public static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
