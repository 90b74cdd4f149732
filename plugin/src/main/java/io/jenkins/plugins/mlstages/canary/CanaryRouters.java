package io.jenkins.plugins.mlstages.canary;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.model.Item;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlstages.support.BuildLog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * The canary routers of this Jenkins, defined by administrators (Manage Jenkins » System, or JCasC
 * {@code unclassified: mlStagesCanary: routers: - nginx: {name: ..., ...}}) and named by
 * {@code canaryDeploy(router: 'NAME')}. Global configuration is the place for what a router does on a host
 * (the nginx file and commands, the node they run on, the cluster and credential of KServe, the webhook and its
 * token), since under controller isolation a Pipeline author must not choose any of it.
 */
@Extension
@Symbol("mlStagesCanary")
public class CanaryRouters extends GlobalConfiguration {
    /** Where routers are defined, for messages. */
    public static final String WHERE = "an administrator defines them under Manage Jenkins » System » ML Stages canary "
            + "routers, or in JCasC unclassified: mlStagesCanary: routers:";

    /** Replaced whole, never changed in place. */
    private volatile List<CanaryRouter> routers = List.of();

    public CanaryRouters() {
        load();
    }

    public static CanaryRouters get() {
        return ExtensionList.lookupSingleton(CanaryRouters.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return "ML Stages canary routers";
    }

    public List<CanaryRouter> getRouters() {
        return routers;
    }

    /**
     * The definitions, each usable, with distinct names; does not save (JCasC saves after configuring,
     * {@link #configure} saves once).
     *
     * @throws IllegalArgumentException naming the router and the field that cannot be used
     */
    @DataBoundSetter
    public void setRouters(List<CanaryRouter> routers) {
        List<CanaryRouter> next = routers == null ? List.of() : List.copyOf(routers);
        Set<String> names = new HashSet<>();
        for (CanaryRouter router : next) {
            if (!names.add(router.getName())) {
                throw new IllegalArgumentException("two canary routers are named '" + router.getName() + "'");
            }
            router.check();
        }
        this.routers = next;
    }

    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        // a form without any router has no "routers" field: start from none so that deleting the last one works
        List<CanaryRouter> before = routers;
        routers = List.of();
        try {
            req.bindJSON(this, json);
        } catch (IllegalArgumentException e) {
            routers = before;
            throw new FormException(e.getMessage(), e, "routers");
        }
        save();
        return true;
    }

    /** The router named {@code name}; null when none is. */
    @CheckForNull
    public CanaryRouter find(String name) {
        for (CanaryRouter router : routers) {
            if (router.getName().equals(name)) {
                return router;
            }
        }
        return null;
    }

    /** The router named {@code name}, or the step's one-line failure saying where routers are defined. */
    public CanaryRouter require(String name) throws AbortException {
        CanaryRouter router = find(name);
        if (router == null) {
            List<String> names = new ArrayList<>();
            routers.forEach(r -> names.add(r.getName()));
            throw BuildLog.failure("canaryDeploy", "no canary router is named '" + name + "'; "
                    + (names.isEmpty() ? "none is defined" : "defined: " + String.join(", ", names))
                    + " (" + WHERE + ")");
        }
        return router;
    }

    /**
     * The names of the routers for a deployment step's form in {@code item}, for those who may configure it (an
     * administrator outside any item); the definitions themselves stay on the system page.
     */
    public ListBoxModel routerItems(@CheckForNull Item item, @CheckForNull String current) {
        if (item == null ? !Jenkins.get().hasPermission(Jenkins.ADMINISTER) : !item.hasPermission(Item.CONFIGURE)) {
            return new ListBoxModel();
        }
        return routerItems(current);
    }

    /** The names of the routers, for the step's form; the definitions themselves stay on the system page. */
    public ListBoxModel routerItems(@CheckForNull String current) {
        ListBoxModel items = new ListBoxModel();
        for (CanaryRouter router : routers) {
            items.add(router.getName());
        }
        String value = Util.fixEmptyAndTrim(current);
        if (value != null && find(value) == null) {
            items.add(value);
        }
        return items;
    }
}
