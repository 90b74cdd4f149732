/**
 * A/B tests: a fixed split between a control and a candidate model version, a per-arm conversion rate
 * (from Prometheus counters or from labelled outcomes joined by request id), and a mixture sequential
 * probability ratio test ({@link io.jenkins.plugins.mlstages.deploy.ab.MixtureSprt}) that may be looked
 * at after every analysis without inflating the false-winner rate. Durable like the canary: every
 * transition is saved before it is acted on (docs/abtest.md).
 */
package io.jenkins.plugins.mlstages.deploy.ab;
