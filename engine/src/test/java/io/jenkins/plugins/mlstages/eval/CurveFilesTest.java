package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.Test;

import io.jenkins.plugins.mlstages.report.ReportWriter;

/** The curves of an evaluate report as the CSV tables the MLflow run gets. */
public class CurveFilesTest {
    private static String text(Map<String, byte[]> files, String name) {
        return new String(files.get(CurveFiles.DIRECTORY + name), StandardCharsets.UTF_8);
    }

    @Test
    public void eachBinaryCurveIsATableOfItsPointsWithItsAxesNamed() throws Exception {
        JsonNode report = ReportWriter.mapper().readTree(Files.readString(Path.of(
                "src/test/resources/io/jenkins/plugins/mlstages/report/example/evaluate.json")));
        Map<String, byte[]> files = CurveFiles.of(report);
        assertEquals(List.of(CurveFiles.DIRECTORY + "roc.csv", CurveFiles.DIRECTORY + "precision_recall.csv",
                CurveFiles.DIRECTORY + "calibration.csv"), List.copyOf(files.keySet()));
        JsonNode roc = report.path("curves").path("roc");
        String[] lines = text(files, "roc.csv").split("\n");
        assertEquals(roc.path("x").asText() + "," + roc.path("y").asText() + ",threshold", lines[0]);
        assertEquals(roc.path("xs").size() + 1, lines.length);
        // every point as the report holds it
        for (int i = 0; i < roc.path("xs").size(); i++) {
            String[] cells = lines[i + 1].split(",");
            assertEquals(roc.path("xs").get(i).asDouble(), Double.parseDouble(cells[0]), 0);
            assertEquals(roc.path("ys").get(i).asDouble(), Double.parseDouble(cells[1]), 0);
        }
        assertEquals(roc.path("thresholds").get(0).asDouble(), Double.parseDouble(lines[1].split(",")[2]), 0);
        assertTrue(text(files, "calibration.csv").startsWith(report.path("curves").path("calibration").path("x").asText() + ","));
        assertEquals("no thresholds column for calibration", 2, text(files, "calibration.csv").split("\n")[0].split(",").length);
    }

    @Test
    public void multiclassGivesThePerClassTableAndEachClassCurveUnderASafeName() throws Exception {
        JsonNode report = ReportWriter.mapper().readTree("{\"curves\":{\"per_class\":["
                + "{\"positive_class\":\"a,b\",\"support\":3,\"metrics\":{\"f1_score\":0.5,\"roc_auc\":\"NaN\"},"
                + "\"roc\":{\"x\":\"fpr\",\"y\":\"tpr\",\"xs\":[0,1],\"ys\":[0,1],\"thresholds\":[\"Infinity\",0.25]}},"
                + "{\"positive_class\":\"../x\",\"support\":2,\"metrics\":{\"f1_score\":1}}]}}");
        Map<String, byte[]> files = CurveFiles.of(report);
        assertEquals("positive_class,support,f1_score,roc_auc\n\"a,b\",3,0.5,NaN\n../x,2,1,\n", text(files, "per_class_metrics.csv"));
        assertEquals("fpr,tpr,threshold\n0,0,Infinity\n1,1,0.25\n", text(files, "roc_class_0_a_b.csv"));
        assertTrue(files.keySet().stream().allMatch(path -> path.startsWith(CurveFiles.DIRECTORY)
                && path.substring(CurveFiles.DIRECTORY.length()).matches("[A-Za-z0-9_.-]+")));
        assertEquals(2, files.size());
    }

    @Test
    public void aReportWithoutCurvesGivesNoFile() throws Exception {
        assertTrue(CurveFiles.of(ReportWriter.mapper().readTree("{\"metrics\":{\"r2_score\":0.5}}")).isEmpty());
    }
}
