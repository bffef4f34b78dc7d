package org.cohortflow.intake.profile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.cohortflow.dsl.yaml.Fields;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.dsl.yaml.Location;
import org.cohortflow.dsl.yaml.Problems;
import org.cohortflow.dsl.yaml.YamlNode;
import org.cohortflow.dsl.yaml.YamlReader;

/**
 * Reads a project's de-identification profile from YAML, strictly: unknown keys, unknown options or
 * attributes, bad patterns and missing secrets are all reported at once with FILE:LINE:COL in an
 * {@link InvalidDefinitionException}.
 *
 * <pre>
 * project: sts-trial
 * secretFile: sts-trial.key          # or secret: TEXT (at least 16 characters)
 * options: [retainLongitudinalModifiedDates, retainPatientCharacteristics]
 * dates: {maxShiftDays: 365}
 * pseudonyms: {prefix: STS-}
 * keep: [BodyPartExamined]
 * replace: {InstitutionName: cohortflow}
 * remove: ["(0009,0010)"]
 * burnedIn: quarantine               # or accept
 * accept: {modalities: [CT, RTSTRUCT], studyDescription: ".*", callingAets: [SCANNER1]}
 * scans:                             # scan labels at the study governor; first match wins, else the series UID
 *   - {label: ct, modality: CT}
 *   - {label: rtstruct, modality: RTSTRUCT}
 *   - {label: pet, seriesDescription: ".*PET.*"}
 * </pre>
 */
public final class ProfileReader {
    private static final Set<String> KEYS = Set.of("project", "secret", "secretFile", "options", "dates", "pseudonyms",
            "keep", "replace", "remove", "burnedIn", "accept", "scans");
    private static final int MIN_SECRET = 16;
    /** What the study governor takes as a scan label, and what a workflow can write after {@code scan:}. */
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private ProfileReader() {
    }

    /** Reads a profile file; a relative {@code secretFile} is resolved against the profile's folder. */
    public static Profile read(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        return parse(YamlReader.read(file), dir);
    }

    /** Parses profile text; {@code sourceName} names it in error locations. */
    public static Profile parse(String yaml, String sourceName, Path baseDir) {
        return parse(YamlReader.read(yaml, sourceName), baseDir);
    }

