package io.jenkins.plugins.mlstages.canary;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import hudson.model.Result;
import io.jenkins.plugins.mlstages.ui.MlReportAction;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;

/** The administrator's router definitions: what is refused, what the form keeps, and a canary recorded once. */
public class CanaryRoutersTest {
    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Test
    public void aKServeRouterWithoutACredentialIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CanaryRouters.get().setRouters(List.of(new KServeCanaryRouter("prod-fraud", "fraud-detector"))));
        assertTrue(e.getMessage(), e.getMessage().startsWith("kserve router 'prod-fraud': needs credentialsId"));
        assertTrue(CanaryRouters.get().getRouters().isEmpty());
    }

    @Test
    public void anNginxRouterNeedsItsNodeChosen() {
        NginxCanaryRouter edge = new NginxCanaryRouter("edge", "/etc/nginx/conf.d/fraud.conf", "fraud", "127.0.0.1:8081",
                "127.0.0.1:8082");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CanaryRouters.get().setRouters(List.of(edge)));
        assertEquals("nginx router 'edge': needs either agent: the node where nginx runs, or onController: true (not both)",
                e.getMessage());
        edge.setAgent("nginx-host");
        edge.setOnController(true);
        assertThrows(IllegalArgumentException.class, () -> CanaryRouters.get().setRouters(List.of(edge)));
        edge.setOnController(false);
        CanaryRouters.get().setRouters(List.of(edge));
        assertEquals(edge, CanaryRouters.get().find("edge"));
    }

    @Test
    public void aRelativeNginxFileIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NginxCanaryRouter("edge",
                "conf.d/fraud.conf", "fraud", "127.0.0.1:8081", "127.0.0.1:8082"));
        assertTrue(e.getMessage(), e.getMessage().contains("config must be an absolute path"));
    }

    @Test
    public void twoRoutersWithOneNameAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CanaryRouters.get().setRouters(
                List.of(new HttpCanaryRouter("webhook", "https://a.example.com"),
                        new HttpCanaryRouter("webhook", "https://b.example.com"))));
        assertEquals("two canary routers are named 'webhook'", e.getMessage());
    }

    @Test
    public void theFormKeepsTheRouters() throws Exception {
        HttpCanaryRouter webhook = new HttpCanaryRouter("webhook", "https://router.example.com/fraud");
        webhook.setTimeoutSeconds(30);
        NginxCanaryRouter edge = new NginxCanaryRouter("edge", "/etc/nginx/conf.d/fraud.conf", "fraud",
                "127.0.0.1:8081", "127.0.0.1:8082");
        edge.setAgent("nginx-host");
        edge.setReloadCommand("sudo -n nginx -s reload");
        List<CanaryRouter> routers = List.of(webhook, edge);
        CanaryRouters.get().setRouters(routers);
        j.configRoundtrip();
        j.assertEqualDataBoundBeans(routers, CanaryRouters.get().getRouters());
    }

    @Test
    public void aCanaryRecordedTwiceIsOneStage() throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("echo 'built'", true));
        WorkflowRun b = j.assertBuildStatus(Result.SUCCESS, p.scheduleBuild2(0));
        String report = "{\"schema\":\"ml-stages/v1\",\"stage\":\"canary\",\"status\":\"PASSED\",\"model\":\"fraud\","
                + "\"version\":\"2\"}";
        MlReportAction.record(b, "canary-1", report, "canaryDeploy PROMOTED: fraud/2", null, null);
        MlReportAction.record(b, "canary-1", report, "canaryDeploy PROMOTED: fraud/2 (again)", null, null);
        MlReportAction action = b.getAction(MlReportAction.class);
        assertEquals(1, action.getStages().size());
        assertEquals("canaryDeploy PROMOTED: fraud/2 (again)", action.getStages().get(0).getSummary());
        assertEquals(1, j.getJSON(b.getUrl() + "ml-stages/api/json").getJSONObject().getJSONArray("stages").size());
        MlReportAction.record(b, "canary-2", report, "canaryDeploy PROMOTED: fraud/2", null, null);
        assertEquals("another canary is another stage", 2, action.getStages().size());
    }
}
