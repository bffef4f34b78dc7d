package org.cohortflow.intake.profile;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One rule of a profile's {@code scans:} list: the label a series gets in the experiment the intake makes at
 * the study governor, when its modality equals {@code modality} and its SeriesDescription matches
 * {@code seriesDescription} as a whole (each only when given; a rule has at least one). The first rule that
 * matches wins; a series no rule matches keeps its (new) SeriesInstanceUID as its label.
 *
 * @param label             the scan label (what a workflow names as {@code scan:LABEL})
 * @param modality          the DICOM modality the series must have, if given
 * @param seriesDescription a regular expression the whole SeriesDescription must match, if given
 */
public record ScanRule(String label, Optional<String> modality, Optional<Pattern> seriesDescription) {

    /**
     * The label of the first rule that matches a series with this modality and description, if any.
     * Descriptions are those the scanner sent (before de-identification removes them); only the label is kept.
     */
    public static Optional<String> labelFor(List<ScanRule> rules, String modality, String seriesDescription) {
        return rules.stream().filter(r -> r.matches(modality, seriesDescription)).map(ScanRule::label).findFirst();
    }

    /** Whether a series with this modality and description matches the rule. */
    public boolean matches(String modality, String seriesDescription) {
        if (this.modality.isPresent() && !this.modality.get().equals(modality)) {
            return false;
        }
        return this.seriesDescription.isEmpty()
                || this.seriesDescription.get().matcher(seriesDescription == null ? "" : seriesDescription).matches();
    }
}
