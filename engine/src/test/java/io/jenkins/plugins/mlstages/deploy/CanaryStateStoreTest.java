package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;

/** The state file: round trip, readable names, refusal of foreign or torn files, no temp files left. */
public class CanaryStateStoreTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private CanaryState sample() {
        AnalysisCheck check = AnalysisCheck.relative("p95", "canary_p95", "stable_p95", null, 0.05);
        CanaryPlan plan = CanaryPlan.of("fraud", "7", List.of(10, 50, 100), Duration.ofSeconds(30), List.of(check))
                .withInconclusive(3, InconclusivePolicy.HOLD, Duration.ofMinutes(4)).withAnalysesPerStep(2);
        CanaryState s = CanaryController.start(plan, "6", null, "nginx upstream 'model'", "prometheus", CanaryControllerTest.T0);
        s = CanaryController.onWeightConfirmed(s, 10, CanaryControllerTest.T0);
        return CanaryController.onAnalysed(s, List.of(check.judge(OptionalDouble.of(0.25), OptionalDouble.of(0.2))),
                CanaryControllerTest.T0.plusSeconds(15));
    }

    @Test
    public void aStateReadsBackEqualAndNamesItsFieldsInSnakeCase() throws Exception {
        CanaryStateStore store = new CanaryStateStore(folder.getRoot().toPath().resolve("deep/dir/state.json"));
        CanaryState state = sample();
        store.save(state);
        assertEquals(state, store.load());
        JsonNode json = CanaryStateStore.mapper().readTree(store.file().toFile());
        assertEquals("ml-stages/canary-state-v1", json.path("schema").asText());
        assertEquals("PROGRESSING", json.path("phase").asText());
        assertEquals(10, json.path("router").path("weight").asInt());
        assertTrue(json.path("router").path("confirmed").asBoolean());
        assertEquals("PT30S", json.path("plan").path("interval").asText());
        assertEquals("PT4M", json.path("plan").path("hold_timeout").asText());
        assertEquals("stable_p95", json.path("plan").path("checks").get(0).path("stable_query").asText());
        assertEquals("2026-03-01T12:00:30Z", json.path("next_analysis_at").asText());
        assertEquals("6", json.path("stable_version").asText());
        JsonNode analysis = json.path("timeline").get(2);
        assertEquals("analysis", analysis.path("event").asText());
        assertEquals(0.05, analysis.path("analyses").get(0).path("value").asDouble(), 1e-12);
        assertEquals(List.of("state.json"), Files.list(store.file().getParent()).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    public void foreignOrTornFilesAreRefusedNamingTheFile() throws Exception {
        Path file = folder.newFile("state.json").toPath();
        CanaryStateStore store = new CanaryStateStore(file);
        Files.writeString(file, "{\"schema\": \"ml-stages/v1\"}");
        String foreign = assertThrows(IllegalArgumentException.class, store::load).getMessage();
        assertTrue(foreign, foreign.startsWith(file + ": not a readable canary state: "));
        assertTrue(foreign, foreign.contains("schema 'ml-stages/v1'"));

        store.save(sample());
        String whole = Files.readString(file);
        Files.writeString(file, whole.substring(0, whole.length() / 2));
        String torn = assertThrows(IllegalArgumentException.class, store::load).getMessage();
        assertTrue(torn, torn.startsWith(file + ": not a readable canary state: "));
        Files.delete(file);
        assertThrows(java.nio.file.NoSuchFileException.class, store::load);
    }

    @Test
    public void aFileHoldingJsonNullIsRefusedNotReadAsNoState() throws Exception {
        Path file = folder.newFile("state.json").toPath();
        Files.writeString(file, "null\n");
        assertEquals(file + ": not a readable canary state: empty (null)",
                assertThrows(IllegalArgumentException.class, new CanaryStateStore(file)::load).getMessage());
    }
}
