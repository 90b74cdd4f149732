package io.jenkins.plugins.mlstages.steps;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import hudson.EnvVars;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.mlstages.canary.CanaryRouters;
import io.jenkins.plugins.mlstages.canary.HttpCanaryRouter;
import io.jenkins.plugins.mlstages.canary.NginxCanaryRouter;
import io.jenkins.plugins.mlstages.canary.PrometheusAnalysisSource;
import java.nio.file.Files;
import java.nio.file.Path;

import hudson.model.Result;
import io.jenkins.plugins.mlstages.ui.MlReportAction;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.Test;

/**
 * canaryDeploy end to end on the fakes of {@link DeployStepFixture}: a canary must pass or fail on demand, and a
 * restart in the middle of a canary is seen from outside.
 */
public class CanaryDeployStepTest extends DeployStepFixture {
    private static String probeFile() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            text.append("{\\\"x\\\": ").append(i / 50.0).append("}\\n");
        }
        return "writeFile file: 'probe.jsonl', text: \"" + text + "\"\n";
    }

    private String canary(String interval) {
        return canary(interval, "router: 'webhook'");
    }

    private String canary(String interval, String routerAndMore) {
        return "def r = canaryDeploy model: '" + model + "', version: '2', steps: '50,100', interval: '" + interval + "',"
                + " " + routerAndMore + ","
                + " analysis: ['error_rate: sum(rate(errors[1m])) <= 0.01'],"
                + " analysisSource: prometheus(url: '" + base() + "')\n"
                + "echo \"verdict=${r.verdict} stable=${r.stableVersion}\"\n";
    }

    @Override
    String modelPrefix() {
        return "canary-";
    }

    @Test
    public void passingAnalysesPromote() throws Throwable {
        sessions.then(j -> {
            configure();
            WorkflowJob p = j.createProject(WorkflowJob.class, "canary");
            p.setDefinition(new CpsFlowDefinition(canary("1s"), true));
            WorkflowRun b = j.assertBuildStatus(Result.SUCCESS, p.scheduleBuild2(0));
            j.assertLogContains("verdict=PROMOTED stable=1", b);
            j.assertLogContains("canaryDeploy PROMOTED: " + model + "/2", b);
            assertEquals(List.of(50, 100), weights);
            assertEquals("2", alias(model, "champion"));
            assertEquals("1", alias(model, "previous"));
            assertEquals("canary", b.getAction(MlReportAction.class).getStages().get(0).getStage());
        });
    }

    @Test
    public void aFailingAnalysisRollsBack() throws Throwable {
        errorRate = "0.5";
        sessions.then(j -> {
            configure();
            WorkflowJob p = j.createProject(WorkflowJob.class, "canary");
            p.setDefinition(new CpsFlowDefinition(canary("1s"), true));
            WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
            j.assertLogContains("canaryDeploy ROLLED_BACK: " + model + "/2", b);
            j.assertLogNotContains("\tat ", b);
            assertEquals(0, weight);
            assertEquals("1", alias(model, "champion"));
        });
    }

    @Test
    public void abortingRollsBackWithoutWaitingForTheStep() throws Throwable {
        sessions.then(j -> {
            configure();
            WorkflowJob p = j.createProject(WorkflowJob.class, "canary");
            p.setDefinition(new CpsFlowDefinition(canary("1h"), true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            j.waitForMessage("router at 50 % canary", b);
            b.doStop();
            j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
            assertEquals(0, weight);
            assertEquals("1", alias(model, "champion"));
            assertTrue(b.getAction(MlReportAction.class).getStages().get(0).getSummary().startsWith("canaryDeploy ABORTED"));
        });
    }

    @Test
    public void aControllerRestartResumesTheCanary() throws Throwable {
        sessions.then(j -> {
            configure();
            WorkflowJob p = j.createProject(WorkflowJob.class, "canary");
            p.setDefinition(new CpsFlowDefinition(canary("3s"), true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            j.waitForMessage("router at 50 % canary", b);
        });
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("canary", WorkflowJob.class).getLastBuild();
            j.assertBuildStatus(Result.SUCCESS, j.waitForCompletion(b));
            j.assertLogContains("resuming the canary of " + model + " version 2 after a controller restart", b);
            j.assertLogContains("verdict=PROMOTED", b);
            // 50 % once before the restart and again (idempotently) after it, then 100 %
            assertEquals(100, weight);
            assertEquals(Integer.valueOf(50), weights.get(0));
            assertTrue(weights.toString(), weights.stream().allMatch(w -> w == 50 || w == 100));
            assertEquals("2", alias(model, "champion"));
        });
    }

    @Test
    public void configRoundTrip() throws Throwable {
        sessions.then(j -> {
            HttpCanaryRouter router = new HttpCanaryRouter("prod-fraud", "https://router.example.com/fraud");
            router.setCredentialsId("router-token");
            NginxCanaryRouter edge = new NginxCanaryRouter("edge", "/etc/nginx/conf.d/fraud-upstream.conf", "fraud",
                    "127.0.0.1:8081", "127.0.0.1:8082");
            edge.setAgent("nginx-host");
            CanaryRouters.get().setRouters(List.of(router, edge));
            CanaryDeployStep step = new CanaryDeployStep("fraud-detector", "7", "10,50,100", "5m", "prod-fraud");
            step.setAnalysis(List.of("error_rate: sum(rate(errors[1m])) / sum(rate(requests[1m])) <= 0.01"));
            step.setAnalysisSource(new PrometheusAnalysisSource("http://prometheus:9090"));
            step.setAnalysesPerStep(2);
            step.setOnInconclusive("hold");
            CanaryDeployStep after = new org.jenkinsci.plugins.workflow.steps.StepConfigTester(j).configRoundTrip(step);
            j.assertEqualDataBoundBeans(step, after);

            CanaryDeployStep nginx = new CanaryDeployStep("fraud-detector", "7", "10,100", "30s", "edge");
            nginx.setAnalysis(List.of("latency: histogram_quantile(0.99, sum(rate(latency_bucket[1m])) by (le)) <= 0.25"));
            nginx.setAnalysisSource(new PrometheusAnalysisSource("http://prometheus:9090"));
            j.assertEqualDataBoundBeans(nginx, new org.jenkinsci.plugins.workflow.steps.StepConfigTester(j).configRoundTrip(nginx));
        });
    }

    @Test
    public void behaviourRulesOnTheProbeRollBackACanaryWhosePredictionsDifferWhilePrometheusPasses() throws Throwable {
        sessions.then(j -> {
            HttpCanaryRouter probed = new HttpCanaryRouter("probed", base() + "/router");
            probed.setProbeStableUrl(base() + "/stable");
            probed.setProbeCanaryUrl(base() + "/canary");
            configure(probed);
            WorkflowJob p = j.createProject(WorkflowJob.class, "canary");
            p.setDefinition(new CpsFlowDefinition("node {\n" + probeFile()
                    + "def r = canaryDeploy model: '" + model + "', version: '2', steps: '50,100', interval: '1s',"
                    + " router: 'probed', probe: 'probe.jsonl',"
                    + " analysis: ['error_rate: sum(rate(errors[1m])) <= 0.01', 'agreement >= 0.97'],"
                    + " analysisSource: prometheus(url: '" + base() + "')\n"
                    + "echo \"verdict=${r.verdict}\"\n}\n", true));
            WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
            j.assertLogContains("verdict=ROLLED_BACK", b);
            j.assertLogContains("error_rate 0.001 [<= 0.01] PASS", b);
            j.assertLogContains("agreement 0.02 [>= 0.97] FAIL", b);
            assertEquals("1", alias(model, "champion"));
        });
    }

    @Test
    public void behaviourRulesNeedTheRoutersProbeUrlsAndSayItInOneLine() throws Throwable {
        sessions.then(j -> {
            configure();
            WorkflowJob p = j.createProject(WorkflowJob.class, "canary");
            p.setDefinition(new CpsFlowDefinition("node {\n" + probeFile()
                    + "canaryDeploy model: '" + model + "', version: '2', steps: '50,100', interval: '1s',"
                    + " router: 'webhook', probe: 'probe.jsonl', analysis: ['agreement >= 0.97']\n}\n", true));
            WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
            j.assertLogContains("canaryDeploy: http router 'webhook': behaviour rules send a probe to both versions, and this"
                    + " router defines no probeStableUrl and probeCanaryUrl", b);
            j.assertLogNotContains("\tat ", b);
            assertTrue("nothing was routed", weights.isEmpty());
        });
    }

    @Test
    public void anUnknownRouterIsOneLine() throws Throwable {
        sessions.then(j -> {
            configure();
            WorkflowJob p = j.createProject(WorkflowJob.class, "canary");
            p.setDefinition(new CpsFlowDefinition(canary("1s", "router: 'prod-fraud'"), true));
            WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
            j.assertLogContains("canaryDeploy: no canary router is named 'prod-fraud'; defined: webhook (an administrator"
                    + " defines them under Manage Jenkins", b);
            j.assertLogNotContains("\tat ", b);
            assertTrue("nothing was routed", weights.isEmpty());
        });
    }

    @Test
    public void aRouterDescribedInThePipelineIsRefusedWithOneLine() throws Throwable {
        sessions.then(j -> {
            configure();
            WorkflowJob p = j.createProject(WorkflowJob.class, "canary");
            p.setDefinition(new CpsFlowDefinition(canary("1s", "router: nginx(config: '/etc/passwd', upstream: 'x',"
                    + " stableServer: 'a:1', canaryServer: 'b:1', reloadCommand: 'touch /tmp/owned')"), true));
            WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
            j.assertLogContains(CanaryDeployStep.ROUTER_BY_NAME, b);
            j.assertLogNotContains("\tat ", b);
            assertTrue("nothing was routed", weights.isEmpty());
        });
    }

    @Test
    public void nginxOnANamedAgentRunsItsCommandsThere() throws Throwable {
        Path dir = tmp.newFolder().toPath();
        Path ran = dir.resolve("ran");
        Path script = dir.resolve("nginx-stand-in.sh");
        // the agent's process has ML_STAGES_NODE, the controller's does not: the file says where the commands ran
        Files.writeString(script, "#!/bin/sh\necho \"$1 ${ML_STAGES_NODE:-controller}\" >> '" + ran + "'\n");
        assertTrue(script.toFile().setExecutable(true));
        Path upstream = dir.resolve("upstream.conf");
        sessions.then(j -> {
            DumbSlave agent = j.createSlave("nginx-host", null, new EnvVars("ML_STAGES_NODE", "nginx-host"));
            j.waitOnline(agent);
            NginxCanaryRouter edge = new NginxCanaryRouter("edge", upstream.toString(), "fraud", "127.0.0.1:8081",
                    "127.0.0.1:8082");
            edge.setAgent("nginx-host");
            edge.setTestCommand(script + " test");
            edge.setReloadCommand(script + " reload");
            configure(edge);
            WorkflowJob p = j.createProject(WorkflowJob.class, "canary");
            p.setDefinition(new CpsFlowDefinition(canary("1s", "router: 'edge'"), true));
            WorkflowRun b = j.assertBuildStatus(Result.SUCCESS, p.scheduleBuild2(0));
            j.assertLogContains("verdict=PROMOTED", b);
            j.assertLogContains("nginx upstream 'fraud' in " + upstream + " on agent 'nginx-host'", b);
            List<String> lines = Files.readAllLines(ran);
            assertEquals(List.of("test nginx-host", "reload nginx-host", "test nginx-host", "reload nginx-host"), lines);
            String file = Files.readString(upstream);
            assertTrue(file, file.contains("server 127.0.0.1:8081 down;") && file.contains("server 127.0.0.1:8082 weight=1;"));
        });
    }

    @Test
    public void anOfflineNginxAgentFailsWithOneLine() throws Throwable {
        Path dir = tmp.newFolder().toPath();
        sessions.then(j -> {
            DumbSlave agent = j.createSlave("nginx-host", null, null);
            j.waitOnline(agent);
            j.disconnectSlave(agent);
            NginxCanaryRouter edge = new NginxCanaryRouter("edge", dir.resolve("upstream.conf").toString(), "fraud",
                    "127.0.0.1:8081", "127.0.0.1:8082");
            edge.setAgent("nginx-host");
            configure(edge);
            WorkflowJob p = j.createProject(WorkflowJob.class, "canary");
            p.setDefinition(new CpsFlowDefinition(canary("1s", "router: 'edge'"), true));
            WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
            j.assertLogContains("nginx router 'edge': agent 'nginx-host' is offline", b);
            j.assertLogNotContains("\tat ", b);
            assertFalse("nothing was written on the controller", Files.exists(dir.resolve("upstream.conf")));
            assertEquals("1", alias(model, "champion"));
        });
    }

    @Test
    public void anOfflineWorkspaceAtTheEndStillRecordsAndAppliesTheVerdict() throws Throwable {
        sessions.then(j -> {
            configure();
            DumbSlave agent = j.createSlave("ephemeral", null, null);
            j.waitOnline(agent);
            WorkflowJob p = j.createProject(WorkflowJob.class, "canary");
            p.setDefinition(new CpsFlowDefinition("node('ephemeral') {\n" + canary("3s", "router: 'webhook', report: 'canary.json'")
                    + "}\n", true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            j.waitForMessage("router at 50 % canary", b);
            j.disconnectSlave(agent);
            j.assertBuildStatus(Result.SUCCESS, j.waitForCompletion(b));
            j.assertLogContains("canaryDeploy: warning: running inside node { }", b);
            // the workspace's node is gone: the file is lost (one line), not the result
            j.assertLogContains("report not written", b);
            j.assertLogContains("verdict=PROMOTED", b);
            j.assertLogNotContains("\tat ", b);
            MlReportAction report = b.getAction(MlReportAction.class);
            assertEquals(1, report.getStages().size());
            assertTrue(report.getStages().get(0).getSummary().startsWith("canaryDeploy PROMOTED"));
            assertEquals("2", alias(model, "champion"));
        });
    }

    @Test
    public void aCanaryIsRecordedOnceAcrossARestart() throws Throwable {
        sessions.then(j -> {
            configure();
            WorkflowJob p = j.createProject(WorkflowJob.class, "canary");
            p.setDefinition(new CpsFlowDefinition(canary("3s"), true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            j.waitForMessage("router at 50 % canary", b);
        });
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("canary", WorkflowJob.class).getLastBuild();
            j.assertBuildStatus(Result.SUCCESS, j.waitForCompletion(b));
            assertEquals(1, b.getAction(MlReportAction.class).getStages().size());
            assertEquals(1, j.getJSON(b.getUrl() + "ml-stages/api/json").getJSONObject().getJSONArray("stages").size());
        });
    }
}
