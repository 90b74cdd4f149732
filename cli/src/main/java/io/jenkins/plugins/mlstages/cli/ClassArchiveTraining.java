package io.jenkins.plugins.mlstages.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What {@code bin/mlstages} runs once per jar under {@code -XX:ArchiveClassesAtExit} to build the class-data
 * sharing archive later runs start from (about 0.15 s less CPU per start, docs/performance.md): the
 * commands that read data (validate-data on CSV and JSON lines with a reference, evaluate), in one JVM, so that
 * the archive holds their classes whichever command the user runs first. It writes only in a temporary folder,
 * which it deletes, prints nothing, and reads no environment (no registry, no credentials).
 */
final class ClassArchiveTraining {
    private static final int ROWS = 2_000;

    private ClassArchiveTraining() {
    }

    public static void main(String[] args) throws IOException {
        if (train() > 0) {
            System.exit(ExitCode.USAGE); // the launcher then keeps no archive
        }
    }

    /** Runs the commands; returns how many of them could not run (an exit code above FAILED). */
    static int train() throws IOException {
        Path dir = Files.createTempDirectory("mlstages-class-archive");
        try {
            Path csv = dir.resolve("data.csv");
            Path jsonl = dir.resolve("data.jsonl");
            write(csv, jsonl);
            PrintWriter quiet = new PrintWriter(Writer.nullWriter());
            int failed = 0;
            for (String[] command : new String[][] {
                {"validate-data", "--data", csv.toString(), "--reference", csv.toString(),
                    "--report", dir.resolve("csv.json").toString()},
                {"validate-data", "--data", jsonl.toString(), "--reference", jsonl.toString(),
                    "--report", dir.resolve("jsonl.json").toString()},
                {"evaluate", "--task", "binary", "--predictions", csv.toString(), "--label", "label", "--score", "score",
                    "--resamples", "0", "--report", dir.resolve("evaluate.json").toString()},
            }) {
                failed += Main.run(command, Map.of(), quiet, quiet) > ExitCode.FAILED ? 1 : 0;
            }
            return failed;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** The same rows as CSV and as JSON lines: numbers with nulls, categories, text, booleans, timestamps. */
    private static void write(Path csv, Path jsonl) throws IOException {
        StringBuilder c = new StringBuilder("id,amount,region,note,active,ts,label,score\n");
        StringBuilder j = new StringBuilder();
        for (int i = 0; i < ROWS; i++) {
            String amount = i % 17 == 0 ? "" : String.valueOf(i * 0.25);
            String region = "r" + (i % 7);
            String note = "note " + i % 101;
            boolean active = i % 3 == 0;
            String ts = String.format("2024-01-%02d 10:%02d:00", 1 + i % 28, i % 60);
            int label = i % 2;
            String score = String.valueOf(Math.round((i % 2 == 0 ? 0.3 : 0.6) * 1000 + i % 300) / 1000.0 % 1.0);
            c.append(i).append(',').append(amount).append(',').append(region).append(",\"").append(note).append("\",")
                    .append(active).append(',').append(ts).append(',').append(label).append(',').append(score).append('\n');
            j.append("{\"id\":").append(i).append(",\"amount\":").append(amount.isEmpty() ? "null" : amount)
                    .append(",\"region\":\"").append(region).append("\",\"note\":\"").append(note).append("\",\"active\":")
                    .append(active).append(",\"ts\":\"").append(ts).append("\",\"label\":").append(label)
                    .append(",\"score\":").append(score).append("}\n");
        }
        Files.writeString(csv, c, StandardCharsets.UTF_8);
        Files.writeString(jsonl, j, StandardCharsets.UTF_8);
    }
}
