package org.cohortflow.biomarkers.filter;

/** Reorders an image's axes, so that a 2D filter can work in the x-z or y-z planes as it does in x-y. */
final class Axes {
    private Axes() {
    }

    /** The image whose axis {@code a} is {@code image}'s axis {@code order[a]}. */
    static FilterImage permute(FilterImage image, int[] order) {
        int[] n = {image.nx(), image.ny(), image.nz()};
        int[] m = {n[order[0]], n[order[1]], n[order[2]]};
        double[] sp = {image.spacing(order[0]), image.spacing(order[1]), image.spacing(order[2])};
        double[] src = image.values();
        double[] out = new double[src.length];
        int[] idx = new int[3];
        int i = 0;
        for (idx[2] = 0; idx[2] < n[2]; idx[2]++) {
            for (idx[1] = 0; idx[1] < n[1]; idx[1]++) {
                for (idx[0] = 0; idx[0] < n[0]; idx[0]++, i++) {
                    int a = idx[order[0]], b = idx[order[1]], c = idx[order[2]];
                    out[a + m[0] * (b + m[1] * c)] = src[i];
                }
            }
        }
        return new FilterImage(m[0], m[1], m[2], sp, out);
    }

    /** The inverse of {@link #permute} with the same {@code order}. */
    static FilterImage permuteBack(FilterImage image, int[] order) {
        int[] inverse = new int[3];
        for (int a = 0; a < 3; a++) inverse[order[a]] = a;
        return permute(image, inverse);
    }
}
