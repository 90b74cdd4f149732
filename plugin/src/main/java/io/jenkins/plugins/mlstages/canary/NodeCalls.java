package io.jenkins.plugins.mlstages.canary;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Node;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import java.io.IOException;
import jenkins.security.MasterToSlaveCallable;

/**
 * Runs one operation on the node an administrator named (or on the controller when they chose it), through
 * the node's channel as it is now: an agent that reconnected is used again, an offline one is one line.
 */
final class NodeCalls {
    private NodeCalls() {}

    static <V> V call(@CheckForNull String agent, MasterToSlaveCallable<V, IOException> operation, String where) {
        try {
            if (agent == null) {
                return operation.call();
            }
            Node node = jenkins.model.Jenkins.get().getNode(agent);
            if (node == null) {
                throw new DeployException(where + ": there is no agent named '" + agent + "'");
            }
            VirtualChannel channel = node.getChannel();
            if (channel == null) {
                throw new DeployException(where + ": agent '" + agent + "' is offline");
            }
            return channel.call(operation);
        } catch (AbortException e) {
            throw new DeployException(where + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DeployException(where + ": the connection to agent '" + agent + "' failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException(where + ": interrupted while waiting for agent '" + agent + "'", e);
        }
    }
}
