package org.cohortflow.archive.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that hands tests one Orthanc per test run, started on loopback ports and loaded with the
 * STS cohort and the IBSI CT phantom, and stops it (and removes its data) when the run ends. Tests that change
 * the archive (delete, stop) start their own {@link OrthancServer} instead. Use with
 * {@code @ExtendWith(LoadedOrthanc.class)} and an {@link OrthancServer} parameter.
 */
public final class LoadedOrthanc implements ParameterResolver {

    /** The running, loaded server and what it holds, closed by JUnit at the end of the run. */
    private record Loaded(OrthancServer server, Path folder, int instances) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            server.close();
            try (Stream<Path> s = Files.walk(folder)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temp folder left behind is harmless
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == OrthancServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        ExtensionContext.Store store = e.getRoot().getStore(ExtensionContext.Namespace.create(LoadedOrthanc.class));
        return store.getOrComputeIfAbsent("orthanc", k -> load(), Loaded.class).server();
    }

    private static Loaded load() {
        try {
            Path folder = Files.createTempDirectory("cohortflow-orthanc-");
            OrthancServer s = OrthancServer.start(folder);
            try {
                int n = s.upload(ArchiveTestData.stsDicom()) + s.upload(ArchiveTestData.ctPhantomDicom());
                return new Loaded(s, folder, n);
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
