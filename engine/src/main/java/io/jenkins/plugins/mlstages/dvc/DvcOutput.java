package io.jenkins.plugins.mlstages.dvc;

import java.util.Map;

/**
 * One output a DVC file declares: an {@code outs} entry of a {@code .dvc} file, or of a stage in
 * {@code dvc.lock}.
 *
 * @param path the output's path relative to the DVC repository root, with {@code /} separators
 * @param md5 the recorded digest: a file's MD5, or for a directory the MD5 of its manifest with the
 *     suffix {@code .dir}; null when the file records none (e.g. an output not yet committed)
 * @param size the recorded size in bytes, or null
 * @param dvc3 whether the entry says {@code hash: md5} (DVC 3: the plain MD5 of the bytes); without it
 *     (DVC 2) a text file's MD5 was taken after turning CRLF into LF
 * @param stage the dvc.lock stage that produces it; null for a {@code .dvc} file
 * @param declaredIn the DVC file, relative to the repository root
 * @param files a directory's files (relative path to MD5) when the entry lists them itself (DVC 3
 *     cloud-versioned outputs), else empty: the manifest is then in the cache
 */
public record DvcOutput(String path, String md5, Long size, boolean dvc3, String stage, String declaredIn,
        Map<String, String> files) {
    public DvcOutput {
        files = files == null ? Map.of() : Map.copyOf(files);
    }

    public boolean directory() {
        return (md5 != null && md5.endsWith(".dir")) || !files.isEmpty();
    }

    /** Whether {@code relative} (repository-relative) is this output or lies inside it. */
    public boolean covers(String relative) {
        return relative.equals(path) || relative.startsWith(path + "/");
    }
}
