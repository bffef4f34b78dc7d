package org.cohortflow.governance.callback;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a callback's arguments name things of its experiment, the same for every callback type:
 * {@code scan:LABEL} is the URL of the experiment's scan with that label, {@code var:NAME} the value of one of
 * its variables, anything else is itself. The pipeline callback binds its network's sources so, and the task
 * callback its task's {@code content} (e.g. {@code images: {ct: "var:ct_nifti"}}).
 */
final class ExperimentBinding {
    private ExperimentBinding() {
    }

    /**
     * The value one reference stands for.
     *
     * @param spec  {@code scan:LABEL}, {@code var:NAME} or a literal
     * @param facts the experiment
     * @param where what the reference is for, named in the error
     * @throws IllegalArgumentException when the experiment has no such scan or variable (the callback fails with it)
     */
    static String resolve(String spec, CallbackRequest.ExperimentFacts facts, String where) {
        if (spec.startsWith("scan:")) {
            String label = spec.substring(5);
            return facts.scans().stream().filter(s -> label.equals(s.get("label"))).map(s -> s.get("url")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("experiment " + facts.label() + " has no scan '" + label
                            + "' for " + where + " (its scans: " + facts.scans().stream().map(s -> s.get("label")).toList() + ")"));
        }
        if (spec.startsWith("var:")) {
            Object v = facts.variables().get(spec.substring(4));
            if (v == null) {
                throw new IllegalArgumentException("experiment " + facts.label() + " has no variable '" + spec.substring(4)
                        + "' for " + where);
            }
            return v.toString();
        }
        return spec;
    }

    /**
     * A copy of a YAML/JSON value with every string in it resolved by {@link #resolve}, at any depth of maps and
     * lists; {@code where} names the path of each value in errors ({@code content.images.ct}).
     */
    static Object resolveAll(Object value, CallbackRequest.ExperimentFacts facts, String where) {
        if (value instanceof String s) {
            return resolve(s, facts, where);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k.toString(), resolveAll(v, facts, where + "." + k)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                out.add(resolveAll(l.get(i), facts, where + "[" + i + "]"));
            }
            return out;
        }
        return value;
    }
}
