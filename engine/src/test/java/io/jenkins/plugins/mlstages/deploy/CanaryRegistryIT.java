package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.MlflowServer;
import io.jenkins.plugins.mlstages.registry.NewModelVersion;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import io.jenkins.plugins.mlstages.report.StageLog;

/**
 * Promotion and rollback move the aliases of a real MLflow server (read back with MLflow's own
 * client), including a promotion interrupted between its two alias moves and then aborted. Router and
 * metrics are in memory here: their real adapters have their own tests.
 */
public class CanaryRegistryIT {
    static final String QUERY = "errors";

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final MlflowServer server = MlflowServer.shared();
    private MlflowRegistry registry;
    private String model;

    @Before
    public void setUp() {
        registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build());
        model = "canary-it-" + UUID.randomUUID().toString().substring(0, 8);
        String runId = registry.createRun(registry.getOrCreateExperiment("canary-it").experimentId(), "train", Map.of()).runId();
        registry.createRegisteredModel(model, null, Map.of());
        for (int i = 0; i < 3; i++) {
            String version = registry.createModelVersion(NewModelVersion.fromRun(model, runId, "model")).version();
            registry.awaitReady(model, version, Duration.ofSeconds(30), Duration.ofMillis(100));
        }
        registry.setAlias(model, "champion", "1");
    }

    @After
    public void tearDown() {
        registry.close();
    }

    /** alias → version as MLflow's Python client reads them. */
    private Map<String, String> aliasesReadBack() throws Exception {
        JsonNode versions = new ObjectMapper().readTree(server.runPython("model_versions.py", Map.of(), model));
        Map<String, String> aliases = new TreeMap<>();
        for (JsonNode version : versions) {
            for (JsonNode alias : version.path("aliases")) {
                aliases.put(alias.asText(), version.path("version").asText());
            }
        }
        return aliases;
    }

    private CanaryRun run(String stateName, Fakes.Router router, double errorRate, ModelAliases aliases) {
        TestTime time = new TestTime();
        Fakes.Metrics metrics = new Fakes.Metrics(router).of(QUERY, (at, weight) -> OptionalDouble.of(weight > 0 ? errorRate : 0));
        return new CanaryRun(new Fakes.Store(folder.getRoot().toPath().resolve(stateName)), router, metrics, aliases,
                StageLog.NONE, time, time, new Backoff(2, Duration.ZERO, Duration.ZERO));
    }

    private CanaryPlan plan(String version) {
        return CanaryPlan.of(model, version, List.of(25, 100), Duration.ofSeconds(10),
                List.of(AnalysisCheck.absolute("error_rate", QUERY, null, 0.01)));
    }

    @Test
    public void promotionMovesChampionAndPreviousAndRollbackLeavesThem() throws Exception {
        Fakes.Router router = new Fakes.Router(0);
        CanaryResult promoted = run("v2.json", router, 0.001, new RegistryAliases(registry)).start(plan("2"));
        assertEquals(CanaryVerdict.PROMOTED, promoted.verdict());
        assertEquals(Map.of("champion", "2", "previous", "1"), aliasesReadBack());
        assertEquals(Map.of("champion", "2", "previous", "1"), promoted.aliases());

        Fakes.Router second = new Fakes.Router(0);
        CanaryResult rolledBack = run("v3.json", second, 0.5, new RegistryAliases(registry)).start(plan("3"));
        assertEquals(CanaryVerdict.ROLLED_BACK, rolledBack.verdict());
        assertEquals(0, second.weight);
        assertEquals(Map.of("champion", "2", "previous", "1"), aliasesReadBack());
        assertEquals("2", rolledBack.stableVersion());
    }

    @Test
    public void anInterruptedPromotionIsAbortedBackToTheAliasesBefore() throws Exception {
        registry.setAlias(model, "previous", "1");
        registry.setAlias(model, "champion", "2");
        Fakes.Router router = new Fakes.Router(0);
        // Dies right after the first alias move of the promotion (previous -> 2), before champion -> 3.
        ModelAliases dying = new DyingAliases(new RegistryAliases(registry), 1);
        assertThrows(Fakes.Crash.class, () -> run("v3.json", router, 0.0, dying).start(plan("3")));
        assertEquals(100, router.weight);
        assertEquals(Map.of("champion", "2", "previous", "2"), aliasesReadBack());

        CanaryResult aborted = run("v3.json", router, 0.0, new RegistryAliases(registry)).abort("operator said no");
        assertEquals(CanaryVerdict.ABORTED, aborted.verdict());
        assertEquals(0, router.weight);
        assertEquals(Map.of("champion", "2", "previous", "1"), aliasesReadBack());
    }

    @Test
    public void aRollbackOfAFirstDeploymentRemovesTheAliasesItSet() throws Exception {
        registry.deleteAlias(model, "champion");
        Fakes.Router router = new Fakes.Router(0);
        // Promote version 1 as the first champion, die after champion -> 1, then abort: no alias left.
        ModelAliases dying = new DyingAliases(new RegistryAliases(registry), 1);
        assertThrows(Fakes.Crash.class, () -> run("v1.json", router, 0.0, dying).start(plan("1")));
        assertEquals(Map.of("champion", "1"), aliasesReadBack());
        CanaryResult aborted = run("v1.json", router, 0.0, new RegistryAliases(registry)).abort("first deployment withdrawn");
        assertEquals(CanaryVerdict.ABORTED, aborted.verdict());
        assertEquals(Map.of(), aliasesReadBack());
        assertEquals(Map.of(), aborted.aliases());
    }

    /** The real aliases, with a process that dies right after alias move number {@code crashAt}. */
    private static final class DyingAliases implements ModelAliases {
        private final ModelAliases real;
        private final Fakes.Fault crash = new Fakes.Fault();

        DyingAliases(ModelAliases real, int crashAt) {
            this.real = real;
            crash.at(crashAt, true);
        }

        @Override
        public Optional<String> version(String m, String alias) {
            return real.version(m, alias);
        }

        @Override
        public void set(String m, String alias, String version) {
            real.set(m, alias, version);
            if (crash.hit()) {
                throw new Fakes.Crash("after " + alias + " moved");
            }
        }

        @Override
        public void remove(String m, String alias) {
            real.remove(m, alias);
        }

        @Override
        public boolean exists(String m, String version) {
            return real.exists(m, version);
        }
    }
}
