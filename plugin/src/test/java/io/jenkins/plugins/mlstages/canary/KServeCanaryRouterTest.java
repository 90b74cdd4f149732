package io.jenkins.plugins.mlstages.canary;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.AbortException;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import hudson.util.Secret;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * The KServe router's identity in Jenkins: only the definition's credential; a kubeconfig whose exec plugin runs a
 * program is refused on the controller (the program never starts) and runs on the agent the administrator named.
 */
public class KServeCanaryRouterTest {
    private static final String TOKEN = "exec-token-never-shown";

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** An exec plugin that leaves a mark where it ran and prints an ExecCredential. */
    private Path execPlugin(Path marker) throws Exception {
        Path script = tmp.newFolder("bin").toPath().resolve("get-token.sh");
        Files.writeString(script, "#!/bin/sh\ntouch '" + marker + "'\n"
                + "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                + "\"status\":{\"token\":\"" + TOKEN + "\"}}'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** A kubeconfig of an API server that is not there (a closed port on this machine). */
    private static String kubeconfig(Path script) {
        return String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "current-context: prod",
                "contexts:",
                "- name: prod",
                "  context: {cluster: prod, user: deployer, namespace: models}",
                "clusters:",
                "- name: prod",
                "  cluster: {server: 'http://127.0.0.1:1'}",
                "users:",
                "- name: deployer",
                "  user:",
                "    exec:",
                "      apiVersion: client.authentication.k8s.io/v1",
                "      command: " + script,
                "      interactiveMode: Never",
                "");
    }

    private static void addKubeconfig(String id, String yaml) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(CredentialsScope.GLOBAL, id,
                "kubeconfig", "kubeconfig", SecretBytes.fromRawBytes(yaml.getBytes(StandardCharsets.UTF_8))));
        SystemCredentialsProvider.getInstance().save();
    }

    private WorkflowRun run() throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("echo 'built'", true));
        return j.assertBuildStatus(Result.SUCCESS, p.scheduleBuild2(0));
    }

    @Test
    public void anExecPluginNeverRunsOnTheController() throws Exception {
        Path marker = tmp.getRoot().toPath().resolve("ran");
        Path script = execPlugin(marker);
        addKubeconfig("eks", kubeconfig(script));
        KServeCanaryRouter router = new KServeCanaryRouter("prod-fraud", "fraud");
        router.setCredentialsId("eks");
        CanaryRouters.get().setRouters(List.of(router));
        AbortException e = assertThrows(AbortException.class, () -> router.open(run(), d -> { }, Optional.empty()));
        assertTrue(e.getMessage(), e.getMessage().contains("kserve router 'prod-fraud': credentials 'eks':"
                + " users[deployer].user.exec runs a program ('" + script + "'), which runs only on an agent"));
        assertFalse("the program never started", Files.exists(marker));
    }

    @Test
    public void onTheNamedAgentTheExecPluginRunsThere() throws Exception {
        Path marker = tmp.getRoot().toPath().resolve("ran");
        addKubeconfig("eks", kubeconfig(execPlugin(marker)));
        DumbSlave agent = j.createOnlineSlave();
        KServeCanaryRouter router = new KServeCanaryRouter("prod-fraud", "fraud");
        router.setCredentialsId("eks");
        router.setAgent(agent.getNodeName());
        CanaryRouters.get().setRouters(List.of(router));
        TrafficRouter opened = router.open(run(), d -> { }, Optional.empty());
        assertFalse("nothing ran while opening", Files.exists(marker));
        assertEquals("KServe InferenceService fraud (credentials 'eks') through agent '" + agent.getNodeName() + "'",
                opened.describe());
        // the agent ran the exec plugin, then found no API server
        DeployException e = assertThrows(DeployException.class, opened::canaryWeight);
        assertTrue(e.getMessage(), e.getMessage().startsWith("kserve router 'prod-fraud': kubernetes API read InferenceService"
                + " of models/fraud failed: no answer from http://127.0.0.1:1/"));
        assertFalse(e.getMessage(), e.getMessage().contains(TOKEN));
        assertTrue(Files.exists(marker));
    }

    @Test
    public void theBuiltInNodeIsNoAgentAndATokenStaysOnTheController() throws Exception {
        KServeCanaryRouter router = new KServeCanaryRouter("prod-fraud", "fraud");
        router.setCredentialsId("eks");
        router.setAgent("built-in");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CanaryRouters.get().setRouters(List.of(router)));
        assertEquals("kserve router 'prod-fraud': agent must name an agent, not the built-in node: a kubeconfig's exec plugin"
                + " never runs on the controller", e.getMessage());

        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL, "token",
                "token", Secret.fromString(TOKEN)));
        KServeCanaryRouter token = new KServeCanaryRouter("token-fraud", "fraud");
        token.setCredentialsId("token");
        token.setApiServer("https://kube.example:6443");
        token.setAgent("some-agent");
        CanaryRouters.get().setRouters(List.of(token));
        AbortException refused = assertThrows(AbortException.class, () -> token.open(run(), d -> { }, Optional.empty()));
        assertTrue(refused.getMessage(), refused.getMessage().contains("agent goes with a kubeconfig credential"));
        assertFalse(refused.getMessage(), refused.getMessage().contains(TOKEN));
    }
}
