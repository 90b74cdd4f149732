package io.jenkins.plugins.mlstages.deploy.ab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.jenkins.plugins.mlstages.data.DataFormat;
import io.jenkins.plugins.mlstages.data.DataFormatException;
import io.jenkins.plugins.mlstages.data.RowSink;
import io.jenkins.plugins.mlstages.data.TableReaders;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.report.InputFiles;
import io.jenkins.plugins.mlstages.report.UnusableFileException;

/**
 * Per-arm counts from labelled outcomes joined by request (or user) id, read again at every analysis
 * (CSV, JSON lines or Parquet, by file name). A trial is an id that has both an arm and an outcome; a
 * conversion is such an id whose outcome is 1 ({@code 1}, {@code true}, {@code yes}; {@code 0},
 * {@code false}, {@code no} for none).
 *
 * <p>The arm of an id comes either from the outcomes file itself ({@code armField} there) or, when an
 * assignments file is given, from it: typically the router's access log with the id the router passed
 * to the model server and the upstream that answered (nginx: {@code $request_id} and
 * {@code $upstream_addr}), the arm values then being the two servers' addresses. An id assigned to two
 * different arms is an error; an id seen twice in the outcomes keeps its last outcome (a corrected
 * label); rows whose arm is neither value, and outcomes without an assignment, are not counted. A file
 * that does not exist yet counts nothing: the labels may not have arrived.
 */
public final class OutcomeFileSource implements ArmSource {
    private final AbMetric metric;

    public OutcomeFileSource(AbMetric metric) {
        if (metric.isPrometheus()) {
            throw new IllegalArgumentException("not an outcomes metric");
        }
        this.metric = metric;
    }

    @Override
    public ArmCounts counts(Instant at) {
        Path outcomes = Path.of(metric.outcomes());
        Map<String, Boolean> arms = null; // id -> candidate?
        if (metric.assignments() != null) {
            arms = new HashMap<>();
            readArms(Path.of(metric.assignments()), arms);
        }
        Map<String, Boolean> converted = new HashMap<>();
        Map<String, Boolean> armInOutcomes = arms == null ? new HashMap<>() : null;
        read(outcomes, List.of(metric.idField(), metric.outcomeField()), arms == null ? metric.armField() : null,
                (row, values, arm) -> {
                    converted.put(values[0], outcome(outcomes, row, values[1]));
                    if (armInOutcomes != null) {
                        assign(outcomes, row, armInOutcomes, values[0], arm);
                    }
                });
        Map<String, Boolean> armOf = arms == null ? armInOutcomes : arms;
        long[] c = new long[4];
        converted.forEach((id, yes) -> {
            Boolean candidate = armOf.get(id);
            if (candidate != null) {
                int i = candidate ? 2 : 0;
                c[i]++;
                if (yes) {
                    c[i + 1]++;
                }
            }
        });
        return new ArmCounts(c[0], c[1], c[2], c[3]);
    }

    @Override
    public ArmCounts baseline(Instant at) {
        return ArmCounts.ZERO; // the files hold this test's ids only
    }

    /** A corrected label (1 to 0) lowers the conversions: not a counter reset. */
    @Override
    public boolean runningTotals() {
        return false;
    }

    @Override
    public String describe() {
        return "outcomes " + metric.outcomes() + (metric.assignments() == null ? "" : " joined with " + metric.assignments())
                + " by " + metric.idField();
    }

    private void readArms(Path file, Map<String, Boolean> arms) {
        read(file, List.of(metric.idField()), metric.armField(), (row, values, arm) -> assign(file, row, arms, values[0], arm));
    }

    private void assign(Path file, long row, Map<String, Boolean> arms, String id, String arm) {
        Boolean candidate = metric.candidateArm().equals(arm) ? Boolean.TRUE : metric.controlArm().equals(arm) ? Boolean.FALSE : null;
        if (candidate == null) {
            return; // another upstream, or an unanswered request
        }
        Boolean before = arms.put(id, candidate);
        if (before != null && !before.equals(candidate)) {
            throw new DeployException(file + " row " + row + ": " + metric.idField() + " '" + id + "' is in both arms");
        }
    }

    private static boolean outcome(Path file, long row, String text) {
        switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "1": case "1.0": case "true": case "yes":
                return true;
            case "0": case "0.0": case "false": case "no":
                return false;
            default:
                throw new DeployException(file + " row " + row + ": outcome '" + text + "' is not 1/0, true/false or yes/no");
        }
    }

    /** A row's wanted fields (never null: rows missing one are skipped) and its arm field (null when not asked). */
    private interface Row {
        void accept(long row, String[] values, String arm);
    }

    private static void read(Path file, List<String> fields, String armField, Row consumer) {
        if (!Files.exists(file)) {
            return;
        }
        DataFormat format = DataFormat.fromFileName(file).orElseThrow(() -> new DeployException(file
                + ": unknown format: name it .csv, .jsonl or .parquet"));
        try {
            // a directory is one line; a FIFO would block the analysis forever: refused before it is opened
            InputFiles.requireReadable(file);
        } catch (UnusableFileException e) {
            throw new DeployException(e.getMessage(), e);
        }
        try {
            TableReaders.forFormat(format, null).read(file, new RowSink() {
                int[] index;
                int armIndex = -1;

                @Override
                public void header(List<String> columns) throws DataFormatException {
                    index = new int[fields.size()];
                    for (int i = 0; i < fields.size(); i++) {
                        index[i] = columns.indexOf(fields.get(i));
                        if (index[i] < 0) {
                            throw new DataFormatException(file, 1, fields.get(i), "no such column (has " + columns + ")");
                        }
                    }
                    if (armField != null) {
                        armIndex = columns.indexOf(armField);
                        if (armIndex < 0) {
                            throw new DataFormatException(file, 1, armField, "no such column (has " + columns + ")");
                        }
                    }
                }

                @Override
                public void row(long row, long line, String[] values) {
                    String[] wanted = new String[index.length];
                    for (int i = 0; i < index.length; i++) {
                        wanted[i] = index[i] < values.length ? values[index[i]] : null;
                        if (wanted[i] == null || wanted[i].isBlank()) {
                            return;
                        }
                    }
                    String arm = armIndex < 0 || armIndex >= values.length ? null : values[armIndex];
                    consumer.accept(row, wanted, arm == null ? null : arm.strip());
                }

                @Override
                public boolean wantsFileSha256() {
                    return false;
                }
            });
        } catch (DataFormatException e) {
            throw new DeployException(e.getMessage(), e);
        } catch (IOException e) {
            throw new DeployException("cannot read " + file + ": " + e, e);
        }
    }
}
