package org.cohortflow.biomarkers.morphology;

/** Eigenvalues of a symmetric 3x3 matrix by cyclic Jacobi rotations. */
final class SymmetricEigen {
    private SymmetricEigen() {
    }

    /** @return eigenvalues sorted from largest to smallest */
    static double[] eigenvalues(double[][] matrix) {
        double[][] a = new double[3][3];
        for (int i = 0; i < 3; i++) a[i] = matrix[i].clone();
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2];
            if (off < 1e-30) break;
            for (int p = 0; p < 2; p++) {
                for (int q = p + 1; q < 3; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) continue;
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < 3; k++) {
                        double akp = a[k][p], akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < 3; k++) {
                        double apk = a[p][k], aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                }
            }
        }
        double[] ev = {a[0][0], a[1][1], a[2][2]};
        java.util.Arrays.sort(ev);
        return new double[] {ev[2], ev[1], ev[0]};
    }
}
