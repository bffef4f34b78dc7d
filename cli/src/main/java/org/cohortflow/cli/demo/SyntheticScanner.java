package org.cohortflow.cli.demo;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DateAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.cohortflow.archive.dimse.DimseClient;
import org.cohortflow.archive.dimse.DimsePeer;
import org.cohortflow.imaging.synth.SubjectTruth;
import org.cohortflow.imaging.synth.SynthOptions;
import org.cohortflow.imaging.synth.SyntheticCohort;

/**
 * A synthetic CT scanner: it makes the {@code synth} cohort (a DICOM CT series and an RTSTRUCT outlining one
 * lesion per subject), gives each subject a made-up patient name, id and birth date as a hospital would have
 * them (the originals the intake must never let through), and sends each subject's study by C-STORE, as a
 * scanner or PACS sends to a research intake. Its RTSTRUCTs name the lesion's ROI as the study expects, but a
 * corrupt subject's names it {@value #CORRUPT_ROI}, so its radiomics cannot find the lesion.
 */
public final class SyntheticScanner {
    /** The AE title the scanner calls from: the one the example study's intake profile accepts. */
    public static final String AET = "SCANNER1";
    /** The ROI name of a corrupt subject's RTSTRUCT. */
    public static final String CORRUPT_ROI = "BODY";
    private static final AttributeTag STRUCTURE_SET_ROI_SEQUENCE = new AttributeTag(0x3006, 0x0020);
    private static final AttributeTag ROI_NAME = new AttributeTag(0x3006, 0x0026);

    /**
     * One patient as the scanner knows them.
     *
     * @param subject     the synthetic cohort's subject id (the scanner's folder name)
     * @param patientId   the original PatientID
     * @param patientName the original PatientName (FAMILY^GIVEN)
     * @param birthDate   the original PatientBirthDate (YYYYMMDD)
     * @param corrupt     whether the RTSTRUCT lacks the study's ROI
     * @param truth       what the generator drew (lesion shape and volume)
     * @param files       the DICOM files to send: the CT slices, then the RTSTRUCT
     */
    public record Patient(String subject, String patientId, String patientName, String birthDate, boolean corrupt,
                          SubjectTruth truth, List<Path> files) {
        /** The family name alone. */
        public String familyName() {
            return patientName.substring(0, patientName.indexOf('^'));
        }
    }

    private final List<Patient> patients;

    private SyntheticScanner(List<Patient> patients) {
        this.patients = List.copyOf(patients);
    }

    /**
     * Writes the cohort into {@code folder} (absent or empty) with made-up identities; the lesion's ROI is named
     * {@code roi} as the study expects, but the last {@code corrupt} subjects name it {@value #CORRUPT_ROI}. The
     * same seed gives the same patients.
     */
    public static SyntheticScanner prepare(Path folder, int subjects, int corrupt, String roi, long seed, int threads) {
        List<SubjectTruth> truth = new SyntheticCohort(SynthOptions.defaults(), seed).write(folder, subjects, threads);
        SplittableRandom random = new SplittableRandom(seed * 31 + 7);
        List<Patient> out = new ArrayList<>();
        java.util.Set<String> used = new HashSet<>();
        for (int i = 0; i < truth.size(); i++) {
            SubjectTruth t = truth.get(i);
            String name;
            String id;
            do {
                name = word(random, 3) + "^" + word(random, 2);
                id = String.format(Locale.ROOT, "MRN%08d", random.nextInt(100_000_000));
            } while (!used.add(name) || !used.add(id) || !used.add(name.substring(0, name.indexOf('^'))));
            String birth = String.format(Locale.ROOT, "19%02d%02d%02d", 30 + random.nextInt(60), 1 + random.nextInt(12),
                    1 + random.nextInt(28));
            boolean bad = i >= truth.size() - corrupt;
            Path dir = SyntheticCohort.dicomRoot(folder).resolve(t.subject());
            List<Path> files = new ArrayList<>(list(dir.resolve(SyntheticCohort.CT_DIR)));
            files.add(dir.resolve(SyntheticCohort.RTSTRUCT_FILE));
            for (Path f : files) {
                identify(f, id, name, birth, !f.endsWith(SyntheticCohort.RTSTRUCT_FILE) ? null : bad ? CORRUPT_ROI : roi);
            }
            out.add(new Patient(t.subject(), id, name, birth, bad, t, List.copyOf(files)));
        }
        return new SyntheticScanner(out);
    }

    /** The patients, in subject order. */
    public List<Patient> patients() {
        return patients;
    }

    /** Sends one patient's study to {@code intake} by C-STORE (one association); throws if any object is refused. */
    public DimseClient.StoreOutcome send(Patient p, DimsePeer intake) {
        return new DimseClient(intake, AET).store(p.files());
    }

    /** A made-up, pronounceable, upper-case word of {@code syllables} syllables. */
    private static String word(SplittableRandom random, int syllables) {
        String consonants = "BDFGKLMNPRSTVZ";
        String vowels = "AEIOU";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < syllables; i++) {
            b.append(consonants.charAt(random.nextInt(consonants.length())));
            b.append(vowels.charAt(random.nextInt(vowels.length())));
            if (random.nextInt(3) == 0) {
                b.append("LNRS".charAt(random.nextInt(4)));
            }
        }
        return b.toString();
    }

    /** Gives the file its patient and, for an RTSTRUCT ({@code roi} not null), its ROI's name. */
    private static void identify(Path file, String id, String name, String birth, String roi) {
        try {
            AttributeList l = new AttributeList();
            l.read(file.toFile());
            put(l, new PersonNameAttribute(TagFromName.PatientName), name);
            put(l, new LongStringAttribute(TagFromName.PatientID), id);
            put(l, new DateAttribute(TagFromName.PatientBirthDate), birth);
            if (roi != null) {
                SequenceAttribute rois = (SequenceAttribute) l.get(STRUCTURE_SET_ROI_SEQUENCE);
                for (int i = 0; i < rois.getNumberOfItems(); i++) {
                    put(rois.getItem(i).getAttributeList(), new LongStringAttribute(ROI_NAME), roi);
                }
            }
            l.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + file + " its patient", e);
        } catch (DicomException e) {
            throw new IllegalStateException("cannot give " + file + " its patient: " + e.getMessage(), e);
        }
    }

    private static void put(AttributeList l, Attribute a, String value) throws DicomException {
        a.addValue(value);
        l.put(a);
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
