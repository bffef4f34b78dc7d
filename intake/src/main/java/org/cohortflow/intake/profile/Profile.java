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
 */
public record Profile(String project, byte[] secret, Set<DeidOption> options, int maxShiftDays, String pseudonymPrefix,
                      List<TagRef> keep, Map<TagRef, String> replace, List<TagRef> remove, BurnedIn burnedIn,
                      Filters filters) {

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
