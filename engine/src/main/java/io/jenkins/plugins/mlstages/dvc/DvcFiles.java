package io.jenkins.plugins.mlstages.dvc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.jenkins.plugins.mlstages.report.InputFiles;
import io.jenkins.plugins.mlstages.report.UnusableFileException;

/**
 * Reads the outputs a DVC file declares: {@code stages.<name>.outs} of a {@code dvc.lock}, or
 * {@code outs} of a {@code .dvc} file (both YAML; DVC 2 and 3 write the same shape, DVC 3 adds
 * {@code hash: md5}). Paths in them are relative to the file's folder; they come back relative to the
 * repository root.
 */
public final class DvcFiles {
    public static final String LOCK = "dvc.lock";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private DvcFiles() {
    }

    /** The outputs of {@code file} ({@code dvc.lock} or {@code *.dvc}) in the repository at {@code root}. */
    public static List<DvcOutput> outputs(Path root, Path file) throws DvcFileException {
        JsonNode tree = read(file, YAML);
        String declaredIn = relative(root, file);
        Path folder = file.toAbsolutePath().getParent();
        List<DvcOutput> outputs = new ArrayList<>();
        if (file.getFileName().toString().equals(LOCK)) {
            JsonNode stages = tree.path("stages");
            if (!stages.isMissingNode() && !stages.isObject()) {
                throw new DvcFileException(file, "'stages' is not a mapping", null);
            }
            stages.fields().forEachRemaining(stage -> addOutputs(outputs, root, folder, stage.getValue().path("outs"),
                    stage.getKey(), declaredIn));
        } else {
            addOutputs(outputs, root, folder, tree.path("outs"), null, declaredIn);
        }
        return outputs;
    }

    private static void addOutputs(List<DvcOutput> outputs, Path root, Path folder, JsonNode outs, String stage,
            String declaredIn) {
        for (JsonNode out : outs) {
            String path = out.path("path").asText("");
            if (path.isEmpty()) {
                continue;
            }
            Path resolved = folder.resolve(path).normalize();
            if (!resolved.startsWith(root.toAbsolutePath().normalize())) {
                continue; // an external output: not a file of this repository
            }
            Map<String, String> files = new LinkedHashMap<>();
            for (JsonNode entry : out.path("files")) {
                if (entry.hasNonNull("relpath") && entry.hasNonNull("md5")) {
                    files.put(entry.get("relpath").asText(), entry.get("md5").asText());
                }
            }
            outputs.add(new DvcOutput(relative(root, resolved), out.hasNonNull("md5") ? out.get("md5").asText() : null,
                    out.hasNonNull("size") && out.get("size").canConvertToLong() ? out.get("size").asLong() : null,
                    "md5".equals(out.path("hash").asText()), stage, declaredIn, files));
        }
    }

    /**
     * The files of a directory manifest ({@code xx/yyyy.dir} in the cache: a JSON list of
     * {@code {"md5": ..., "relpath": ...}}), relative path to MD5.
     */
    public static Map<String, String> manifest(Path file) throws DvcFileException {
        JsonNode tree = read(file, JSON);
        if (!tree.isArray()) {
            throw new DvcFileException(file, "is not a DVC directory manifest (a JSON list)", null);
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (JsonNode entry : tree) {
            if (entry.hasNonNull("relpath") && entry.hasNonNull("md5")) {
                files.put(entry.get("relpath").asText(), entry.get("md5").asText());
            }
        }
        return files;
    }

    static String relative(Path root, Path file) {
        return root.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()).toString()
                .replace(java.io.File.separatorChar, '/');
    }

    private static JsonNode read(Path file, ObjectMapper mapper) throws DvcFileException {
        try {
            JsonNode tree = mapper.readTree(InputFiles.readAll(file, InputFiles.CONFIG_CAP, "a DVC file"));
            return tree == null ? JSON.createObjectNode() : tree;
        } catch (UnusableFileException e) {
            throw new DvcFileException(file, e.problem(), e);
        } catch (IOException e) {
            throw new DvcFileException(file, "is not readable YAML: " + InputFiles.parseProblem(e), e);
        }
    }
}
