package org.cohortflow.dsl.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void theNewContentReplacesTheOldAndNoTemporaryIsLeft() throws IOException {
        Path file = dir.resolve("out/table.csv");
        AtomicFile.writeText(file, w -> w.write("a\n"));
        AtomicFile.writeText(file, w -> w.write("b\n"));
        assertEquals("b\n", Files.readString(file));
        assertEquals(List.of(file), listing(file.getParent()));
    }

    @Test
    void aWriteThatFailsHalfwayLeavesTheOldFileAsItWasAndNoTemporary() throws IOException {
        Path file = dir.resolve("index.csv");
        AtomicFile.writeText(file, w -> w.write("complete\n"));
        IOException e = assertThrows(IOException.class, () -> AtomicFile.writeText(file, w -> {
            w.write("half of a new ");
            w.flush();
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("complete\n", Files.readString(file));
        assertEquals(List.of(file), listing(dir));
    }

    private static List<Path> listing(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }
}
