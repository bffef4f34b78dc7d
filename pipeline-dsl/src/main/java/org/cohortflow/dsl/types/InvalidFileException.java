package org.cohortflow.dsl.types;

import java.nio.file.Path;

/** Content that is not of the data type it claims to be; the message names the file. */
public class InvalidFileException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Path path;

    public InvalidFileException(Path path, String problem) {
        super(path + ": " + problem);
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
