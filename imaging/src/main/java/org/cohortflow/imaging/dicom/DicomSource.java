package org.cohortflow.imaging.dicom;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.cohortflow.imaging.ImagingException;

/**
 * The file a DICOM read is about: a local path (named as the caller gave it) or a URI of any storage, read
 * through a channel the caller opened. Exists so that header reads work the same on local and remote files
 * while every error still names the file the way the caller knows it.
 */
record DicomSource(Path path, URI uri) {

    static DicomSource of(Path path) {
        return new DicomSource(path, null);
    }

    static DicomSource of(URI uri) {
        return "file".equals(uri.getScheme()) ? new DicomSource(Path.of(uri), uri) : new DicomSource(null, uri);
    }

    /** Opens a local file; remote ones arrive as channels already open. */
    SeekableByteChannel openLocal() throws IOException {
        return FileChannel.open(path, StandardOpenOption.READ);
    }

    ImagingException error(String message, Throwable cause) {
        return path != null ? new ImagingException(path, message, cause) : new ImagingException(uri, message, cause);
    }

    ImagingException error(String message) {
        return error(message, null);
    }

    NotDicomException notDicom(String message) {
        return path != null ? new NotDicomException(path, message) : new NotDicomException(uri, message);
    }
}
