package io.jenkins.plugins.mlstages.dvc;

import static io.jenkins.plugins.mlstages.dvc.DvcLookupTest.md5;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.data.DatasetInputs;
import io.jenkins.plugins.mlstages.data.ValidateData;
import io.jenkins.plugins.mlstages.data.ValidateDataRequest;
import io.jenkins.plugins.mlstages.data.ValidateDataResult;
import io.jenkins.plugins.mlstages.eval.EvaluateModel;
import io.jenkins.plugins.mlstages.eval.EvaluateRequest;
import io.jenkins.plugins.mlstages.eval.EvaluateResult;
import io.jenkins.plugins.mlstages.eval.Task;
import io.jenkins.plugins.mlstages.registry.Dataset;
import io.jenkins.plugins.mlstages.registry.DatasetInput;
import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.report.Status;

/** What validate-data and evaluate record of a DVC-tracked file: report, lineage node, MLflow dataset input. */
public class DvcStagesTest {
    private static final String DATA = "x,y\n1,a\n2,b\n";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path tracked(String content, String recorded) throws Exception {
        Path root = tmp.getRoot().toPath();
        Files.createDirectories(root.resolve(".dvc"));
        Files.writeString(root.resolve("dvc.lock"), "schema: '2.0'\nstages:\n  prepare:\n    cmd: x\n    outs:\n"
                + "    - path: data.csv\n      hash: md5\n      md5: " + md5(recorded) + "\n");
        Path data = root.resolve("data.csv");
        Files.writeString(data, content);
        return data;
    }

    @Test
    public void validateDataRecordsTheDvcDigestInTheReportTheLineageAndTheDatasetInput() throws Exception {
        Path data = tracked(DATA, DATA);
        List<String> log = new ArrayList<>();
        ValidateDataResult r = new ValidateData(logTo(log)).run(ValidateDataRequest.of(data));

        assertEquals(Status.PASSED, r.status());
        JsonNode report = ReportWriter.mapper().readTree(ReportWriter.mapper().writeValueAsString(r));
        assertEquals(md5(DATA), report.path("dataset").path("dvc").path("md5").asText());
        assertEquals("prepare", report.path("dataset").path("dvc").path("stage").asText());
        assertEquals(DvcTracking.UNKNOWN, report.path("dataset").path("dvc").path("revision").asText());
        Map<String, String> node = r.lineage().get(0).attributes();
        assertEquals(md5(DATA), node.get("dvc_md5"));
        assertEquals("prepare", node.get("dvc_stage"));
        assertEquals("dvc.lock", node.get("dvc_file"));
        assertTrue(log.toString(), log.stream().anyMatch(l -> l.startsWith("dvc: data.csv tracked by dvc.lock (stage prepare)")));

        DatasetInput input = DatasetInputs.of(r, "training");
        Dataset dataset = input.dataset();
        assertEquals(DvcTracking.SOURCE_TYPE, dataset.sourceType());
        assertEquals(r.dataset().digest(), dataset.digest());
        JsonNode source = new ObjectMapper().readTree(dataset.source());
        assertEquals(data.toUri().toString(), source.path("uri").asText());
        assertEquals(md5(DATA), source.path("dvc_md5").asText());
        assertEquals("prepare", source.path("dvc_stage").asText());
    }

    @Test
    public void anUntrackedFileKeepsTheLocalDatasetInputAndNoDvcField() throws Exception {
        Path data = tmp.newFolder("plain").toPath().resolve("data.csv");
        Files.writeString(data, DATA);
        ValidateDataResult r = new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(data));

        assertNull(r.dataset().dvc());
        assertFalse(ReportWriter.mapper().writeValueAsString(r).contains("\"dvc\""));
        assertEquals("local", DatasetInputs.of(r, "training").dataset().sourceType());
        assertFalse(r.lineage().get(0).attributes().containsKey("dvc_md5"));
    }

    @Test
    public void validateDataWarnsOfAFileChangedBehindDvcsBack() throws Exception {
        Path data = tracked(DATA + "3,c\n", DATA);
        ValidateDataResult r = new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(data));

        Finding f = r.findings().stream().filter(x -> x.check().equals(DvcTracking.CHECK)).findFirst().orElseThrow();
        assertFalse(f.passed());
        assertEquals(Status.WARNING, r.status());
        assertEquals(1.0, r.metrics().get("failed_checks"), 0);
        assertEquals("false", r.lineage().get(0).attributes().get("dvc_matches"));
    }

    @Test
    public void theErrorPolicyFailsTheStageAndOffComparesNothing() throws Exception {
        Path data = tracked(DATA + "3,c\n", DATA);
        ValidateDataResult failed = new ValidateData(StageLog.NONE, DvcPolicy.ERROR).run(ValidateDataRequest.of(data));
        assertEquals(Status.FAILED, failed.status());

        ValidateDataResult off = new ValidateData(StageLog.NONE, DvcPolicy.OFF).run(ValidateDataRequest.of(data));
        assertEquals(Status.PASSED, off.status());
        assertTrue(off.findings().stream().noneMatch(x -> x.check().equals(DvcTracking.CHECK)));
        assertEquals(md5(DATA), off.dataset().dvc().md5());
        assertNull(off.dataset().dvc().matches());
    }

    @Test
    public void evaluateRecordsTheDvcDigestAndWarnsOfAChangedFile() throws Exception {
        String predictions = "label,score\n0,0.1\n1,0.9\n0,0.3\n1,0.7\n";
        Path file = tracked(predictions, predictions + "1,0.8\n");
        EvaluateResult r = new EvaluateModel(StageLog.NONE).run(new EvaluateRequest(file, null, null, Task.BINARY, "label",
                List.of("score"), null, List.of(), 30, null, null, null, 0, 0.95, 42, null, null,
                EvaluateRequest.DEFAULT_CURVE_POINTS));

        assertEquals(md5(predictions + "1,0.8\n"), r.lineage().get(0).attributes().get("dvc_md5"));
        assertEquals("prepare", r.lineage().get(0).attributes().get("dvc_stage"));
        Finding f = r.findings().stream().filter(x -> x.check().equals(DvcTracking.CHECK)).findFirst().orElseThrow();
        assertFalse(f.passed());
        assertEquals(md5(predictions), f.observed());
    }

    private static StageLog logTo(List<String> lines) {
        return new StageLog() {
            @Override
            public void info(String message) {
                lines.add(message);
            }

            @Override
            public void progress(String task, double share, String detail) {
                // not asserted
            }
        };
    }
}
