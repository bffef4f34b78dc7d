package org.cohortflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.intake.deidentify.CsvIdMap;
import org.cohortflow.intake.deidentify.Deidentifier;
import org.cohortflow.intake.deidentify.FolderDeidentifier;
import org.cohortflow.intake.profile.Profile;
import org.cohortflow.intake.profile.ProfileReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cohortflow deidentify IN OUT --profile P.yaml}: the intake's de-identifier on a folder, offline. */
@Command(name = "deidentify", mixinStandardHelpOptions = true,
        header = "De-identifies a folder of DICOM files (PS3.15 Annex E) as an intake project would.",
        description = "Reads every file under IN, de-identifies it with the project's profile (Basic Profile and the "
                + "options it chooses; UIDs replaced by keyed hashes, dates shifted per patient, pseudonyms from the ID "
                + "map) and writes OUT/PSEUDONYM/STUDY/SERIES/SOP.dcm. Files that are not DICOM or that the profile "
                + "quarantines (filters, burned-in annotation, no PatientID) are listed on stderr and not written.",
        footer = {"", "Example:", "  cohortflow deidentify ../shared/data/ibsi-ct-phantom/dicom /tmp/cf-deidentified \\",
                "      --profile examples/study/intake-profile.yaml --id-map /tmp/cf-deidentified-ids.csv",
                "", "Exit codes: 0 every file written; 1 some files refused (listed) or an invalid profile; 2 usage error."})
final class DeidentifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "Folder of DICOM files (read recursively).")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Folder to write the de-identified files to.")
    Path out;

    @Option(names = "--profile", required = true, paramLabel = "PROFILE.yaml", description = "The project's profile.")
    Path profileFile;

    @Option(names = "--id-map", paramLabel = "IDS.csv",
            description = "The project's ID map (original,pseudonym): read if it exists, written back with new patients.")
    Path idMapFile;

    @Override
    public Integer call() throws IOException {
        Profile profile;
        try {
            profile = ProfileReader.read(profileFile);
        } catch (InvalidDefinitionException e) {
            e.problems().forEach(p -> spec.commandLine().getErr().println(p));
            return 1;
        }
        if (!Files.isDirectory(in)) {
            spec.commandLine().getErr().println(in + ": not a folder");
            return 2;
        }
        CsvIdMap ids = idMapFile == null ? new CsvIdMap(profile.pseudonymPrefix())
                : CsvIdMap.load(idMapFile, profile.pseudonymPrefix());
        FolderDeidentifier.Summary s = new FolderDeidentifier(new Deidentifier(profile, ids)).run(in, out);
        if (idMapFile != null) {
            ids.save(idMapFile);
        }
        s.refused().forEach(r -> spec.commandLine().getErr().printf("%s: %s: %s%n", r.file(), r.reason(), r.detail()));
        spec.commandLine().getOut().printf("%d written to %s, %d refused, %d patients%n", s.written(), out,
                s.refused().size(), ids.entries().size());
        return s.refused().isEmpty() ? 0 : 1;
    }
}
