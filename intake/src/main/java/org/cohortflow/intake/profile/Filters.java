package org.cohortflow.intake.profile;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which objects a project accepts: modalities (empty: all), a StudyDescription pattern that must match the
 * whole description, and the calling AE titles allowed to send (empty: any).
 */
public record Filters(Set<String> modalities, Optional<Pattern> studyDescription, Set<String> callingAets) {
    public Filters {
        modalities = Set.copyOf(modalities);
        callingAets = Set.copyOf(callingAets);
    }

    /** Accept everything. */
    public static Filters none() {
        return new Filters(Set.of(), Optional.empty(), Set.of());
    }

    /** Why an object with this modality and study description is refused, or empty when it is accepted. */
    public Optional<String> refusal(String modality, String studyDescription) {
        if (!modalities.isEmpty() && (modality == null || !modalities.contains(modality))) {
            return Optional.of("modality '" + modality + "' is not accepted by the profile (accepted: "
                    + String.join(", ", new java.util.TreeSet<>(modalities)) + ")");
        }
        if (this.studyDescription.isPresent()) {
            String d = studyDescription == null ? "" : studyDescription;
            if (!this.studyDescription.get().matcher(d).matches()) {
                return Optional.of("StudyDescription '" + d + "' does not match the profile's pattern '"
                        + this.studyDescription.get().pattern() + "'");
            }
        }
        return Optional.empty();
    }
}
