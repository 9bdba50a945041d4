/**
 * Glimpse as a library: {@link ai.glimpse.api.Glimpse} loads a model once and captions or explains
 * images from files, bytes, streams or {@link java.awt.image.BufferedImage}s; the command line and
 * {@code glimpse serve} caption through it. It logs through the SLF4J API only.
 */
package ai.glimpse.api;
