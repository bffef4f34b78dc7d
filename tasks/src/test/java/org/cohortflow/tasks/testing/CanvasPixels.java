package org.cohortflow.tasks.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.cohortflow.server.testing.Chromium;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;

/** Looks at the viewer's canvas in a screenshot: crop it, count grey CT pixels and red overlay pixels. */
public final class CanvasPixels {
    private CanvasPixels() {
    }

    /** A colour test on one pixel. */
    public interface PixelTest {
        boolean test(int r, int g, int b);
    }

    /** The part of a screenshot an element covers; fails when the element is not (mostly) on screen. */
    public static BufferedImage crop(BufferedImage shot, Rectangle r) {
        int x = Math.max(0, r.getX()), y = Math.max(0, r.getY());
        int w = Math.min(r.getWidth(), shot.getWidth() - x), h = Math.min(r.getHeight(), shot.getHeight() - y);
        assertTrue(w > 100 && h > 100, "the canvas is visible: " + r.getDimension());
        return shot.getSubimage(x, y, w, h);
    }

    /**
     * The canvas in a screenshot, taken again until {@code drawn} holds or 30 s have passed: the page draws a
     * frame on its own time, later on a loaded machine. The caller asserts on the last one.
     */
    public static BufferedImage settled(Chromium chromium, Path file, WebElement canvas, Predicate<BufferedImage> drawn)
            throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        BufferedImage img = crop(chromium.screenshot(file), canvas.getRect());
        while (!drawn.test(img) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            img = crop(chromium.screenshot(file), canvas.getRect());
        }
        return img;
    }

    /** How many pixels pass {@code t}. */
    public static int count(BufferedImage img, PixelTest t) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                if (t.test((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255)) n++;
            }
        }
        return n;
    }

    /** A grey image pixel, brighter than the background. */
    public static boolean isGrey(int r, int g, int b) {
        return r > 30 && Math.abs(r - g) < 8 && Math.abs(g - b) < 8;
    }

    /** The mask drawn in red over grey: red well above green and blue. */
    public static boolean isOverlayRed(int r, int g, int b) {
        return r - Math.max(g, b) > 60;
    }

    /** Pixels that differ between two pictures of the same size. */
    public static int differingPixels(BufferedImage a, BufferedImage b) {
        int n = 0;
        for (int y = 0; y < Math.min(a.getHeight(), b.getHeight()); y++) {
            for (int x = 0; x < Math.min(a.getWidth(), b.getWidth()); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) n++;
            }
        }
        return n;
    }
}
