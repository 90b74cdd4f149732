package io.jenkins.plugins.mlstages.canary;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.AbortException;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * The Istio router definition: what an administrator may save, and its identity as the KServe definition's (only the
 * credential; an exec plugin never runs on the controller, and runs on the agent the administrator named) for the
 * weights of the deployment steps and the mirror of shadowDeploy.
 */
public class IstioCanaryRouterTest {
    private static final String TOKEN = "exec-token-never-shown";
    private static final String STABLE = "iris-v1-predictor.models.svc.cluster.local";
    private static final String CANARY = "iris-v2-predictor.models.svc.cluster.local";
    private static final String CAPTURE = "shadow-capture.models.svc.cluster.local";

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static IstioCanaryRouter router(String name) {
        IstioCanaryRouter router = new IstioCanaryRouter(name, "iris", STABLE);
        router.setCredentialsId("eks");
        router.setCanaryDestination(CANARY);
        return router;
    }

    /** The one line {@link CanaryRouters#setRouters} refuses {@code router} with. */
    private static String refusal(IstioCanaryRouter router) {
        return assertThrows(IllegalArgumentException.class, () -> CanaryRouters.get().setRouters(List.of(router))).getMessage();
    }

    @Test
    public void anUnusableDefinitionIsRefusedNamingTheField() {
        assertEquals("istio router 'x' needs virtualService: the VirtualService's name",
                assertThrows(IllegalArgumentException.class, () -> new IstioCanaryRouter("x", " ", STABLE)).getMessage());
        assertEquals("istio router 'x' needs stableDestination: the stable version's HOST[/SUBSET]",
                assertThrows(IllegalArgumentException.class, () -> new IstioCanaryRouter("x", "iris", null)).getMessage());

        IstioCanaryRouter noCredential = router("a");
        noCredential.setCredentialsId(null);
        assertTrue(refusal(noCredential), refusal(noCredential).startsWith("istio router 'a': needs credentialsId"));

        IstioCanaryRouter builtIn = router("b");
        builtIn.setAgent("built-in");
        assertEquals("istio router 'b': agent must name an agent, not the built-in node: a kubeconfig's exec plugin never runs"
                + " on the controller", refusal(builtIn));

        IstioCanaryRouter nothing = router("c");
        nothing.setCanaryDestination(null);
        assertEquals("istio router 'c': needs canaryDestination (weights: canaryDeploy, blueGreenDeploy, abTest) or"
                + " mirrorDestination (shadowDeploy), or both", refusal(nothing));

        IstioCanaryRouter sameAsStable = router("d");
        sameAsStable.setCanaryDestination(STABLE);
        assertEquals("istio router 'd': canaryDestination is the stableDestination: " + STABLE, refusal(sameAsStable));

        IstioCanaryRouter noCapture = router("e");
        noCapture.setMirrorDestination(CAPTURE);
        assertEquals("istio router 'e': mirrorDestination needs captureAgent and captureFolder: where shadowDeploy reads the"
                + " shadow capture's files", refusal(noCapture));

        IstioCanaryRouter captureOnController = router("f");
        captureOnController.setMirrorDestination(CAPTURE);
        captureOnController.setCaptureAgent("(built-in)");
        captureOnController.setCaptureFolder("/srv/capture");
        assertEquals("istio router 'f': captureAgent must name an agent, not the built-in node: the capture receives"
                + " production traffic", refusal(captureOnController));

        IstioCanaryRouter tooMuch = router("g");
        tooMuch.setMirrorDestination(CAPTURE);
        tooMuch.setCaptureAgent("capture-host");
        tooMuch.setCaptureFolder("/srv/capture");
        tooMuch.setMirrorPercentage(150);
        assertEquals("istio router 'g': mirrorPercentage must be above 0 and at most 100, was 150.0", refusal(tooMuch));

        IstioCanaryRouter badNamespace = router("h");
        badNamespace.setNamespace("Models_1");
        assertEquals("istio router 'h': invalid Kubernetes namespace: 'Models_1'", refusal(badNamespace));

        // a usable one: defaults as documented
        IstioCanaryRouter usable = router("prod-iris");
        CanaryRouters.get().setRouters(List.of(usable));
        assertEquals(100, usable.getMirrorPercentage(), 0);
        assertEquals("5m", usable.getReadyTimeout());
        assertNull(usable.getRoute());
        assertFalse("no storage URI for istio", usable.takesCanaryStorageUri());
    }

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
    public void anExecKubeconfigWithoutAnAgentIsRefusedOnTheControllerForWeightsAndMirror() throws Exception {
        Path marker = tmp.getRoot().toPath().resolve("ran");
        Path script = execPlugin(marker);
        addKubeconfig("eks", kubeconfig(script));
        IstioCanaryRouter router = router("prod-iris");
        router.setMirrorDestination(CAPTURE);
        router.setCaptureAgent("capture-host");
        router.setCaptureFolder("/srv/capture");
        CanaryRouters.get().setRouters(List.of(router));
        WorkflowRun run = run();

        AbortException weights = assertThrows(AbortException.class, () -> router.open(run, d -> { }, Optional.empty()));
        assertTrue(weights.getMessage(), weights.getMessage().contains("istio router 'prod-iris': credentials 'eks':"
                + " users[deployer].user.exec runs a program ('" + script + "'), which runs only on an agent"));
        AbortException mirror = assertThrows(AbortException.class, () -> router.openShadow(run));
        assertTrue(mirror.getMessage(), mirror.getMessage().startsWith("shadowDeploy: istio router 'prod-iris': credentials 'eks':"
                + " users[deployer].user.exec runs a program"));
        assertFalse("the program never started", Files.exists(marker));
    }

