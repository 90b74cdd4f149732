package io.jenkins.plugins.mlstages.dvc;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.Severity;

/**
 * What DVC records about one data file: written to the report's {@code dataset.dvc}, the MLflow
 * dataset input (source type {@code dvc}) and the dataset's lineage node.
 *
 * @param path the file relative to the DVC repository root
 * @param md5 the MD5 DVC recorded for the file; null when unknown (see {@code note})
 * @param actualMd5 the MD5 of the file on disk (as DVC computes it), or null when there was nothing to compare
 * @param matches whether the file on disk is the one DVC recorded; null when unknown
 * @param output the DVC output that covers it (the file itself, or the directory it is in)
 * @param stage the dvc.lock stage that produced it, or null (a {@code .dvc} file)
 * @param declaredIn the DVC file that records it ({@code dvc.lock}, {@code data.csv.dvc}), relative to the root
 * @param revision the git commit of the repository, or {@code unknown}
 * @param note why the digest is unknown, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DvcTracking(String repository, String path, String md5, String actualMd5, Boolean matches,
        String output, String stage, String declaredIn, String revision, String note) implements Serializable {
    public static final String SOURCE_TYPE = "dvc";
    public static final String UNKNOWN = "unknown";
    public static final String CHECK = "dvc.modified";

    /**
     * The {@code dvc.modified} check at the default severity, WARNING: failed when the file on disk is not
     * the one DVC recorded (changed without {@code dvc add} / {@code dvc repro} / {@code dvc commit});
     * none when it was not compared (the digest unknown, or {@code --dvc-check off}).
     */
    public Optional<Finding> finding() {
        return finding(Severity.WARNING);
    }

    /** The {@code dvc.modified} check at this severity. */
    public Optional<Finding> finding(Severity severity) {
        if (matches == null) {
            return Optional.empty();
        }
        String message = matches
                ? path + ": matches " + declaredIn + " (md5 " + md5 + ")"
                : path + ": changed since " + declaredIn + " recorded it: md5 " + actualMd5 + " on disk, " + md5 + " in "
                        + declaredIn + " (run dvc status)";
        return Optional.of(new Finding(CHECK, path, severity, matches, message, actualMd5, md5));
    }

    /** The attributes of the dataset's lineage node ({@code dvc_md5}, {@code dvc_stage}, ...). */
    public Map<String, String> lineageAttributes() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("dvc_path", path);
        attributes.put("dvc_md5", md5 == null ? UNKNOWN : md5);
        if (matches != null) {
            attributes.put("dvc_matches", String.valueOf(matches));
        }
        if (stage != null) {
            attributes.put("dvc_stage", stage);
        }
        attributes.put("dvc_file", declaredIn);
        attributes.put("dvc_revision", revision);
        return attributes;
    }

    /** One line for the log. */
    public String line() {
        return "dvc: " + path + " tracked by " + declaredIn + (stage == null ? "" : " (stage " + stage + ")")
                + ", md5 " + (md5 == null ? UNKNOWN + ": " + note : md5) + ", revision " + revision;
    }
}
