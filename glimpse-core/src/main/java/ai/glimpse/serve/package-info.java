/**
 * {@code glimpse serve}: an HTTP server over the library ({@link ai.glimpse.api.Glimpse}) with dynamic
 * batching of concurrent requests, hard limits (body size, pixels, queue, timeout), a web page that
 * shows each word's attention, a health check and Prometheus metrics.
 */
package ai.glimpse.serve;
