package io.jenkins.plugins.mlstages.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.Test;

/** Tests {@link ReportLineage} and {@link KeyValues}: lineage tags from stage reports, tags from text. */
public class ReportLineageTest {
    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    @Test
    public void tagsFromValidationEvaluationAndGate() throws Exception {
        JsonNode validate = json("{\"stage\":\"validate-data\",\"status\":\"WARNING\",\"lineage\":["
                + "{\"type\":\"dataset\",\"id\":\"d2\",\"name\":\"train.csv\"}]}");
        JsonNode evaluate = json("{\"stage\":\"evaluate\",\"status\":\"PASSED\",\"lineage\":["
                + "{\"type\":\"dataset\",\"id\":\"d1\",\"name\":\"predictions.csv\"},{\"type\":\"run\",\"id\":\"r\"}]}");
        JsonNode gate = json("{\"stage\":\"gate\",\"status\":\"PASSED\",\"lineage\":[]}");
        Map<String, String> tags = ReportLineage.tags(List.of(validate, evaluate, gate));
        assertEquals(Map.of("mlstages.validation_status", "WARNING", "mlstages.gate_verdict", "PASSED",
                "mlstages.dataset_digests", "predictions.csv@d1,train.csv@d2"), tags);
        assertEquals(List.of("mlstages.validation_status", "mlstages.gate_verdict", "mlstages.dataset_digests"),
                List.copyOf(tags.keySet()));
    }

    @Test
    public void noReportsNoTags() {
        assertTrue(ReportLineage.tags(List.of()).isEmpty());
    }

    @Test
    public void keyValuesSplitAtTheFirstEquals() {
        assertEquals(Map.of("team", "fraud", "note", "a=b"), KeyValues.parse(List.of("team=fraud", "note=a=b"), "tag"));
        assertEquals(Map.of("empty", ""), KeyValues.parse(List.of("empty="), "tag"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KeyValues.parse(List.of("=x"), "--tag"));
        assertEquals("--tag must be KEY=VALUE, was '=x'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KeyValues.parse(List.of("novalue"), "tag"));
    }
}
