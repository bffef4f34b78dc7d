package org.cohortflow.biomarkers.filter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an {@link ImageFilter} from its description in IBSI 2's vocabulary (JSON, or YAML read as JSON):
 *
 * <pre>
 * {type: mean, support: 15, dimensions: 3, boundary: zero}
 * {type: log, sigma_mm: 3, cutoff: 4, dimensions: 3, boundary: zero}
 * {type: laws, kernels: E5L5S5, pooling: max, energy_distance: 7, boundary: mirror}
 * {type: gabor, sigma_mm: 10, lambda_mm: 4, gamma: 0.5, theta_deg: 60, boundary: zero}
 * {type: gabor, sigma_mm: 10, lambda_mm: 4, gamma: 0.5, theta_step_deg: 45, pooling: average, orthogonal_planes: true}
 * {type: wavelet, wavelet: db2, subband: LHL, level: 1, pooling: average, boundary: zero, decimated: false}
 * {type: simoncelli, level: 1, dimensions: 3, boundary: periodic}
 * {type: riesz, order: [1, 0, 0], base: {type: log, sigma_mm: 3, boundary: zero}, boundary: zero}
 * </pre>
 *
 * {@code boundary} defaults to {@code mirror}, {@code dimensions} to 3, {@code cutoff} to 4; no {@code pooling}
 * means no rotation invariance. Unknown keys, missing ones and impossible values are refused naming the key.
 */
public final class FilterSpec {
    private FilterSpec() {
    }

    private static final Map<String, Set<String>> KEYS = Map.of(
            "mean", Set.of("support", "dimensions"),
            "log", Set.of("sigma_mm", "cutoff", "dimensions"),
            "laws", Set.of("kernels", "pooling", "energy_distance"),
            "gabor", Set.of("sigma_mm", "lambda_mm", "gamma", "theta_deg", "theta_step_deg", "pooling", "orthogonal_planes"),
            "wavelet", Set.of("wavelet", "subband", "level", "pooling", "decimated"),
            "simoncelli", Set.of("level", "dimensions"),
            "riesz", Set.of("order", "base"));

    /** The filter {@code node} describes, or an {@link IllegalArgumentException} naming the offending key. */
    public static ImageFilter parse(JsonNode node) {
        if (node == null || !node.isObject()) throw new IllegalArgumentException("filter: expected an object such as {type: mean, support: 15}");
        String type = text(node, "type");
        Set<String> allowed = KEYS.get(type);
        if (allowed == null) {
            throw new IllegalArgumentException("filter.type: unknown filter '" + type + "': expected one of " + new java.util.TreeSet<>(KEYS.keySet()));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("type") && !k.equals("boundary") && !allowed.contains(k)) {
                throw new IllegalArgumentException("filter." + k + ": not a setting of the " + type + " filter (it takes "
                        + new java.util.TreeSet<>(allowed) + " and boundary)");
            }
        }
        Boundary boundary;
        try {
            boundary = node.has("boundary") ? Boundary.parse(text(node, "boundary")) : Boundary.MIRROR;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("filter.boundary: " + e.getMessage());
        }
        try {
            return switch (type) {
                case "mean" -> new MeanFilter(integer(node, "support"), planar(node), boundary);
                case "log" -> new LaplacianOfGaussian(number(node, "sigma_mm"), node.has("cutoff") ? number(node, "cutoff") : 4,
                        planar(node), boundary);
                case "laws" -> new LawsFilter(LawsFilter.parseKernels(text(node, "kernels")), boundary, pooling(node),
                        node.has("energy_distance") ? integer(node, "energy_distance") : 0);
                case "gabor" -> gabor(node, boundary);
                case "wavelet" -> new WaveletFilter(text(node, "wavelet"), text(node, "subband"), integer(node, "level"),
                        pooling(node), boundary, node.has("decimated") && bool(node, "decimated"));
                case "riesz" -> riesz(node, boundary);
                default -> new SimoncelliFilter(integer(node, "level"), planar(node), boundary);
            };
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith("filter.") ? e
                    : new IllegalArgumentException("filter (" + type + "): " + e.getMessage(), e);
        }
    }

    private static ImageFilter gabor(JsonNode node, Boundary boundary) {
        List<Double> thetas = new ArrayList<>();
        if (node.has("theta_deg") == node.has("theta_step_deg")) {
            throw new IllegalArgumentException("filter.theta_deg: give either theta_deg (one orientation) or theta_step_deg (pooled)");
        }
        if (node.has("theta_deg")) {
            thetas.add(Math.toRadians(number(node, "theta_deg")));
        } else {
            double step = number(node, "theta_step_deg");
            if (!(step > 0) || step > 180) throw new IllegalArgumentException("filter.theta_step_deg: must be in (0, 180]: " + step);
            thetas.addAll(GaborFilter.orientations(Math.toRadians(step)));
        }
        boolean planes = node.has("orthogonal_planes") && bool(node, "orthogonal_planes");
        return new GaborFilter(number(node, "sigma_mm"), number(node, "lambda_mm"), number(node, "gamma"), thetas, pooling(node),
                planes, boundary);
    }

    private static ImageFilter riesz(JsonNode node, Boundary boundary) {
        JsonNode order = node.get("order");
        if (order == null || !order.isArray() || order.size() != 3) {
            throw new IllegalArgumentException("filter.order: expected three non-negative integers, e.g. [1, 0, 0]");
        }
        int[] l = new int[3];
        for (int a = 0; a < 3; a++) {
            if (!order.get(a).isIntegralNumber()) throw new IllegalArgumentException("filter.order: expected integers");
            l[a] = order.get(a).asInt();
        }
        JsonNode base = node.get("base");
        if (base == null) throw new IllegalArgumentException("filter.base: the filter the Riesz transform follows, e.g. {type: log, sigma_mm: 3}");
        ImageFilter b;
        try {
            b = parse(base);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("filter.base." + e.getMessage().replaceFirst("^filter\\.", ""), e);
        }
        return new RieszFilter(b, l, boundary);
    }

    private static boolean planar(JsonNode node) {
        if (!node.has("dimensions")) return false;
        int d = integer(node, "dimensions");
        if (d != 2 && d != 3) throw new IllegalArgumentException("filter.dimensions: must be 2 or 3: " + d);
        return d == 2;
    }

    private static Pooling pooling(JsonNode node) {
        if (!node.has("pooling") || node.get("pooling").isNull()) return null;
        try {
            return Pooling.parse(text(node, "pooling"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("filter.pooling: " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException("filter." + key + ": expected text");
        return v.asText();
    }

    private static double number(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isNumber()) throw new IllegalArgumentException("filter." + key + ": expected a number");
        return v.asDouble();
    }

    private static int integer(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) throw new IllegalArgumentException("filter." + key + ": expected an integer");
        return v.asInt();
    }

    private static boolean bool(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (!v.isBoolean()) throw new IllegalArgumentException("filter." + key + ": expected true or false");
        return v.asBoolean();
    }
}
