package io.jenkins.plugins.mlstages.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.dvc.DvcLookup;
import io.jenkins.plugins.mlstages.dvc.DvcPolicy;
import io.jenkins.plugins.mlstages.dvc.DvcTracking;
import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.InputFiles;
import io.jenkins.plugins.mlstages.report.LineageNode;
import io.jenkins.plugins.mlstages.report.Plural;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.Severity;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.report.StageReport;
import io.jenkins.plugins.mlstages.report.Status;
import io.jenkins.plugins.mlstages.report.UnusableFileException;
import io.jenkins.plugins.mlstages.table.SqlEngine;
import io.jenkins.plugins.mlstages.table.TableQuery;
import io.jenkins.plugins.mlstages.table.TableSourceException;

/**
 * The validateData stage: one streaming pass over the data that profiles every column, checks the
 * schema's rules, and bins values for drift against a reference (a data file, profiled first, or a
 * saved profile). Memory is bounded by the number of columns, not rows.
 */
public final class ValidateData {
    private final StageLog log;
    private final DvcPolicy dvcPolicy;

    public ValidateData(StageLog log) {
        this(log, DvcPolicy.WARNING);
    }

    /** @param dvcPolicy how a DVC-tracked file that is not the one DVC recorded is reported (docs/dvc.md) */
    public ValidateData(StageLog log, DvcPolicy dvcPolicy) {
        this.log = log;
        this.dvcPolicy = dvcPolicy;
    }

    /**
     * @throws DataFormatException the data, the reference or the schema is unreadable (CLI exit 2)
     */
    public ValidateDataResult run(ValidateDataRequest request) throws DataFormatException, IOException {
        return validate(request).result();
    }

    /** The result, and the full profile of the data (with what a later drift check needs), from the same pass. */
    public record Validation(ValidateDataResult result, DatasetProfile profile) {
    }

    /** As {@link #run}, also giving the data's full profile, e.g. to save it as the next reference. */
    public Validation validate(ValidateDataRequest request) throws DataFormatException, IOException {
        DatasetProfile reference = null;
        if (request.reference() != null) {
            reference = loadReference(request);
        }
        Pass pass = profile(request.data(), format(request.data(), request.format()), request, reference, "data");
        if (pass.rows == 0) {
            throw new DataFormatException(request.data(), 0, null, "has a header but no data rows");
        }
        DatasetProfile profile = pass.profile();

        List<Finding> findings = new ArrayList<>(datasetFindings(request.schema(), pass.rows, pass.columns));
        for (int i = 0; i < pass.columns.size(); i++) {
            ColumnValidator validator = pass.validators.get(i);
            if (validator != null) {
                findings.addAll(validator.findings(profile.columns().get(i)));
            }
        }
        List<ColumnDrift> drift = reference == null ? null : DriftCheck.compare(reference, profile, request.schema(),
                request.textDrift());
        if (drift != null) {
            findings.addAll(DriftCheck.findings(drift, request.schema().drift()));
        }
        DvcTracking dvc = DvcLookup.forStage(request.data(), log, dvcPolicy).orElse(null);
        if (dvc != null && dvcPolicy != DvcPolicy.OFF) {
            dvc.finding(dvcPolicy.severity()).ifPresent(findings::add);
        }

        String digest = pass.sha256 != null ? digestText(pass.sha256) : digest(request.data());
        long bytes = Files.size(request.data());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("rows", (double) pass.rows);
        metrics.put("columns", (double) pass.columns.size());
        long missing = profile.columns().stream().mapToLong(ColumnProfile::nulls).sum();
        metrics.put("missing_values", (double) missing);
        metrics.put("failed_checks", (double) findings.stream().filter(f -> !f.passed()).count());
        if (drift != null) {
            long drifted = drift.stream().filter(ColumnDrift::drifted).count();
            metrics.put("drifted_columns", (double) drifted);
            metrics.put("drift_share", drift.isEmpty() ? 0.0 : (double) drifted / drift.size());
        }
        ValidateDataResult.DatasetInfo dataset = new ValidateDataResult.DatasetInfo(request.datasetName(),
                request.data().toAbsolutePath().toString(), pass.format.name().toLowerCase(Locale.ROOT), bytes,
                pass.rows, pass.columns.size(), digest, dvc);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("source", request.data().toAbsolutePath().toUri().toString());
        attributes.put("rows", String.valueOf(pass.rows));
        attributes.put("bytes", String.valueOf(bytes));
        if (dvc != null) {
            attributes.putAll(dvc.lineageAttributes());
        }
        List<LineageNode> lineage = List.of(new LineageNode("dataset", digest, request.datasetName(), attributes));
        Status status = StageReport.verdict(findings);
        log.info("validate-data: " + Plural.of(pass.rows, "row") + ", " + Plural.of(pass.columns.size(), "column") + ", "
                + Plural.of(findings.stream().filter(f -> !f.passed()).count(), "failed check") + ": " + status);
        return new Validation(new ValidateDataResult(status, findings, metrics, lineage, dataset, profile.summary(), drift),
                profile);
    }

