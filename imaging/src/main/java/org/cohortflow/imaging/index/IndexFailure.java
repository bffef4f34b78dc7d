package org.cohortflow.imaging.index;

import java.nio.file.Path;

/** A file the indexer could not read, and why (the reason alone; the path is in its own field). */
public record IndexFailure(Path path, String error) {
}
