package org.cohortflow.imaging.index;

import java.nio.file.Path;

/** A file the indexer could not read, and why (the message of the error, naming the file). */
public record IndexFailure(Path path, String error) {
}
