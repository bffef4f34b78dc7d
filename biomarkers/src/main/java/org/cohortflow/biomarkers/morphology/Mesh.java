package org.cohortflow.biomarkers.morphology;

/**
 * A closed, outward-oriented triangle mesh in millimetres.
 *
 * @param vertices  {@code x, y, z} per vertex, in mm relative to the grid's first voxel centre
 * @param gridUnits vertex positions in half-voxel units (exact integers), for exact geometry
 * @param triangles three vertex indices per triangle, counter-clockwise seen from outside
 */
public record Mesh(double[] vertices, long[] gridUnits, int[] triangles) {

    /** @return number of vertices */
    public int vertexCount() {
        return vertices.length / 3;
    }

    /** @return number of triangles */
    public int triangleCount() {
        return triangles.length / 3;
    }

    /** @return the enclosed volume in mm³ (divergence theorem over the triangles) */
    public double volume() {
        double v = 0;
        for (int t = 0; t < triangles.length; t += 3) {
            int a = 3 * triangles[t], b = 3 * triangles[t + 1], c = 3 * triangles[t + 2];
            double ax = vertices[a], ay = vertices[a + 1], az = vertices[a + 2];
            double bx = vertices[b], by = vertices[b + 1], bz = vertices[b + 2];
            double cx = vertices[c], cy = vertices[c + 1], cz = vertices[c + 2];
            v += ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
        }
        return v / 6.0;
    }

    /** @return the surface area in mm² */
    public double area() {
        double s = 0;
        for (int t = 0; t < triangles.length; t += 3) {
            int a = 3 * triangles[t], b = 3 * triangles[t + 1], c = 3 * triangles[t + 2];
            double ux = vertices[b] - vertices[a], uy = vertices[b + 1] - vertices[a + 1], uz = vertices[b + 2] - vertices[a + 2];
            double wx = vertices[c] - vertices[a], wy = vertices[c + 1] - vertices[a + 1], wz = vertices[c + 2] - vertices[a + 2];
            double nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx;
            s += Math.sqrt(nx * nx + ny * ny + nz * nz);
        }
        return s / 2.0;
    }
}
