package org.cohortflow.tasks.images;

import java.net.URI;
import java.nio.file.Path;

/** Where a task's image is: a file under one of the allowed data roots, a web address, or a DICOMweb series. */
public sealed interface ImageLocation {
    /** A local file, already checked to be inside an allowed root. */
    record LocalFile(Path path) implements ImageLocation {
    }

    /** An http(s) URL, fetched by the service on the viewer's behalf. */
    record Web(URI uri) implements ImageLocation {
    }

    /**
     * A DICOM series in a DICOMweb archive, {@code ROOT/studies/UID/series/UID} over http(s); the service
     * serves it to the viewer as one NIfTI volume ({@link DicomWebSeries}).
     */
    record DicomWeb(URI series) implements ImageLocation {
    }

    /** The last path segment, used as the file name the viewer sees (NiiVue recognises formats by it). */
    default String fileName() {
        if (this instanceof DicomWeb) {
            return "series.nii";
        }
        String path = this instanceof LocalFile f ? f.path().toString() : ((Web) this).uri().getPath();
        int slash = path.lastIndexOf('/');
        String name = slash < 0 ? path : path.substring(slash + 1);
        return name.isEmpty() ? "image" : name;
    }
}
