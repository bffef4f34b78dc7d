package org.cohortflow.intake.profile;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One project's de-identification profile, read from YAML by {@link ProfileReader}: the Annex E options it
 * chooses, attributes to keep, replace or remove beyond the standard's actions, how dates shift, how
 * pseudonyms look, what to do with burned-in annotation, and which objects it accepts.
 *
 * @param project        the project's name (objects are tracked and pseudonyms mapped per project)
 * @param secret         the per-project key for UID hashing and date offsets (never logged)
 * @param options        the chosen Annex E options
 * @param maxShiftDays   dates shift back by 1..maxShiftDays days, one offset per patient (with
 *                       {@link DeidOption#RETAIN_LONGITUDINAL_MODIFIED_DATES})
 * @param pseudonymPrefix pseudonyms are this prefix and a zero-padded sequence number
 * @param keep           attributes left exactly as received, whatever the profile says
 * @param replace        attributes set to a fixed value
 * @param remove         attributes removed beyond the standard's actions
 * @param burnedIn       what to do with objects that may show burned-in annotation
 * @param filters        which objects the project accepts
 * @param scans          how series are labelled in the experiments the intake makes (first match wins)
 */
public record Profile(String project, byte[] secret, Set<DeidOption> options, int maxShiftDays, String pseudonymPrefix,
                      List<TagRef> keep, Map<TagRef, String> replace, List<TagRef> remove, BurnedIn burnedIn,
                      Filters filters, List<ScanRule> scans) {

    /** What happens to an object that may carry burned-in annotation. */
    public enum BurnedIn {
        /** Quarantine it (the default: cohortflow does not clean pixel data). */
        QUARANTINE,
        /** Forward it as it is: the project has checked that its sources burn nothing in. */
        ACCEPT
    }

    public Profile {
        secret = secret.clone();
        options = options.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(options));
        keep = List.copyOf(keep);
        replace = Map.copyOf(replace);
        remove = List.copyOf(remove);
        scans = List.copyOf(scans);
    }

    /** A profile without scan rules: every series is labelled by its SeriesInstanceUID. */
    public Profile(String project, byte[] secret, Set<DeidOption> options, int maxShiftDays, String pseudonymPrefix,
                   List<TagRef> keep, Map<TagRef, String> replace, List<TagRef> remove, BurnedIn burnedIn, Filters filters) {
        this(project, secret, options, maxShiftDays, pseudonymPrefix, keep, replace, remove, burnedIn, filters, List.of());
    }

    /**
     * The label of a series by the profile's {@code scans} rules, matched on the modality and SeriesDescription
     * as received; empty when no rule matches (the series is then labelled by its SeriesInstanceUID).
     */
    public java.util.Optional<String> scanLabel(String modality, String seriesDescription) {
        return ScanRule.labelFor(scans, modality, seriesDescription);
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /** Whether the profile chooses an option. */
    public boolean has(DeidOption option) {
        return options.contains(option);
    }
}
