package io.jenkins.plugins.mlstages.steps;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.Secret;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.sf.json.JSONArray;
import net.sf.json.JSONObject;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * The steps' descriptors, now built on MlStageDescriptor and RegistryDescriptor, still say what the
 * Pipeline syntax and the Snippet Generator need: their names, their context, and the credentials
 * drop-down, reached over HTTP as the form reaches it.
 */
public class StepDescriptorsTest {
    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Test
    public void namesAndContexts() {
        Set<Class<?>> onAgent = Set.of(FilePath.class, Run.class, TaskListener.class, FlowNode.class);
        for (String step : List.of("validateData", "evaluateModel", "modelGate", "mlStagesReport")) {
            assertEquals(step, onAgent, StepDescriptor.byFunctionName(step).getRequiredContext());
        }
        // registerModel runs on the controller: outside node {} too
        assertEquals(Set.of(Run.class, TaskListener.class, FlowNode.class),
                StepDescriptor.byFunctionName("registerModel").getRequiredContext());
        for (String step : List.of("evaluateModel", "modelGate", "registerModel")) {
            assertTrue(step, StepDescriptor.byFunctionName(step) instanceof RegistryStep.RegistryDescriptor);
        }
    }

    /** The inherited web method answers on each registry step's descriptor URL, within the job. */
    @Test
    public void theCredentialsDropDownAnswersForEveryRegistryStep() throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "mlflow-token", "MLflow", Secret.fromString("s3cr3t-0123456789")));
        j.createProject(WorkflowJob.class, "fill");
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            // the deployments that set aliases have it from TrafficDescriptor
            for (Class<?> step : List.of(EvaluateModelStep.class, ModelGateStep.class, RegisterModelStep.class,
                    CanaryDeployStep.class, BlueGreenDeployStep.class)) {
                WebRequest request = new WebRequest(new URL(j.getURL(), "job/fill/descriptorByName/" + step.getName()
                        + "/fillCredentialsIdItems?credentialsId="), HttpMethod.POST);
                String body = wc.getPage(wc.addCrumb(request)).getWebResponse().getContentAsString();
                JSONArray values = JSONObject.fromObject(body).getJSONArray("values");
                List<String> ids = new ArrayList<>();
                for (Object value : values) {
                    ids.add(((JSONObject) value).getString("value"));
                }
                assertEquals(step.getSimpleName(), List.of("", "mlflow-token"), ids);
            }
        }
    }
}
