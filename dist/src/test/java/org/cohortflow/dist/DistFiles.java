package org.cohortflow.dist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** What the dist module's tests share: the shaded jar, the checkout's folders, the radiomics test network. */
final class DistFiles {
    private DistFiles() {
    }

    /** The checkout's root (tests run in the module's folder). */
    static Path repo() {
        return Path.of("").toAbsolutePath().getParent();
    }

    /** The shaded jar {@code dist/target/cohortflow-VERSION.jar}; fails clearly when it was not built. */
    static Path shadedJar() throws IOException {
        Path target = repo().resolve("dist/target");
        try (Stream<Path> files = Files.list(target)) {
            Optional<Path> jar = files.filter(f -> f.getFileName().toString().matches("cohortflow-[0-9].*\\.jar")).findFirst();
            return jar.orElseThrow(() -> new IllegalStateException("no shaded jar in " + target + "; run mvn package"));
        }
    }

    /** A test resource as text. */
    static String resource(String name) throws IOException {
        try (InputStream in = DistFiles.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Writes the radiomics network (DICOM CT + RTSTRUCT -> IBSI features -> one cohort table, sink
     * {@code SINKS/cohort.csv}) and its settings file into {@code dir}; returns the network file.
     */
    static Path radiomicsNetwork(Path dir, Path sinks) throws IOException {
        Files.createDirectories(dir);
        Path settings = dir.resolve("ct-settings.yaml");
        Files.writeString(settings, resource("ct-settings.yaml"));
        Path network = dir.resolve("radiomics-cluster.yaml");
        Files.writeString(network, resource("radiomics-cluster.yaml")
                .replace("SINKS", sinks.toUri().toString().replaceAll("/$", ""))
                .replace("SETTINGS", settings.toUri().toString()));
        return network;
    }

    /** A sample sheet ({@code sample_id,ct,contours}) for subjects of a {@code cohortflow synth} cohort. */
    static Path sampleSheet(Path cohort, Path sheet, List<String> subjects) throws IOException {
        StringBuilder sb = new StringBuilder("sample_id,ct,contours\n");
        for (String subject : subjects) {
            Path s = cohort.resolve("dicom").resolve(subject);
            sb.append(subject).append(',').append(s.resolve("CT")).append(',').append(s.resolve("RTSTRUCT/rtstruct.dcm")).append('\n');
        }
        Files.writeString(sheet, sb.toString());
        return sheet;
    }
}