    @Test
    public void onTheNamedAgentTheExecPluginRunsThereForWeightsAndMirror() throws Exception {
        Path marker = tmp.getRoot().toPath().resolve("ran");
        addKubeconfig("eks", kubeconfig(execPlugin(marker)));
        DumbSlave agent = j.createOnlineSlave();
        IstioCanaryRouter router = router("prod-iris");
        router.setAgent(agent.getNodeName());
        router.setRoute("predict");
        router.setMirrorDestination(CAPTURE);
        router.setMirrorPercentage(25);
        router.setCaptureAgent(agent.getNodeName());
        router.setCaptureFolder(tmp.newFolder("capture").getAbsolutePath());
        CanaryRouters.get().setRouters(List.of(router));
        WorkflowRun run = run();

        TrafficRouter weights = router.open(run, d -> { }, Optional.empty());
        ShadowSetup shadow = router.openShadow(run);
        assertFalse("nothing ran while opening", Files.exists(marker));
        String described = "Istio VirtualService iris route predict (credentials 'eks') through agent '" + agent.getNodeName() + "'";
        assertEquals(described, weights.describe());
        assertEquals(described, shadow.mirror().describe());
        // the agent ran the exec plugin, then found no API server
        DeployException e = assertThrows(DeployException.class, weights::canaryWeight);
        assertTrue(e.getMessage(), e.getMessage().startsWith("istio router 'prod-iris': kubernetes API read VirtualService"
                + " models/iris failed: no answer from http://127.0.0.1:1/"));
        assertFalse(e.getMessage(), e.getMessage().contains(TOKEN));
        assertTrue(Files.exists(marker));
        Files.delete(marker);
        e = assertThrows(DeployException.class, () -> shadow.mirror().setMirroring(true));
        assertTrue(e.getMessage(), e.getMessage().startsWith("istio router 'prod-iris': kubernetes API "));
        assertTrue("the mirror's call ran there too", Files.exists(marker));
    }

    @Test
    public void aRouterWithoutACanaryDestinationOnlyMirrorsAndKServePointsToIt() throws Exception {
        IstioCanaryRouter mirrorOnly = router("shadow-iris");
        mirrorOnly.setCanaryDestination(null);
        mirrorOnly.setMirrorDestination(CAPTURE);
        mirrorOnly.setCaptureAgent("capture-host");
        mirrorOnly.setCaptureFolder("/srv/capture");
        KServeCanaryRouter kserve = new KServeCanaryRouter("kserve-iris", "iris");
        kserve.setCredentialsId("eks");
        CanaryRouters.get().setRouters(List.of(mirrorOnly, kserve));
        WorkflowRun run = run();
        AbortException e = assertThrows(AbortException.class, () -> mirrorOnly.open(run, d -> { }, Optional.empty()));
        assertTrue(e.getMessage(), e.getMessage().contains("istio router 'shadow-iris': it sets no weights: it has no"
                + " canaryDestination"));
        e = assertThrows(AbortException.class, () -> kserve.openShadow(run));
        assertTrue(e.getMessage(), e.getMessage().contains("name an istio router definition of the VirtualService in front"
                + " of it, with mirrorDestination"));
    }
}
