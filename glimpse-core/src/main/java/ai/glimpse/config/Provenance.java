package ai.glimpse.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a model came from, as {@code glimpse train} records it in the bundle ({@code "provenance"} in
 * {@code glimpse.json}, names in snake_case): the Glimpse version and the date of the run, its command
 * line, the backend it ran on, the data files with their sizes and SHA-256 checksums, and, once training
 * has saved the weights, how many steps and epochs they had and their validation scores. Every field but
 * the version may be missing; bundles written before Glimpse recorded provenance have none at all, and
 * fields a later version adds are ignored on reading.
 *
 * @param glimpseVersion the version of Glimpse that trained the model
 * @param created        when training started, ISO-8601 in UTC, e.g. {@code 2026-12-02T10:15:00Z}
 * @param command        the arguments of the {@code train} command
 * @param backend        the ND4J backend it ran on, in one line
 * @param data           the files the model was trained from
 * @param steps          captioning steps done when the weights were saved (null: not recorded)
 * @param epochs         epochs done when the weights were saved (null: not recorded)
 * @param validation     the validation scores of the saved weights, by metric (null: none)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Provenance(
        @JsonProperty("glimpse_version") String glimpseVersion,
        @JsonProperty("created") String created,
        @JsonProperty("command") List<String> command,
        @JsonProperty("backend") String backend,
        @JsonProperty("data") List<DataFile> data,
        @JsonProperty("steps") Long steps,
        @JsonProperty("epochs") Integer epochs,
        @JsonProperty("validation") Map<String, Double> validation) {

    /**
     * One input of a training run.
     *
     * @param role   what it was: {@code captions}, {@code images}, {@code encoder weights}, {@code resumed from}
     * @param path   its path as given
     * @param bytes  its size (null for a folder)
     * @param sha256 its SHA-256 checksum in hex (null for a folder: the images are not hashed one by one)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DataFile(@JsonProperty("role") String role, @JsonProperty("path") String path,
            @JsonProperty("bytes") Long bytes, @JsonProperty("sha256") String sha256) {
        public DataFile {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(path, "path");
            if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got " + sha256);
            }
        }
    }

    public Provenance {
        Objects.requireNonNull(glimpseVersion, "glimpseVersion");
        command = command == null ? null : List.copyOf(command);
        data = data == null ? List.of() : List.copyOf(data);
        if (steps != null && steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        if (epochs != null && epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        if (validation != null) {
            Map<String, Double> finite = new LinkedHashMap<>();        // JSON has no NaN: a score not computed is left out
            validation.forEach((metric, score) -> {
                if (metric != null && score != null && Double.isFinite(score)) {
                    finite.put(metric, score);
                }
            });
            validation = finite.isEmpty() ? null : java.util.Collections.unmodifiableMap(finite);
        }
    }

    /** What is known when a run starts: no steps or scores yet. */
    public static Provenance start(String glimpseVersion, String created, List<String> command, String backend,
            List<DataFile> data) {
        return new Provenance(glimpseVersion, created, command, backend, data, null, null, null);
    }

    /** The same record for weights saved after {@code steps} steps and {@code epochs} epochs, with their scores. */
    public Provenance trained(long steps, int epochs, Map<String, Double> validation) {
        return new Provenance(glimpseVersion, created, command, backend, data, steps, epochs,
                validation == null ? this.validation : validation);
    }
}