    private static Profile parse(YamlNode root, Path baseDir) {
        Problems problems = new Problems();
        Optional<Fields> top = Fields.of(root, problems, "profile", KEYS);
        if (top.isEmpty()) {
            problems.throwIfAny();
        }
        Fields f = top.orElseThrow();
        String project = f.requiredString("project").orElse("");
        if (!project.isEmpty() && !project.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            problems.add(f.node("project").orElseThrow().location(),
                    "'project' must be letters, digits, '_', '.' or '-' (at most 64), found '" + project + "'");
        }
        byte[] secret = secret(f, baseDir, problems);
        Set<DeidOption> options = EnumSet.noneOf(DeidOption.class);
        f.sequenceAt("options").ifPresent(seq -> {
            for (YamlNode item : seq.items()) {
                Optional<String> name = scalar(item, "an option", problems);
                name.ifPresent(n -> {
                    Optional<DeidOption> o = DeidOption.byYamlName(n);
                    if (o.isEmpty()) {
                        problems.add(item.location(), "unknown option '" + n + "' (known: " + optionNames() + ")");
                    } else if (!options.add(o.get())) {
                        problems.add(item.location(), "option '" + n + "' is listed twice");
                    }
                });
            }
        });
        int maxShift = 365;
        Optional<YamlNode.Mapping> dates = f.mappingAt("dates");
        if (dates.isPresent()) {
            Optional<Fields> d = Fields.of(dates.get(), problems, "dates", Set.of("maxShiftDays"));
            if (d.isPresent()) {
                maxShift = d.get().integer("maxShiftDays", 1, 36500).map(Long::intValue).orElse(maxShift);
            }
        }
        String prefix = "SUBJ-";
        Optional<YamlNode.Mapping> pseudo = f.mappingAt("pseudonyms");
        if (pseudo.isPresent()) {
            Optional<Fields> p = Fields.of(pseudo.get(), problems, "pseudonyms", Set.of("prefix"));
            if (p.isPresent()) {
                Optional<String> pre = p.get().string("prefix");
                if (pre.isPresent() && !pre.get().matches("[A-Za-z0-9_-]{1,32}")) {
                    problems.add(pseudo.get().get("prefix").orElseThrow().location(),
                            "'prefix' must be 1 to 32 letters, digits, '_' or '-', found '" + pre.get() + "'");
                } else if (pre.isPresent()) {
                    prefix = pre.get();
                }
            }
        }
        List<TagRef> keep = tags(f, "keep", problems);
        List<TagRef> remove = tags(f, "remove", problems);
        Map<TagRef, String> replace = new LinkedHashMap<>();
        f.mappingAt("replace").ifPresent(m -> m.entries().values().forEach(e -> {
            Optional<TagRef> t = TagRef.parse(e.key());
            if (t.isEmpty()) {
                problems.add(e.keyLocation(), "unknown attribute '" + e.key() + "' (a DICOM keyword or (gggg,eeee))");
            }
            Optional<String> v = scalar(e.value(), "the value of '" + e.key() + "'", problems);
            if (t.isPresent() && v.isPresent()) {
                replace.put(t.get(), v.get());
            }
        }));
        Set<TagRef> seen = new HashSet<>();
        for (TagRef t : concat(keep, remove, replace.keySet())) {
            if (!seen.add(t)) {
                problems.add(f.location(), "attribute " + t + " is named in more than one of keep, replace, remove");
            }
        }
        Profile.BurnedIn burnedIn = Profile.BurnedIn.QUARANTINE;
        Optional<String> b = f.string("burnedIn");
        if (b.isPresent()) {
            try {
                burnedIn = Profile.BurnedIn.valueOf(b.get().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(f.node("burnedIn").orElseThrow().location(),
                        "'burnedIn' must be quarantine or accept, found '" + b.get() + "'");
            }
        }
        Filters filters = filters(f, problems);
        List<ScanRule> scans = scanRules(f, problems);
        problems.throwIfAny();
        return new Profile(project, secret, options, maxShift, prefix, keep, replace, remove, burnedIn, filters, scans);
    }

    private static byte[] secret(Fields f, Path baseDir, Problems problems) {
        Optional<String> inline = f.string("secret");
        Optional<String> file = f.string("secretFile");
        if (inline.isPresent() && file.isPresent()) {
            problems.add(f.keyLocation("secretFile"), "give either 'secret' or 'secretFile', not both");
            return new byte[0];
        }
        if (inline.isEmpty() && file.isEmpty()) {
            problems.add(f.location(), "profile is missing required key 'secret' or 'secretFile' (the per-project key"
                    + " for UIDs and date offsets)");
            return new byte[0];
        }
        String text;
        Location where;
        if (file.isPresent()) {
            where = f.node("secretFile").orElseThrow().location();
            Path p = baseDir == null ? Path.of(file.get()) : baseDir.resolve(file.get());
            try {
                text = Files.readString(p, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                problems.add(where, "cannot read secret file " + p + ": " + e.getMessage());
                return new byte[0];
            }
        } else {
            where = f.node("secret").orElseThrow().location();
            text = inline.get();
        }
        if (text.length() < MIN_SECRET) {
            problems.add(where, "the secret must be at least " + MIN_SECRET + " characters, found " + text.length());
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Filters filters(Fields f, Problems problems) {
        Optional<YamlNode.Mapping> accept = f.mappingAt("accept");
        if (accept.isEmpty()) {
            return Filters.none();
        }
        Optional<Fields> a = Fields.of(accept.get(), problems, "accept", Set.of("modalities", "studyDescription",
                "callingAets"));
        if (a.isEmpty()) {
            return Filters.none();
        }
        Set<String> modalities = new HashSet<>(strings(a.get(), "modalities", problems));
        for (String m : modalities) {
            if (!m.matches("[A-Z]{2,16}")) {
                problems.add(accept.get().get("modalities").orElseThrow().location(),
                        "modality '" + m + "' is not a DICOM modality code (upper-case letters, e.g. CT, RTSTRUCT)");
            }
        }
        Optional<Pattern> pattern = Optional.empty();
        Optional<String> d = a.get().string("studyDescription");
        if (d.isPresent()) {
            try {
                pattern = Optional.of(Pattern.compile(d.get()));
            } catch (PatternSyntaxException e) {
                problems.add(accept.get().get("studyDescription").orElseThrow().location(),
                        "'studyDescription' is not a valid regular expression: " + e.getDescription());
            }
        }
        Set<String> aets = new HashSet<>(strings(a.get(), "callingAets", problems));
        for (String ae : aets) {
            if (ae.isEmpty() || ae.length() > 16) {
                problems.add(accept.get().get("callingAets").orElseThrow().location(),
                        "AE title '" + ae + "' must be 1 to 16 characters");
            }
        }
        return new Filters(modalities, pattern, aets);
    }

    private static List<ScanRule> scanRules(Fields f, Problems problems) {
        List<ScanRule> rules = new ArrayList<>();
        f.sequenceAt("scans").ifPresent(seq -> {
            for (YamlNode item : seq.items()) {
                Optional<Fields> r = Fields.of(item, problems, "a rule of 'scans'", Set.of("label", "modality",
                        "seriesDescription"));
                if (r.isEmpty()) {
                    continue;
                }
                Fields rule = r.get();
                Optional<String> label = rule.requiredString("label");
                if (label.isPresent() && !LABEL.matcher(label.get()).matches()) {
                    problems.add(rule.node("label").orElseThrow().location(), "scan label '" + label.get()
                            + "' must be 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit");
                }
                Optional<String> modality = rule.string("modality");
                if (modality.isPresent() && !modality.get().matches("[A-Z0-9]{2,16}")) {
                    problems.add(rule.node("modality").orElseThrow().location(), "modality '" + modality.get()
                            + "' is not a DICOM modality code (upper-case letters, e.g. CT, RTSTRUCT)");
                }
                Optional<Pattern> description = Optional.empty();
                Optional<String> d = rule.string("seriesDescription");
                if (d.isPresent()) {
                    try {
                        description = Optional.of(Pattern.compile(d.get()));
                    } catch (PatternSyntaxException e) {
                        problems.add(rule.node("seriesDescription").orElseThrow().location(),
                                "'seriesDescription' is not a valid regular expression: " + e.getDescription());
                    }
                }
                if (modality.isEmpty() && d.isEmpty()) {
                    problems.add(item.location(), "a rule of 'scans' needs 'modality' or 'seriesDescription' (or both):"
                            + " without them it would give every series the label '" + label.orElse("") + "'");
                }
                if (label.isPresent()) {
                    rules.add(new ScanRule(label.get(), modality, description));
                }
            }
        });
        return rules;
    }

    private static List<String> strings(Fields f, String key, Problems problems) {
        List<String> out = new ArrayList<>();
        f.sequenceAt(key).ifPresent(seq -> seq.items().forEach(i -> scalar(i, "an item of '" + key + "'", problems)
                .ifPresent(out::add)));
        return out;
    }

    private static List<TagRef> tags(Fields f, String key, Problems problems) {
        List<TagRef> out = new ArrayList<>();
        f.sequenceAt(key).ifPresent(seq -> {
            for (YamlNode item : seq.items()) {
                scalar(item, "an attribute in '" + key + "'", problems).ifPresent(s -> {
                    Optional<TagRef> t = TagRef.parse(s);
                    if (t.isEmpty()) {
                        problems.add(item.location(), "unknown attribute '" + s + "' in '" + key
                                + "' (a DICOM keyword or (gggg,eeee))");
                    } else {
                        out.add(t.get());
                    }
                });
            }
        });
        return out;
    }

    private static Optional<String> scalar(YamlNode node, String what, Problems problems) {
        if (node instanceof YamlNode.Scalar s && !s.isNull()) {
            return Optional.of(s.text());
        }
        problems.add(node.location(), what + " must be a scalar, found " + node.kind());
        return Optional.empty();
    }

    @SafeVarargs
    private static List<TagRef> concat(java.util.Collection<TagRef>... parts) {
        List<TagRef> all = new ArrayList<>();
        for (java.util.Collection<TagRef> p : parts) {
            all.addAll(p);
        }
        return all;
    }

    private static String optionNames() {
        StringBuilder sb = new StringBuilder();
        for (DeidOption o : DeidOption.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(o.yamlName());
        }
        return sb.toString();
    }
}