    /**
     * Validates a dataset where it lives (a database, a Spark cluster): the work runs there as SQL aggregates and the
     * same profile, findings, drift and lineage as for a file come back (docs/tables.md).
     *
     * @throws TableSourceException the source refused a query or could not be reached (exit 2 or 3)
     */
    public Validation validateTable(SqlEngine engine, TableValidateRequest request)
            throws TableSourceException, InterruptedException, DataFormatException, IOException {
        TableProfiler profiler = new TableProfiler(engine, log, request.timeout());
        DatasetProfile reference = null;
        if (request.reference() != null) {
            reference = profiler.profile(request.reference(), request.reference().table() != null ? "--reference-table"
                    : "--reference-query", typesOnly(request.schema()), null, request.sampleSize(), 0, "reference").profile();
            log.info("reference: " + describe(engine, request.reference()) + " (" + Plural.of(reference.rows(), "row") + ")");
        } else if (request.referenceFile() != null) {
            reference = loadReference(new ValidateDataRequest(request.referenceFile(), null, null, request.schema(),
                    request.referenceFile(), null, 0, request.sampleSize(), 42, null));
        }
        TableProfiler.Profiled pass = profiler.profile(request.data(), request.data().table() != null ? "--table" : "--query",
                request.schema(), reference, request.sampleSize(), request.maxErrors(), "data");
        DatasetProfile profile = pass.profile();
        if (profile.rows() == 0) {
            throw new TableSourceException(describe(engine, request.data()) + ": has no rows", false);
        }
        List<Finding> findings = new ArrayList<>(datasetFindings(request.schema(), profile.rows(), pass.columns()));
        for (int i = 0; i < pass.columns().size(); i++) {
            ColumnValidator validator = pass.validators().get(i);
            if (validator != null) {
                findings.addAll(validator.findings(profile.columns().get(i)));
            }
        }
        List<ColumnDrift> drift = reference == null ? null : DriftCheck.compare(reference, profile, request.schema(),
                request.textDrift());
        if (drift != null) {
            findings.addAll(DriftCheck.findings(drift, request.schema().drift()));
        }
        String version = profiler.tableVersion(request.data());
        String digest = tableDigest(engine, request.data(), version, profile);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("rows", (double) profile.rows());
        metrics.put("columns", (double) pass.columns().size());
        metrics.put("missing_values", (double) profile.columns().stream().mapToLong(ColumnProfile::nulls).sum());
        metrics.put("failed_checks", (double) findings.stream().filter(f -> !f.passed()).count());
        if (drift != null) {
            long drifted = drift.stream().filter(ColumnDrift::drifted).count();
            metrics.put("drifted_columns", (double) drifted);
            metrics.put("drift_share", drift.isEmpty() ? 0.0 : (double) drifted / drift.size());
        }
        String where = describe(engine, request.data());
        ValidateDataResult.DatasetInfo dataset = new ValidateDataResult.DatasetInfo(request.datasetName(), where,
                engine.dialect().name().toLowerCase(Locale.ROOT), 0, profile.rows(), pass.columns().size(), digest, null);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("source", engine.location());
        if (request.data().table() != null) {
            attributes.put("table", request.data().table());
            if (version != null) {
                attributes.put("table_version", version);
            }
        } else {
            attributes.put("query_sha256", sha256Hex(request.data().query()));
        }
        attributes.put("rows", String.valueOf(profile.rows()));
        List<LineageNode> lineage = List.of(new LineageNode("dataset", digest, request.datasetName(), attributes));
        Status status = StageReport.verdict(findings);
        log.info("validate-data: " + Plural.of(profile.rows(), "row") + ", " + Plural.of(pass.columns().size(), "column") + ", "
                + Plural.of(findings.stream().filter(f -> !f.passed()).count(), "failed check") + ": " + status);
        return new Validation(new ValidateDataResult(status, findings, metrics, lineage, dataset, profile.summary(), drift),
                profile);
    }

