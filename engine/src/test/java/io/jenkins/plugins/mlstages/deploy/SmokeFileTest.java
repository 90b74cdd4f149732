package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.jenkins.plugins.mlstages.deploy.behaviour.Answer;
import io.jenkins.plugins.mlstages.deploy.behaviour.ProbeException;

/** The smoke file's lines and how an answer is judged against each: exact labels, scores within a tolerance. */
public class SmokeFileTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private SmokeFile read(String text) throws Exception {
        Path file = folder.newFile().toPath();
        Files.writeString(file, text);
        return SmokeFile.read(file);
    }

    @Test
    public void labelsAreComparedAsBehaviourRulesCompareThem() throws Exception {
        SmokeFile smoke = read("{\"request\": {\"a\": 1}, \"expected\": true}\n\n{\"request\": {\"a\": 2}, \"expected\": 1.0}\n"
                + "{\"request\": {\"a\": 3}, \"expected\": \"fraud\"}\n");
        List<SmokeFile.Row> rows = smoke.rows();
        assertEquals(List.of(1, 3, 4), rows.stream().map(SmokeFile.Row::line).toList());
        assertEquals("1", rows.get(0).expected());
        assertNull(rows.get(0).tolerance());
        assertEquals("{\"a\":1}", rows.get(0).request());
        // a numeric answer 1.0 is the label 1; a label answer must match exactly
        assertEquals(CheckVerdict.PASS, rows.get(0).judge(Answer.ofScore(1.0, 1)).verdict());
        assertEquals(CheckVerdict.PASS, rows.get(1).judge(Answer.ofLabel("1", 1)).verdict());
        assertEquals(CheckVerdict.FAIL, rows.get(1).judge(Answer.ofScore(0.99, 1)).verdict());
        assertEquals(CheckVerdict.PASS, rows.get(2).judge(Answer.ofLabel("fraud", 1)).verdict());
        CheckResult wrong = rows.get(2).judge(Answer.ofLabel("Fraud", 1));
        assertEquals(CheckVerdict.FAIL, wrong.verdict());
        assertEquals("smoke line 4 FAIL: expected the label 'fraud', got 'Fraud'", wrong.line());
    }

    @Test
    public void aScoreMustLieWithinItsToleranceBothEndsIncluded() throws Exception {
        SmokeFile.Row row = read("{\"request\": {\"a\": 1}, \"expected\": 0.5, \"tolerance\": 0.25}\n").rows().get(0);
        assertEquals(CheckVerdict.PASS, row.judge(Answer.ofScore(0.75, 1)).verdict());
        assertEquals(CheckVerdict.PASS, row.judge(Answer.ofScore(0.25, 1)).verdict());
        assertEquals(CheckVerdict.FAIL, row.judge(Answer.ofScore(0.76, 1)).verdict());
        assertEquals("smoke line 1 0.76 [0.25..0.75] FAIL", row.judge(Answer.ofScore(0.76, 1)).line());
        assertEquals(CheckVerdict.FAIL, row.judge(Answer.ofLabel("0.5", 1)).verdict());
        CheckResult error = row.judge(Answer.failed(503, "HTTP 503", 1));
        assertEquals(CheckVerdict.FAIL, error.verdict());
        assertTrue(error.error(), error.error().contains("got no answer: HTTP 503"));
    }

    @Test
    public void unusableLinesAreRefusedNamingTheLine() throws Exception {
        for (String[] bad : new String[][] {
            {"not json", "line 1: not JSON"},
            {"[1]", "line 1: a line must be a JSON object"},
            {"{\"request\": {}, \"expected\": 1}", "line 1: \"request\" must be a JSON object of feature name to value"},
            {"{\"request\": {\"a\": 1}}", "line 1: \"expected\" must be a label"},
            {"{\"request\": {\"a\": 1}, \"expected\": 0.5, \"tolerance\": -1}", "line 1: \"tolerance\" must be a number >= 0"},
            {"{\"request\": {\"a\": 1}, \"expected\": [1]}", "line 1: \"expected\" must be a label"},
            {"{\"request\": {\"a\": 1}, \"expected\": 1, \"id\": 7}", "line 1: unknown field 'id'"},
            {"", ": no requests"}}) {
            ProbeException e = assertThrows(bad[0], ProbeException.class, () -> read(bad[0]));
            assertTrue(e.getMessage(), e.getMessage().contains(bad[1]));
        }
    }
}
