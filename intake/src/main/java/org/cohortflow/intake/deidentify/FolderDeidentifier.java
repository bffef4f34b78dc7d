package org.cohortflow.intake.deidentify;

import com.pixelmed.dicom.AttributeList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * De-identifies a folder tree of DICOM files offline ({@code cohortflow deidentify IN OUT}): every file is
 * read, de-identified and written to {@code OUT/PSEUDONYM/STUDY/SERIES/SOP.dcm}; files that are not DICOM
 * or that the profile quarantines are listed with the reason and not written. Files are taken in path
 * order, so the same input and ID map give the same output.
 */
public final class FolderDeidentifier {
    private final Deidentifier deidentifier;

    public FolderDeidentifier(Deidentifier deidentifier) {
        this.deidentifier = deidentifier;
    }

    /** One file that was not written, and why. */
    public record Refused(Path file, Outcome.Reason reason, String detail) {}

    /** What a run did. */
    public record Summary(int written, List<Refused> refused) {
        public Summary {
            refused = List.copyOf(refused);
        }
    }

    /** The path an object is written to under {@code out}. */
    public static Path target(Path out, Outcome.Deidentified d) {
        return out.resolve(d.pseudonym()).resolve(d.studyUid()).resolve(d.seriesUid()).resolve(d.sopUid() + ".dcm");
    }

    /** De-identifies every regular file under {@code in} into {@code out}. */
    public Summary run(Path in, Path out) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(in)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        int written = 0;
        List<Refused> refused = new ArrayList<>();
        for (Path f : files) {
            AttributeList list;
            try {
                list = DicomFiles.read(f);
            } catch (DicomFiles.NotDicomException e) {
                refused.add(new Refused(f, Outcome.Reason.NOT_DICOM, e.getMessage()));
                continue;
            }
            Outcome o = deidentifier.deidentify(list);
            if (o instanceof Outcome.Deidentified d) {
                DicomFiles.write(list, target(out, d));
                written++;
            } else if (o instanceof Outcome.Quarantined q) {
                refused.add(new Refused(f, q.reason(), q.detail()));
            }
        }
        return new Summary(written, refused);
    }
}