    /** Where a table source's dataset is, for the report: the location and the table, or the location and "query". */
    private static String describe(SqlEngine engine, TableQuery what) {
        return engine.location() + (what.table() != null ? " table " + what.table() : " query");
    }

    /**
     * A table has no file to hash: its digest is of what it is (the location, the table or the query text, the table's
     * version where the source keeps one) and of what
     * it holds as far as the profile tells (rows, and per column values, nulls, mean, min, max and distinct values), so
     * that it changes when the data's profile does.
     */
    static String tableDigest(SqlEngine engine, TableQuery what, String version, DatasetProfile profile) {
        StringBuilder text = new StringBuilder(engine.location()).append('\n')
                .append(what.table() != null ? "table:" + what.table() : "query:" + what.query()).append('\n')
                .append(version == null ? "" : "version:" + version + "\n")
                .append(profile.rows());
        for (ColumnProfile c : profile.columns()) {
            text.append('\n').append(c.name()).append(',').append(c.count()).append(',').append(c.nulls()).append(',')
                    .append(c.distinct()).append(',').append(c.mean()).append(',').append(c.min()).append(',').append(c.max());
        }
        return digestText(TableReaders.sha256().digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static String sha256Hex(String text) {
        return HexFormat.of().formatHex(TableReaders.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Profiles a dataset without rules, e.g. to save it as a reference or to infer a schema. */
    public DatasetProfile profileOnly(Path data, DataFormat format, CsvOptions csv, int sampleSize, long seed)
            throws DataFormatException, IOException {
        ValidateDataRequest request = new ValidateDataRequest(data, format, csv, null, null, null, 0, sampleSize, seed, null);
        Pass pass = profile(data, format(data, format), request, null, "data");
        if (pass.rows == 0) {
            throw new DataFormatException(data, 0, null, "has a header but no data rows");
        }
        return pass.profile();
    }

    /** Saves a profile (with its drift material) to serve as a later reference. */
    public static void saveProfile(DatasetProfile profile, Path target) throws IOException {
        ReportWriter.write(target, profile);
    }

    private DatasetProfile loadReference(ValidateDataRequest request) throws DataFormatException, IOException {
        Path path = request.reference();
        DataFormatException.requireFile(path);
        if (isSavedProfile(path)) {
            try {
                DatasetProfile profile = new ObjectMapper().setPropertyNamingStrategy(
                                com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
                        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                        .readValue(InputFiles.readAll(path, InputFiles.PROFILE_CAP, "a saved profile"), DatasetProfile.class);
                log.info("reference: saved profile " + path + " (" + Plural.of(profile.rows(), "row") + ")");
                return profile;
            } catch (UnusableFileException e) {
                throw new DataFormatException(path, 0, null, e.problem(), e);
            } catch (IOException e) {
                throw new DataFormatException(path, 0, null, "is not a readable saved profile: " + InputFiles.parseProblem(e), e);
            }
        }
        Pass pass = profile(path, format(path, request.referenceFormat()), request.withSchema(typesOnly(request.schema())),
                null, "reference");
        if (pass.rows == 0) {
            throw new DataFormatException(path, 0, null, "has a header but no data rows");
        }
        return pass.profile();
    }

    /** The reference is profiled with the schema's declared types only: its rules judge the new data. */
    private static DataSchema typesOnly(DataSchema schema) {
        Map<String, ColumnRules> columns = new LinkedHashMap<>();
        schema.columns().forEach((name, rules) -> columns.put(name, new ColumnRules(name, rules.type(), null, null,
                null, null, null, null, null, null, rules.drift())));
        return new DataSchema(null, columns, schema.drift());
    }

    private static boolean isSavedProfile(Path path) throws IOException {
        byte[] head = new byte[4096];
        int read;
        try (InputStream in = Files.newInputStream(path)) {
            read = in.readNBytes(head, 0, head.length);
        }
        String text = new String(head, 0, read, StandardCharsets.UTF_8);
        return text.stripLeading().startsWith("{") && text.contains("\"" + DatasetProfile.SCHEMA + "\"");
    }

    private static DataFormat format(Path file, DataFormat given) throws DataFormatException {
        // What the file is comes before what its name says: "is a directory" over "cannot tell the format".
        DataFormatException.requireFile(file);
        if (given != null) {
            return given;
        }
        return DataFormat.fromFileName(file).orElseThrow(() -> new DataFormatException(file, 0, null,
                "cannot tell the format from the file name: pass --format csv, jsonl or parquet"));
    }

    private Pass profile(Path file, DataFormat format, ValidateDataRequest request, DatasetProfile reference, String what)
            throws DataFormatException, IOException {
        DataFormatException.requireFile(file);
        Pass pass = new Pass(file, format, request, reference, what);
        try {
            TableReaders.forFormat(format, request.csv()).read(file, pass);
        } finally {
            pass.finishRows();
        }
        return pass;
    }

    private static List<Finding> datasetFindings(DataSchema schema, long rowCount, List<String> columnNames) {
        DataSchema.DatasetRules rules = schema.dataset();
        Severity severity = rules.severity();
        List<Finding> findings = new ArrayList<>();
        if (rules.minRows() != null || rules.maxRows() != null) {
            boolean passed = (rules.minRows() == null || rowCount >= rules.minRows())
                    && (rules.maxRows() == null || rowCount <= rules.maxRows());
            String range = (rules.minRows() == null ? "" : rules.minRows() + " ≤ ") + "rows"
                    + (rules.maxRows() == null ? "" : " ≤ " + rules.maxRows());
            findings.add(new Finding("dataset.row_count", null, severity, passed,
                    Plural.of(rowCount, "row") + (passed ? ", within " : ", outside ") + range, String.valueOf(rowCount), range));
        }
        Set<String> present = new HashSet<>(columnNames);
        List<String> expected = new ArrayList<>(rules.requiredColumns());
        schema.columns().keySet().stream().filter(c -> !expected.contains(c)).forEach(expected::add);
        for (String column : expected) {
            boolean passed = present.contains(column);
            findings.add(new Finding("dataset.required_column", column, severity, passed,
                    passed ? column + ": present" : column + ": required by the schema but missing from the data",
                    passed ? "present" : "missing", "present"));
        }
        if (!rules.allowUnexpectedColumns()) {
            List<String> unexpected = columnNames.stream().filter(c -> !schema.columns().containsKey(c)
                    && !rules.requiredColumns().contains(c)).toList();
            findings.add(new Finding("dataset.unexpected_columns", null, severity, unexpected.isEmpty(),
                    unexpected.isEmpty() ? "no columns beyond the schema's" : "columns not in the schema: " + unexpected,
                    unexpected.toString(), "[]"));
        }
        if (rules.columnOrder()) {
            List<String> declared = schema.columns().keySet().stream().filter(present::contains).toList();
            List<String> actual = columnNames.stream().filter(schema.columns()::containsKey).toList();
            boolean passed = declared.equals(actual);
            findings.add(new Finding("dataset.column_order", null, severity, passed,
                    passed ? "columns in the schema's order" : "columns in order " + actual + ", the schema says " + declared,
                    actual.toString(), declared.toString()));
        }
        return findings;
    }

    /** The first 32 hex digits of the file's SHA-256 (MLflow's dataset digest allows 36). */
    public static String digest(Path file) throws IOException {
        MessageDigest sha = TableReaders.sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
        }
        return digestText(sha.digest());
    }

    /** The digest as {@link #digest(Path)} writes it, from the file's SHA-256. */
    public static String digestText(byte[] sha256) {
        return HexFormat.of().formatHex(sha256).substring(0, 32);
    }

    /** One pass over one file: the row sink that feeds profilers and validators. */
    private final class Pass implements RowSink {
        final Path file;
        final DataFormat format;
        final ValidateDataRequest request;
        final DatasetProfile reference;
        final String what;
        final List<String> columns = new ArrayList<>();
        final List<ColumnProfiler> profilers = new ArrayList<>();
        final List<ColumnValidator> validators = new ArrayList<>();
        long rows;
        /** The file's SHA-256 when the reader computed it in this pass, else null. */
        byte[] sha256;
        private ColumnWorkers workers;
        private final long started = System.nanoTime();
        private long lastProgress = started;

        Pass(Path file, DataFormat format, ValidateDataRequest request, DatasetProfile reference, String what) {
            this.file = file;
            this.format = format;
            this.request = request;
            this.reference = reference;
            this.what = what;
        }

        @Override
        public void header(List<String> names) {
            for (String name : names) {
                columns.add(name);
                ColumnRules rules = request.schema().columns().get(name);
                double[] edges = reference == null ? null
                        : reference.column(name).map(ColumnProfile::psiEdges).orElse(null);
                profilers.add(new ColumnProfiler(name, rules == null ? null : rules.declaredType(), request.sampleSize(),
                        request.seed(), edges));
                validators.add(rules == null ? null : new ColumnValidator(rules, request.maxErrors()));
            }
        }

        @Override
        public void row(long row, long line, String[] values) {
            rows++;
            workers().add(row, values);
        }

        @Override
        public void row(long row, long line, TextRow values) {
            rows++;
            workers().add(row, values);
        }

        @Override
        public void rows(ColumnBlock block) {
            rows += block.size;
            workers().add(block);
        }

        private ColumnWorkers workers() {
            if (workers == null) {
                List<ColumnWorkers.ColumnConsumer> consumers = new ArrayList<>();
                for (int i = 0; i < profilers.size(); i++) {
                    consumers.add(consumer(profilers.get(i), validators.get(i)));
                }
                workers = new ColumnWorkers(consumers, Runtime.getRuntime().availableProcessors());
            }
            return workers;
        }

        /** One column's work per value: profile it, check it; the value is read in place, parsed once. */
        private ColumnWorkers.ColumnConsumer consumer(ColumnProfiler profiler, ColumnValidator validator) {
            TextSlice value = new TextSlice(); // one per column: a column is only ever on one worker thread
            return new ColumnWorkers.ColumnConsumer() {
                /** Per dictionary id in the current block: 0 unseen, -1 taken value by value, n > 0 seen n times. */
                private int[] seen = new int[0];
                /** Per dictionary id: the block row of its first occurrence. */
                private int[] firstRow = new int[0];
                /** The ids seen in the current block, in the order first seen. */
                private int[] touched = new int[0];

                /**
                 * A block's column with dictionary ids: a text that is no number is profiled once per id and
                 * block, its repeats counted and added after (the same counts as value by value, see
                 * {@link ColumnProfiler#acceptRepeats}); the rules still see every value, in row order.
                 */
                @Override
                public void acceptColumn(long[] rows, int size, int[] kinds, long[] bits, String[] texts, int[] ids,
                        int dictionarySize) {
                    // Only a dictionary small for the block has repeats to gain from (and the arrays stay that small);
                    // a large one (a customer id) would only add a look-up per value.
                    if (dictionarySize == 0 || dictionarySize * 2 > size) {
                        ColumnWorkers.ColumnConsumer.super.acceptColumn(rows, size, kinds, bits, texts, ids, dictionarySize);
                        return;
                    }
                    if (seen.length < dictionarySize) {
                        seen = new int[dictionarySize];
                        firstRow = new int[dictionarySize];
                    }
                    if (touched.length < size) {
                        touched = new int[size];
                    }
                    int distinct = 0;
                    for (int r = 0; r < size; r++) {
                        int kind = kinds[r];
                        int id = ids[r];
                        if (kind != ColumnBlock.TEXT) {
                            accept(rows[r], ColumnWorkers.NO_CHARS, 0, kind, bits[r]);
                        } else if (id < 0 || seen[id] < 0) {
                            present(rows[r], value.setString(texts[r]));
                        } else if (seen[id] == 0) {
                            TextSlice slice = value.setString(texts[r]);
                            double number = profiler.acceptValue(slice);
                            if (validator != null) {
                                validator.accept(rows[r], slice, number);
                            }
                            seen[id] = Double.isNaN(number) && !ColumnType.isNonFiniteNumber(slice) ? 1 : -1;
                            firstRow[id] = r;
                            touched[distinct++] = id;
                        } else {
                            seen[id]++;
                            if (validator != null) {
                                validator.accept(rows[r], value.setString(texts[r]), Double.NaN);
                            }
                        }
                    }
                    for (int i = 0; i < distinct; i++) {
                        int id = touched[i];
                        if (seen[id] > 1) {
                            profiler.acceptRepeats(value.setString(texts[firstRow[id]]), seen[id] - 1L);
                        }
                        seen[id] = 0;
                    }
                }

                @Override
                public void accept(long r, char[] chars, int start, int length, long bits) {
                    if (length >= 0) {
                        present(r, value.set(chars, start, length));
                    } else if (length == TextRow.MISSING) {
                        profiler.acceptMissing();
                    } else {
                        number(r, length, bits);
                    }
                }

                @Override
                public void acceptText(long r, String text) {
                    present(r, value.setString(text));
                }

                private void present(long r, TextSlice slice) {
                    double number = profiler.acceptValue(slice);
                    if (validator != null) {
                        validator.accept(r, slice, number);
                    }
                }

                /** A number from a binary reader: its text is made only if a category count or a rule reads it. */
                private void number(long r, int kind, long bits) {
                    double number = TextRow.number(kind, bits);
                    boolean integer = kind == TextRow.LONG;
                    if (profiler.keepsCategories() || validator != null && validator.needsText(integer)) {
                        value.setString(TextRow.numberText(kind, bits));
                        profiler.acceptValue(value, number);
                        if (validator != null) {
                            validator.accept(r, value, number);
                        }
                    } else {
                        profiler.acceptNumber(number, integer);
                        if (validator != null) {
                            validator.acceptNumber(r, number, kind, bits);
                        }
                    }
                }
            };
        }

        @Override
        public void fileSha256(byte[] sha256) {
            this.sha256 = sha256;
        }

        @Override
        public boolean wantsFileSha256() {
            return !"reference".equals(what); // only the data's digest is reported
        }

        /** Waits for the workers; called once the reader is done. */
        void finishRows() {
            if (workers != null) {
                workers.finish();
            }
        }

        @Override
        public void progress(double share) {
            long now = System.nanoTime();
            if (now - lastProgress < 2_000_000_000L) {
                return;
            }
            lastProgress = now;
            double seconds = (now - started) / 1e9;
            double rate = rows / seconds;
            double left = share > 0 ? seconds * (1 - share) / share : 0;
            log.progress("reading " + what + " " + file.getFileName(), share,
                    String.format(Locale.ROOT, "%.2f M rows/s, %.0f s left", rate / 1e6, left));
        }

        DatasetProfile profile() {
            List<ColumnProfile> profiles = new ArrayList<>();
            profilers.forEach(p -> profiles.add(p.finish()));
            return new DatasetProfile(null, rows, profiles);
        }
    }
}
